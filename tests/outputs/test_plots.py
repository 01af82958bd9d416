"""Tests of sim.plots against a synthetic run with the columns of SPEC section 3."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sim.analysis.bottleneck import shifting_bottlenecks
from sim.analysis.results import BottleneckShare
from sim.analysis.timeline import (
    Timeline,
    hourly_profile,
    nice_bin,
    off_shift_intervals,
    pick_timeline_window,
    rolling_window_h,
    run_timeline,
    state_shares,
)
from sim.numbers import number
from sim.outputs.plots.compare import plot_kpi_bars
from sim.outputs.plots.run import (
    plot_buffer_occupancy,
    plot_lead_time_hist,
    plot_station_states,
    plot_throughput,
    plot_wip,
    save_run_plots,
    tail_split,
)
from sim.outputs.plots.style import FIGSIZE, STATE_COLORS, station_figsize
from sim.outputs.plots.sweep import plot_sweep
from sim.outputs.plots.timeline import plot_bottleneck_shares, plot_bottleneck_timeline, plot_state_timeline
from tests.helpers import make_summary

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
    summary = make_summary(
        scenario={"name": "synthetic-line", "description": "A synthetic fixture"},
        seed=2020, replications=replications, horizon_s=3600.0 * hours, warmup_s=3600.0 * warmup_h, kpis=kpis,
        bottleneck={"station": labels[1][2], "method": "highest busy fraction"})
    return SimpleNamespace(summary=summary, replications=reps, stations=stations,
                           hourly=pd.DataFrame(ts_rows), lead_times=lead_times, timeline=None)


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
    assert set(STATE_COLORS) == set(STATES)
    assert len(set(STATE_COLORS.values())) == len(STATES)


def test_plot_throughput(result):
    ax = plot_throughput(result.hourly, mean_per_hour=250.0, warmup_s=result.summary.warmup_s)
    assert_labelled(ax)
    assert "(h)" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("warm-up" in s for s in labels) and any("mean per calendar hour: 250" in s for s in labels)
    assert any("rolling mean" in s for s in labels)
    # one line of hourly means (not one per replication), the rolling mean, the long-run mean
    assert len(ax.get_lines()) == 3


def test_plot_throughput_without_given_mean_uses_hours_after_warmup(result):
    ax = plot_throughput(result.hourly)
    ts = result.hourly
    expected = ts.loc[~ts["warmup"], "completed"].mean()
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert dashed and dashed[0].get_ydata()[0] == pytest.approx(expected)


def test_rolling_mean_is_the_centred_mean_of_the_hours_after_warmup(result):
    ts = result.hourly
    profile = hourly_profile(ts, "completed", warmup_s=result.summary.warmup_s, rate=True)
    hourly = ts.groupby("hour")["completed"].mean()
    measured = hourly[hourly.index >= 6]  # the fixture's warm-up is 6 h
    assert profile.window_h == len(measured) // 3  # 30 measured hours: less than two days
    w = profile.window_h
    first = int(np.flatnonzero(np.isfinite(profile.rolling))[0])
    assert profile.rolling[first] == pytest.approx(measured.iloc[:w].mean())
    assert np.isnan(profile.rolling[:6]).all()  # no rolling mean over the warm-up


def test_throughput_shades_off_shift_time_and_shows_the_on_shift_mean(result):
    calendar = {"shifts": [{"start": "08:00", "end": "20:00"}], "days_per_week": 7}
    ax = plot_throughput(result.hourly, mean_per_hour=125.0, warmup_s=result.summary.warmup_s,
                         calendar=calendar, mean_per_on_shift_hour=250.0)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("off shift" in s for s in labels) and any("mean per on-shift hour: 250" in s for s in labels)
    off = hourly_profile(result.hourly, "completed", calendar=calendar).off_shift
    assert len(off) == 2 and off[0] == (0.0, 8 * 3600.0)  # 36 hours: two nights, from 20:00 to 08:00
    assert len(ax.patches) == 1 + len(off)  # the warm-up and each night shaded


def test_hourly_axis_in_days_for_long_runs():
    ts = make_result(hours=100, warmup_h=2, replications=2).hourly
    ax = plot_throughput(ts, warmup_s=7200)
    assert "(days)" in ax.get_xlabel()


def test_rolling_window_follows_the_calendar():
    assert rolling_window_h(None, 28 * 24) == 24
    assert rolling_window_h({"days_per_week": 6}, 28 * 24) == 168
    assert rolling_window_h({"days_per_week": 6}, 7 * 24) == 24  # a week does not fit twice
    assert rolling_window_h(None, 30) == 10 and rolling_window_h(None, 6) == 0


def test_plot_wip_draws_on_given_ax(result):
    fig, ax = plt.subplots()
    out = plot_wip(result.hourly, ax=ax, warmup_s=result.summary.warmup_s)
    assert out is ax
    assert_labelled(ax)


def test_plot_station_states(result):
    ax = plot_station_states(result.stations)
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
    small, big = station_figsize(5), station_figsize(60)
    assert small == pytest.approx(FIGSIZE)
    assert big[1] > 15 and big[0] == small[0]


def test_plot_lead_time_hist(result):
    ax = plot_lead_time_hist(result.lead_times)
    assert_labelled(ax)
    assert "(min)" in ax.get_xlabel() or "(h)" in ax.get_xlabel()
    labels = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "mean" in labels and "p50" in labels and "p95" in labels
    # the median and p95 drawn are the summary's: each replication's, averaged
    median = np.mean([np.percentile(a, 50) for a in result.lead_times]) / 3600
    assert f"median (p50): {number(median)} h" in labels
    assert not ax.child_axes  # no far cluster: no inset


def test_lead_time_far_cluster_gets_an_inset_and_ticks_have_separators():
    rng = np.random.default_rng(3)
    bulk = rng.normal(2.3 * 3600, 600, size=200_000)
    held = rng.normal(26 * 3600, 900, size=3_000)  # held over a day off
    ax = plot_lead_time_hist([np.concatenate([bulk, held])], median=2.3 * 3600, p95=3 * 3600)
    assert len(ax.child_axes) == 1
    inset = ax.child_axes[0]
    assert "1.5%" in inset.get_title() and "3,000 units" in inset.get_title()
    assert ax.get_xlim()[1] < 10  # the main axes show the bulk, not 0-30 h
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert any("," in t for t in ticks) and not any("e" in t.lower() for t in ticks)


def test_tail_split():
    x = np.concatenate([np.linspace(1, 3, 990), np.linspace(25, 27, 10)])
    assert tail_split(x) == pytest.approx(25)
    assert tail_split(np.linspace(1, 3, 1000)) is None


@pytest.mark.parametrize("seconds,unit", [(30.0, "(s)"), (600.0, "(min)"), (36000.0, "(h)")])
def test_lead_time_unit_follows_magnitude(seconds, unit):
    ax = plot_lead_time_hist([np.full(50, seconds) * np.linspace(0.5, 1.5, 50)])
    assert unit in ax.get_xlabel()


def test_plot_lead_time_hist_empty():
    ax = plot_lead_time_hist([np.empty(0)])
    assert ax.get_title()


def test_plot_buffer_occupancy(result):
    ax = plot_buffer_occupancy(result.stations)
    assert_labelled(ax)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert any("cap ∞" in t for t in ticks) and any("cap 3" in t for t in ticks)


def test_per_station_plots_handle_many_stations():
    res = big_plant()
    assert res.stations["station"].nunique() >= 50
    ax = plot_station_states(res.stations)
    assert ax.figure.get_size_inches()[1] > 15
    ax = plot_buffer_occupancy(res.stations)
    assert len(ax.get_yticklabels()) == res.stations["station"].nunique()


def test_plot_kpi_bars():
    df = pd.DataFrame({"scenario": ["baseline", "more-servers"], "mean": [250.0, 270.0], "ci95": [2.0, 3.0]})
    ax = plot_kpi_bars(df, "throughput_per_hour")
    assert_labelled(ax, legend=False)
    assert ax.get_ylabel() == "throughput (units per calendar hour)"
    assert ax.get_legend() is not None


def test_plot_sweep_with_groups():
    df = pd.DataFrame({
        "buffer": [1, 2, 4, 1, 2, 4],
        "servers": [1, 1, 1, 2, 2, 2],
        "lead_time_s_mean": [600.0, 700, 900, 500, 550, 600],
        "lead_time_s_ci95": [20.0, 25, 30, 10, 12, 15],
    })
    ax = plot_sweep(df, "buffer", "lead_time_s", group="servers", xlabel="buffer (units)")
    assert_labelled(ax)
    assert "(min)" in ax.get_ylabel()
    assert ax.get_xlabel() == "buffer (units)"


def test_plot_sweep_single_group():
    df = pd.DataFrame({"x": [1, 2, 3], "throughput_per_hour_mean": [1.0, 2, 3], "throughput_per_hour_ci95": [0.1] * 3})
    ax = plot_sweep(df, "x", "throughput_per_hour")
    assert ax.get_title() and ax.get_legend() is not None
    band = ax.collections[0].get_paths()[0].vertices[:, 1]  # the CI band spans mean ± ci95
    assert band.min() == pytest.approx(0.9) and band.max() == pytest.approx(3.1)


def test_save_run_plots_writes_five_pngs_and_closes_figures(result, tmp_path: Path):
    before = len(plt.get_fignums())
    written = save_run_plots(result, tmp_path / "out")
    assert sorted(p.name for p in written.values()) == sorted(
        ["throughput.png", "wip.png", "station_states.png", "lead_time.png", "buffers.png"])
    for title, path in written.items():
        assert title
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 5000
    assert len(plt.get_fignums()) == before


# ------------------------------------------------------------------ timelines and bottlenecks

BUSY, BLOCKED, STARVED, DOWN, SETUP = range(5)
LOG_START = 3600.0


def make_state_log(hours=12.0, down_at=5 * 3600.0, setup_at=7 * 3600.0):
    """A hand-made state log of three stations (kit, screw: 1 server; run-in: 3 servers).

    kit alternates busy 50 s / blocked 10 s; screw is busy, down for 10 min at ``down_at`` (if
    given) and sets up for 15 min at ``setup_at`` (if given); run-in servers cycle busy / starved.
    """
    end = LOG_START + hours * 3600.0
    log = [(LOG_START, "kit", 0, BUSY), (LOG_START, "screw", 0, BUSY)]
    log += [(LOG_START, "run-in", i, STARVED) for i in range(3)]
    t = LOG_START
    while t + 60 < end:
        log += [(t + 50, "kit", 0, BLOCKED), (t + 60, "kit", 0, BUSY)]
        t += 60
    for at, state, length in ((down_at, DOWN, 600.0), (setup_at, SETUP, 900.0)):
        if at is not None:
            log += [(LOG_START + at, "screw", 0, state), (LOG_START + at + length, "screw", 0, BUSY)]
    for i in range(3):
        t = LOG_START + 300.0 * i
        while t + 1800 < end:
            log += [(t, "run-in", i, BUSY), (t + 1500, "run-in", i, STARVED)]
            t += 1800
    log.sort(key=lambda e: e[0])
    return log


def make_active_periods():
    return {
        "kit": [(LOG_START + 0, LOG_START + 600), (LOG_START + 5000, LOG_START + 5400)],
        "screw": [(LOG_START + 300, LOG_START + 4000), (LOG_START + 6000, LOG_START + 20000)],
        "run-in": [(LOG_START + 3500, LOG_START + 7000)],
    }


SHARES = [
    BottleneckShare(station="kit", sole=0.05, sole_ci95=0.02, shifting=0.03, shifting_ci95=0.01),
    BottleneckShare(station="screw", sole=0.70, sole_ci95=0.05, shifting=0.10, shifting_ci95=0.04),
    BottleneckShare(station="run-in", sole=0.08, sole_ci95=0.03, shifting=0.04, shifting_ci95=0.02),
]


def timeline_of(log=None, periods=None, window=None, calendar=None) -> Timeline:
    """The analysis layer's timeline of a hand-made record (its window forced if given)."""
    tl = run_timeline(SimpleNamespace(replication=0, state_log=log, active_periods=periods), calendar)
    if window is None:
        return tl
    edges = np.append(np.arange(window[0], window[1], nice_bin(window[1] - window[0])), window[1])
    shares = state_shares(log, list(tl.stations), edges, tl.stations) if log else {}
    found = shifting_bottlenecks(periods, *window) if periods else {"segments": [], "overlaps": []}
    return Timeline(replication=0, window=window, stations=tl.stations, edges=edges, shares=shares,
                    off_shift=off_shift_intervals(calendar, *window), bottleneck_stations=list(periods or {}),
                    segments=found["segments"], overlaps=found["overlaps"])


