"""The report template, its parser (xlsx and CSV, 千元 → 万元) and the all-or-nothing, idempotent loader."""

from __future__ import annotations

import openpyxl
import pytest

from tests.microdata import handbuilt
from yacang.ingest.errors import IngestError
from yacang.microdata.report_workbook import HEADERS, load_reports, parse_report_file, write_template
from yacang.microdata.uscc import make_uscc


def fill(path, rows):
    wb = openpyxl.load_workbook(path)
    ws = wb["月报"]
    for i, row in enumerate(rows, start=2):
        for j, header in enumerate(HEADERS, start=1):
            if header in row:
                ws.cell(i, j, row[header])
    wb.save(path)


NAMES = {handbuilt.A: "甲食品", handbuilt.B: "乙汽车"}  # as in the hand-built registry


def good_row(code, period="2022年3月", out=10500, prev=9000, unit="千元"):
    return {"统一社会信用代码": code, "企业名称": NAMES.get(code, "未登记企业"), "报告期": period, "工业总产值(当期价格)": out,
            "工业总产值上年同期": prev, "工业销售产值": 10400, "工业销售产值上年同期": 8900, "利润总额": -120,
            "用电量(万千瓦时)": 12.5, "从业人员(人)": 310, "计量单位": unit}


def test_template_has_chinese_headers(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["月报"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["统一社会信用代码", "企业名称", "报告期", "工业总产值(当期价格)", "工业总产值上年同期"]
    assert headers[-1] == "计量单位"
    assert ws.max_row == 1  # empty


def test_parse_converts_thousand_yuan_to_ten_thousand(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    fill(path, [good_row(handbuilt.A), good_row(handbuilt.B, "2022年1-2月", out=4321, prev=4000, unit="万元")])
    b = parse_report_file(path)
    assert b.ok, b.errors
    r = b.reports.set_index("uscc")
    assert r.loc[handbuilt.A, "period"] == "2022-03"
    assert r.loc[handbuilt.A, "output_value"] == pytest.approx(1050.0)  # 10500 千元
    assert r.loc[handbuilt.A, "profit"] == pytest.approx(-12.0)
    assert r.loc[handbuilt.A, "electricity"] == pytest.approx(12.5)  # not money: unchanged
    assert r.loc[handbuilt.A, "employment"] == 310
    assert r.loc[handbuilt.B, "period"] == "2022-01/02"
    assert r.loc[handbuilt.B, "output_value"] == pytest.approx(4321.0)


def test_parse_locates_errors(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    bad_code = handbuilt.A[:-1] + ("0" if handbuilt.A[-1] != "0" else "1")
    fill(path, [good_row(handbuilt.A), {**good_row(bad_code)}, {**good_row(handbuilt.B, "2022年2月")},
                {**good_row(handbuilt.C), "工业总产值(当期价格)": "一万"}, good_row(handbuilt.A)])
    errs = {(e.row, e.column) for e in parse_report_file(path).errors}
    assert (3, "统一社会信用代码") in errs
    assert (4, "报告期") in errs  # February alone: 1-2月 are reported together
    assert (5, "工业总产值(当期价格)") in errs
    assert (6, "统一社会信用代码") in errs  # duplicate of row 2
    assert len(errs) == 4


def test_csv_in_gbk(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("统一社会信用代码,报告期,工业总产值（当期价格）,工业总产值上年同期\n"
                    f"{handbuilt.A},2022-03,10500,9000\n", encoding="gbk")
    b = parse_report_file(path)
    assert b.ok and b.reports["output_value"].tolist() == [1050.0]


def test_load_is_all_or_nothing_and_idempotent(tmp_path, wh):
    store = handbuilt.build(wh)
    wh.db.execute("DELETE FROM reports")
    path = write_template(tmp_path / "t.xlsx")
    unknown = make_uscc("440300", "MA5FFFFF1")  # valid code, not in the registry
    fill(path, [good_row(handbuilt.A), good_row(unknown)])
    with pytest.raises(IngestError) as exc:
        load_reports(wh, path)
    assert "第3行" in str(exc.value) and "企业名录" in str(exc.value)
    assert wh.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    assert wh.db.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 1

    path2 = write_template(tmp_path / "t2.xlsx")
    fill(path2, [good_row(handbuilt.A), good_row(handbuilt.B)])
    s1 = load_reports(wh, path2)
    assert (s1.n_new, s1.n_revised, s1.n_unchanged, s1.already_loaded) == (2, 0, 0, False)
    s2 = load_reports(wh, path2)
    assert (s2.n_new, s2.n_revised, s2.n_unchanged, s2.already_loaded) == (0, 0, 2, True)
    assert wh.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 2

    store.set_status(handbuilt.A, "2022-03", "returned", reason="请核实")
    path3 = write_template(tmp_path / "t3.xlsx")
    fill(path3, [good_row(handbuilt.A, out=11000), good_row(handbuilt.B)])
    s3 = load_reports(wh, path3)
    assert (s3.n_new, s3.n_revised, s3.n_unchanged) == (0, 1, 1)
    row = wh.db.execute("SELECT output_value, status FROM reports WHERE uscc = ?", [handbuilt.A]).fetchone()
    assert row == (1100.0, "submitted")
    h = store.status_history(handbuilt.A, "2022-03")
    assert h["status"].tolist() == ["submitted", "returned", "submitted"]
    assert h["reason"].iloc[-1] == "重新报送（更正）"


def test_month_not_yet_over_is_refused(tmp_path, monkeypatch):
    """On 2022-03-20 nobody can have March's figures; on 2022-04-01 the March report is due."""
    import datetime as dt

    from yacang import validation

    path = write_template(tmp_path / "t.xlsx")
    fill(path, [good_row(handbuilt.A, period="2022年3月")])
    monkeypatch.setattr(validation, "today", lambda: dt.date(2022, 3, 20))
    (err,) = parse_report_file(path).errors
    assert (err.row, err.column, err.value) == (2, "报告期", "2022年3月")
    assert "报告期 2022-03 尚未结束（今天是 2022-03-20）" in err.reason
    monkeypatch.setattr(validation, "today", lambda: dt.date(2022, 4, 1))
    batch = parse_report_file(path)
    assert batch.errors == [] and batch.reports["period"].tolist() == ["2022-03"]
