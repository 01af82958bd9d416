"""Theory benchmarks (`python -m sim validate`): reference scenarios with exact answers.

Each case is a bundled scenario file (``scenarios/validation/`` in a checkout) and a list of
quantities. A quantity pairs a KPI extracted from each replication's records with its exact
value, computed by :mod:`sim.theory` from the scenario's own parameters (rates, times, buffers,
failures, WIP), so that editing a file changes the theory value with it.

Acceptance rule (the project's): a stochastic quantity passes when
``|sim mean - exact| <= max(3 x 95% CI half-width, 0.5% x |exact|)``; a deterministic one (a
scenario without randomness) when it is exact: within ``1e-9 x |exact|``, or within one unit of
count over the horizon for quantities measured by counting (throughput, time fractions).

``run_validation(quick=True)`` runs every case with fewer replications and a shorter horizon
(fixed seeds: the result is the same on every run and for any number of jobs); the full mode uses
the files as written."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sim.analysis import theory
from sim.analysis.capacity import station_availability
from sim.analysis.kpis import replication_kpis
from sim.model.records import ReplicationRecord
from sim.scenario.bundled import bundled_file
from sim.scenario.distributions import Exp
from sim.scenario.loading import read_yaml, validate_scenario
from sim.scenario.overrides import apply_overrides
from sim.scenario.schema import Scenario, Station

#: Where the reference scenario files live: the bundled validation folder (scenarios/validation
#: in a checkout, inside the package in an installed wheel).
VALIDATION_DIR = bundled_file("validation")
STOCHASTIC_K = 3.0  # CI half-widths allowed
STOCHASTIC_REL = 0.005  # relative floor: 0.5% of the exact value
DETERMINISTIC_REL = 1e-9


# ---------------------------------------------------------------------------------- registry

Extractor = Callable[[ReplicationRecord], float]
TheoryFn = Callable[[Scenario], float]


@dataclass(frozen=True)
class Quantity:
    """One compared number: how to read it from a replication, and its exact value.

    `resolution(scenario)` (deterministic quantities only) is the size of one unit of count over
    the horizon in the quantity's own unit (e.g. 3600/horizon units/h for a throughput); the
    tolerance is then max(1e-9 x |exact|, resolution).
    """

    name: str
    extract: Extractor
    theory: TheoryFn
    deterministic: bool = False
    resolution: Callable[[Scenario], float] | None = None


@dataclass(frozen=True)
class Case:
    """A reference scenario and what it is checked on."""

    name: str
    file: str  # relative to VALIDATION_DIR
    quantities: tuple[Quantity, ...]
    quick: dict = field(default_factory=dict)  # raw-scenario overrides for quick mode
    title: str = ""


# -- extractors (per replication) -------------------------------------------------------------


def _kpi(name: str) -> Extractor:
    def extract(rec: ReplicationRecord) -> float:
        return replication_kpis(rec)[name]

    extract.__name__ = f"kpi_{name}"
    return extract


def _station(rec: ReplicationRecord, name: str):
    for st in rec.stations:
        if st.name == name or st.label == name:
            return st
    raise KeyError(f"no station {name!r} in the records")


def _fraction(station: str, state: str) -> Extractor:
    def extract(rec: ReplicationRecord) -> float:
        st = _station(rec, station)
        return st.seconds[state] / (st.servers * rec.horizon_s)

    return extract


def _queue(station: str) -> Extractor:
    def extract(rec: ReplicationRecord) -> float:
        return _station(rec, station).queue_area / rec.horizon_s

    return extract


# -- scenario parameters for theory ------------------------------------------------------------


def _stations(sc: Scenario) -> list[Station]:
    stages = sc.stage_list()
    if len(stages) != 1 or stages[0].lines != 1:
        raise ValueError(f"{sc.name}: a validation case must be one line")
    return list(stages[0].stations)


def _exp_mean(st: Station) -> float:
    if not isinstance(st.process_time, Exp):
        raise ValueError(f"station {st.name}: this benchmark needs exponential process times, "
                         f"got {st.process_time}")
    return st.process_time.mean


def _const(st: Station) -> float:
    d = st.process_time
    if isinstance(d, dict) or not d.is_const:
        raise ValueError(f"station {st.name}: this benchmark needs a constant process time")
    return d.mean


def _poisson_rate(sc: Scenario) -> float:
    if sc.release.mode != "poisson":
        raise ValueError(f"{sc.name}: this benchmark needs a Poisson release")
    return sc.release.rate


def _conwip_wip(sc: Scenario) -> int:
    if sc.release.mode != "conwip":
        raise ValueError(f"{sc.name}: this benchmark needs a CONWIP release")
    return sc.release.wip


def _buffers(sts: Sequence[Station]) -> list[int]:
    out = []
    for st in sts[1:]:
        if math.isinf(st.buffer):
            raise ValueError(f"station {st.name}: this benchmark needs a finite buffer")
        out.append(int(st.buffer))
    return out


def _operating_failure(st: Station) -> tuple[float, float] | None:
    if not st.failures:
        return None
    if len(st.failures) != 1 or st.failures[0].basis != "operating":
        raise ValueError(f"station {st.name}: the CTMC takes one operation-dependent failure mode")
    fm = st.failures[0]
    if not isinstance(fm.mtbf, Exp) or not isinstance(fm.repair_time, Exp):
        raise ValueError(f"station {st.name}: the CTMC needs exponential failures and repairs")
    return fm.mtbf.mean, fm.mttr


def _availability(st: Station) -> float:
    """A station's availability over all its failure modes (the rule of sim.analysis.capacity)."""
    a_op, a_cal = station_availability(st)
    return a_op * a_cal