def test_plot_state_timeline():
    t0, t1 = LOG_START + 4 * 3600, LOG_START + 8 * 3600
    ax = plot_state_timeline(timeline_of(make_state_log(), window=(t0, t1)))
    assert_labelled(ax)
    assert "(h)" in ax.get_xlabel()
    assert ax.get_xlim() == pytest.approx((t0 / 3600, t1 / 3600))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["busy", "blocked", "starved", "down", "setup"]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["kit", "screw", "run-in ×3"]  # flow order, servers marked
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # first station on top


def test_plot_state_timeline_title_and_off_shift():
    cal = {"shifts": [{"start": "06:00", "end": "22:00"}], "days_per_week": 7}
    tl = timeline_of(make_state_log(), calendar=cal)
    assert tl.off_shift  # the night falls inside the picked window
    ax = plot_state_timeline(tl, title="Screw station")
    assert ax.get_title() == "Screw station"
    assert any("off shift" in t.get_text() for t in ax.get_legend().get_texts())


def test_plot_state_timeline_without_states():
    ax = plot_state_timeline(None)
    assert ax.get_title() and ax.get_legend() is not None


def test_state_shares_are_exact_server_time_fractions():
    log = [(0.0, "a", 0, BUSY), (0.0, "a", 1, STARVED), (30.0, "a", 0, DOWN), (90.0, "a", 1, BUSY)]
    shares = state_shares(log, ["a"], np.array([0.0, 60.0, 120.0]), {"a": 2})["a"]
    # bin 1: server 0 busy 30 s + down 30 s, server 1 starved 60 s (of 120 server-s)
    assert shares[:, 0] == pytest.approx([0.25, 0, 0.5, 0.25, 0])
    # bin 2: server 0 down 60 s, server 1 starved 30 s then busy 30 s
    assert shares[:, 1] == pytest.approx([0.25, 0, 0.25, 0.5, 0])
    assert shares.sum(axis=0) == pytest.approx([1.0, 1.0])


