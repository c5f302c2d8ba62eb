"""A workbook's first sheet (XLSX by openpyxl, XLS by xlrd) as text rows with spreadsheet row numbers."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl.utils.exceptions import InvalidFileException
from xlrd import XLRDError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
# What reading a file that is not a workbook (or not this kind of workbook) raises.
WORKBOOK_FAILURES = (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile, InvalidFileException, XLRDError)

Rows = list[tuple[int, list[str]]]


def workbook_rows(path: Path, limit: int | None = None) -> Rows:
    """``[(row number, [cell text …])]`` of the first sheet; empty cells are ``""``."""
    path = Path(path)
    if path.suffix.lower() == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        sh = book.sheet_by_index(0)
        n = sh.nrows if limit is None else min(limit, sh.nrows)
        return [(i + 1, [cell_text(v) for v in sh.row_values(i)]) for i in range(n)]
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out: Rows = []
        for i, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            out.append((i, [cell_text(v) for v in row]))
            if limit is not None and i >= limit:
                break
        return out
    finally:
        wb.close()


def first_cell(path: Path) -> str:
    """A1 of the first sheet, or ``""`` if the file cannot be read as a workbook."""
    try:
        rows = workbook_rows(path, limit=1)
    except WORKBOOK_FAILURES:
        return ""
    return rows[0][1][0] if rows and rows[0][1] else ""


def cell_text(v: object) -> str:
    """A cell as text: integral floats without ``.0`` (Excel stores 12 as 12.0), others as Python writes them."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v).strip()
