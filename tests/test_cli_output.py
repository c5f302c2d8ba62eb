"""The CLI's one output path for lists: terminal tables that fit 80 columns, or every row as CSV/JSON/XLSX."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
from rich.console import Console

from yacang.cli import common

FRAME = pd.DataFrame({"地区": ["广东省（440000）", "深圳市（440300）"],
                      "企业名称": ["=HYPERLINK(\"http://x\")示例有限公司", "某某精密制造股份有限公司（深圳）有限责任公司"],
                      "增速(%)": [5.25, -0.04]})


def test_tables_fit_an_80_column_terminal(monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=buf, width=80, soft_wrap=True))
    common.print_frame(FRAME, "测试")
    lines = buf.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80  # wrapped, not cut
    text = buf.getvalue()
    assert "精密制造" in text and "440300" in text  # long cells fold, nothing dropped


def test_csv_and_json_hold_every_row_and_neutralise_formulas(capsys):
    common.emit_frame(FRAME, "csv")
    out = capsys.readouterr().out
    assert "'=HYPERLINK" in out and out.count("\n") == 3
    common.emit_frame(FRAME, "json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["地区"] for r in rows] == ["广东省（440000）", "深圳市（440300）"]


def test_xlsx_writes_text_as_text_and_numbers_as_numbers(tmp_path):
    out = tmp_path / "x.xlsx"
    common.emit_frame(FRAME, "xlsx", output=out, title="测试")
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(2, 2).value.startswith("'=") and ws.cell(2, 2).data_type == "s"
    assert ws.cell(3, 3).value == -0.04 and ws.max_row == 3
