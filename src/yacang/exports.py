"""The one neutraliser of formula (CSV/XLSX) injection for every spreadsheet the project writes.

Text that a spreadsheet would run — starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, or their full-width forms — is prefixed with an apostrophe, as OWASP recommends for CSV; in
XLSX every string is also written as a *string* cell (xlsxwriter's ``write()`` would turn ``=HYPERLINK(…)``
into a live formula). Numbers, dates and booleans are written as themselves, so a negative number
stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise(value: object) -> object:
    """``value`` unchanged unless it is text a spreadsheet would evaluate; then ``'`` + text."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]], header: Sequence[str] | None = None) -> str:
    """CSV text (UTF-8 with BOM for Excel) with every cell neutralised."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    if header is not None:
        w.writerow([neutralise(h) for h in header])
    for row in rows:
        w.writerow(["" if v is None else neutralise(v) for v in row])
    return buf.getvalue()


def write_xlsx_cell(ws, row: int, col: int, value: object, fmt=None, *, date_format=None) -> None:
    """One xlsxwriter cell: text as a string cell (neutralised), numbers as numbers, dates as dates."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, date_format or fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), date_format or fmt)
    else:
        ws.write_string(row, col, str(neutralise(str(value))), fmt)


def write_xlsx_row(ws, row: int, values: Sequence[object], fmt=None, *, date_format=None) -> None:
    """A row of :func:`write_xlsx_cell` from column 0."""
    for col, v in enumerate(values):
        write_xlsx_cell(ws, row, col, v, fmt, date_format=date_format)
