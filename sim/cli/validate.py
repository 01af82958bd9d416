"""`python -m sim validate [--quick]`: the theory benchmarks."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.cli.common import parse_jobs
from sim.numbers import duration
from sim.outputs.folders import output_folder
from sim.outputs.serialize import to_json
from sim.validation import format_validation, run_validation

#: validate's files; a quick run writes into its own folder unless --out is given, so that it
#: never replaces the committed full table.
VALIDATION_FILES = ("validation.csv", "validation.txt")


def cmd_validate(args) -> int:
    jobs = parse_jobs(args.jobs)
    default = Path("results") / ("validation-quick" if args.quick else "validation")
    out = output_folder(args.out if args.out is not None else default, "validate", VALIDATION_FILES)
    out.prepare()

    start = time.monotonic()

    def progress(case, done, total):
        if args.format == "table":
            print(f"progress: {done}/{total} cases ({case}), {duration(round(time.monotonic() - start))} elapsed",
                  file=sys.stderr, flush=True)

    df = run_validation(quick=args.quick, jobs=jobs, progress=progress)
    text = format_validation(df)
    failed = int((~df["passed"].astype(bool)).sum())
    with out.writing() as tmp:
        df.to_csv(tmp / "validation.csv", index=False, float_format="%.10g")
        (tmp / "validation.txt").write_text(text + "\n", encoding="utf-8")
    if args.format == "json":
        print(to_json(df.to_dict(orient="records")))
    else:
        print(text)
        print(f"\n{len(df) - failed} passed, {failed} failed" +
              (" (quick mode)" if args.quick else "") + f"; table written to {out.path}/validation.csv")
    return 1 if failed else 0
