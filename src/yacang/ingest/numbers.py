"""Number cells as statistical exports write them: blanks and dashes are missing, text is an error.

NBS and vendor exports mark "no data" with an empty cell, "—", "-", "--", "…" or "#N/A"; thousands are
grouped with commas ("72,500.00"). Anything else that is not a number is a data error the user must fix,
never silently dropped — including non-finite text ("inf", "nan", "Infinity") and infinite cell values: a
statistical figure is always finite. (An empty numeric cell that a reader turned into a float NaN is missing.)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

MISSING_MARKS = frozenset({"", "—", "——", "-", "--", "－", "…", "……", "...", "#N/A", "N/A"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")


class NumberError(ValueError):
    """A cell that is neither a number nor a missing-value mark."""


def parse_number(cell: object) -> float | None:
    """Parse one cell: a float, ``None`` for a missing mark; raises :class:`NumberError` otherwise."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise NumberError(str(cell))
    if isinstance(cell, int | float | np.integer | np.floating):
        if pd.isna(cell):
            return None
        if not np.isfinite(float(cell)):
            raise NumberError(str(cell))
        return float(cell)
    text = str(cell).strip().replace("\u3000", "").translate(_FULLWIDTH).replace("−", "-")
    if text in MISSING_MARKS:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        raise NumberError(text) from None
    if not np.isfinite(value):
        raise NumberError(text)
    return value


def parse_numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`parse_number`: ``(values, bad)``; missing marks give NaN with ``bad`` False.

    The fast path is :func:`pandas.to_numeric`; only cells it cannot read go through the slow parser.
    """
    values = np.array(pd.to_numeric(cells, errors="coerce").to_numpy(dtype="float64", na_value=np.nan), copy=True)
    bad = np.zeros(len(values), dtype=bool)
    values[np.isinf(values)] = np.nan  # "inf" text or an infinite float: re-read below, rejected there
    retry = np.flatnonzero(np.isnan(values) & cells.notna().to_numpy())
    if len(retry):
        raw = cells.to_numpy(dtype=object)
        for i in retry:
            try:
                v = parse_number(raw[i])
            except NumberError:
                bad[i] = True
                continue
            values[i] = np.nan if v is None else v
    return values, bad