def test_pick_timeline_window_finds_a_setup():
    log = make_state_log(down_at=None, setup_at=6 * 3600.0)
    t0, t1 = pick_timeline_window(log, length=4 * 3600)
    assert t0 == pytest.approx(LOG_START + 6 * 3600 - 1800)
    assert t1 - t0 == pytest.approx(4 * 3600)


def test_pick_timeline_window_prefers_setup_with_a_down():
    # a down early, another one 1 h after the setup: the window opens before the setup and shows both
    log = make_state_log(hours=30, down_at=2 * 3600.0, setup_at=15 * 3600.0)
    log += [(LOG_START + 16 * 3600, "kit", 0, DOWN), (LOG_START + 16 * 3600 + 60, "kit", 0, BUSY)]
    log.sort(key=lambda e: e[0])
    t0, t1 = pick_timeline_window(log, length=8 * 3600)
    assert t0 == pytest.approx(LOG_START + 15 * 3600 - 1800)
    assert t1 == pytest.approx(t0 + 8 * 3600)


def test_pick_timeline_window_without_events_and_for_short_logs():
    log = make_state_log(down_at=None, setup_at=None)
    assert pick_timeline_window(log, length=3600) == pytest.approx((LOG_START, LOG_START + 3600))
    end = max(e[0] for e in log)
    assert pick_timeline_window(log, length=100 * 3600) == pytest.approx((LOG_START, end))
    # an event near the end: the window still has its full length, inside the log
    t0, t1 = pick_timeline_window(make_state_log(down_at=11.8 * 3600, setup_at=None), length=4 * 3600)
    assert t1 <= end + 1e-6 and t1 - t0 == pytest.approx(4 * 3600)


