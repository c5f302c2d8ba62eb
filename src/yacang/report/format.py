"""Cell formatting shared by the HTML, PDF and DOCX renderers (the XLSX keeps numbers as numbers)."""

from __future__ import annotations

import math
from typing import Any

from yacang.report.model import LIGHTS, Column
from yacang.report.narrative import fmt1, round1

NO_DATA = "—"


def is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def format_cell(value: Any, col: Column) -> str:
    """Text of a cell as printed: one decimal for rates, thousands separators for amounts."""
    if is_missing(value):
        return NO_DATA if col.fmt != "text" else ""
    if col.fmt == "0.0":
        return fmt1(value)
    if col.fmt == "#,##0.0":
        return f"{round1(value):,.1f}"
    if col.fmt == "#,##0":
        return f"{float(value):,.0f}"
    if col.fmt == "0":
        return f"{float(value):.0f}"
    if col.fmt == "rank_change":
        v = int(value)
        return "持平" if v == 0 else (f"↑{v}" if v > 0 else f"↓{-v}")
    if col.fmt == "light":
        return LIGHTS.get(str(value), (str(value), ""))[0]
    return str(value)


def light_color(value: Any) -> str | None:
    if is_missing(value):
        return None
    return LIGHTS.get(str(value), ("", None))[1]


def is_numeric(col: Column) -> bool:
    return col.fmt in ("0.0", "#,##0.0", "#,##0", "0", "rank_change")
