"""The same measures from DuckDB and from Spark, against numbers worked by hand (panel.py).

Real VA / base (万元), 2023-03 当月: E1 250/200, E2 100/100, E3 80/100, E4 150/100 (E5 is not 规上);
1-3月 累计: E1 750/700, E2 300/300, E3 380/300, E4 250/200.

- national 当月 580/500 − 1 = 16.0 %, 累计 1680/1500 − 1 = 12.0 %
- 广东 (440000) 当月 430/400 → 7.5 %, 累计 1430/1300 → 10.0 %; 江苏 (320000) 当月 150/100 → 50.0 %,
  累计 250/200 → 25.0 %
- 广州 (440100) 当月 250/200 → 25.0 %, 累计 750/700 → 7.142857 %; 深圳 (440300) 当月 180/200 → −10.0 %,
  累计 680/600 → 13.333333 %; 南京 (320100) 当月 50.0 %, 累计 25.0 %
- 拉动 on the national total (百分点): 当月 广东 30/500 = 6.0, 江苏 50/500 = 10.0 (sum 16.0);
  累计 广东 130/1500 = 8.666667, 江苏 50/1500 = 3.333333 (sum 12.0)
- 拉动 on 广东's total: 当月 广州 50/400 = 12.5, 深圳 −20/400 = −5.0 (sum 7.5); 累计 广州 50/1300 = 3.846154,
  深圳 80/1300 = 6.153846 (sum 10.0)
- 增长面 (share of enterprises with real VA above base): 当月 national E1, E4 of 4 = 50 %, 减产面 E3 = 25 %
  (E2 is flat); 广东 E1 of 3 = 33.333 %. 累计 national E1, E3, E4 of 4 = 75 %; 广东 E1, E3 of 3 = 66.667 %
- 1-2月 (累计 to the previous period): 广东 1000/900 → 11.111 %, 江苏 100/100 → 0.0 %
"""

from __future__ import annotations

import pytest

from yacang.measures.real_growth import Scope, aggregate, enterprise_panel
from yacang.measures.windows import aggregate_windows, monthly_panel, monthly_windows

GROWTH = {  # (level, code) → (当月, 累计), %
    ("nation", "100000"): (16.0, 12.0),
    ("province", "440000"): (7.5, 10.0), ("province", "320000"): (50.0, 25.0),
    ("prefecture", "440100"): (25.0, 50 / 7), ("prefecture", "440300"): (-10.0, 40 / 3),
    ("prefecture", "320100"): (50.0, 25.0),
}
PULL_NATION = {"440000": (6.0, 26 / 3), "320000": (10.0, 10 / 3)}
PULL_GUANGDONG = {"440100": (12.5, 50 / 13), "440300": (-5.0, 80 / 13)}


def _table(con, cumulative: bool, by: str, scope: Scope = Scope()):
    panel = scope.apply(enterprise_panel(con, "2023-03", cumulative=cumulative))
    return aggregate(panel, [by]).to_pandas().set_index(by)


@pytest.mark.parametrize("cumulative", [False, True], ids=["当月", "累计"])
def test_growth_at_each_level(con, cumulative):
    k = int(cumulative)
    for level in ("nation", "province", "prefecture"):
        got = _table(con, cumulative, level)["growth"]
        want = {code: g[k] for (lv, code), g in GROWTH.items() if lv == level}
        assert sorted(got.index) == sorted(want), level
        for code, value in want.items():
            assert got[code] == pytest.approx(value, abs=1e-9), (level, code)


@pytest.mark.parametrize("cumulative", [False, True], ids=["当月", "累计"])
def test_pulls_sum_to_the_total(con, cumulative):
    k = int(cumulative)
    prov = _table(con, cumulative, "province")["pull"]
    assert prov.to_dict() == pytest.approx({c: v[k] for c, v in PULL_NATION.items()})
    pref = _table(con, cumulative, "prefecture", Scope(region="440000"))["pull"]
    assert pref.to_dict() == pytest.approx({c: v[k] for c, v in PULL_GUANGDONG.items()})


