"""The bulletin read as an official reads it, on the real NBS export and the Wind province panel.

Every expected figure is computed here from the raw CSV files (or read off the source table), never
taken from the bulletin: who is missing, how many regions are above, level with or below the nation,
who is tied at the edge of a "top three" list.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

PANEL = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
NBS = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
NBS_TIDY = "nbs_official_export_iva_ppi/iva_total_monthly.csv"
CODES = "admin_divisions_gbt2260/codes_by_year_2010_2024.csv"
JIANGSU = Path(__file__).resolve().parents[1] / "fixtures/ingest/江苏_2024年1-9月_各设区市规上工业增加值.xlsx"


def _r1(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _panel_rows(shared_data: Path) -> list[dict[str, str]]:
    with (shared_data / PANEL).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ytd(shared_data: Path, year: int, month: int) -> dict[str, Decimal]:
    """Province → 累计 growth (one decimal) of the panel for year-month."""
    return {r["province"]: _r1(float(r["value_pct"])) for r in _panel_rows(shared_data)
            if int(r["year"]) == year and int(r["month"]) == month and r["measure"] == "ytd_yoy"}


def _ranks(values: dict[str, Decimal]) -> dict[str, int]:
    ordered = sorted(values.values(), reverse=True)
    return {k: ordered.index(v) + 1 for k, v in values.items()}


def _nation_ytd(shared_data: Path, code: str) -> Decimal:
    with (shared_data / NBS_TIDY).open(encoding="utf-8") as f:
        return next(_r1(float(r["iva_ytd_yoy_pct"])) for r in csv.DictReader(f) if r["date"] == code)


@pytest.fixture(scope="module")
def national(shared_data):
    wh = Warehouse.memory()
    for f in (shared_data / NBS, shared_data / PANEL):
        load_file(wh, f)
    yield wh
    wh.close()


def _bulletin(wh, period: str, region: str = "100000", **kw):
    from yacang.report.bulletin import build_bulletin

    return build_bulletin(wh, period, region, **kw)


def _regions_table(b):
    return next(t for t in b.all_tables() if t.id == "regions")


def _paragraph(b, start: str) -> str:
    return next(p for s in b.sections for p in s.paragraphs if start in p)


def test_provinces_with_no_figure_in_1_2_months_are_named(national, shared_data):
    """1-2月 2023: the six 当月-only provinces have no February row except 北京; the other five must be named,
    not silently left out of "25个省（区、市）"."""
    rows = _panel_rows(shared_data)
    all_provinces = {r["province"] for r in rows}
    present = {r["province"] for r in rows if r["year"] == "2023" and r["month"] == "2"}
    missing = all_provinces - present
    assert len(all_provinces) == 31 and missing  # what the data say, before the bulletin is read
    b = _bulletin(national, "2023-02")
    note = next(n for n in _regions_table(b).notes if "暂无本期" in n)
    assert set(note.split("暂无本期")[0].split("、")) == missing
    shown = {r["name"] for r in _regions_table(b).rows}
    assert "北京" in shown  # its 1-2月 当月 is its 1-2月 累计: ranked with the others
    assert shown | missing == all_provinces and not shown & missing  # every province is accounted for once


def _month(shared_data: Path, year: int, month: int) -> dict[str, Decimal]:
    """Province → 当月 growth (one decimal) of the panel for year-month."""
    return {r["province"]: _r1(float(r["value_pct"])) for r in _panel_rows(shared_data)
            if int(r["year"]) == year and int(r["month"]) == month and r["measure"] == "month_yoy"}


def test_ranks_and_moves_against_the_raw_panel(national, shared_data):
    """1-2月 2023 against 上年全年. A province publishing 当月 only (北京) is ranked on its 1-2月 当月, which is
    its 1-2月 累计; it has no 2022年1-12月 累计, so the moves are counted among the other provinces."""
    now, before = _ytd(shared_data, 2023, 2), _ytd(shared_data, 2022, 12)
    month_only = {p: v for p, v in _month(shared_data, 2023, 2).items() if p not in now}
    assert set(month_only) == {"北京"}
    rank = _ranks({**now, **month_only})
    cur_common, prev_common = _ranks(now), _ranks({p: before[p] for p in now})
    got = {r["name"]: (r["rank"], r["rank_change"]) for r in _regions_table(_bulletin(national, "2023-02")).rows}
    assert got == {"北京": (rank["北京"], None), **{p: (rank[p], prev_common[p] - cur_common[p]) for p in now}}
    b = _bulletin(national, "2023-02")
    assert "北京无2022年1-12月累计增速，位次变化按其余25个省（区、市）两期的位次计算。" in b.text() + "".join(
        n for t in b.all_tables() for n in t.notes) + "".join(n for s in b.sections for n in s.notes)


def test_a_region_level_with_the_nation_is_counted_as_such(national, shared_data):
    """2021年1-6月: 山西 15.9 equals the national 15.9; the counts must add up to the regions ranked."""
    nation = _nation_ytd(shared_data, "2021-06")
    ytd = _ytd(shared_data, 2021, 6)
    above = sum(1 for v in ytd.values() if v > nation)
    level = sum(1 for v in ytd.values() if v == nation)
    below = sum(1 for v in ytd.values() if v < nation)
    assert level >= 1
    text = _paragraph(_bulletin(national, "2021-06"), "个省（区、市）中")
    assert (f"{len(ytd)}个省（区、市）中，{above}个增速高于全国平均水平，{level}个与全国平均水平持平，"
            f"{below}个低于全国平均水平") in text


def _edge_with_ties(values: dict[str, Decimal], n: int, highest: bool) -> set[str]:
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=highest)
    edge = ordered[n - 1][1]
    return {k for k, v in ordered if (v >= edge if highest else v <= edge)}


def test_a_tie_at_the_edge_of_the_bottom_three_is_not_cut(national, shared_data):
    """2021年1-6月: 甘肃 and 新疆 both 11.4 at the third-last place: both are named, or neither would be fair."""
    ytd = _ytd(shared_data, 2021, 6)
    bottom = _edge_with_ties(ytd, 3, highest=False)
    assert len(bottom) > 3  # the data have the tie
    clause = _paragraph(_bulletin(national, "2021-06"), "增速居后的是").split("增速居后的是")[1]
    assert {p for p in ytd if p in clause} == bottom


def test_a_tie_among_the_largest_rank_drops_is_not_cut(national, shared_data):
    """2022年1-6月 against 1-5月: 云南、甘肃、广西 each fell 3 places, behind 四川 (5): all four are named, the
    tied three together (均下降3位)."""
    now, before = _ytd(shared_data, 2022, 6), _ytd(shared_data, 2022, 5)
    rank, prev = _ranks(now), _ranks(before)
    drops = {p: rank[p] - prev[p] for p in now if rank[p] > prev[p]}
    expected = _edge_with_ties({p: Decimal(d) for p, d in drops.items()}, 3, highest=True)
    assert len(expected) > 3
    clause = _paragraph(_bulletin(national, "2022-06"), "位次下降较多的有").split("位次下降较多的有")[1]
    assert {p for p in now if p in clause} == expected
    third = sorted(drops.values(), reverse=True)[2]
    tied = [p for p in now if p in expected and drops[p] == third]  # in the table's order (rank, then code)
    assert len(tied) > 1 and "、".join(sorted(tied, key=clause.index)) + f"（均下降{third}位）" in clause


def test_a_one_place_move_is_not_called_large(national, shared_data):
    """2022年1-12月 against 1-11月 (ranks from the CSV): four provinces fell one place; "下降较多" names only
    the larger drops."""
    now, before = _ytd(shared_data, 2022, 12), _ytd(shared_data, 2022, 11)
    rank, prev = _ranks(now), _ranks(before)
    drops = {p: rank[p] - prev[p] for p in now if rank[p] > prev[p]}
    assert sum(1 for d in drops.values() if d == 1) > 1
    clause = _paragraph(_bulletin(national, "2022-12"), "位次下降较多的有").split("位次下降较多的有")[1]
    assert {p for p in now if p in clause} == {p for p, d in drops.items() if d > 1}


def test_january_is_the_merged_1_2_months(national, shared_data):
    """``--period 2022-01`` means 1-2月 (NBS merges them since 2013), for report bulletin as for yacang run."""
    b = _bulletin(national, "2022-01")
    assert b.period.is_merged_jan_feb
    assert f"1-2月，全国规模以上工业增加值同比增长{_nation_ytd(shared_data, '2022-02')}%" in b.text()


def test_report_bulletin_cli_takes_january_as_1_2_months(yacang_home, shared_data, tmp_path):
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(shared_data / NBS)]).exit_code == 0
    r = runner.invoke(app, ["report", "bulletin", "--period", "2022-01", "--format", "html", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "全国2022年1-2月工业经济运行情况通报" in r.output and "1-2月合并" in r.output
    assert (tmp_path / "通报_全国_2022-01-02.html").exists()


def _jiangsu_cities(shared_data: Path) -> dict[str, str]:
    with (shared_data / CODES).open(encoding="utf-8") as f:
        return {r["code"]: r["name"] for r in csv.DictReader(f)
                if r["year"] == "2024" and r["level"] == "prefecture" and r["province_code"] == "320000"}


def test_cities_missing_from_the_table_are_named(yacang_home, shared_data):
    """The 江苏 table lists 8 of the 13 设区市: the other five are named in the bulletin, not dropped."""
    from yacang.catalog.imports import import_regions
    from yacang.report.published_source import PublishedSource

    import_regions(shared_data / CODES, year=2024)
    ws = openpyxl.load_workbook(JIANGSU).active
    in_table = {str(r[0]) for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).endswith("市")}
    missing = set(_jiangsu_cities(shared_data).values()) - in_table
    assert len(missing) == 5
    wh = Warehouse.memory()
    load_file(wh, JIANGSU)
    b = _bulletin(wh, "2024-09", "320000", source=PublishedSource.from_warehouse(wh))
    note = next(n for n in _regions_table(b).notes if "暂无本期" in n)
    assert set(note.split("暂无本期")[0].split("、")) == missing
    wh.close()


def test_the_publishers_are_named_alike_in_every_line(yacang_home, shared_data):
    """A province bulletin from the NBS export and the Wind panel: the 注 line and 数据来源 use the words of the
    run summary (省统计局（经Wind转载）), not a second wording (Wind（转载统计局数据）)."""
    from yacang.catalog.imports import import_regions
    from yacang.report.published_source import PublishedSource

    import_regions(shared_data / CODES, year=2024)
    wh = Warehouse.memory()
    for f in (shared_data / NBS, shared_data / PANEL):
        load_file(wh, f)
    b = _bulletin(wh, "2022-06", "440000", source=PublishedSource.from_warehouse(wh))
    said = b.text() + "".join(b.sources)
    assert "Wind（转载统计局数据）" not in said
    assert "统计部门公布的数据（国家统计局、省统计局（经Wind转载））" in said
    wh.close()


def test_run_summary_says_the_1_2_months_figure_once():
    from yacang.cli.summary import headline_lines
    from yacang.jobs.main_job import RunSummary
    from yacang.periods import Period, parse_period

    jf = RunSummary(period=Period.jan_feb(2023), region="100000", region_name="全国",
                    headline={"month": 2.4, "ytd": 2.4})
    assert headline_lines(jf) == [("1-2月规上工业增加值同比", 2.4)]
    june = RunSummary(period=parse_period("2022-06"), region="100000", region_name="全国",
                      headline={"month": 3.9, "ytd": 3.4})
    assert [label for label, _ in headline_lines(june)] == ["6月规上工业增加值同比", "1-6月累计同比"]


def test_no_february_figure_for_a_merged_series_in_the_key_table(shared_data):
    """1-2月 2023 from the NBS portal exports: 增加值 has one 1-2月 figure (under 1-2月, none under 2月); PPI is
    monthly, so its February 同比 (index − 100, from the CSV) is the 2月 cell."""
    wh = Warehouse.memory()
    for f in sorted((shared_data / NBS).parent.glob("*.csv")):
        load_file(wh, f)
    with (shared_data / "nbs_official_export_iva_ppi/ppi_total_monthly.csv").open(encoding="utf-8") as f:
        ppi_feb = next(_r1(float(r["ppi_yoy_index_prev_year_eq_100"]) - 100) for r in csv.DictReader(f)
                       if r["date"] == "2023-02")
    key = next(t for t in _bulletin(wh, "2023-02").all_tables() if t.id == "key")
    assert [c.label for c in key.columns][2:4] == ["2月", "1-2月"]
    rows = {r["name"]: r for r in key.rows}
    iva = rows["规模以上工业增加值增速"]
    assert iva["month"] is None and _r1(iva["ytd"]) == _nation_ytd(shared_data, "2023-02")
    assert _r1(rows["工业生产者出厂价格（PPI）涨幅"]["month"]) == ppi_feb
    assert "无2月当月数" in key.notes[0]
    wh.close()


def test_no_column_of_dashes_in_the_region_table(national, shared_data, yacang_home):
    """The 25 provinces ranked by 累计 publish no 当月 in the panel (counted in the CSV): no empty 当月 column.
    A city table with 当月 (江苏, 南京 0.2 in the source table) keeps it."""
    from yacang.catalog.imports import import_regions
    from yacang.report.published_source import PublishedSource

    rows = _panel_rows(shared_data)
    ranked = set(_ytd(shared_data, 2022, 6))
    assert not any(r["province"] in ranked and r["measure"] == "month_yoy" for r in rows)
    assert "month" not in [c.key for c in _regions_table(_bulletin(national, "2022-06")).columns]
    import_regions(shared_data / CODES, year=2024)
    wh = Warehouse.memory()
    load_file(wh, JIANGSU)
    table = _regions_table(_bulletin(wh, "2024-09", "320000", source=PublishedSource.from_warehouse(wh)))
    nanjing = {str(r[0]): r[1] for r in openpyxl.load_workbook(JIANGSU).active.iter_rows(values_only=True)}["南京市"]
    assert next(r["month"] for r in table.rows if r["name"] == "南京市") == nanjing
    assert "month" in [c.key for c in table.columns]
    assert "rank_change" not in [c.key for c in table.columns]  # no 1-8月 table loaded: 位次变化从略, no dashes
    wh.close()


def test_1_2_months_profits_are_not_called_late_and_industries_have_no_february(shared_data):
    """1-2月 2023 from the Wind national series: the profits of 1-2月 (FIN002 at 2023-02 in the CSV) are this
    period's, not "比生产数据滞后"; the industry table has no 当月 column beside the merged 1-2月 figure."""
    from .wind_batch import national_batch, wind_value

    wh = Warehouse.memory()
    wh.write_batch(national_batch(shared_data))
    b = _bulletin(wh, "2023-02")
    profit = wind_value(shared_data, "FIN002", "2023-02")
    assert f"实现利润总额{_r1(profit)}亿元" in b.text()
    assert "滞后发布" not in b.text()
    industries = next(t for t in b.all_tables() if t.id == "industries")
    assert "month" not in [c.key for c in industries.columns]
    wh.close()