def _per_hour(rate_per_s: float) -> float:
    return rate_per_s * 3600.0


def _count_resolution(sc: Scenario) -> float:
    """One unit over the horizon, in units per hour."""
    return 3600.0 / sc.horizon


def _time_resolution(sc: Scenario) -> float:
    """One unit's longest activity (process time or set-up) over the horizon, as a fraction."""
    longest = max(d.mean for st in sc.all_stations()
                  for d in (st.process_time.values() if isinstance(st.process_time, dict)
                            else [st.process_time]))
    if sc.changeover is not None:
        longest = max(longest, sc.changeover.time.mean)
    return longest / sc.horizon


# -- theory per case ---------------------------------------------------------------------------


def _mm1(sc: Scenario) -> dict:
    (st,) = _stations(sc)
    if st.servers != 1:
        raise ValueError("M/M/1 needs one server")
    return theory.mm1(_poisson_rate(sc), 1.0 / _exp_mean(st))


def _mmc(sc: Scenario) -> dict:
    (st,) = _stations(sc)
    return theory.mmc(_poisson_rate(sc), 1.0 / _exp_mean(st), st.servers)


def _md1(sc: Scenario) -> dict:
    (st,) = _stations(sc)
    if st.servers != 1:
        raise ValueError("M/D/1 needs one server")
    return theory.md1(_poisson_rate(sc), _const(st))


def _two_station_th(sc: Scenario) -> float:
    a, b = _stations(sc)
    (buf,) = _buffers([a, b])
    return theory.two_station_bas_throughput(1.0 / _exp_mean(a), 1.0 / _exp_mean(b), buf)


def _ctmc(sc: Scenario) -> dict:
    sts = _stations(sc)
    if sc.release.mode != "saturated" or any(s.servers != 1 for s in sts):
        raise ValueError("the CTMC covers saturated lines of single servers")
    return theory.exp_line_ctmc([1.0 / _exp_mean(s) for s in sts], _buffers(sts),
                                [_operating_failure(s) for s in sts])


def _bbs_yield(sc: Scenario) -> dict:
    """The exact chain of a saturated two-station line, blocking before service at station 1,
    a yield test there with failed units scrapped."""
    a, b = _stations(sc)
    if sc.release.mode != "saturated" or a.servers != 1 or b.servers != 1:
        raise ValueError("this benchmark needs a saturated line of two single servers")
    if (a.blocking or sc.blocking) != "before_service":
        raise ValueError(f"station {a.name}: this benchmark needs blocking before service")
    if not isinstance(a.on_fail, str) or b.yield_ < 1:
        raise ValueError("this benchmark needs scrap at station 1 and no test at station 2")
    (buf,) = _buffers([a, b])
    return theory.two_station_bbs_yield(1.0 / _exp_mean(a), 1.0 / _exp_mean(b), buf, a.yield_)