def test_breadth(con):
    month = _table(con, False, "nation").iloc[0]
    assert (month["growing_share"], month["declining_share"]) == pytest.approx((50.0, 25.0))
    assert _table(con, False, "province").loc["440000", "growing_share"] == pytest.approx(100 / 3)
    assert _table(con, True, "nation").iloc[0]["growing_share"] == pytest.approx(75.0)
    assert _table(con, True, "province").loc["440000", "growing_share"] == pytest.approx(200 / 3)


def test_one_scan_wide_panel_cached(con):
    """The single-scan panel, materialised with .cache() (on Spark it once failed: the deflators were an
    unregistered in-memory table), gives every window at once."""
    wins = monthly_windows("2023-03")
    wide = monthly_panel(con, "2023-03", windows=wins).cache()
    try:
        g = aggregate_windows(wide, ["province"], wins).to_pandas().set_index("province")
    finally:
        wide.release()
    assert g.loc["440000", "growth_month"] == pytest.approx(7.5)
    assert g.loc["440000", "growth_ytd"] == pytest.approx(10.0)
    assert g.loc["320000", "growth_ytd"] == pytest.approx(25.0)
    assert g.loc["440000", "growth_ytd_prev"] == pytest.approx(100 / 9)
    assert g.loc["320000", "growth_ytd_prev"] == pytest.approx(0.0)
    assert g.loc["440000", "growing_share_ytd"] == pytest.approx(200 / 3)
    assert g.loc["440000", "pull_month"] == pytest.approx(6.0)
    assert int(g.loc["440000", "n_month_ly"]) == 0  # no 2022 reports: nothing last year


def test_cells_from_the_maintained_slices(con):
    """The area × division cells read straight from the maintained table's slices (the rows carry the
    county and 规上 flag: no join of the enterprises to the registry), re-summed to every level."""
    from yacang.measures.windows import level_tables, month_cells

    wins = monthly_windows("2023-03")
    cells = month_cells(con, wins)
    assert cells is not None  # the panel's table is current on both engines (built as the writers keep it)
    levels = [("province",), ("prefecture",), ()]
    prov, pref, nation = (t.set_index(list(by)) if by else t for by, t in
                          zip(levels, level_tables(cells, levels, wins), strict=True))
    for (level, code), (month, ytd) in GROWTH.items():
        row = nation.iloc[0] if level == "nation" else (prov if level == "province" else pref).loc[code]
        assert row["growth_month"] == pytest.approx(month) and row["growth_ytd"] == pytest.approx(ytd), code
    assert prov.loc["440000", "pull_month"] == pytest.approx(6.0)
    assert prov.loc["440000", "growth_ytd_prev"] == pytest.approx(100 / 9)
    assert nation.iloc[0]["growing_share_ytd"] == pytest.approx(75.0)
    assert nation.iloc[0]["declining_share_month"] == pytest.approx(25.0)


def test_monthly_table_of_a_province(con):
    from yacang.measures.monthly import monthly_measures

    r = monthly_measures(con, "2023-03", region="440000")
    s = r.summary
    assert (s["month_growth"], s["ytd_growth"]) == pytest.approx((7.5, 10.0))
    assert s["n"] == 3 and s["growing_share"] == pytest.approx(200 / 3)
    # 位次 among provinces on 累计: 江苏 25.0 first, 广东 10.0 second; after 1-2月 广东 11.1 was first
    assert (s["rank"], s["n_siblings"], s["rank_change"]) == (2, 2, -1)
    kids = r.children.set_index("region")
    assert kids.loc["440300", "ytd_growth"] == pytest.approx(40 / 3) and kids.loc["440300", "rank"] == 1
    assert kids.loc["440100", "month_growth"] == pytest.approx(25.0) and kids.loc["440100", "rank"] == 2
    assert kids.loc["440100", "pull"] == pytest.approx(50 / 13)
