"""``yacang ingest`` recognises filled report templates and loads them all-or-nothing, idempotently."""

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from yacang.cli import app

HUAWEI = "914403001922038216"  # a real registry code with a valid check character


def _filled(tmp: Path, rows: list[list[object]]) -> Path:
    runner = CliRunner()
    template = tmp / "template.xlsx"
    assert runner.invoke(app, ["template", "report", "-o", str(template)]).exit_code == 0
    wb = load_workbook(template)
    for r in rows:
        wb.worksheets[0].append(r)
    out = tmp / "filled.xlsx"
    wb.save(out)
    return out


def test_report_workbook_through_ingest(yacang_home: Path, tmp_path: Path) -> None:
    import pandas as pd

    from yacang.microdata.report_workbook import looks_like_report_file
    from yacang.microdata.store import MicrodataStore
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(yacang_home / "warehouse.duckdb")
    MicrodataStore(wh).add_enterprises(pd.DataFrame([{
        "uscc": HUAWEI, "name": "示例企业", "region": "440307", "industry": "3922", "park": None,
        "size_class": "大型", "ownership": "私营", "is_key": True, "frequency": "月"}]))
    wh.close()
    good = _filled(tmp_path, [[HUAWEI, "示例企业", "2022年3月", 12000, 11000, 11800, 10500, 0, 0, 13000, 12000,
                               500, 400, 100, 90, 50, 48, "千元"]])
    assert looks_like_report_file(good)
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(good)])
    assert first.exit_code == 0, first.output
    assert "[report]" in first.output
    second = runner.invoke(app, ["ingest", str(good)])
    assert "此前已导入" in second.output
    wh = Warehouse.open(yacang_home / "warehouse.duckdb", read_only=True)
    try:
        rows = wh.db.execute("SELECT uscc, period, output_value FROM reports").fetchall()
    finally:
        wh.close()
    assert rows == [(HUAWEI, "2022-03", 1200.0)]  # 12000 千元 = 1200 万元

    bad = _filled(tmp_path, [["123", "坏", "2022年13月", "abc", 1, None, None, None, None, None, None, None, None,
                              None, None, None, None, "千元"]])
    result = runner.invoke(app, ["ingest", str(bad)])
    assert result.exit_code == 1
    assert "第2行" in result.output and "报告期" in result.output and "统一社会信用代码" in result.output


def test_statistics_files_are_not_mistaken_for_reports(shared_data: Path) -> None:
    from yacang.microdata.report_workbook import looks_like_report_file

    assert not looks_like_report_file(shared_data / "national_industry_monthly_wind/original/监测分析0120.xlsx")
    assert not looks_like_report_file(shared_data / "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv")


def test_name_not_matching_the_registry_is_flagged(yacang_home: Path, tmp_path: Path) -> None:
    """A valid code typed for the wrong enterprise: the filled 企业名称 differs from the registry's. The
    report goes in under the code, but the mismatch is said, with row and column, not dropped silently."""
    import pandas as pd

    from yacang.microdata.store import MicrodataStore
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(yacang_home / "warehouse.duckdb")
    MicrodataStore(wh).add_enterprises(pd.DataFrame([{
        "uscc": HUAWEI, "name": "示例企业(深圳)", "region": "440307", "industry": "3922", "park": None,
        "size_class": "大型", "ownership": "私营", "is_key": True, "frequency": "月"}]))
    wh.close()
    values = [12000, 11000, 11800, 10500, 0, 0, 13000, 12000, 500, 400, 100, 90, 50, 48, "千元"]
    wrong = _filled(tmp_path, [[HUAWEI, "另一家公司", "2022年3月", *values]])
    result = CliRunner().invoke(app, ["ingest", str(wrong)])
    assert result.exit_code == 0, result.output
    assert "注意：filled.xlsx 第2行，列“企业名称”，值“另一家公司”" in result.output
    assert "示例企业(深圳)" in result.output
    same = _filled(tmp_path, [[HUAWEI, "示例企业（深圳）", "2022年3月", *values]])  # full-width brackets
    again = CliRunner().invoke(app, ["ingest", str(same)])
    assert again.exit_code == 0 and "注意" not in again.output
