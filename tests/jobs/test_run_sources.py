"""``yacang run`` on real sources: builds from them, says so, and never mixes them with the demo."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.warehouse.test_provenance import demo_batch
from yacang.cli import app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/ingest/江苏_2024年1-9月_各设区市规上工业增加值.xlsx"
PANEL = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
NBS = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
REGIONS = "admin_divisions_gbt2260/codes_by_year_2010_2024.csv"


def _config(formats: str, targets: str = "") -> None:
    Path("yacang.toml").write_text(f'[yacang]\nformats = [{formats}]\n{targets}', encoding="utf-8")


def _observations(home: Path) -> int:
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(home / "warehouse.duckdb", read_only=True)
    try:
        return wh.count("observations")
    finally:
        wh.close()


def test_national_run_on_real_sources_says_what_it_used(yacang_home, shared_data):
    _config('"html"')
    r = CliRunner().invoke(app, ["run", "--source", str(shared_data / NBS), "--source", str(shared_data / PANEL),
                                 "--period", "2022-06"])
    assert r.exit_code == 0, r.output
    assert "数据来源：国家统计局、省统计局（经Wind转载）" in r.output
    assert "1-6月累计同比：3.4%" in r.output  # NBS: 2022年1-6月 规上工业增加值 累计增长 3.4
    assert "示例数据" not in r.output
    assert list(Path("yacang-output").glob("*.html"))


def test_real_sources_are_refused_when_the_warehouse_holds_the_demo(yacang_home, shared_data):
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(yacang_home / "warehouse.duckdb")
    wh.write_batch(demo_batch())
    wh.close()
    _config('"html"')
    r = CliRunner().invoke(app, ["run", "--source", str(shared_data / NBS), "--period", "2022-06"])
    assert r.exit_code == 1
    assert "已有示例数据" in r.output and "YACANG_HOME" in r.output
    assert _observations(yacang_home) == 1  # nothing loaded


def test_without_sources_a_real_warehouse_is_used_not_filled_with_the_demo(yacang_home, shared_data):
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(shared_data / NBS)]).exit_code == 0
    _config('"html"')
    r = runner.invoke(app, ["run", "--period", "2022-06"])
    assert r.exit_code == 0, r.output
    assert "未生成示例数据" in r.output and "数据来源：国家统计局" in r.output
    assert _observations(yacang_home) == 608


def test_unknown_region_name_is_refused(yacang_home):
    r = CliRunner().invoke(app, ["run", "--region", "火星"])
    assert r.exit_code == 1 and "未知的地区名称：火星" in r.output


@pytest.mark.slow
def test_province_bulletin_from_the_city_table_in_four_formats(yacang_home, shared_data):
    runner = CliRunner()
    assert runner.invoke(app, ["catalog", "import-regions", str(shared_data / REGIONS), "--year", "2024"]).exit_code == 0
    _config('"html", "pdf", "docx", "xlsx"', '[targets]\n"320000" = 6.0\n"320100" = 5.0\n')
    r = runner.invoke(app, ["run", "--source", str(FIXTURE), "--source", str(shared_data / PANEL),
                            "--source", str(shared_data / NBS), "--region", "江苏", "--period", "2024-09"])
    assert r.exit_code == 0, r.output
    assert "江苏省 2024年9月" in r.output and "数据来源：国家统计局、省统计局（部分经Wind转载）" in r.output
    assert "目标：2 个地区的 2024 年增长目标" in r.output
    out = Path("yacang-output")
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".html", ".pdf", ".xlsx"]
    html = next(out.glob("*.html")).read_text("utf-8")
    table = html[html.index("各市（州）规模以上工业增加值增速及位次"):]  # the ranking table of 二、分地区情况
    order = [table.index(name) for name in ("淮安市", "南通市", "苏州市", "连云港市", "常州市", "无锡市", "徐州市", "南京市")]
    assert order == sorted(order)  # ranked as in the source table (by 累计 growth, by hand)
    assert "省统计局" in html and "未使用企业月报" in html
    wb = openpyxl.load_workbook(next(out.glob("*.xlsx")), read_only=True)
    cities = [row for ws in wb.worksheets for row in ws.iter_rows(values_only=True) if "淮安市" in row or "南京市" in row]
    assert len(cities) >= 2


@pytest.mark.parametrize(("period", "words"), [("2022-13", ["2022-13", "YYYY-MM"]), ("2031-03", ["2031-03", "尚未到来"])])
def test_a_period_that_does_not_exist_or_has_not_begun_stops_before_loading(yacang_home, shared_data, period, words):
    _config('"html"')
    r = CliRunner().invoke(app, ["run", "--source", str(shared_data / NBS), "--period", period])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output  # an error message, no traceback
    assert all(w in r.output for w in words), r.output
    assert not (yacang_home / "warehouse.duckdb").exists() or _observations(yacang_home) == 0  # nothing loaded


def test_a_begun_month_without_data_is_a_clear_error(yacang_home, shared_data):
    # the NBS export ends at 2026年1-2月; 2026-03 has begun (the suite runs later) but is not in the file
    _config('"html"')
    r = CliRunner().invoke(app, ["run", "--source", str(shared_data / NBS), "--period", "2026-03"])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    assert "2026年3月" in r.output and "--period" in r.output


def test_a_run_that_evaluated_the_rules_does_not_say_the_engine_was_not_connected(yacang_home, shared_data):
    runner = CliRunner()
    assert runner.invoke(app, ["catalog", "import-regions", str(shared_data / REGIONS), "--year", "2024"]).exit_code == 0
    _config('"html"')
    r = runner.invoke(app, ["run", "--source", str(FIXTURE), "--region", "江苏", "--period", "2024-09"])
    assert r.exit_code == 0, r.output
    assert "预警：没有正在触发的预警" in r.output  # the run evaluated the rules: none fired for 江苏's 8 cities
    html = next(Path("yacang-output").glob("*.html")).read_text("utf-8")
    assert "未接入预警规则引擎" not in html and "本期预警规则均未触发" in html


def test_the_demo_is_refused_in_a_warehouse_of_real_data(yacang_home, shared_data):
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(shared_data / NBS)]).exit_code == 0
    r = runner.invoke(app, ["demo", "--enterprises", "200"])
    assert r.exit_code == 1, r.output
    assert "真实数据" in r.output and "YACANG_HOME" in r.output
    assert _observations(yacang_home) == 608  # the NBS export alone (304 months × 当月, 累计): no demo row
