"""NBS data-portal export: published figures, the 1-2月 rule, footnotes, labels, encodings."""

import re

import pandas as pd
import pytest

from tests.ingest.helpers import NBS_IVA, NBS_PPI
from yacang.ingest.nbs import map_nbs_name, parse_nbs


@pytest.fixture(scope="module")
def iva(shared_data):
    return parse_nbs(shared_data / NBS_IVA)


def _series(batch, sid):
    o = batch.observations
    return o[o["series_id"] == sid].set_index("period")


def test_published_monthly_and_cumulative_growth(iva):
    # NBS releases: 2022年3月 当月 5.0%, 4月 −2.9%; 1-2月 累计 7.5%, 1-3月 累计 6.5%
    yoy = _series(iva, "nbs:iva.yoy.100000.TOTAL")["value"]
    ytd = _series(iva, "nbs:iva.ytd_yoy.100000.TOTAL")["value"]
    assert yoy["2022-03"] == 5.0 and yoy["2022-04"] == -2.9
    assert ytd["2022-02"] == 7.5 and ytd["2022-03"] == 6.5


def test_no_february_monthly_value_from_2013_and_merged_periods_flagged(iva):
    yoy = _series(iva, "nbs:iva.yoy.100000.TOTAL")
    febs = [p for p in yoy.index if re.fullmatch(r"\d{4}-02", p) and int(p[:4]) >= 2013]
    assert febs == []
    merged = yoy[yoy.index.str.endswith("-01/02")]
    assert sorted(merged.index) == [f"{y}-01/02" for y in range(2013, 2027)]
    assert merged["flags"].str.contains("1-2月合并").all()
    assert (merged["flags"] == "1-2月合并,取自累计").all()
    # the merged 当月 equals the 1-2月 累计 (2022: 7.5, 2026: 6.3 as in the file's first column)
    assert merged.loc["2022-01/02", "value"] == 7.5 and merged.loc["2026-01/02", "value"] == 6.3
    # before 2013 NBS did publish February on its own (2012年2月 21.3)
    assert yoy.loc["2012-02", "value"] == 21.3


def test_series_metadata_and_footnotes(iva):
    s = iva.series.set_index("series_id")
    assert s.loc["nbs:iva.yoy.100000.TOTAL", "jan_feb"] == "1-2月合并"
    assert s.loc["nbs:iva.yoy.100000.TOTAL", "unit"] == "%"
    assert set(iva.mapped) == {"规上工业增加值同比增长(%)", "规上工业增加值累计增长(%)"}
    assert any(n.startswith("注：1.从2011年起") for n in iva.notes)
    assert any("不再单独发布2月份当月数据" in n for n in iva.notes)
    assert "数据来源：国家统计局" in iva.notes
    assert not iva.errors


def test_ppi_export_maps_index_series(shared_data):
    b = parse_nbs(shared_data / NBS_PPI)
    ppi = _series(b, "nbs:ppi.index_yoy.100000.TOTAL")["value"]
    assert ppi["2026-02"] == 99.1 and ppi["2026-01"] == 98.6  # first two cells of the file
    assert {"nbs:ppi.index_yoy.100000.TOTAL.生产资料", "nbs:ppi.index_yoy.100000.TOTAL.生活资料"} <= set(b.series["series_id"])
    assert "2019-02" in ppi.index  # prices are monthly every month: no 1-2月 merging


@pytest.mark.parametrize(("name", "expected"), [
    ("规上工业增加值同比增长(%)", ("iva", "yoy", "TOTAL", "")),
    ("规上工业增加值累计增长(%)", ("iva", "ytd_yoy", "TOTAL", "")),
    ("工业生产者出厂价格指数(上年同月=100)", ("ppi", "index_yoy", "TOTAL", "")),
    ("生活资料工业生产者出厂价格指数(上年同月=100)", ("ppi", "index_yoy", "TOTAL", "生活资料")),
    ("汽车制造业增加值同比增长(%)", ("iva", "yoy", "36", "")),
    ("化学原料及化学制品制造业增加值累计增长(%)", ("iva", "ytd_yoy", "26", "")),
    ("工业生产者出厂价格指数(上月=100)", None),
])
def test_nbs_name_mapping(name, expected):
    m = map_nbs_name(name)
    assert (m and (m.indicator, m.measure, m.industry, m.category)) == expected


def test_quarterly_and_annual_labels_and_gbk(tmp_path):
    text = ("数据库：季度数据\n时间：2021-\n指标,2022年第二季度,2022年第一季度,2021年\n"
            "规上工业增加值累计增长(%),3.4,6.5,9.6\n注：示例\n数据来源：国家统计局\n")
    f = tmp_path / "q.csv"
    f.write_bytes(text.encode("gbk"))
    b = parse_nbs(f)
    assert not b.errors
    got = dict(zip(b.observations["period"], b.observations["value"], strict=True))
    assert got == {"2022Q2": 3.4, "2022Q1": 6.5, "2021": 9.6}
    assert "编码 gb18030" in b.notes


def test_region_header_sets_the_region(tmp_path):
    f = tmp_path / "bj.csv"
    f.write_text("数据库：分省月度数据\n地区：北京市\n时间：2022-\n指标,2022年3月\n规上工业增加值同比增长(%),5.0\n", "utf-8")
    b = parse_nbs(f)
    assert b.series["series_id"].tolist() == ["nbs:iva.yoy.110000.TOTAL"]
    assert isinstance(b.observations, pd.DataFrame) and b.observations["value"].tolist() == [5.0]


def test_duplicated_indicator_row_names_both_lines(tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("数据库：月度数据\n时间：2022-\n指标,2022年4月,2022年3月\n规上工业增加值同比增长(%),-2.9,5.0\n"
                 "规上工业增加值同比增长(%),-2.9,5.1\n数据来源：国家统计局\n", "utf-8")
    errors = parse_nbs(f).errors
    assert [(e.row, e.column) for e in errors] == [(5, "2022年4月"), (5, "2022年3月")]
    assert all("第4行" in e.reason for e in errors)


def test_a_header_missing_one_period_is_refused_not_shifted(shared_data, tmp_path):
    # deleting the header's 2025年10月 leaves data rows one cell longer than the header: reading on would
    # put every older figure one month late (2025年9月's 当月 6.5 would land on 2025年8月)
    lines = (shared_data / NBS_IVA).read_text("utf-8").splitlines()
    lines[2] = lines[2].replace(",2025年10月,", ",", 1)
    f = tmp_path / "short_header.csv"
    f.write_text("\n".join(lines) + "\n", "utf-8")
    b = parse_nbs(f)
    assert [(e.row, e.column) for e in b.errors] == [(4, "第339列起"), (5, "第339列起")]
    assert "表头（第3行）只有 338 列" in b.errors[0].reason


def test_a_value_under_a_blank_period_label_is_an_error_not_dropped(tmp_path):
    f = tmp_path / "blank.csv"
    f.write_text("数据库：月度数据\n时间：2022-\n指标,2022年4月,,2022年3月\n规上工业增加值同比增长(%),-2.9,5.1,5.0\n"
                 "数据来源：国家统计局\n", "utf-8")
    b = parse_nbs(f)
    assert [(e.row, e.column, e.value) for e in b.errors] == [(4, "第3列", "5.1")]
