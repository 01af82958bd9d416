"""The one HTML escape every page of linesim uses (reports, the player, the explorer, lessons)."""

from __future__ import annotations

import html
from typing import Any


def esc(value: Any) -> str:
    """`value` as text safe inside HTML elements and attribute values."""
    return html.escape(str(value), quote=True)
