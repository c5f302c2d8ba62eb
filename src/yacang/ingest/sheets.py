"""Reading vendor workbooks (Wind, iFinD, Mysteel) into plain row lists and classifying their sheets.

A *data* sheet has a row whose first cell is 指标名称 with series names across the columns, optional
header rows (频率, 单位, 来源, 指标ID …) and then dated rows. A *directory* sheet lists series down the
rows under a header 指标名称 | 频率 | 单位 | …; it carries metadata, no observations. Anything else
(descriptions, empty sheets) is skipped with a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

NAME_LABEL = "指标名称"
VENDOR_MARKS = (("同花顺", "ifind"), ("ifind", "ifind"), ("mysteel", "mysteel"), ("wind", "wind"), ("edb(", "wind"))
META_LABELS = ("频率", "单位", "来源", "指标ID", "数据来源", "更新时间", "时间区间", "指标代码", "国家", "备注")


@dataclass
class Sheet:
    """One sheet's cells (row lists, 1-based row numbers) and where its parts start."""

    title: str
    rows: list[list[object]]
    vendor_cell: str = ""
    kind: str = "other"  # data / directory / other
    name_row: int = -1  # 0-based index of the 指标名称 row
    meta: dict[str, list[object]] = field(default_factory=dict)
    first_data: int = -1  # 0-based index of the first dated row
    misaligned: set[int] = field(default_factory=set)  # columns with values on undated rows


def read_workbook(path: Path) -> list[Sheet]:
    """All sheets of a workbook, classified. Cached values are read; row 1 formulas name the vendor."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas = _first_cells(path)
    sheets = []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        sheet = Sheet(ws.title, rows, vendor_cell=f"{_cell(rows, 0, 0)} {formulas.get(ws.title, '')}".strip())
        classify(sheet)
        sheets.append(sheet)
    wb.close()
    return sheets


def vendor_of(sheet: Sheet) -> str | None:
    """Vendor named by the sheet's first cell or its formula (=[1]!edb() → wind, HX_IFIND_EDB → ifind)."""
    cell = sheet.vendor_cell.lower()
    for mark, vendor in VENDOR_MARKS:
        if mark in cell:
            return vendor
    if "mysteel" in sheet.title.lower():
        return "mysteel"
    return None


def classify(sheet: Sheet) -> None:
    """Set ``kind``, ``name_row``, ``meta`` and ``first_data``."""
    rows = sheet.rows
    for i in range(min(len(rows), 8)):
        if _text(_cell(rows, i, 0)) != NAME_LABEL:
            continue
        header = [_text(c) for c in rows[i]]
        if "频率" in header[1:] or "单位" in header[1:]:
            sheet.kind, sheet.name_row = "directory", i
            return
        sheet.name_row = i
        j = i + 1
        while j < len(rows) and not is_date(_cell(rows, j, 0)) and _text(_cell(rows, j, 0)) in META_LABELS:
            sheet.meta[_text(rows[j][0])] = rows[j]
            j += 1
        sheet.first_data = j
        sheet.kind = "data"
        return


def directory_entries(sheet: Sheet) -> dict[str, dict[str, str]]:
    """``name -> {频率, 单位, …}`` from a directory sheet."""
    header = [_text(c) for c in sheet.rows[sheet.name_row]]
    out: dict[str, dict[str, str]] = {}
    for row in sheet.rows[sheet.name_row + 1:]:
        name = _text(_cell([row], 0, 0))
        if name:
            out[name] = {h: _text(row[k]) if k < len(row) else "" for k, h in enumerate(header) if h}
    return out


def is_date(value: object) -> bool:
    return isinstance(value, dt.date | dt.datetime)


def _first_cells(path: Path) -> dict[str, str]:
    """The raw content (formula) of A1 of each sheet."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    out = {}
    for ws in wb.worksheets:
        first = next(ws.iter_rows(min_row=1, max_row=1, max_col=1, values_only=True), (None,))
        out[ws.title] = _text(first[0] if first else None)
    wb.close()
    return out


def _cell(rows: list[list[object]], i: int, j: int) -> object:
    return rows[i][j] if i < len(rows) and j < len(rows[i]) else None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()
