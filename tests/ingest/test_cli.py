"""``yacang ingest`` and ``yacang check consistency`` end to end through the Typer app."""

import pytest
from typer.testing import CliRunner

from tests.ingest.helpers import NBS_IVA, NBS_PPI, WIND_MAIN
from yacang.cli import app
from yacang.warehouse import Warehouse

runner = CliRunner()


def test_ingest_prints_counts_and_stores_published_values(yacang_home, shared_data):
    result = runner.invoke(app, ["ingest", str(shared_data / NBS_IVA), "--verbose"])
    assert result.exit_code == 0, result.output
    assert "新增 608" in result.output and "指标名称已映射 2、未映射 0" in result.output
    assert "规上工业增加值同比增长(%)" in result.output  # --verbose lists mapped names
    again = runner.invoke(app, ["ingest", str(shared_data / NBS_IVA)])
    assert "新增 0，修订 0，未变 608" in again.output
    from yacang.settings import get_settings

    wh = Warehouse.open(get_settings().warehouse_path)
    values = wh.values("nbs:iva.yoy.100000.TOTAL")
    assert values["2022-03"] == 5.0 and values["2022-04"] == -2.9 and values["2022-01/02"] == 7.5
    wh.close()


def test_ingest_of_a_corrupted_file_fails_with_chinese_located_errors(yacang_home, shared_data, tmp_path):
    good = shared_data / NBS_IVA
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text("utf-8").replace("规上工业增加值同比增长(%),,,5.2", "规上工业增加值同比增长(%),,,五点二"), "utf-8")
    result = runner.invoke(app, ["ingest", str(good), str(bad)])
    assert result.exit_code == 1
    assert "第4行" in result.output and "2025年12月" in result.output and "不是数字" in result.output
    assert "1 个文件未导入" in result.output


def test_a_folder_or_a_typo_loads_nothing_and_says_why(yacang_home, shared_data, tmp_path):
    folder = shared_data / "nbs_official_export_iva_ppi"
    result = runner.invoke(app, ["ingest", str(shared_data / NBS_IVA), str(folder)])
    assert result.exit_code != 0 and "是文件夹" in result.output and "没有导入任何文件" in result.output
    result = runner.invoke(app, ["ingest", str(shared_data / NBS_IVA), str(tmp_path / "没有这个文件.csv")])
    assert result.exit_code != 0 and "找不到文件" in result.output
    from yacang.settings import get_settings

    wh = Warehouse.open(get_settings().warehouse_path)
    assert wh.count("observations") == 0  # the good file named first was not loaded either
    wh.close()


@pytest.mark.slow
def test_check_consistency_reports_290_agreeing_months(yacang_home, shared_data):
    loaded = runner.invoke(app, ["ingest", str(shared_data / WIND_MAIN), str(shared_data / NBS_IVA),
                                 str(shared_data / NBS_PPI)])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(app, ["check", "consistency"])
    assert result.exit_code == 0, result.output
    assert "比较 290 期，一致 290 期，不一致 0 期" in result.output
    assert "不一致 11 期（1998年10月 至 2006年10月）" in result.output  # months as officials write them
    assert "出口交货值 全部工业" in result.output
    said = " ".join(result.output.split())
    assert "仅Wind有" in said and "仅 wind 有" not in said  # who, in words, not the source code
    shown = runner.invoke(app, ["series", "show", "nbs:iva.yoy.100000.TOTAL", "--from", "2024-11"])
    assert "来源：国家统计局" in shown.output and "来源：nbs" not in shown.output


def test_a_file_of_an_unknown_kind_says_what_to_do_not_zero_errors(yacang_home, shared_data):
    # the province GeoJSON is real shared data, but boundaries are not statistics (yacang report import-boundaries)
    geo = shared_data / "china_province_geojson/china_provinces_datav_100000_full.geojson"
    result = runner.invoke(app, ["ingest", str(geo)])
    assert result.exit_code == 1
    assert "0 处错误" not in result.output and "--format" in result.output
    assert "其余文件已导入" not in result.output  # there was no other file
    assert "1 个文件未导入" in result.output


def test_cells_left_out_by_rule_are_counted_on_the_summary_line(yacang_home, shared_data):
    import re

    result = runner.invoke(app, ["ingest", str(shared_data / WIND_MAIN), "--verbose"])
    assert result.exit_code == 0, result.output
    # the Wind export writes 0 for "no data" (PROVENANCE caveat 1); each rule's count is a 说明 line
    per_rule = [int(n) for n in re.findall(r"按规则视为缺失或略去：[^\n]*? (\d+) 个", result.output)]
    assert per_rule and f"按规则略去 {sum(per_rule)} 个单元格" in result.output


