"""The shared province panel and the NBS portal's region layouts made from it (CSV UTF-8/GBK, XLSX)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.ingest.portal import PANEL, indicator_fixed, panel_rows, time_fixed, write_csv, write_xlsx
from yacang.ingest.nbs import parse_nbs
from yacang.ingest.panel import parse_panel
from yacang.periods import parse_period
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file, parse_file

# 2022-06 累计同比 of the 25 provinces the panel publishes as 累计, sorted by hand from the CSV's rows
# (value_pct where measure = ytd_yoy and date = 2022-06-30); 黑龙江 and 广东 tie at 3.5 and share 20th.
RANKING_2022_06 = [
    ("540000", 16.9, 1), ("520000", 12.1, 2), ("140000", 11.0, 3), ("610000", 8.6, 4), ("640000", 8.5, 5),
    ("150000", 8.4, 6), ("530000", 8.2, 7), ("420000", 8.0, 8), ("650000", 7.6, 9), ("430000", 7.4, 10),
    ("620000", 7.1, 11), ("350000", 6.5, 12), ("500000", 6.3, 13), ("340000", 5.6, 14), ("330000", 5.5, 15),
    ("410000", 5.4, 16), ("370000", 4.8, 17), ("450000", 4.0, 18), ("510000", 3.6, 19), ("230000", 3.5, 20),
    ("440000", 3.5, 20), ("320000", 2.1, 22), ("460000", -1.0, 23), ("310000", -11.3, 24), ("220000", -11.5, 25),
]
MONTHLY_SIX = {"110000", "120000", "130000", "210000", "360000", "630000"}  # 北京 天津 河北 辽宁 江西 青海


@pytest.fixture(scope="module")
def panel(shared_data):
    return parse_panel(shared_data / PANEL)


def _values(batch) -> pd.DataFrame:
    """(region, measure, period) → value and flags, independent of the source in the series id."""
    meta = batch.series.set_index("series_id")
    o = batch.observations
    return pd.DataFrame({
        "region": o["series_id"].map(meta["region"]).to_numpy(), "measure": o["series_id"].map(meta["measure"]).to_numpy(),
        "period": o["period"].to_numpy(), "value": o["value"].to_numpy(), "flags": o["flags"].fillna("").to_numpy(),
    }).sort_values(["region", "measure", "period"]).reset_index(drop=True)


def test_panel_keeps_each_provinces_published_measure(panel):
    assert not panel.errors and len(panel.observations) == 3352
    s = panel.series.set_index("region")
    assert set(s.index[s["measure"] == "yoy"]) == MONTHLY_SIX  # never a 当月 stored as a 累计
    assert (s.loc[sorted(set(s.index) - MONTHLY_SIX), "measure"] == "ytd_yoy").all() and len(s) == 31
    v = _values(panel).set_index(["region", "measure", "period"])["value"]
    # read off the CSV: 北京 2015-03 当月 4.5; 江苏 2024-09 累计 7.9 (also 新华日报's report of 江苏省统计局)
    assert v[("110000", "yoy", "2015-03")] == 4.5 and v[("320000", "ytd_yoy", "2024-09")] == 7.9
    # 北京's February 当月 (2022, 2023) is the merged 1-2月 figure
    bj = _values(panel).query("region == '110000'")
    assert set(bj.loc[bj["flags"] == "1-2月合并", "period"]) == {"2022-01/02", "2023-01/02"}


def test_ranking_2022_06_equals_the_hand_sorted_list(shared_data, yacang_home):
    from yacang.report.national import national_input

    wh = Warehouse.memory()
    load_file(wh, shared_data / PANEL)
    load_file(wh, shared_data / "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv")
    inp = national_input(wh, parse_period("2022-06"))
    ranked = [r for r in inp.subregions if r.ytd is not None]
    got = sorted(((r.code, r.ytd, r.rank) for r in ranked), key=lambda t: (t[2], t[0]))
    assert got == sorted(RANKING_2022_06, key=lambda t: (t[2], t[0]))
    assert not MONTHLY_SIX & {r.code for r in ranked}  # 当月-only provinces are not ranked by 累计 …
    month_only = {r.code for r in inp.subregions if r.ytd is None}
    assert month_only == MONTHLY_SIX  # … but carried with their 当月 figure for the bulletin's note
    assert all(r.rank is None and r.month is not None for r in inp.subregions if r.code in MONTHLY_SIX)


@pytest.mark.parametrize("kind", ["utf-8", "gbk", "xlsx"])
def test_region_rows_export_loads_to_exactly_the_panels_values(shared_data, panel, tmp_path, kind):
    rows = panel_rows(shared_data)
    parts = []
    for measure in ("ytd_yoy", "month_yoy"):
        cells = indicator_fixed(rows, measure)
        path = tmp_path / f"分省_{measure}.{'xlsx' if kind == 'xlsx' else 'csv'}"
        if kind == "xlsx":
            write_xlsx(cells, path)
        else:
            write_csv(cells, path, encoding=kind)
        batch = parse_file(path)
        assert batch.format == "nbs" and not batch.errors, batch.errors[:3]
        parts.append(_values(batch))
    got = pd.concat(parts).sort_values(["region", "measure", "period"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, _values(panel))


def test_time_fixed_layout_gives_the_months_figures(shared_data, panel, tmp_path):
    path = write_csv(time_fixed(panel_rows(shared_data), 2022, 6), tmp_path / "分省_2022年6月.csv", "gbk")
    b = parse_nbs(path)
    assert not b.errors
    got = _values(b)
    want = _values(panel).query("period == '2022-06'").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    assert len(got) == 31


def test_unknown_and_ambiguous_names_are_located_and_load_nothing(tmp_path, yacang_home, shared_data):
    from yacang.catalog.imports import import_regions
    from yacang.ingest.errors import IngestError

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)
    f = tmp_path / "bad.csv"
    f.write_text("数据库：分县月度数据\n时间：2022年6月\n地区,工业增加值_累计增长(%)\n东城区,5.0\n朝阳区,4.0\n火星,3.0\n"
                 "数据来源：国家统计局\n", "utf-8")
    wh = Warehouse.memory()
    with pytest.raises(IngestError) as exc:
        load_file(wh, f)
    errors = {e.row: e for e in exc.value.errors}
    assert set(errors) == {5, 6}
    assert errors[5].column == "地区" and "110105" in errors[5].reason and "220104" in errors[5].reason
    assert "未知的地区名称：火星" in errors[6].reason
    assert wh.count("observations") == 0 and len(wh.quarantined()) == 2


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "nan", "NaN"])
def test_non_finite_text_is_a_located_error(tmp_path, cell):
    f = tmp_path / "x.csv"
    f.write_text(f"数据库：分省月度数据\n时间：2022年6月\n地区,工业增加值_累计增长(%)\n北京市,{cell}\n", "utf-8")
    errors = parse_nbs(f).errors
    assert [(e.row, e.column, e.value) for e in errors] == [(4, "工业增加值_累计增长(%)", cell)]


@pytest.mark.parametrize(("column", "bad", "expected"), [
    ("date", "2022-04-31", "不存在的日期"), ("date", "2022-04-00", "不存在的日期"),
    ("month", "5", "与时期列“2022-04-30”不一致（应为 4）"), ("year", "2021", "与时期列“2022-04-30”不一致（应为 2022）"),
])
def test_panel_checks_the_day_and_the_year_and_month_columns(shared_data, tmp_path, column, bad, expected):
    rows = panel_rows(shared_data)
    k = next(i for i, r in enumerate(rows) if r["province"] == "江苏" and r["date"] == "2022-04-30")
    rows[k][column] = bad
    header = list(rows[0])
    path = write_csv([header, *([r[c] for c in header] for r in rows)], tmp_path / "panel.csv")
    batch = parse_panel(path)
    [error] = batch.errors
    assert (error.row, error.column, error.value) == (k + 2, column, bad)  # line k + 2: header is line 1
    assert expected in error.reason


def test_a_header_missing_a_column_is_refused_not_read_shifted(shared_data, tmp_path):
    # without "year" in the header every row is one cell longer: pandas took 北京 as the index and
    # read each date as a province name (3352 "未知的地区名称：2015-03-31" errors naming no cause)
    from yacang.ingest.errors import IngestError

    lines = (shared_data / PANEL).read_text("utf-8").splitlines()
    lines[0] = lines[0].replace("year,", "", 1)
    f = tmp_path / "panel.csv"
    f.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(IngestError, match="有 3352 行的列数与表头不符") as info:
        parse_panel(f)
    first = info.value.errors[0]
    assert first.row == 2 and first.value.startswith("北京,2015-03-31,2015,3,4.5")


def test_a_time_fixed_export_whose_indicator_label_was_deleted_is_an_error(shared_data, tmp_path):
    # 2022年6月: 北京 publishes 当月 (the panel CSV line 76: 北京,2022-06-30,2022,6,-25.4,month_yoy), 上海 累计;
    # with the 当月 header cell blank its column was read past without a word
    rows = time_fixed(panel_rows(shared_data), 2022, 6)
    rows[2][2] = ""
    b = parse_nbs(write_csv(rows, tmp_path / "blank.csv"))
    bj = next(e for e in b.errors if e.row == 4)
    assert bj.column == "第3列" and float(bj.value) == -25.4 and "没有指标标签" in bj.reason
    assert all(e.column == "第3列" for e in b.errors) and len(b.errors) == 6  # the six 当月 provinces