def test_plot_bottleneck_timeline():
    periods = make_active_periods()
    tl = timeline_of(periods=periods, window=(LOG_START, LOG_START + 6 * 3600))
    assert tl.overlaps
    ax = plot_bottleneck_timeline(tl)
    assert_labelled(ax)
    assert "(h)" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(periods)
    labels = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "sole" in labels and "shifting" in labels
    assert ax.collections  # the bars


def test_plot_bottleneck_timeline_without_segments():
    ax = plot_bottleneck_timeline(None)
    assert ax.get_title()


def test_run_timeline_picks_the_window_and_computes_the_bottlenecks_once():
    tl = timeline_of(make_state_log(), make_active_periods())
    assert tl.window == pytest.approx(pick_timeline_window(make_state_log(), 8 * 3600))
    assert set(tl.shares) == {"kit", "screw", "run-in"} and tl.stations["run-in"] == 3
    assert tl.has_states and tl.has_bottlenecks
    assert run_timeline(SimpleNamespace(replication=0, state_log=None, active_periods=None), None) is None


def test_plot_bottleneck_shares():
    ax = plot_bottleneck_shares(SHARES)
    assert_labelled(ax)
    assert "Bottleneck: screw" in ax.get_title()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["kit", "screw", "run-in"]
    labels = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "sole" in labels and "shifting" in labels and "CI" in labels
    assert ax.get_xlim()[1] <= 100