@pytest.mark.parametrize(("code", "province", "scope"), [("110000", "北京", "全市"), ("150000", "内蒙古", "全区"),
                                                         ("440000", "广东", "全省")])
def test_a_municipality_is_全市_and_an_autonomous_region_全区(national, shared_data, code, province, scope):
    """北京 publishes 当月 only, 内蒙古 and 广东 累计 (measure column of the panel): each sentence names the region
    as its own releases do, with the figure of the CSV."""
    from yacang.report.published_source import PublishedSource

    row = next(r for r in _panel_rows(shared_data) if r["province"] == province and r["date"].startswith("2022-06"))
    value = _r1(float(row["value_pct"]))
    lead = "6月份" if row["measure"] == "month_yoy" else "1-6月"
    b = _bulletin(national, "2022-06", code, source=PublishedSource.from_warehouse(national))
    word = "增长" if value > 0 else "下降"
    assert f"{lead}，{scope}规模以上工业增加值同比{word}{abs(value)}%" in b.text()


def test_a_warning_section_with_only_the_lights_says_what_they_show(national):
    """No alert rows and no hint (北京 2022-06, a 当月-only province): the section is not a bare heading over a
    chart; it says the latest composite light (given here: blue = 过冷)."""
    from yacang.report.inputs import LightRow
    from yacang.report.published_source import PublishedSource

    b = _bulletin(national, "2022-06", "110000", source=PublishedSource.from_warehouse(national),
                  lights=[LightRow("综合", ["green", "blue"])], light_columns=["5月", "6月"])
    sec = next(s for s in b.sections if s.title == "预警提示")
    assert sec.paragraphs == ["2022年6月，全国景气预警综合信号灯为蓝灯（过冷），近2个月情况见下图。"]