def test_real_files_are_refused_by_a_demo_warehouse(yacang_home, shared_data):
    """Demo and real data never share a warehouse: the NBS export is refused, nothing is loaded, the way
    out is named (a fresh YACANG_HOME)."""
    assert runner.invoke(app, ["demo", "--enterprises", "200", "--months", "13"]).exit_code == 0
    from yacang.settings import get_settings

    with Warehouse.open(get_settings().warehouse_path) as wh:
        before = wh.count("observations")
    result = runner.invoke(app, ["ingest", str(shared_data / NBS_IVA)])
    assert result.exit_code == 1, result.output
    assert "示例数据" in result.output and "export YACANG_HOME=" in result.output, result.output
    assert "没有导入任何文件" in result.output
    with Warehouse.open(get_settings().warehouse_path) as wh:
        assert wh.count("observations") == before and wh.series(source="nbs").empty


def test_series_list_gives_the_latest_period_as_officials_write_it(yacang_home, shared_data):
    # the panel's last rows (2024-12-31): 北京 publishes 当月 (12月), 江苏 累计 (1-12月); the NBS file's
    # newest column is 2026年2月, which since 2013 is the merged 1-2月 — not "2024-12-31 00:00:00"
    panel = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
    assert runner.invoke(app, ["ingest", "-q", str(shared_data / panel), str(shared_data / NBS_IVA)]).exit_code == 0
    latest, frequency = {}, set()
    for region in ("北京", "江苏", "全国"):
        out = runner.invoke(app, ["series", "list", "--region", region])
        assert out.exit_code == 0, out.output
        rows = [line.split("│") for line in out.output.splitlines() if line.startswith("│")]
        latest[region] = [r[-2].strip() for r in rows if r[-2].strip()]
        frequency |= {r[4].strip() for r in rows if r[4].strip()}
    assert latest == {"北京": ["2024年12月"], "江苏": ["2024年1-12月"], "全国": ["2026年1-2月", "2026年1-2月"]}
    assert frequency == {"月"}  # monthly series, not the code "M"


@pytest.mark.parametrize(("options", "words"), [
    (["--encoding", "xyz"], "--encoding 的值“xyz”不可用"),  # was a LookupError traceback
    (["--encoding", "latin1"], "--encoding 的值“latin1”不可用"),  # read the Chinese as mojibake
    (["--catalog", "没有这个目录.csv"], "找不到 --catalog 指定的序列目录"),  # was FileNotFoundError: [Errno 2]
    (["--format", "wind"], "此文件不是工作簿"),  # was openpyxl's "does not support .csv file format"
    (["--format", "city_table"], "此文件不是工作簿"),
    (["--format", "worldbank"], "此文件不是工作簿"),
])
def test_a_wrong_option_is_refused_in_chinese(yacang_home, shared_data, options, words):
    result = runner.invoke(app, ["ingest", "-q", *options, str(shared_data / NBS_IVA)])
    assert result.exit_code == 1 and words in result.output, result.output
    assert not any(w in result.output for w in ("Traceback", "Error", "openpyxl", "Errno"))


def test_series_show_from_a_month_includes_that_months_days(yacang_home, shared_data):
    # the Investing.com file's newest row is "11/01/2024","72,500.00": --from 2024-11 compared each day
    # with 2024-11-30 and showed nothing
    lithium = "lithium_carbonate_china_spot_daily/original/Lithium Carbonate 99.5_Min China Spot Historical Data.csv"
    assert runner.invoke(app, ["ingest", "-q", str(shared_data / lithium)]).exit_code == 0
    from yacang.settings import get_settings

    wh = Warehouse.open(get_settings().warehouse_path)
    meta = wh.series(source="investing")
    sid = meta.loc[meta["original_name"].str.endswith(":Price"), "series_id"].item()
    wh.close()
    out = runner.invoke(app, ["series", "show", sid, "--from", "2024-11"])
    rows = [[c.strip() for c in line.split("│")[1:4]] for line in out.output.splitlines() if line.startswith("│")]
    assert rows == [["2024-11-01", "2024年11月1日", "72500.0"]], out.output
