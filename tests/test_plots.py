"""Tests of sim.plots against a synthetic run with the columns of SPEC section 3."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from sim import plots  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
STATES = ["busy", "blocked", "starved", "down", "setup", "off_shift"]


def make_result(
    station_names=("kitting", "screw-fastening", "keyboard", "display", "run-in", "packing"),
    stages=None,
    lines=1,
    replications=4,
    hours=30,
    warmup_h=6,
    seed=1,
):
    """A synthetic run result: summary, replications, stations, timeseries, lead_times.

    ``stages`` is an optional list of (stage name, lines, station names) for a multi-stage plant;
    otherwise the stations form one stage "" of ``lines`` lines.
    """
    rng = np.random.default_rng(seed)
    if stages is None:
        stages = [("", lines, list(station_names))]
    labels = []  # (stage, line, label, name)
    for stage, n_lines, names in stages:
        for line in range(1, n_lines + 1):
            for name in names:
                parts = ([stage] if stage else []) + ([f"L{line}"] if n_lines > 1 else []) + [name]
                labels.append((stage, line, "/".join(parts), name))

    station_rows, ts_rows, rep_rows, lead_times = [], [], [], []
    for r in range(replications):
        for k, (stage, line, label, name) in enumerate(labels):
            w = rng.dirichlet([30, 3, 3, 1.5, 1, 2])
            buffer = np.inf if "run-in" in name else (2000.0 if k == 0 and len(stages) > 1 else float(3 + k % 5))
            station_rows.append({
                "replication": r, "stage": stage, "line": line, "station": label, "name": name,
                "servers": 60 if "run-in" in name else 1, **dict(zip(STATES, w)),
                "units": int(rng.integers(9000, 10000)),
                "queue_mean": float(min(buffer, rng.gamma(2.0, 0.8))) if np.isfinite(buffer) else 25 + rng.normal(0, 3),
                "buffer": buffer,
            })
        for h in range(hours + warmup_h):
            ramp = min(1.0, (h + 1) / warmup_h)
            row = {
                "replication": r, "hour": h, "t_start_s": 3600.0 * h, "warmup": h < warmup_h,
                "completed": int(rng.poisson(250 * ramp)), "wip": 40 * ramp + rng.normal(0, 3),
            }
            for _, _, label, _ in labels:
                row[f"queue:{label}"] = max(0.0, rng.normal(1.5, 0.5))
            ts_rows.append(row)
        lt = rng.lognormal(np.log(9000), 0.35, size=2000)
        lead_times.append(lt)
        rep_rows.append({
            "replication": r, "throughput_per_hour": 250 + rng.normal(0, 3),
            "throughput_per_minute": (250 + rng.normal(0, 3)) / 60, "units_completed": 250 * hours,
            "units_scrapped": int(rng.integers(0, 20)), "lead_time_s": float(lt.mean()),
            "lead_time_p50_s": float(np.median(lt)), "lead_time_p95_s": float(np.percentile(lt, 95)),
            "wip_mean": 40 + rng.normal(0, 1),
        })
    reps = pd.DataFrame(rep_rows)
    stations = pd.DataFrame(station_rows)
    kpis = {
        k: {"mean": float(reps[k].mean()), "ci95": float(1.96 * reps[k].std() / np.sqrt(len(reps))),
            "values": reps[k].tolist()}
        for k in ["throughput_per_hour", "throughput_per_minute", "units_completed", "units_scrapped",
                  "lead_time_s", "wip_mean"]
    }
    kpis["lead_time_s"].update(p50=float(reps["lead_time_p50_s"].mean()),
                               p95=float(reps["lead_time_p95_s"].mean()))
    summary = {
        "scenario": {"name": "synthetic-line", "description": "A synthetic fixture"},
        "seed": 2020, "replications": replications, "horizon_s": 3600.0 * hours,
        "warmup_s": 3600.0 * warmup_h, "kpis": kpis,
        "stations": stations.groupby("station", sort=False)[STATES + ["units", "queue_mean"]].mean()
        .reset_index().rename(columns={"station": "name"}).to_dict("records"),
        "bottleneck": {"station": labels[1][2], "method": "highest busy fraction"},
    }
    return SimpleNamespace(summary=summary, replications=reps, stations=stations,
                           timeseries=pd.DataFrame(ts_rows), lead_times=lead_times)


def big_plant():
    """A plant of 64 stations in two stages of parallel lines."""
    smt = [f"smt-{i}" for i in range(6)]
    fa = ["kitting", "screw-fastening", "keyboard", "display", "test", "run-in", "packing", "label"]
    return make_result(stages=[("smt", 4, smt), ("final-assembly", 5, fa)], replications=2, hours=4, warmup_h=1)


@pytest.fixture(scope="module")
def result():
    return make_result()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def assert_labelled(ax, legend=True):
    assert ax.get_title().strip()
    assert ax.get_xlabel().strip()
    assert ax.get_ylabel().strip()
    if legend:
        leg = ax.get_legend()
        assert leg is not None and len(leg.get_texts()) >= 2


def test_state_colors_cover_every_state_with_distinct_colours():
    assert set(plots.STATE_COLORS) == set(STATES)
    assert len(set(plots.STATE_COLORS.values())) == len(STATES)


def test_plot_throughput(result):
    ax = plots.plot_throughput(result.timeseries, mean_per_hour=250.0, warmup_s=result.summary["warmup_s"])
    assert_labelled(ax)
    assert "(h)" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("warm-up" in s for s in labels) and any("long-run" in s for s in labels)
    assert any("250" in s for s in labels)


def test_plot_throughput_without_given_mean_uses_hours_after_warmup(result):
    ax = plots.plot_throughput(result.timeseries)
    ts = result.timeseries
    expected = ts.loc[~ts["warmup"], "completed"].mean()
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert dashed and dashed[0].get_ydata()[0] == pytest.approx(expected)


def test_plot_wip_draws_on_given_ax(result):
    fig, ax = plt.subplots()
    out = plots.plot_wip(result.timeseries, ax=ax, warmup_s=result.summary["warmup_s"])
    assert out is ax
    assert_labelled(ax)


def test_plot_station_states(result):
    ax = plots.plot_station_states(result.stations)
    assert_labelled(ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["busy", "blocked", "starved", "down", "setup", "off shift"]
    # flow order kept, first station on top
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == list(dict.fromkeys(result.stations["station"]))
    assert ax.get_ylim()[0] > ax.get_ylim()[1]
    # bars of one station add up to 100 %
    widths = [p.get_width() for p in ax.patches]
    n = len(ticks)
    assert sum(widths[i] for i in range(0, len(widths), n)) == pytest.approx(100.0)


def test_station_figsize_grows_with_station_count():
    small, big = plots.station_figsize(5), plots.station_figsize(60)
    assert small == pytest.approx(plots.FIGSIZE)
    assert big[1] > 15 and big[0] == small[0]


def test_plot_lead_time_hist(result):
    ax = plots.plot_lead_time_hist(result.lead_times)
    assert_labelled(ax)
    assert "(min)" in ax.get_xlabel() or "(h)" in ax.get_xlabel()
    labels = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "mean" in labels and "p50" in labels and "p95" in labels


@pytest.mark.parametrize("seconds,unit", [(30.0, "(s)"), (600.0, "(min)"), (36000.0, "(h)")])
def test_lead_time_unit_follows_magnitude(seconds, unit):
    ax = plots.plot_lead_time_hist([np.full(50, seconds) * np.linspace(0.5, 1.5, 50)])
    assert unit in ax.get_xlabel()


def test_plot_lead_time_hist_empty():
    ax = plots.plot_lead_time_hist([np.empty(0)])
    assert ax.get_title()


def test_plot_buffer_occupancy(result):
    ax = plots.plot_buffer_occupancy(result.stations)
    assert_labelled(ax)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert any("cap ∞" in t for t in ticks) and any("cap 3" in t for t in ticks)


def test_per_station_plots_handle_many_stations():
    res = big_plant()
    assert res.stations["station"].nunique() >= 50
    ax = plots.plot_station_states(res.stations)
    assert ax.figure.get_size_inches()[1] > 15
    ax = plots.plot_buffer_occupancy(res.stations)
    assert len(ax.get_yticklabels()) == res.stations["station"].nunique()


def test_plot_kpi_bars():
    df = pd.DataFrame({"scenario": ["baseline", "more-servers"], "mean": [250.0, 270.0], "ci95": [2.0, 3.0]})
    ax = plots.plot_kpi_bars(df, "throughput_per_hour")
    assert_labelled(ax, legend=False)
    assert "units/h" in ax.get_ylabel()
    assert ax.get_legend() is not None


def test_plot_sweep_with_groups():
    df = pd.DataFrame({
        "buffer": [1, 2, 4, 1, 2, 4],
        "servers": [1, 1, 1, 2, 2, 2],
        "lead_time_s_mean": [600.0, 700, 900, 500, 550, 600],
        "lead_time_s_ci95": [20.0, 25, 30, 10, 12, 15],
    })
    ax = plots.plot_sweep(df, "buffer", "lead_time_s", group="servers", xlabel="buffer (units)")
    assert_labelled(ax)
    assert "(min)" in ax.get_ylabel()
    assert ax.get_xlabel() == "buffer (units)"


def test_plot_sweep_single_group():
    df = pd.DataFrame({"x": [1, 2, 3], "throughput_per_hour_mean": [1.0, 2, 3], "throughput_per_hour_ci95": [0.1] * 3})
    ax = plots.plot_sweep(df, "x", "throughput_per_hour")
    assert ax.get_title() and ax.get_legend() is not None


def test_save_run_plots_writes_five_pngs_and_closes_figures(result, tmp_path: Path):
    before = len(plt.get_fignums())
    written = plots.save_run_plots(result, tmp_path / "out")
    assert sorted(p.name for p in written.values()) == sorted(
        ["throughput.png", "wip.png", "station_states.png", "lead_time.png", "buffers.png"])
    for title, path in written.items():
        assert title
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 5000
    assert len(plt.get_fignums()) == before