def test_a_tie_at_the_edge_of_the_fastest_industries_is_not_cut(shared_data):
    """2020年1-11月 (Wind 大类 累计同比, rounded here): 黑色金属冶炼和压延加工业 and 汽车制造业 share the third
    place; both are named among 增速较快的行业."""
    import pandas as pd

    from .wind_batch import national_batch

    batch = national_batch(shared_data)
    s, o = batch.series, batch.observations
    ids = s[(s["indicator"] == "iva") & (s["measure"] == "ytd_yoy") & s["industry"].str.fullmatch(r"\d\d")]
    names = dict(zip(ids["series_id"], ids["original_name"], strict=True))
    vals = o[o["series_id"].isin(names) & (o["period"] == "2020-11")]
    ytd = pd.Series({sid: _r1(v) for sid, v in zip(vals["series_id"], vals["value"], strict=True)})
    edge = ytd.sort_values(ascending=False).iloc[2]
    assert (ytd == edge).sum() > 1  # the tie is in the data
    wh = Warehouse.memory()
    wh.write_batch(batch)
    text = _paragraph(_bulletin(wh, "2020-11"), "增速较快的行业有").split("增速较快的行业有")[1].split("；")[0]
    assert text.count(f"增长{edge}%") == (ytd == edge).sum()
    assert len(text.split("，")) == (ytd >= edge).sum()
    wh.close()


def test_a_province_publishing_only_累计_has_no_empty_当月_column(national, shared_data):
    """广东 in the panel is 累计 only (measure column): its key table has the 1-6月 figure and no 6月 column."""
    from yacang.report.published_source import PublishedSource

    rows = [r for r in _panel_rows(shared_data) if r["province"] == "广东"]
    assert {r["measure"] for r in rows} == {"ytd_yoy"}
    b = _bulletin(national, "2022-06", "440000", source=PublishedSource.from_warehouse(national))
    key = next(t for t in b.all_tables() if t.id == "key")
    assert [c.label for c in key.columns] == ["指标", "单位", "1-6月", "累计比1-5月变动"]
    assert _r1(key.rows[0]["ytd"]) == _ytd(shared_data, 2022, 6)["广东"]
