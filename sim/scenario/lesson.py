"""A scenario's lesson block (`lesson:`): the text of a ready lesson, shown by the player, the
explorer and the run report; it changes no number."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from sim.scenario.limits import MAX_DESCRIPTION_CHARS

LessonText = Annotated[str, Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)]


class Lesson(BaseModel):
    """A ready lesson built on the scenario: shown by the player (`animate`), the explorer and the
    run report. It labels the scenario and changes no number."""

    # as every section of the schema: a field's docstring is its description (filled in when
    # asked: sim.scenario.described)
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, Field(min_length=1, max_length=120)]
    """The lesson's title, e.g. "The 13-second line"."""
    question: LessonText
    """The question the class answers before the line runs: the prediction."""
    watch: LessonText
    """What to watch while the line runs (in the player or the report)."""
    answer: LessonText
    """The answer, with its numbers (each bundled lesson's numbers are checked against a run and
    against theory by the tests)."""
    theory: LessonText
    """The theory behind the answer, and where to read more."""
    next_step: LessonText | None = None
    """A command to try next, e.g. an `explore` over the lesson's lever."""
