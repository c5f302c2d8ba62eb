"""``yacang catalog import-regions`` over a demo built on its own placeholder regions says what that means."""

from __future__ import annotations

from typer.testing import CliRunner

from yacang.cli import app

CODES = "admin_divisions_gbt2260/codes_by_year_2010_2024.csv"


def test_importing_regions_under_a_placeholder_demo_warns(yacang_home, shared_data):
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--enterprises", "200", "--months", "13"]).exit_code == 0  # no list: placeholders
    r = runner.invoke(app, ["catalog", "import-regions", str(shared_data / CODES), "--year", "2024"])
    assert r.exit_code == 0 and "已导入" in r.output
    assert "示例市01" in r.output and "先导入区划，再运行 yacang demo" in r.output, r.output
    again = runner.invoke(app, ["catalog", "import-regions", str(shared_data / CODES), "--year", "2024"])
    assert again.exit_code == 0 and "注意" not in again.output  # the list is the user's now


def test_importing_regions_into_a_fresh_home_says_nothing_more(yacang_home, shared_data):
    r = CliRunner().invoke(app, ["catalog", "import-regions", str(shared_data / CODES), "--year", "2024"])
    assert r.exit_code == 0 and "注意" not in r.output, r.output


def test_a_province_only_list_is_refused_and_keeps_the_imported_cities(yacang_home, shared_data):
    # provinces_2024.csv holds the 34 provinces only: importing it printed "已导入 …：" with no counts and
    # replaced the imported 333 prefectures and 2846 counties with nothing (南京 became unknown)
    runner = CliRunner()
    assert runner.invoke(app, ["catalog", "import-regions", str(shared_data / CODES)]).exit_code == 0
    r = runner.invoke(app, ["catalog", "import-regions", str(shared_data / "admin_divisions_gbt2260/provinces_2024.csv")])
    assert r.exit_code == 1 and "34 个代码都是省级" in r.output and "原有导入未改动" in r.output
    found = runner.invoke(app, ["catalog", "find", "南京"])
    assert found.exit_code == 0 and "320100" in found.output
