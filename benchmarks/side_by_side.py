"""linesim against the lean SimPy line, Ciw, salabim and C, side by side, in one sitting.

    python benchmarks/side_by_side.py [--units 200000] [--repeat 3] [--skip-peers] [--wistron]
                                      [--sim-root DIR] [--json FILE]

The workload is the reference line of `reference.yaml` (10 single-server stations in series,
exp(1 s) process times, station 5 exp(1.2 s), 5 waiting places, blocking after service, station 1
never starved): `--units` units for the scripts that stop at a count, the horizon that yields
about as many (274,000 s for 200,000) for linesim. Every "whole process" row is a fresh
`python ...` process timed from the outside (wall clock, and the CPU seconds the process used:
less sensitive to other load on a shared machine), after one untimed warm-up round and with Python
keeping the bytecode it compiles, as on a machine that has run the tools before; "in process"
rows time one call inside this process. Each figure is the median of `--repeat` rounds, and
every round runs every row once, in turn, so that a change of machine load hits all rows alike.

Rows: the lean hand-written SimPy line (`lean_reference.py`), a whole `python -m sim run --engine
des --no-plots --quiet --fresh --jobs 1`, the linesim model alone in process (`sim.model.simulate`)
and the replication as `run --no-plots` does it (the model with the active periods of its first day
and the bottleneck analysis: `sim.experiments.tasks.simulate_task`) against the lean line in the
same process, and the lean line keeping the statistics linesim reports (`lean_with_stats.py`: how
lean a model that keeps linesim's answer can be), Ciw and salabim (`peers/`, run by
`.venv-peers/bin/python` if it exists; see benchmarks/README.md), a whole run by the exact
recursion, and the recursion in process against C (`bench_recursion.py --json` of
`--recursion-root`, "not measured" when that script cannot say). With `--wistron`, also the wistron
main job (`python -m sim run scenarios/wistron.yaml --fresh --quiet`: 10 replications x 4 weeks on
the machine's cores). `--sim-root` times the linesim rows of another checkout (e.g. an older commit
unpacked by `git archive`), for before and after figures.

Prints the machine, a markdown table of the rows and a table of the ratios the performance goals
name. Nothing here is asserted in tests: speed lives in this folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS_PYTHON = HERE / ".venv-peers" / "bin" / "python"
REFERENCE_UNITS = 200_000
REFERENCE_HORIZON_S = 274_000.0  # reference.yaml: about 200,000 units


def machine() -> dict:
    """What the figures were measured on."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    import numpy
    import simpy

    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "simpy": simpy.__version__, "numpy": numpy.__version__,
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def bench_env(sim_root: Path | None = None) -> dict:
    """The environment of every whole-process row: this one, with linesim's checkout first on the
    path (for linesim rows) and without PYTHONDONTWRITEBYTECODE. A user's Python keeps the compiled
    bytecode of the modules it imports; a sandbox that sets this variable would make every linesim
    process compile its 140 modules again (about 0.08 s), which no user pays."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if sim_root is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(sim_root), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_process(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, str]:
    """Run `cmd` to the end: (wall seconds, CPU seconds of it and its children, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=bench_env() if env is None else env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


class Row:
    """One line of the table: its timings over the rounds, the units it made, a note."""

    def __init__(self, key: str, what: str, kind: str):
        self.key, self.what, self.kind = key, what, kind
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.units: float | None = None
        self.note = ""

    def add(self, wall: float, cpu: float | None = None, units: float | None = None) -> None:
        self.wall.append(wall)
        if cpu is not None:
            self.cpu.append(cpu)
        if units is not None:
            self.units = units

    @property
    def seconds(self) -> float | None:
        return statistics.median(self.wall) if self.wall else None

    @property
    def cpu_seconds(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None


def linesim_run(row: Row, sim_root: Path, engine: str, horizon_s: float) -> None:
    """One whole `python -m sim run` of the reference line (no plots, fresh, one job)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sim", "run", str(HERE / "reference.yaml"), "--engine", engine,
               "--no-plots", "--quiet", "--fresh", "--jobs", "1", "--out", tmp]
        if horizon_s != REFERENCE_HORIZON_S:
            cmd += ["--horizon", f"{horizon_s:g}s"]
        wall, cpu, _ = run_process(cmd, sim_root, bench_env(sim_root))
        summary = json.loads((Path(tmp) / "summary.json").read_text())
    row.add(wall, cpu, summary["kpis"]["units_completed"]["mean"])


def warm_up(sim_root: Path, peers: bool) -> None:
    """Run every whole-process row once on a small workload, untimed: Python writes the bytecode
    of what it imports and numba its kernel cache, as on a machine that has run linesim before."""
    scratch = Row("warm", "", "")
    for engine in ("des", "recursion"):
        linesim_run(scratch, sim_root, engine, 3000.0)
    lean_parse = (["--repeat", "1"], lambda out: 0.0)
    script_run(scratch, sys.executable, HERE / "lean_reference.py", 2000, lean_parse)
    if peers:
        for script in ("ciw_line.py", "salabim_line.py"):
            script_run(scratch, str(PEERS_PYTHON), HERE / "peers" / script, 2000, ([], peer_units))


def script_run(row: Row, python: str, script: Path, units: int, parse) -> None:
    """One whole process of a script that runs the workload to `units` units."""
    wall, cpu, out = run_process([python, str(script), "--units", str(units), *parse[0]], ROOT)
    row.add(wall, cpu, parse[1](out))


def peer_units(out: str) -> float:
    return float(json.loads(out.strip().splitlines()[-1])["units"])


def in_process(rows: dict[str, Row], units: int, horizon_s: float, sim_root: Path) -> None:
    """One round in this process: the lean line, the linesim model alone, a replication task."""
    for p in (str(HERE), str(sim_root)):  # once, however many rounds
        if p not in sys.path:
            sys.path.insert(0, p)
    import lean_reference
    import lean_with_stats

    import sim.experiments.tasks as tasks
    from sim.model import simulate
    from sim.scenario.overrides import load_scenario

    sc = load_scenario(HERE / "reference.yaml", ["engine=des", f"horizon={horizon_s:g}s"])
    # the replication as `run --no-plots` asks for it: without the timeline where the checkout
    # can leave it out (a task's fourth element; older checkouts always record it)
    task = (sc, 0, None, False) if hasattr(tasks, "wants_timeline") else (sc, 0, None)
    for key, fn in (("lean_in", lambda: lean_reference.run(units, 1)),
                    ("stats_in", lambda: lean_with_stats.run(units, 1)),
                    ("model_in", lambda: simulate(sc, 0)),
                    ("task_in", lambda: tasks.simulate_task(task))):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        w, c = time.perf_counter() - w, time.process_time() - c
        made = (units if key in ("lean_in", "stats_in")
                else out.completed_total if key == "model_in" else out.completed)
        rows[key].add(w, c, made)


def recursion_in_process(sim_root: Path, repeat: int) -> dict | None:
    """`bench_recursion.py --json` of the checkout: seconds of the recursion (pure Python, numba)
    and of C; None when the script does not offer --json or fails."""
    script = sim_root / "benchmarks" / "bench_recursion.py"
    if not script.exists():
        return None
    done = subprocess.run([sys.executable, str(script), "--json", "--repeat", str(repeat)], cwd=sim_root,
                          env=bench_env(sim_root), capture_output=True, text=True)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def fmt(x: float | None, digits: int = 2) -> str:
    return "not measured" if x is None else f"{x:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "not measured" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=REFERENCE_UNITS)
    ap.add_argument("--repeat", type=int, default=3, help="rounds; each figure is their median")
    ap.add_argument("--skip-peers", action="store_true", help="leave Ciw and salabim out")
    ap.add_argument("--wistron", action="store_true", help="also time the wistron main job")
    ap.add_argument("--sim-root", type=Path, default=ROOT, help="the checkout whose linesim is timed")
    ap.add_argument("--recursion-root", type=Path,
                    help="the checkout whose bench_recursion.py --json gives the recursion rows "
                         "(default: --sim-root)")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args()
    sim_root = args.sim_root.resolve()
    units = args.units
    horizon_s = REFERENCE_HORIZON_S * units / REFERENCE_UNITS
    peers = not args.skip_peers and PEERS_PYTHON.exists()
    rows = {r.key: r for r in [
        Row("lean", "lean hand-written SimPy line (`lean_reference.py`)", "whole process"),
        Row("des", "`python -m sim run --engine des --no-plots --quiet --fresh --jobs 1`", "whole process"),
        Row("lean_in", "lean SimPy line, `run()`", "in process"),
        Row("stats_in", "lean SimPy line keeping linesim's statistics (`lean_with_stats.py`), `run()`",
            "in process"),
        Row("model_in", "linesim DES model alone, `sim.model.simulate`", "in process"),
        Row("task_in", "linesim replication as `run --no-plots` does it (model, active periods, "
                       "bottleneck analysis)", "in process"),
        Row("ciw", "Ciw (`peers/ciw_line.py`)", "whole process"),
        Row("salabim", "salabim, yieldless (`peers/salabim_line.py`)", "whole process"),
        Row("rec", "`python -m sim run --engine recursion --no-plots --quiet --fresh --jobs 1`",
            "whole process"),
    ]}
    if args.wistron:
        rows["wistron"] = Row("wistron", "wistron main job: `python -m sim run scenarios/wistron.yaml "
                                         "--fresh --quiet` (10 replications x 4 weeks, all cores)",
                              "whole process")
    if not peers:
        why = "skipped (--skip-peers)" if args.skip_peers else f"skipped: no {PEERS_PYTHON.relative_to(ROOT)}"
        rows["ciw"].note = rows["salabim"].note = why
    info = machine()
    lean_parse = (["--repeat", "1"], lambda out: float(units))
    print("warm-up round (small workload, not timed) ...", file=sys.stderr, flush=True)
    warm_up(sim_root, peers)
    for r in range(args.repeat):
        print(f"round {r + 1} of {args.repeat} ...", file=sys.stderr, flush=True)
        script_run(rows["lean"], sys.executable, HERE / "lean_reference.py", units, lean_parse)
        linesim_run(rows["des"], sim_root, "des", horizon_s)
        in_process(rows, units, horizon_s, sim_root)
        if peers:
            script_run(rows["ciw"], str(PEERS_PYTHON), HERE / "peers" / "ciw_line.py", units, ([], peer_units))
            script_run(rows["salabim"], str(PEERS_PYTHON), HERE / "peers" / "salabim_line.py", units,
                       ([], peer_units))
        linesim_run(rows["rec"], sim_root, "recursion", horizon_s)
        if args.wistron:
            with tempfile.TemporaryDirectory() as tmp:
                wall, cpu, _ = run_process([sys.executable, "-m", "sim", "run", "scenarios/wistron.yaml",
                                            "--fresh", "--quiet", "--out", tmp], sim_root, bench_env(sim_root))
            rows["wistron"].add(wall, cpu)
    rec_root = (args.recursion_root or sim_root).resolve()
    rec = recursion_in_process(rec_root, max(args.repeat, 3)) if units == REFERENCE_UNITS else None
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    s = {k: r.seconds for k, r in rows.items()}
    c = {k: r.cpu_seconds for k, r in rows.items()}
    rs = (rec or {}).get("seconds", {})
    print(f"\nMachine: {info['nproc']} cores (`nproc`), {info['cpu']}, Python {info['python']}, "
          f"simpy {info['simpy']}, numpy {info['numpy']}; load average {info['load']} before, "
          f"{info['load_after']} after. Reference line, {units:,} units, median of {args.repeat} "
          f"(`python benchmarks/side_by_side.py{'' if units == REFERENCE_UNITS else f' --units {units}'}"
          f"{'' if args.repeat == 3 else f' --repeat {args.repeat}'}`).\n")
    print("| what | how timed | wall s | CPU s | units/wall-s |")
    print("|---|---|---|---|---|")
    for r in rows.values():
        if not r.wall:
            print(f"| {r.what} | {r.kind} | {r.note or 'not measured'} | | |")
            continue
        per = f"{r.units / r.seconds:,.0f}" if r.units else ""
        print(f"| {r.what} | {r.kind} | {fmt(r.seconds)} | {fmt(r.cpu_seconds)} | {per} |")
    rec_rows = [("recursion in process, pure-Python kernel", rs.get("python")),
                ("recursion in process, numba kernel", rs.get("numba")),
                ("C recursion, fed the same process times", rs.get("c")),
                ("C recursion, drawing its own times", rs.get("c_with_draws"))]
    for what, v in rec_rows:
        note = "" if v is not None else (" (`bench_recursion.py --json` gave no figure)" if rec is None
                                          else " (not available here)")
        print(f"| {what} | in process | {fmt(v, 3)}{note} | | |")

    print("\n| ratio | wall | CPU | goal |")
    print("|---|---|---|---|")
    best_rec = min((v for v in (rs.get("numba"), rs.get("python")) if v is not None), default=None)
    ratios = [
        ("whole DES run / lean line (whole process)", ratio(s["des"], s["lean"]), ratio(c["des"], c["lean"]),
         "<= 1.3x"),
        ("linesim model alone / lean line (in process)", ratio(s["model_in"], s["lean_in"]),
         ratio(c["model_in"], c["lean_in"]), "<= 1.2x"),
        ("lean line keeping linesim's statistics / lean line (in process)", ratio(s["stats_in"], s["lean_in"]),
         ratio(c["stats_in"], c["lean_in"]), ""),
        ("linesim model alone / lean line keeping the same statistics (in process)",
         ratio(s["model_in"], s["stats_in"]), ratio(c["model_in"], c["stats_in"]), ""),
        ("replication as run --no-plots does it / lean line (in process)", ratio(s["task_in"], s["lean_in"]),
         ratio(c["task_in"], c["lean_in"]), ""),
        ("Ciw / whole DES run", ratio(s["ciw"], s["des"]), ratio(c["ciw"], c["des"]), ">= 10x"),
        ("salabim / whole DES run", ratio(s["salabim"], s["des"]), ratio(c["salabim"], c["des"]), ">= 10x"),
        ("Ciw / whole run on the exact recursion (what `engine: auto` picks here)", ratio(s["ciw"], s["rec"]),
         ratio(c["ciw"], c["rec"]), ">= 10x"),
        ("salabim / whole run on the exact recursion", ratio(s["salabim"], s["rec"]),
         ratio(c["salabim"], c["rec"]), ">= 10x"),
        ("fastest recursion in process / C drawing its own times", ratio(best_rec, rs.get("c_with_draws")),
         "", "<= 3x"),
        ("fastest recursion in process / C loop fed the same times", ratio(best_rec, rs.get("c")), "", ""),
    ]
    for what, w, cp, goal in ratios:
        print(f"| {what} | {w} | {cp} | {goal} |")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "units": units, "repeat": args.repeat,
                                         "rows": {k: {"wall": r.wall, "cpu": r.cpu, "units": r.units}
                                                  for k, r in rows.items()},
                                         "recursion": rec}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
