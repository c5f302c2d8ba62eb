"""A province's bulletin from published tables (no microdata): Jiangsu 2024年1-9月 from its city table."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from yacang.periods import parse_period
from yacang.report.published_source import PublishedDataMissing, PublishedSource
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/ingest/江苏_2024年1-9月_各设区市规上工业增加值.xlsx"
PANEL = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
NBS = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
# The city table (江苏省统计局 2024年1-9月, as reported by 新华日报·交汇点,
# https://bbs.0513.org/thread-4442050-1-1.html), ranked by hand by 累计 growth:
CITIES_RANKED = [("320800", "淮安市", 10.1, 1), ("320600", "南通市", 9.7, 2), ("320500", "苏州市", 9.3, 3),
                 ("320700", "连云港市", 7.7, 4), ("320400", "常州市", 6.8, 5), ("320200", "无锡市", 6.7, 6),
                 ("320300", "徐州市", 6.3, 7), ("320100", "南京市", 3.0, 8)]


@pytest.fixture()
def jiangsu(yacang_home, shared_data):
    from yacang.catalog.imports import import_regions
    from yacang.microdata.store import MicrodataStore

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)
    wh = Warehouse.memory()
    for f in (FIXTURE, shared_data / PANEL, shared_data / NBS):
        load_file(wh, f)
    MicrodataStore(wh).set_targets(pd.DataFrame({"region": ["320000", "320100"], "year": [2024, 2024],
                                                 "growth": [6.0, 5.0]}))
    yield wh
    wh.close()


def _panel(shared_data: Path, province: str, date: str) -> float:
    with (shared_data / PANEL).open(encoding="utf-8") as f:
        return next(float(r["value_pct"]) for r in csv.DictReader(f) if r["province"] == province and r["date"] == date)


def test_cities_ranked_as_in_the_source_table(jiangsu):
    inp = PublishedSource.from_warehouse(jiangsu).bulletin_input("320000", parse_period("2024-09"))
    assert [(r.code, r.name, r.ytd, r.rank) for r in inp.subregions] == CITIES_RANKED
    assert {r.code: r.month for r in inp.subregions}["320100"] == 0.2
    assert inp.subregion_level == "prefecture" and not inp.has_microdata
    assert any("省统计局" in n and "未使用企业月报" in n for n in inp.notes)
    assert any("位次变化从略" in n for n in inp.notes)  # no 1-8月 city table was loaded
    # figures as released: the September tables came out mid October (NBS calendar rule)
    assert "所用数据为截至2024年10月15日已发布的版本（以各期发布日期计）。" in inp.notes


def test_province_against_the_nation_and_its_place(jiangsu, shared_data):
    fig = PublishedSource.from_warehouse(jiangsu).bulletin_input("320000", parse_period("2024-09")).region
    assert (fig.ytd, fig.month) == (7.9, 7.4)
    assert (fig.parent_name, fig.parent_ytd, fig.parent_month) == ("全国", 5.8, 5.4)  # NBS: 1-9月 5.8, 9月 5.4
    assert fig.ytd_prev == 8.0  # panel 2024-08
    # 25 provinces publish 累计; by hand from the CSV: 西藏 甘肃 宁夏 安徽 贵州 山东, then 重庆 湖北 海南 at 8.1
    # share 7th, 江苏 7.9 is 10th; in 1-8月 (西藏 甘肃 宁夏 海南 安徽 重庆, 贵州 山东 7th, 湖北 9th) also 10th
    assert (fig.rank, fig.prev_rank, fig.n_siblings) == (10, 10, 25)
    g23 = _panel(shared_data, "江苏", "2023-09-30")
    assert fig.two_year_ytd == pytest.approx((math.sqrt((1 + 0.079) * (1 + g23 / 100)) - 1) * 100)


def test_target_progress(jiangsu):
    inp = PublishedSource.from_warehouse(jiangsu).bulletin_input("320000", parse_period("2024-09"))
    fig = inp.region
    assert (fig.target, fig.target_state, fig.target_light) == (6.0, "超进度", "green")
    # remaining three months (equal months): ((1.06 − 1.079 × 9/12) / (3/12) − 1) × 100 = 0.3
    assert fig.target_needed == pytest.approx(0.3)
    nanjing = next(r for r in inp.subregions if r.code == "320100")
    assert (nanjing.target, nanjing.target_state, nanjing.target_light) == (5.0, "滞后", "yellow")  # 3.0 − 5.0 = −2


def test_no_figures_is_a_clear_error(jiangsu):
    with pytest.raises(PublishedDataMissing, match="没有江苏省2025年1-3月"):
        PublishedSource.from_warehouse(jiangsu).bulletin_input("320000", parse_period("2025-03"))


@pytest.fixture()
def jiangsu_alone(yacang_home, shared_data):
    """Only the city table: 江苏 is the one province in the warehouse."""
    from yacang.catalog.imports import import_regions

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)
    wh = Warehouse.memory()
    load_file(wh, FIXTURE)
    yield wh
    wh.close()


def test_the_only_province_loaded_is_not_ranked_first_in_the_nation(jiangsu_alone):
    from yacang.report.bulletin import build_bulletin

    src = PublishedSource.from_warehouse(jiangsu_alone)
    fig = src.bulletin_input("320000", parse_period("2024-09")).region
    assert (fig.ytd, fig.rank) == (7.9, None)  # one of one is no place among 31 provinces
    b = build_bulletin(jiangsu_alone, "2024-09", "320000", source=src)
    text = "".join(p for s in b.sections for p in s.paragraphs)
    assert "居全国" not in text
    assert "全省规模以上工业增加值同比增长7.9%" in text


def test_the_enterprise_section_names_the_publisher_of_the_data_used(jiangsu_alone):
    from yacang.report.bulletin import build_bulletin

    b = build_bulletin(jiangsu_alone, "2024-09", "320000", source=PublishedSource.from_warehouse(jiangsu_alone))
    text = "".join(p for s in b.sections for p in s.paragraphs)
    assert "国家统计局" not in text  # only the 江苏省统计局 city table was loaded
    assert "未使用企业月报数据" in text


def test_no_trend_chart_from_a_single_month(jiangsu_alone, jiangsu):
    from yacang.report.bulletin import build_bulletin

    def charts(wh) -> list[str]:
        b = build_bulletin(wh, "2024-09", "320000", source=PublishedSource.from_warehouse(wh))
        return [c.id for s in b.sections for c in s.charts]

    assert "trend" not in charts(jiangsu_alone)  # one point (2024-09) is no trend: half a page of empty axes
    assert "trend" in charts(jiangsu)  # the Wind panel gives 江苏 its months since 2015


def test_report_bulletin_takes_a_region_name_as_yacang_run_does(yacang_home, shared_data, tmp_path):
    from typer.testing import CliRunner

    from yacang.catalog.imports import import_regions
    from yacang.cli import app

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(FIXTURE)]).exit_code == 0
    r = runner.invoke(app, ["report", "bulletin", "--period", "2024-09", "--region", "江苏", "--format", "html",
                            "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "江苏省2024年1-9月工业经济运行情况通报" in r.output
    bad = runner.invoke(app, ["report", "bulletin", "--period", "2024-09", "--region", "火星", "--format", "html"])
    assert bad.exit_code == 1 and "未知的地区名称：火星" in bad.output


def test_the_national_lights_in_a_province_bulletin_say_they_are_national(jiangsu_alone):
    from yacang.report.bulletin import build_bulletin
    from yacang.report.inputs import LightRow

    lights = [LightRow(name="综合", lights=["green", "blue"])]  # the lights come from the national series
    b = build_bulletin(jiangsu_alone, "2024-09", "320000", source=PublishedSource.from_warehouse(jiangsu_alone),
                       lights=lights, light_columns=["8月", "9月"])
    chart = next(c for s in b.sections for c in s.charts if c.id == "lights")
    assert chart.title.startswith("全国")


def test_the_place_says_among_how_many_it_was_ranked(jiangsu, jiangsu_alone):
    inp = PublishedSource.from_warehouse(jiangsu).bulletin_input("320000", parse_period("2024-09"))
    # the panel: 25 provinces publish 累计, 6 (北京 天津 河北 辽宁 江西 青海) only 当月 — counted in the CSV
    assert inp.region.rank == 10
    assert "位次为全国25个公布累计增速的省（区、市）中的位次；另有6个未公布本期累计增速，未参与排位。" in inp.notes
    alone = PublishedSource.from_warehouse(jiangsu_alone).bulletin_input("320000", parse_period("2024-09"))
    assert not any(n.startswith("位次为全国") for n in alone.notes)


def test_a_region_without_figures_is_named_and_told_what_to_load(jiangsu_alone):
    from yacang.report.bulletin import build_bulletin
    from yacang.report.errors import ReportError

    with pytest.raises(ReportError) as exc:  # 深圳: no published row and no enterprise reports
        build_bulletin(jiangsu_alone, "2024-09", "440300")
    text = str(exc.value)
    assert "深圳市（440300）" in text and "yacang ingest" in text and "分地区" in text
    assert "yacang demo" not in text  # the demo never goes into a warehouse of real data


def test_the_xlsx_says_which_data_it_was_built_from(jiangsu_alone, tmp_path):
    import openpyxl

    from yacang.report.bulletin import build_bulletin, write_bulletin

    b = build_bulletin(jiangsu_alone, "2024-09", "320000", source=PublishedSource.from_warehouse(jiangsu_alone))
    (path,) = write_bulletin(b, tmp_path, ["xlsx"])
    index = [c for row in openpyxl.load_workbook(path)["目录"].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).startswith("数据来源：") and "省统计局" in str(c) for c in index), index


def test_a_city_place_counts_the_cities_that_did_not_publish(jiangsu_alone):
    inp = PublishedSource.from_warehouse(jiangsu_alone).bulletin_input("320100", parse_period("2024-09"))
    assert inp.region.rank == 8  # 南京 3.0, last of the 8 cities in the table
    # 江苏 has 13 设区市 (GB/T 2260, 2024); the report listed 8 of them
    assert "位次为江苏省8个公布累计增速的市（州）中的位次；另有5个未公布本期累计增速，未参与排位。" in inp.notes