def _zero_buffer_th(sc: Scenario) -> float:
    sts = _stations(sc)
    if any(s.buffer != 0 for s in sts[1:]) or any(s.servers != 1 for s in sts):
        raise ValueError("this benchmark needs single stations and zero buffers")
    times = [_const(s) for s in sts]
    # constant times, zero buffers: every pair of neighbours paces at 1/max(t_k, t_k+1)
    return min(theory.zero_buffer_two_station_throughput(x, y, kind="const")
               for x, y in zip(times, times[1:]))


def _conwip_params(sc: Scenario, kind: str) -> tuple[int, float, float]:
    """(w, rb, T0) of a CONWIP line of single stations."""
    sts = _stations(sc)
    means = [(_const(s) if kind == "const" else _exp_mean(s)) for s in sts]
    rb = min(s.servers / m for s, m in zip(sts, means))
    return _conwip_wip(sc), rb, sum(means)


def _pwc_check(sc: Scenario) -> tuple[int, float, float, list[float]]:
    w, rb, t0 = _conwip_params(sc, "exp")
    sts = _stations(sc)
    means = [_exp_mean(s) for s in sts]
    if any(s.servers != 1 for s in sts) or max(means) - min(means) > 1e-12 * max(means):
        raise ValueError("the practical worst case needs balanced single exponential stations")
    return w, rb, t0, means


def _pwc_th(sc: Scenario) -> float:
    w, rb, t0, means = _pwc_check(sc)
    return theory.practical_worst_case_th(w, rb, t0)


def _pwc_ct(sc: Scenario) -> float:
    w, rb, t0, means = _pwc_check(sc)
    # exact mean-value analysis of the closed line (equal to T0 + (w-1)/rb when balanced)
    return theory.mva_closed_line(means, [1] * len(means), w)["cycle_time"]


def _single_failing(sc: Scenario) -> tuple[float, float]:
    """(t0, A) of a saturated single station with failures."""
    (st,) = _stations(sc)
    if sc.release.mode != "saturated":
        raise ValueError("this benchmark needs a saturated station")
    return _const(st), _availability(st)


def _setup(sc: Scenario) -> tuple[float, float, float]:
    """(k, t0, s) of a single station making cyclic lots of k units with a set-up s per switch."""
    (st,) = _stations(sc)
    names = sc.product_names()
    if len(names) < 2 or sc.sequence != "cyclic" or sc.changeover is None:
        raise ValueError("this benchmark needs cyclic lots of two or more products with changeovers")
    sizes = set(sc.lot_sizes().values())
    if len(sizes) != 1:
        raise ValueError("this benchmark needs lots of equal size")
    co = st.changeover if st.changeover is not None else sc.changeover.time
    if not co.is_const or sc.changeover.matrix:
        raise ValueError("this benchmark needs one constant changeover time")
    (k,) = sizes
    return k, _const(st), co.mean


def _inf_buffer_th(sc: Scenario) -> float:
    sts = _stations(sc)
    if any(not math.isinf(s.buffer) for s in sts[1:]):
        raise ValueError("the infinite-buffer limit needs unlimited buffers")
    rate, _ = theory.bottleneck_rate([(s.servers, _availability(s), _const(s)) for s in sts])
    return rate


# -- the cases -----------------------------------------------------------------------------------

_TH = "throughput [units/h]"
_W = "lead time W [s]"
_L = "WIP L [units]"
_LQ = "queue Lq [units]"


def _th(fn: Callable[[Scenario], float], deterministic: bool = False) -> Quantity:
    return Quantity(_TH, _kpi("throughput_per_hour"), lambda sc: _per_hour(fn(sc)), deterministic,
                    _count_resolution if deterministic else None)


