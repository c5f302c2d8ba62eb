"""A workbook's first sheet (XLSX by openpyxl, XLS by xlrd) as text rows with spreadsheet row numbers."""

from __future__ import annotations

import csv
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


def check_row_widths(text: str, name: str) -> None:
    """Refuse a CSV whose rows do not have as many cells as its header (row 1), naming each such row.

    pandas would otherwise shift a longer row's cells under the wrong columns (or take the first
    column as an index when every row is one cell longer), or stop with an English parser message.
    """
    from yacang.ingest.batch import RowError
    from yacang.ingest.errors import IngestError

    reader = csv.reader(text.splitlines())  # a bare CR ends a line too, as pandas reads it
    header = next(reader, [])
    errors, bad = [], 0
    for cells in reader:
        if not cells or len(cells) == len(header):
            continue
        bad += 1
        if len(errors) < 100:
            errors.append(RowError(name, reader.line_num, "", ",".join(cells)[:40],
                                   f"本行有 {len(cells)} 列，表头（第1行）有 {len(header)} 列，各列会错位："
                                   "请核对表头是否缺列、本行是否多出或少了逗号（含逗号的文字请加英文双引号）"))
    if errors:
        raise IngestError(f"{name}：有 {bad} 行的列数与表头不符，整个文件未入库", errors)


def require_workbook(path: Path, fmt: str) -> None:
    """A format that reads workbooks refuses, in Chinese, a file that is not one (openpyxl's English)."""
    from yacang.ingest.errors import IngestError

    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise IngestError(f"{path.name}：“{fmt}”格式读取 Excel 工作簿（.xlsx/.xls），此文件不是工作簿。"
                          "请去掉 --format（自动识别），或另存为 .xlsx 后重新导入")
