"""Group pulls against the parent total's base, and 累计比上期 against the previous 累计 (hand values).

Hand-built panel (tests/microdata/handbuilt.py), 2022 1-3月, comparable-price VA (万元):
A (13, rate 0.25, PPI 105): 3150/1.05·0.25 = 750 on a base of 2900·0.25 = 725;
B (36, rate 0.20, PPI 98): 1470/0.98·0.20 = 300 on 1500·0.20 = 300;
C (36): 882/0.98·0.20 = 180 on 700·0.20 = 140.   Total 1230 on 1165.
装备制造业 (division 36: B, C): ΔVA = 480 − 440 = 40 → 拉动 = 40 / 1165 × 100 = 3.43 百分点
(its own growth is 40/440 = 9.09%: the old bug printed that as its pull); 贡献率 40 / 65 = 61.5%.
1-2月 (previous 累计): B 980/0.98·0.2 = 200 on 200, C 588/0.98·0.2 = 120 on 100 → 320/300 − 1 = 6.67%.
"""

from __future__ import annotations

import pytest

from tests.microdata import handbuilt
from yacang.measures.real_growth import Scope, aggregate_within, enterprise_panel
from yacang.periods import parse_period


def test_group_pull_against_total_base(wh):
    handbuilt.build(wh)
    cum = Scope(region="440000").apply(enterprise_panel(wh.con, "2022-03", cumulative=True))
    eq = aggregate_within(cum.filter(cum.eq), cum).to_pandas().iloc[0]
    assert eq["growth"] == pytest.approx((480 / 440 - 1) * 100)
    assert eq["pull"] == pytest.approx(40 / 1165 * 100)
    assert eq["contribution"] == pytest.approx(40 / 65 * 100)
    ht = aggregate_within(cum.filter(cum.ht), cum).to_pandas()
    assert ht.empty or ht["n"].iloc[0] == 0  # divisions 13 and 36 are not 高技术


def test_bulletin_grouping_row_by_hand(wh, yacang_home):
    from yacang.catalog.regions import RegionCatalog
    from yacang.report.measures_source import MeasuresSource
    from yacang.report.regional import compose

    handbuilt.build(wh)
    src = MeasuresSource(wh.con, RegionCatalog.load())
    inp = src.bulletin_input("440000", parse_period("2022-03"))
    eq = next(g for g in inp.groupings if g.code == "EQ")
    assert eq.pull == pytest.approx(40 / 1165 * 100)
    assert eq.ytd == pytest.approx((480 / 440 - 1) * 100)
    assert eq.ytd_prev == pytest.approx((320 / 300 - 1) * 100)  # previous 累计 (1-2月), not 2021 1-3月
    b = compose(inp)
    row = next(r for r in b.all_tables() if r.id == "industries").rows
    eq_row = next(r for r in row if r["code"] == "EQ")
    assert eq_row["change"] == pytest.approx(9.1 - 6.7)  # printed figures: 9.1 − 6.7
    assert eq_row["pull"] == pytest.approx(3.4335, abs=1e-4)
    text = b.text()
    assert "装备制造业增加值同比增长9.1%" in text and "拉动全省增长3.4个百分点" in text
    cols = {c.key: c.header for c in next(t for t in b.all_tables() if t.id == "industries").columns}
    assert cols["change"] == "累计比1-2月（百分点）"


def test_park_pull_is_against_the_region_total(wh):
    """Parks partition the region (enterprises outside any park form their own group): A (南沙园) adds
    750 − 725 = 25 on the total base 1165 → 2.15 百分点; the groups' pulls add up to the total growth."""
    from yacang.measures.real_growth import aggregate

    handbuilt.build(wh)
    cum = Scope(region="440000").apply(enterprise_panel(wh.con, "2022-03", cumulative=True))
    parks = aggregate(cum, ["park"]).to_pandas().set_index("park")
    assert parks.loc["南沙园", "pull"] == pytest.approx(25 / 1165 * 100)
    assert parks["pull"].sum() == pytest.approx((1230 / 1165 - 1) * 100)
    one = aggregate_within(cum.filter(cum.park == "南沙园"), cum).to_pandas().iloc[0]
    assert one["pull"] == pytest.approx(25 / 1165 * 100)
