"""`python -m sim claims`: the articles' figures, what they imply, and the verdicts."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from sim.claims import DEFAULT_FILE
from sim.claims.evaluation import evaluate
from sim.claims.evidence import simulate_evidence
from sim.claims.files import CLAIMS_FILES, as_json, write_claims
from sim.claims.loading import load_claims
from sim.claims.schema import BUNDLED_FILE
from sim.claims.text import claims_text
from sim.cli.common import parse_jobs
from sim.errors import InputError
from sim.experiments.runner import Runner, RunOptions
from sim.outputs.folders import output_folder
from sim.outputs.serialize import to_json


def cmd_claims(args: argparse.Namespace) -> int:
    """Evaluate the claims file, write its folder, print the verdicts."""
    t0 = time.perf_counter()
    file = args.file if args.file is not None else BUNDLED_FILE  # named DEFAULT_FILE in the outputs
    cfg = load_claims(file)
    if args.runs is not None and not args.runs.is_dir():
        raise InputError("is not a folder: --runs names the folder earlier runs wrote into (e.g. results)",
                         file=str(args.runs), path="--runs")
    jobs = parse_jobs(args.jobs)
    out = output_folder(args.out, "claims", CLAIMS_FILES)
    out.prepare()
    notes: list[str] = []
    line = legacy = None
    sizing: dict = {}
    computed = cached = None
    if not args.no_simulation:
        options = RunOptions(jobs=jobs, progress=args.format == "table" and not args.quiet and sys.stderr.isatty(),
                             cache_dir=out.cache_dir)
        with Runner(options) as runner:
            line, legacy, sizing = simulate_evidence(cfg, Path(file).parent, runner, quick=args.quick,
                                                     notes=notes, runs=args.runs)
        computed, cached = runner.computed, runner.cached
    ev = evaluate(cfg, line=line, legacy=legacy, sizing=sizing)
    # only what the inputs determine goes into the files: not the time taken, not the cache hits
    ev.meta.update(notes=notes, quick=bool(args.quick), simulated=not args.no_simulation,
                   file=str(args.file if args.file is not None else DEFAULT_FILE))
    write_claims(out, ev, plots=not args.no_plots)
    if args.format == "json":
        print(to_json(as_json(ev)))
    elif not args.quiet:
        print(claims_text(ev, shutil.get_terminal_size((80, 24)).columns))
        done = (f"; {computed} replications simulated, {cached} from the cache"
                if computed is not None else "")
        print(f"\nResults written to {out.path}/ in {time.perf_counter() - t0:.0f} s{done}")
    return 0
