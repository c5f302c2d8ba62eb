"""附表 workbook: one sheet per table, units in the headers, number formats, frozen header rows.

Numeric cells hold the figure as printed (rounded half up by :mod:`yacang.formatting`), as a number.

Text cells that a spreadsheet could take for a formula (starting with = + - @, or a tab/CR) are
written as text with a leading apostrophe, so a name such as ``=HYPERLINK(...)`` imported from an
enterprise report can never run as a formula here or after a CSV round trip (OWASP CSV injection).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yacang.exports import neutralise
from yacang.formatting import date_zh
from yacang.report.format import cell_number, is_missing
from yacang.report.model import LIGHTS, Bulletin, Column, Table

EXCEL_FORMATS = {"0.0": "0.0", "#,##0.0": "#,##0.0", "#,##0": "#,##0", "0": "0", "rank_change": '+0;-0;"持平"'}


def _cell(value: Any, col: Column) -> Any:
    if is_missing(value):
        return None
    if col.fmt in EXCEL_FORMATS and isinstance(value, int | float):
        return cell_number(value, col)  # the printed (rounded) figure, as a number
    if col.fmt == "light":
        return LIGHTS.get(str(value), (str(value), ""))[0]
    return neutralise(str(value))


def sheet_name(i: int, t: Table) -> str:
    return f"附表{i}"


def render_xlsx(b: Bulletin, path: Path) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    title_f = wb.add_format({"bold": True, "font_size": 13, "font_name": "黑体"})
    head_f = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1, "text_wrap": True,
                            "align": "center", "valign": "vcenter", "font_name": "黑体"})
    text_f = wb.add_format({"border": 1, "font_name": "宋体"})
    note_f = wb.add_format({"italic": True, "font_color": "#555555"})
    num_f = {k: wb.add_format({"border": 1, "num_format": v, "font_name": "宋体"}) for k, v in EXCEL_FORMATS.items()}
    index = wb.add_worksheet("目录")
    index.write_string(0, 0, neutralise(b.title), title_f)
    index.write_string(1, 0, f"{b.issuer}  {date_zh(b.issue_date)}")
    index.set_column(0, 0, 70)
    tables = b.all_tables()
    said = [n for n in (b.sections[0].notes if b.sections else []) if n.startswith("本期数据")]
    for k, line in enumerate([*said, *(["数据来源：" + "；".join(b.sources)] if b.sources else [])]):
        index.write_string(4 + len(tables) + k, 0, neutralise(line), note_f)  # which data it was built from
    for i, t in enumerate(tables, 1):
        index.write_string(2 + i, 0, neutralise(f"附表{i}：{t.title}"))
        ws = wb.add_worksheet(sheet_name(i, t))
        ws.write_string(0, 0, neutralise(f"附表{i}  {t.title}"), title_f)
        for j, c in enumerate(t.columns):
            ws.write_string(1, j, neutralise(c.header), head_f)
            width = max(len(c.header) * 2 + 2, 10)
            if c.fmt == "text":
                longest = max((len(str(r.get(c.key) or "")) for r in t.rows), default=4)
                width = min(max(width, longest * 2 + 2), 60)
            ws.set_column(j, j, width)
        ws.set_row(1, 30)
        for r, row in enumerate(t.rows, start=2):
            for j, c in enumerate(t.columns):
                v = _cell(row.get(c.key), c)
                if v is None:
                    ws.write_blank(r, j, None, text_f)
                elif isinstance(v, float):
                    ws.write_number(r, j, v, num_f.get(c.fmt, text_f))
                else:
                    ws.write_string(r, j, v, text_f)
        for k, note in enumerate(t.notes):
            ws.write_string(len(t.rows) + 3 + k, 0, neutralise("注：" + note), note_f)
        ws.freeze_panes(2, 0)
    wb.close()
    return path
