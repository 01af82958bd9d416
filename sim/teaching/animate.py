"""`animate`: one replication of one scenario (or two, on common random numbers) over a window,
as animation.html (the player) and, if asked, animation.gif (the same picture for slides)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError
from sim.experiments.compare import common_setup
from sim.experiments.estimate import check_estimate, estimate_run
from sim.numbers import duration, number
from sim.outputs.folders import OutputFolder
from sim.scenario.schema import Scenario
from sim.teaching.film import Film, default_window, make_film, parse_window
from sim.teaching.player import player_page

#: The files `animate` may write.
ANIMATE_FILES = ("animation.html", "animation.gif")
#: A window whose station visits are estimated above this is refused: its page would be tens of
#: megabytes (each visit is about five events of some 40 bytes each).
MAX_WINDOW_VISITS = 300_000


@dataclass
class Animation:
    """What `animate` made: the films, the files and the page's size in bytes."""

    films: list[Film]
    page: Path
    gif: Path | None
    page_bytes: int

    def describe(self) -> str:
        """One line for the terminal."""
        f = self.films[0]
        gif = f" and {self.gif.name}" if self.gif else ""
        return (f"{self.page.name}{gif} written to {self.page.parent}/ ({number(self.page_bytes / 1e3, 3)} KB page; "
                f"replication {f.replication}, {number(f.t0)}-{number(f.t1)} s, {duration(f.t1 - f.t0)}, "
                f"{sum(len(x.events) for x in self.films):,} events)")


def common_scenarios(scenarios: list[Scenario]) -> list[Scenario]:
    """One scenario as it is, or two with the first's seed (common random numbers)."""
    if len(scenarios) > 2:
        raise InputError("animate shows one scenario, or two one above the other")
    return scenarios if len(scenarios) == 1 else common_setup(scenarios)


def choose_window(scenarios: list[Scenario], text: str | None) -> tuple[float, float]:
    """`--window START-END`, or the first scenario's default window; inside every scenario's run."""
    window = parse_window(text, scenarios[0]) if text else default_window(scenarios[0])
    for sc in scenarios[1:]:
        if text:
            parse_window(text, sc)
        elif window[1] > sc.warmup_s() + sc.horizon:
            raise InputError(f"{sc.name}'s run ends at {duration(sc.warmup_s() + sc.horizon)}, before the "
                             f"window {number(window[0])}-{number(window[1])} s of {scenarios[0].name}: "
                             "give --window inside both runs")
    return window


def check_replication(scenarios: list[Scenario], replication: int) -> None:
    """The replication shown must be one of the run's (0 to replications - 1)."""
    n = scenarios[0].replications
    if not 0 <= replication < n:
        raise InputError(f"--replication must be between 0 and {n - 1} (the scenario has {n} replications), "
                         f"got {replication}")


def check_cost(sc: Scenario, window: tuple[float, float], file: str) -> None:
    """Refuse, before simulating, a window whose run (from time 0 to its end) exceeds the time or
    memory limit, or whose page would be too large to play."""
    t0, t1 = window
    check_estimate(estimate_run(sc.model_copy(update={"warmup": 0.0, "horizon": t1}), replications=1), file=file)
    inside = estimate_run(sc.model_copy(update={"warmup": 0.0, "horizon": t1 - t0}), replications=1)
    if inside.visits > MAX_WINDOW_VISITS:
        raise InputError(f"--window {number(t0)}-{number(t1)} s holds about {number(inside.visits, 3)} station "
                         f"visits (at most {MAX_WINDOW_VISITS:,}): its page would be too large to play; choose a "
                         "shorter --window", file=file)


def animate(scenarios: list[Scenario], out: OutputFolder, *, window: tuple[float, float], replication: int = 0,
            gif: bool = False, command: str = "python -m sim animate") -> Animation:
    """Record the films and write animation.html (and animation.gif) into `out` (prepared)."""
    films = [make_film(sc, replication, window) for sc in scenarios]
    with out.writing() as stage:
        page = stage / "animation.html"
        page.write_text(player_page(films, command), encoding="utf-8")
        size = page.stat().st_size
        if gif:
            # deferred on purpose: matplotlib draws only when a GIF is asked for
            from sim.teaching.gif import write_gif

            write_gif(films, stage / "animation.gif")
    base = Path(out.path)
    return Animation(films=films, page=base / "animation.html", gif=base / "animation.gif" if gif else None,
                     page_bytes=size)
