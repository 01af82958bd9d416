"""The figures of a result, reachable from it (`res.plot.station_states(ax=ax)`): thin calls of
the plot functions of sim/outputs/plots, which draw on the `ax` given (a new figure when None)
and return it. matplotlib is imported on the first figure drawn, not before: `import sim` and a
run without figures never load it, and nothing here chooses a backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations: the modules are imported when a figure is drawn
    import pandas as pd
    from matplotlib.axes import Axes

    from sim.analysis.summary import RunResult


def _titled(title: str | None) -> dict[str, Any]:
    """Keyword arguments that pass a title only when one is given (else the figure's own)."""
    return {} if title is None else {"title": title}


class RunPlots:
    """A run's figures; each method draws on `ax` (a new figure when None) and returns it.

    >>> import sim
    >>> res = sim.run("wistron", replications=2, horizon="4h", warmup="12h", jobs=1)
    >>> ax = res.plot.station_states()
    >>> ax.get_xlabel()
    'share of simulated time (%)'
    """

    def __init__(self, result: RunResult):
        self.result = result

    def throughput(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Units completed per simulated hour: each replication, their mean, the long-run mean."""
        from sim.outputs.plots.run import plot_throughput

        s = self.result.summary
        return plot_throughput(self.result.hourly, ax, mean_per_hour=s.kpi("throughput_per_hour").mean,
                               warmup_s=s.warmup_s, **_titled(title))

    def wip(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Work in process per simulated hour, like `throughput`."""
        from sim.outputs.plots.run import plot_wip

        s = self.result.summary
        return plot_wip(self.result.hourly, ax, warmup_s=s.warmup_s, mean_wip=s.kpi("wip_mean").mean,
                        **_titled(title))

    def station_states(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Each station's time as stacked bars: busy, blocked, starved, down, setup, off shift."""
        from sim.outputs.plots.run import plot_station_states

        return plot_station_states(self.result.stations, ax, **_titled(title))

    def lead_time(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Histogram of lead times pooled over replications, with mean, median and p95."""
        from sim.outputs.plots.run import plot_lead_time_hist

        return plot_lead_time_hist(self.result.lead_times, ax, **_titled(title))

    def buffers(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Mean units waiting in front of each station (95% CI), with the buffer capacities."""
        from sim.outputs.plots.run import plot_buffer_occupancy

        return plot_buffer_occupancy(self.result.stations, ax, **_titled(title))

    def timeline(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Every server's state over the first day after warm-up of replication 1 (SimPy engine)."""
        from sim.outputs.plots.timeline import plot_state_timeline

        return plot_state_timeline(self.result.timeline, ax, **_titled(title))

    def bottleneck(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Each station's share of time as the sole and as a shifting bottleneck (SimPy engine)."""
        from sim.outputs.plots.timeline import plot_bottleneck_shares

        return plot_bottleneck_shares(self.result.summary.bottleneck.shares or [], ax, **_titled(title))

    def bottleneck_timeline(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Which station was the bottleneck when, over the timeline's window (SimPy engine)."""
        from sim.outputs.plots.timeline import plot_bottleneck_timeline

        return plot_bottleneck_timeline(self.result.timeline, ax, **_titled(title))


class ComparisonPlots:
    """A comparison's figures; each method draws on `ax` (a new figure when None) and returns it."""

    def __init__(self, results: list[RunResult]):
        self.results = results

    def kpi(self, kpi: str = "throughput_per_hour", ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """One KPI's mean per scenario as bars with 95% CI whiskers."""
        import pandas as pd

        from sim.outputs.plots.compare import plot_kpi_bars

        df = pd.DataFrame([{"scenario": r.summary.name, "mean": r.summary.kpi(kpi).mean,
                            "ci95": r.summary.kpi(kpi).ci95} for r in self.results])
        return plot_kpi_bars(df, kpi, ax, title)

    def throughput(self, ax: Axes | None = None) -> Axes:
        """Hourly throughput of each scenario (mean over replications) with its long-run mean."""
        from sim.outputs.plots.compare import plot_throughput_overlay

        return plot_throughput_overlay(self.results, ax)

    def station_states(self, ax: Axes | None = None) -> Axes:
        """Per station, one stacked bar of its time fractions per scenario."""
        from sim.outputs.plots.compare import plot_states_side_by_side

        return plot_states_side_by_side(self.results, ax)


class SweepPlots:
    """A sweep's figures: a KPI against a varied path, with its 95% CI band."""

    def __init__(self, table: pd.DataFrame, paths: list[str]):
        self.table = table
        self.paths = paths

    def kpi(self, kpi: str = "throughput_per_hour", ax: Axes | None = None, *, x: str | None = None,
            group: str | None = None, title: str | None = None) -> Axes:
        """`kpi` against the varied path `x` (default the first), one line per value of `group`
        (default the second path, if any); durations on a time axis, as the CLI draws them."""
        from sim.numbers import duration, number
        from sim.outputs.plots.sweep import plot_sweep
        from sim.outputs.sweep import x_axis

        x = x or self.paths[0]
        if group is None and len(self.paths) > 1:
            group = next(p for p in self.paths if p != x)
        df = self.table.copy()
        df[x], is_duration = x_axis(df[x])  # the varied values as numbers (seconds for durations)
        ax = plot_sweep(df, x, kpi, ax, group=group, title=title, x_format=duration if is_duration else number)
        return ax