def test_plot_bottleneck_shares_largest_total_wins_and_title_is_kept():
    shares = pd.DataFrame([{"station": "x", "sole": 0.4, "shifting": 0.0},
                           {"station": "y", "sole": 0.3, "shifting": 0.3}])
    ax = plot_bottleneck_shares(shares, title="Bottleneck shares")
    assert ax.get_title().startswith("Bottleneck shares") and "Bottleneck: y" in ax.get_title()


def test_off_shift_intervals():
    cal = {"shifts": [{"start": "08:00", "end": "20:00"}], "breaks": [{"start": "12:00", "duration": 1800.0}],
           "days_per_week": 7}
    off = off_shift_intervals(cal, 0.0, 86400.0)
    expected = [(0.0, 8 * 3600.0), (12 * 3600.0, 12.5 * 3600.0), (20 * 3600.0, 86400.0)]
    assert len(off) == len(expected)
    for got, want in zip(off, expected):  # approx does not take nested tuples in newer pytest
        assert got == pytest.approx(want)
    assert off_shift_intervals(None, 0.0, 86400.0) == []


def with_records(result, state_log=True, active_periods=True, shares=True):
    record = SimpleNamespace(replication=0, state_log=make_state_log() if state_log else None,
                             active_periods=make_active_periods() if active_periods else None)
    bottleneck = result.summary.bottleneck.model_copy(update={"shares": SHARES if shares else None})
    summary = result.summary.model_copy(update={"bottleneck": bottleneck})
    return SimpleNamespace(**{**vars(result), "summary": summary, "timeline": run_timeline(record, None)})


FIVE = ["throughput.png", "wip.png", "station_states.png", "lead_time.png", "buffers.png"]


def test_save_run_plots_writes_timeline_and_bottleneck_pngs(result, tmp_path: Path):
    before = len(plt.get_fignums())
    written = save_run_plots(with_records(result), tmp_path / "out")
    assert sorted(p.name for p in written.values()) == sorted(
        FIVE + ["timeline.png", "bottleneck.png", "bottleneck_timeline.png"])
    assert {"Station state timeline", "Bottleneck shares", "Bottleneck timeline"} <= set(written)
    for path in written.values():
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 5000
    assert len(plt.get_fignums()) == before


def test_save_run_plots_skips_missing_timeline_and_bottleneck_data(result, tmp_path: Path):
    written = save_run_plots(with_records(result, state_log=False, active_periods=False, shares=False),
                                   tmp_path / "none")
    assert sorted(p.name for p in written.values()) == sorted(FIVE)
    written = save_run_plots(with_records(result, shares=False), tmp_path / "log-only")
    assert sorted(p.name for p in written.values()) == sorted(FIVE + ["timeline.png"])
    written = save_run_plots(with_records(result, state_log=False), tmp_path / "shares-only")
    assert sorted(p.name for p in written.values()) == sorted(
        FIVE + ["bottleneck.png", "bottleneck_timeline.png"])
