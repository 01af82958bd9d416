"""Run the theory benchmarks and judge each quantity by the acceptance rule (SPEC section 5)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.analysis.intervals import mean_ci
from sim.experiments.executors import LocalExecutor
from sim.model import simulate
from sim.numbers import number
from sim.scenario.schema import Scenario
from sim.validation.cases import (
    CASES,
    DETERMINISTIC_REL,
    STOCHASTIC_K,
    STOCHASTIC_REL,
    get_case,
    load_case_scenario,
)

#: Columns of the DataFrame `run_validation` returns (extra columns follow these).
COLUMNS = ["case", "quantity", "theory", "sim_mean", "ci95", "rel_error", "tolerance", "passed"]


# ------------------------------------------------------------------------------ acceptance rule


def tolerance(theory_value: float, ci95: float, *, deterministic: bool = False,
              resolution: float = 0.0) -> float:
    """The allowed |sim - exact|: max(3 CI, 0.5% exact) when stochastic, exact otherwise."""
    if deterministic:
        return max(DETERMINISTIC_REL * abs(theory_value), resolution or 0.0)
    ci = 0.0 if ci95 is None or math.isnan(ci95) else ci95
    return max(STOCHASTIC_K * ci, STOCHASTIC_REL * abs(theory_value))


def make_row(case: str, quantity: str, theory_value: float, values: Sequence[float], *,
             deterministic: bool = False, resolution: float = 0.0) -> dict:
    """One result row from per-replication values, judged by the acceptance rule."""
    est = mean_ci(values)
    mean, ci = est["mean"], est["ci95"]
    tol = tolerance(theory_value, ci, deterministic=deterministic, resolution=resolution)
    err = mean - theory_value
    rel = err / abs(theory_value) if theory_value != 0 else (0.0 if err == 0 else math.inf)
    passed = bool(math.isfinite(mean) and abs(err) <= tol)
    return {"case": case, "quantity": quantity, "theory": float(theory_value), "sim_mean": mean,
            "ci95": ci, "rel_error": rel, "tolerance": tol, "passed": passed,
            "deterministic": deterministic, "replications": len(values)}


# ------------------------------------------------------------------------------------- running


def _replicate(case_name: str, scenario: Scenario, r: int) -> list[float]:
    """One replication of a case, reduced to its quantities' values (runs in a worker)."""
    case = get_case(case_name)
    rec = simulate(scenario, r)
    return [float(q.extract(rec)) for q in case.quantities]


def _replicate_task(task: tuple) -> list[float]:
    return _replicate(*task)


def run_validation(quick: bool = False, jobs: int = 1, progress=None, *,
                   cases: Sequence[str] | None = None, seed: int | None = None,
                   directory: str | Path | None = None) -> pd.DataFrame:
    """Run the theory benchmarks; one row per (case, quantity) with columns COLUMNS (+ extras).

    quick: fewer replications and shorter horizons (about a tenth of the work).
    jobs: worker processes; results do not depend on it (replication r uses streams r).
    progress: optional callable progress(case_name, done, total) called as each case finishes
        (done cases so far, out of total).
    cases: only these case names; seed: override every file's seed (used to test robustness);
    directory: another folder of case files.
    """
    chosen = [get_case(n) for n in cases] if cases is not None else list(CASES)
    scenarios = {c.name: load_case_scenario(c, quick=quick, seed=seed, directory=directory)
                 for c in chosen}
    tasks = [(c.name, r) for c in chosen for r in range(scenarios[c.name].replications)]
    values: dict[str, dict[int, list[float]]] = {c.name: {} for c in chosen}
    left = {c.name: scenarios[c.name].replications for c in chosen}
    done = 0

    def finished(name: str, r: int, vals: list[float]) -> None:
        nonlocal done
        values[name][r] = vals
        left[name] -= 1
        if left[name] == 0:
            done += 1
            if progress is not None:
                progress(name, done, len(chosen))

    executor = LocalExecutor(min(jobs, max(1, len(tasks))))  # workers die with this process
    try:
        work = [(name, scenarios[name], r) for name, r in tasks]
        for i, vals in executor.map_unordered(_replicate_task, work):
            finished(tasks[i][0], tasks[i][1], vals)
    finally:
        executor.close()

    rows = []
    for c in chosen:
        sc = scenarios[c.name]
        reps = values[c.name]
        for qi, q in enumerate(c.quantities):
            vals = [reps[r][qi] for r in sorted(reps)]
            res = q.resolution(sc) if (q.deterministic and q.resolution is not None) else 0.0
            rows.append(make_row(c.name, q.name, q.theory(sc), vals,
                                 deterministic=q.deterministic, resolution=res))
    return pd.DataFrame(rows, columns=COLUMNS + ["deterministic", "replications"])


# ------------------------------------------------------------------------------------ output


def format_validation(df: pd.DataFrame) -> str:
    """An aligned text table: case, quantity, theory, simulated mean ± CI, rel. error %, result."""
    header = ["case", "quantity", "theory", "simulated (mean ± 95% CI)", "rel. error", "result"]
    rows = []
    for r in df.itertuples(index=False):
        ci = r.ci95
        if ci is None or (isinstance(ci, float) and math.isnan(ci)):
            sim_txt = number(r.sim_mean, 6) + (" (exact run)" if getattr(r, "deterministic", False) else "")
        else:
            sim_txt = f"{number(r.sim_mean, 6)} ± {ci:.2g}"
        rel = r.rel_error
        rel_txt = "-" if rel is None or math.isnan(rel) else f"{100 * rel:+.3f}%"
        rows.append([r.case, r.quantity, number(r.theory, 6), sim_txt, rel_txt,
                     "PASS" if r.passed else "FAIL"])
    cols = list(zip(header, *rows)) if rows else [(h,) for h in header]
    widths = [max(len(str(c)) for c in col) for col in cols]
    align = "llrrrl"

    def line(cells):
        return "  ".join(str(c).ljust(w) if a == "l" else str(c).rjust(w)
                         for c, w, a in zip(cells, widths, align)).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    last = None
    for row in rows:
        if last is not None and row[0] != last:
            out.append("")
        out.append(line(row if row[0] != last else [""] + row[1:]))
        last = row[0]
    n_pass = int(df["passed"].sum()) if len(df) else 0
    out.append("")
    out.append(f"{n_pass} of {len(df)} checks passed"
               + ("" if n_pass == len(df) else f"; {len(df) - n_pass} FAILED") + ".")
    out.append("Rule: |sim - exact| <= max(3 x 95% CI half-width, 0.5% of exact) for random cases;"
               " deterministic ones exact (1e-9 relative, or one unit of count over the horizon).")
    return "\n".join(out)