CASES: list[Case] = [
    Case("mm1", "mm1.yaml", (
        Quantity(_W, _kpi("lead_time_s"), lambda sc: _mm1(sc)["W"]),
        Quantity(_L, _kpi("wip_mean"), lambda sc: _mm1(sc)["L"]),
        Quantity(_LQ, _queue("server"), lambda sc: _mm1(sc)["Lq"]),
        Quantity("server busy fraction", _fraction("server", "busy"), lambda sc: _mm1(sc)["rho"]),
        _th(_poisson_rate),
    ), quick={"replications": 6, "horizon": "30000s", "warmup": "1000s"},
        title="M/M/1, rho 0.8"),
    Case("mm3", "mm3.yaml", (
        Quantity(_W, _kpi("lead_time_s"), lambda sc: _mmc(sc)["W"]),
        Quantity(_L, _kpi("wip_mean"), lambda sc: _mmc(sc)["L"]),
        Quantity(_LQ, _queue("servers"), lambda sc: _mmc(sc)["Lq"]),
    ), quick={"replications": 6, "horizon": "15000s", "warmup": "1000s"},
        title="M/M/3 (Erlang C), rho 0.8"),
    Case("md1", "md1.yaml", (
        Quantity(_W, _kpi("lead_time_s"), lambda sc: _md1(sc)["W"]),
        Quantity(_L, _kpi("wip_mean"), lambda sc: _md1(sc)["L"]),
        Quantity(_LQ, _queue("server"), lambda sc: _md1(sc)["Lq"]),
    ), quick={"replications": 6, "horizon": "30000s", "warmup": "1000s"},
        title="M/D/1 (Pollaczek-Khinchine), rho 0.8"),
    Case("two-station-equal", "two_station_equal.yaml", (
        _th(_two_station_th),
        Quantity(_L, _kpi("wip_mean"), lambda sc: _ctmc(sc)["wip"]),
        Quantity("first blocked fraction", _fraction("first", "blocked"),
                 lambda sc: _ctmc(sc)["blocked"][0]),
    ), quick={"replications": 6, "horizon": "20000s", "warmup": "500s"},
        title="two stations, exponential, equal rates, b = 2"),
    Case("two-station-unequal", "two_station_unequal.yaml", (
        _th(_two_station_th),
        Quantity(_L, _kpi("wip_mean"), lambda sc: _ctmc(sc)["wip"]),
    ), quick={"replications": 6, "horizon": "20000s", "warmup": "500s"},
        title="two stations, exponential, unequal rates, b = 1"),
    Case("bbs-yield", "bbs_yield.yaml", (
        _th(lambda sc: _bbs_yield(sc)["throughput"]),
        Quantity("first blocked fraction", _fraction("first", "blocked"),
                 lambda sc: _bbs_yield(sc)["blocked1"]),
        Quantity("second busy fraction", _fraction("second", "busy"),
                 lambda sc: _bbs_yield(sc)["busy2"]),
        Quantity(_LQ, _queue("second"), lambda sc: _bbs_yield(sc)["queue2"]),
    ), quick={"replications": 6, "horizon": "20000s", "warmup": "500s"},
        title="two stations, blocking before service, yield 0.7 scrapped, b = 2 (CTMC)"),
    Case("zero-buffer-three-const", "zero_buffer_three_const.yaml", (
        _th(_zero_buffer_th, deterministic=True),
        Quantity("first blocked fraction", _fraction("first", "blocked"),
                 lambda sc: 1.0 - _const(_stations(sc)[0]) * _zero_buffer_th(sc), True,
                 _time_resolution),
        Quantity("third starved fraction", _fraction("third", "starved"),
                 lambda sc: 1.0 - _const(_stations(sc)[2]) * _zero_buffer_th(sc), True,
                 _time_resolution),
    ), quick={"horizon": "1d"},
        title="three constant stations, zero buffers"),
    Case("two-machine-failures", "two_machine_failures.yaml", (
        _th(lambda sc: _ctmc(sc)["throughput"]),
        Quantity(_L, _kpi("wip_mean"), lambda sc: _ctmc(sc)["wip"]),
        Quantity("first down fraction", _fraction("first", "down"), lambda sc: _ctmc(sc)["down"][0]),
    ), quick={"replications": 6, "horizon": "30000s", "warmup": "1000s"},
        title="two exponential machines with failures, b = 3 (CTMC)"),
    Case("conwip-best-low", "conwip_best_low.yaml", (
        _th(lambda sc: theory.best_case_th(*_conwip_params(sc, "const")), deterministic=True),
        Quantity("cycle time CT [s]", _kpi("lead_time_s"),
                 lambda sc: theory.best_case_ct(*_conwip_params(sc, "const")), True),
        Quantity(_L, _kpi("wip_mean"), lambda sc: float(_conwip_wip(sc)), True),
    ), quick={"horizon": "1d"},
        title="CONWIP best case, w < W0"),
    Case("conwip-best-high", "conwip_best_high.yaml", (
        _th(lambda sc: theory.best_case_th(*_conwip_params(sc, "const")), deterministic=True),
        Quantity("cycle time CT [s]", _kpi("lead_time_s"),
                 lambda sc: theory.best_case_ct(*_conwip_params(sc, "const")), True),
        Quantity(_L, _kpi("wip_mean"), lambda sc: float(_conwip_wip(sc)), True),
    ), quick={"horizon": "1d"},
        title="CONWIP best case, w > W0"),
    Case("conwip-pwc", "conwip_pwc.yaml", (
        _th(_pwc_th),
        Quantity("cycle time CT [s]", _kpi("lead_time_s"), _pwc_ct),
        Quantity(_L, _kpi("wip_mean"), lambda sc: float(_conwip_wip(sc)), True),
    ), quick={"replications": 6, "horizon": "5d", "warmup": "2h"},
        title="CONWIP practical worst case (balanced exponential, MVA)"),
    Case("failing-station", "failing_station.yaml", (
        _th(lambda sc: _single_failing(sc)[1] / _single_failing(sc)[0]),
        Quantity("machine busy fraction", _fraction("machine", "busy"),
                 lambda sc: _single_failing(sc)[1]),
        Quantity("machine down fraction", _fraction("machine", "down"),
                 lambda sc: 1.0 - _single_failing(sc)[1]),
    ), quick={"replications": 6, "horizon": "10d", "warmup": "2h"},
        title="one saturated station with failures, TH = A/t0"),
    Case("setup-every-k", "setup_every_k.yaml", (
        _th(lambda sc: theory.setup_capacity(*_setup(sc)), deterministic=True),
        Quantity("machine setup fraction", _fraction("machine", "setup"),
                 lambda sc: _setup(sc)[2] * theory.setup_capacity(*_setup(sc)) / _setup(sc)[0],
                 True, _time_resolution),
    ), quick={"horizon": "1d"},
        title="set-up every k units, k/(k t0 + s)"),
    Case("det-line-failures-inf-buffer", "det_line_failures_inf_buffer.yaml", (
        _th(_inf_buffer_th),
    ), quick={"replications": 6, "horizon": "6d", "warmup": "6h"},
        title="constant line with failures, infinite-buffer limit"),
]


_BY_NAME = {c.name: c for c in CASES}


def case_names() -> list[str]:
    return [c.name for c in CASES]


def get_case(name: str) -> Case:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no validation case {name!r}; cases: {', '.join(case_names())}") from None


def load_case_scenario(case: Case | str, *, quick: bool = False, seed: int | None = None,
                       directory: str | Path | None = None) -> Scenario:
    """The case's scenario file, with the quick-mode overrides (and another seed) if asked."""
    case = get_case(case) if isinstance(case, str) else case
    path = Path(directory or VALIDATION_DIR) / case.file
    data = read_yaml(path)
    overrides = [f"{k}={v}" for k, v in case.quick.items()] if quick else []
    if seed is not None:
        overrides.append(f"seed={int(seed)}")
    if overrides:
        data = apply_overrides(data, overrides, file=str(path))
    return validate_scenario(data, file=str(path))
