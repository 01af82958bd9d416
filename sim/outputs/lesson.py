"""A scenario's lesson (its `lesson:` block) as HTML: the question to predict first, what to
watch, then the answer and the theory folded (a class predicts before it reads them). Shared by
the run report, the player and the explorer; no script."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.outputs.markup import esc


def lesson_html(lesson: Mapping[str, Any] | None, watch_link: tuple[str, str] | None = None) -> str:
    """The lesson's section ('' without a lesson); `watch_link` (href, text) links the player."""
    if not lesson:
        return ""
    step = (f'<p><b>Next:</b> <code>{esc(lesson["next_step"])}</code></p>' if lesson.get("next_step") else "")
    link = (f'<p class="player-link"><b>Watch it run:</b> <a href="{esc(watch_link[0])}">{esc(watch_link[1])}</a></p>'
            if watch_link else "")
    return (f'<section class="lesson" id="lesson"><h2>Lesson: {esc(lesson["title"])}</h2>'
            f'<p class="question"><b>Predict:</b> {esc(lesson["question"])}</p>'
            f'<p><b>Watch:</b> {esc(lesson["watch"])}</p>{link}'
            f'<details><summary>The answer</summary><p>{esc(lesson["answer"])}</p>'
            f'<p><b>Theory:</b> {esc(lesson["theory"])}</p>{step}</details></section>')
