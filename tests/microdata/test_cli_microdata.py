"""``yacang template report``, ``yacang microdata load/review/late`` end to end in a fresh YACANG_HOME."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from tests.microdata import handbuilt
from yacang.microdata.report_workbook import HEADERS


def test_template_load_review_late(yacang_home, monkeypatch, tmp_path):
    from yacang.cli import app
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse

    monkeypatch.setenv("COLUMNS", "200")
    wh = Warehouse.open(get_settings().warehouse_path)
    handbuilt.build(wh)
    wh.db.execute("DELETE FROM reports WHERE period = '2022-03'")
    wh.close()
    runner = CliRunner()
    out = tmp_path / "t.xlsx"
    res = runner.invoke(app, ["template", "report", "--out", str(out)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    ws = wb["月报"]
    col = {h: i + 1 for i, h in enumerate(HEADERS)}
    # A: sales far below output (10500 vs 8000 千元) → returned; B fine; C not reported (催报)
    for row, (code, out_v, prev, sales) in enumerate([(handbuilt.A, 10500, 9000, 8000), (handbuilt.B, 4900, 5000, 4850)], 2):
        ws.cell(row, col["统一社会信用代码"], code)
        ws.cell(row, col["报告期"], "2022年3月")
        ws.cell(row, col["工业总产值(当期价格)"], out_v)
        ws.cell(row, col["工业总产值上年同期"], prev)
        ws.cell(row, col["工业销售产值"], sales)
    wb.save(out)
    res = runner.invoke(app, ["microdata", "load", str(out)])
    assert res.exit_code == 0, res.output
    assert "新增 2" in res.output
    res = runner.invoke(app, ["microdata", "review", "--period", "2022-03", "--apply"])
    assert res.exit_code == 0, res.output
    assert "工业销售产值（800.0万元）与工业总产值（1050.0万元）" in res.output  # 千元 converted
    # the queue names the enterprise (handbuilt: A is 甲食品) and the period as officials write it
    a_row = next(line for line in res.output.splitlines() if handbuilt.A in line)
    assert "甲食品" in a_row and "2022年3月" in a_row and "2022-03" not in a_row
    assert "退回 1 份，通过 1 份" in res.output
    res = runner.invoke(app, ["microdata", "late", "--period", "2022-03", "--level", "prefecture"])
    assert res.exit_code == 0, res.output
    # A returned (must resend) and C missing are late; B received
    assert handbuilt.A in res.output and handbuilt.C in res.output and handbuilt.B not in res.output
    res = runner.invoke(app, ["microdata", "late", "--period", "2022-03", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = {line.split(",")[0].lstrip("\ufeff"): line.split(",")[-2:] for line in res.output.splitlines()[1:] if line}
    assert rows == {handbuilt.A: ["是", "已退回，待重报"], handbuilt.C: ["否", "未报送"]}  # handbuilt: A is key
    res = runner.invoke(app, ["microdata", "late", "--period", "2022-03", "--level", "city"])
    assert res.exit_code == 1 and "地区层级应为 province（省）、prefecture（市）或 county（县），收到“city”" in res.output
