"""NBS's English data-portal export (the shared 分省地区生产总值 workbook) loads like the Chinese portal's."""

from __future__ import annotations

import csv

import pytest

from yacang.catalog.regions import province_of_english
from yacang.ingest.detect import detect_format
from yacang.ingest.nbs import map_nbs_name, parse_nbs
from yacang.ingest.nbs_english import as_chinese, indicator_zh, is_english_export, repair
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

GDP_XLS = "province_gdp_annual/original/AnnualbyProvince.xls"
GDP_CSV = "province_gdp_annual/province_gdp_current_prices.csv"  # the curator's own reading of the same export


@pytest.fixture(scope="module")
def gdp(shared_data):
    return parse_nbs(shared_data / GDP_XLS)


def test_the_shared_english_workbook_is_recognised_and_maps_to_regional_gdp(shared_data, gdp):
    assert detect_format(shared_data / GDP_XLS) == "nbs"
    assert not gdp.errors
    assert len(gdp.series) == 31 and set(gdp.series["indicator"]) == {"gdp"}
    assert set(gdp.series["measure"]) == {"value"} and set(gdp.series["unit"]) == {"亿元"}
    assert set(gdp.series["frequency"]) == {"Y"}
    assert "nbs:gdp.value.440000.TOTAL" in set(gdp.series["series_id"])


def test_every_figure_matches_the_curators_reading_of_the_same_export(shared_data, gdp):
    """620 figures (31 provinces × 2004–2023), each against the curated CSV; two also read off the sheet by hand:
    Beijing 2023 43760.7 and Xinjiang 2004 2170.4."""
    with (shared_data / GDP_CSV).open(encoding="utf-8") as f:
        want = {(r["province_code"], r["year"]): float(r["gdp_100m_yuan"]) for r in csv.DictReader(f)}
    obs = gdp.observations
    got = {(sid.split(".")[2], p): v for sid, p, v in zip(obs["series_id"], obs["period"], obs["value"], strict=True)}
    assert len(got) == len(want) == 620
    assert got == pytest.approx(want)
    assert got[("110000", "2023")] == 43760.7 and got[("650000", "2004")] == 2170.4


def test_loading_the_english_and_a_chinese_export_of_the_same_table_changes_nothing_the_second_time(
        shared_data, tmp_path):
    chinese = tmp_path / "分省年度数据.csv"
    with (shared_data / GDP_CSV).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    years = sorted({r["year"] for r in rows}, reverse=True)
    by_name: dict[str, dict[str, str]] = {}
    for r in rows:
        by_name.setdefault(r["province_name"], {})[r["year"]] = r["gdp_100m_yuan"]
    lines = ["数据库：分省年度数据", "指标：地区生产总值(亿元)", "时间：最近20年", "地区," + ",".join(f"{y}年" for y in years)]
    lines += [name + "," + ",".join(v[y] for y in years) for name, v in by_name.items()]
    chinese.write_text("\n".join([*lines, "数据来源：国家统计局"]) + "\n", "utf-8")
    wh = Warehouse.open(tmp_path / "wh.duckdb")
    try:
        first = load_file(wh, shared_data / GDP_XLS)
        second = load_file(wh, chinese)
    finally:
        wh.close()
    assert (first.n_new, first.n_revised) == (620, 0)
    assert (second.n_new, second.n_revised, second.n_unchanged) == (0, 0, 620)


def test_an_unknown_english_region_is_a_located_error(tmp_path):
    f = tmp_path / "en.csv"
    f.write_text("Database：Annual by Province\nIndicators：Gross Regional Product(100 million yuan)\nYear：LATEST20\n"
                 "Region,2023,2022\nBeijing,43760.7,41540.9\nAtlantis,1.0,2.0\n"
                 "Data Sources：National Bureau of Statistics\n", "utf-8")
    assert detect_format(f) == "nbs"
    b = parse_nbs(f)
    assert [(e.row, e.column, e.value) for e in b.errors] == [(6, "地区", "Atlantis")]
    assert "整个文件未入库" in b.errors[0].reason


def test_english_words_become_the_chinese_portals():
    assert repair("Database\u00ef\u00bc\u009aAnnual by Province") == "Database：Annual by Province"
    assert repair("北京市") == "北京市" and repair("Beijing") == "Beijing"
    assert is_english_export("Database\u00ef\u00bc\u009aAnnual by Province") and not is_english_export("数据库：年度数据")
    assert indicator_zh("Gross Regional Product(100 million yuan)") == "地区生产总值(亿元)"
    assert indicator_zh("Per Capita Disposable Income(yuan)") == "Per Capita Disposable Income(yuan)"
    rows = as_chinese([(1, ["Indicators：Gross Regional Product(100 million yuan)", ""]), (2, ["Region", "2023"]),
                       (3, ["Inner Mongolia", "24627.0"]), (4, ["Data Sources：National Bureau of Statistics", ""])])
    assert [r[1][0] for r in rows] == ["指标：地区生产总值(亿元)", "地区", "内蒙古自治区", "数据来源：National Bureau of Statistics"]


@pytest.mark.parametrize(("name", "expected"), [
    ("地区生产总值(亿元)", ("gdp", "value")),
    ("国内生产总值_当季值(亿元)", ("gdp", "value")),
    ("国内生产总值_累计值(亿元)", ("gdp", "ytd_value")),
    ("地区生产总值指数(上年=100)", ("gdp", "index_yoy")),
    ("工业生产者出厂价格指数", None),  # a bare index name is not a level: left unmapped
])
def test_gdp_names_of_the_portal(name, expected):
    m = map_nbs_name(name)
    assert (m and (m.indicator, m.measure)) == expected


def test_english_province_names_as_the_portal_writes_them(shared_data):
    with (shared_data / GDP_CSV).open(encoding="utf-8") as f:
        pairs = {(r["province_name_en"], r["province_code"]) for r in csv.DictReader(f)}
    assert len(pairs) == 31
    assert all(getattr(province_of_english(en), "code", None) == code for en, code in pairs)
    assert province_of_english(" inner  MONGOLIA").code == "150000" and province_of_english("Atlantis") is None
