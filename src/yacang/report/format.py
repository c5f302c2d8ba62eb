"""Table cells as printed by the HTML, PDF and DOCX renderers; a thin user of :mod:`yacang.formatting`.

The XLSX keeps numbers as numbers, rounded by :func:`cell_number` to the same figure.
"""

from __future__ import annotations

from typing import Any

from yacang import formatting as fmt
from yacang.report.model import LIGHTS, Column

NO_DATA = fmt.NO_DATA
is_missing = fmt.is_missing
DIGITS = {"0.0": 1, "#,##0.0": 1, "0": 0, "#,##0": 0, "rank_change": 0}


def cell_number(value: Any, col: Column) -> float | None:
    """The rounded figure a numeric cell holds (half up, to the column's precision), as a number."""
    return fmt.rounded_float(value, DIGITS[col.fmt])


def format_cell(value: Any, col: Column) -> str:
    """Text of a cell as printed: one decimal for rates, thousands separators for amounts."""
    if is_missing(value):
        return NO_DATA if col.fmt != "text" else ""
    if col.fmt == "0.0":
        return fmt.fmt(value)
    if col.fmt == "#,##0.0":
        return fmt.fmt_thousands(value)
    if col.fmt == "#,##0":
        return fmt.fmt_thousands(value, 0)
    if col.fmt == "0":
        return fmt.fmt(value, 0)
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
    return col.fmt in DIGITS
