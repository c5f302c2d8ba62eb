"""同口径 real growth from microdata, checked against the hand-built panel (tests/microdata/handbuilt.py).

Worked by hand for 2022-03 (money 万元, 增加值率 13: 0.25, 36: 0.20; PPI 13: 105, 36: 98):

  A: real VA 1050/1.05×0.25 = 250, base 900×0.25 = 225
  B: 490/0.98×0.20 = 100, base 500×0.20 = 100
  C (enters the set in 2022): 294/0.98×0.20 = 60, base 200×0.20 = 40
  D (leaves the set): not counted
  同口径 growth = 410/365 − 1 = 12.33%
  naive growth (this year's 410 against last year's published total A 225 + B 100 + D 400×0.25=100 = 425)
    = 410/425 − 1 = −3.53%
  拉动: 13 → 25/365 = 6.85 点, 36 → 20/365 = 5.48 点; sum 12.33
  累计 1-3月 adds 1-2月: A 2100/1.05×.25=500 vs 500, B 980/.98×.2=200 vs 200, C 588/.98×.2=120 vs 100
    → (410+820)/(365+800) − 1 = 1230/1165 − 1 = 5.58%
"""

from __future__ import annotations

import pytest

from tests.microdata import handbuilt
from yacang.measures.real_growth import (
    Scope,
    aggregate,
    enterprise_panel,
    inputs_missing,
    naive_growth,
    previous_period,
    report_periods,
)


@pytest.fixture()
def fx(wh):
    handbuilt.build(wh)
    return wh


def total(wh, period, *, cumulative=False, scope=Scope()):
    return aggregate(scope.apply(enterprise_panel(wh.con, period, cumulative=cumulative))).to_pandas().iloc[0]


def test_same_caliber_growth_equals_hand_value_and_differs_from_naive(fx):
    t = total(fx, "2022-03")
    assert t["va"] == pytest.approx(410.0)
    assert t["va_base"] == pytest.approx(365.0)
    assert t["growth"] == pytest.approx((410 / 365 - 1) * 100)
    naive = naive_growth(fx.con, "2022-03")
    assert naive == pytest.approx((410 / 425 - 1) * 100)
    assert abs(t["growth"] - naive) > 15


def test_enterprise_set_is_this_years_above_scale_set(fx):
    panel = enterprise_panel(fx.con, "2022-03").to_pandas()
    assert set(panel["uscc"]) == {handbuilt.A, handbuilt.B, handbuilt.C}


def test_cumulative_sums_the_merged_jan_feb_and_march(fx):
    t = total(fx, "2022-03", cumulative=True)
    assert (t["va"], t["va_base"]) == pytest.approx((1230.0, 1165.0))
    assert t["growth"] == pytest.approx((1230 / 1165 - 1) * 100)
    jf = total(fx, "2022-01/02")
    assert jf["growth"] == pytest.approx(((500 + 200 + 120) / (500 + 200 + 100) - 1) * 100)


def test_division_pulls_sum_exactly_to_total(fx):
    panel = enterprise_panel(fx.con, "2022-03")
    by_div = aggregate(panel, ["division"]).to_pandas().set_index("division")
    assert by_div.loc["13", "pull"] == pytest.approx(25 / 365 * 100)
    assert by_div.loc["36", "pull"] == pytest.approx(20 / 365 * 100)
    assert by_div.loc["36", "growth"] == pytest.approx((160 / 140 - 1) * 100)
    assert by_div["pull"].sum() == pytest.approx(total(fx, "2022-03")["growth"], abs=1e-12)
    assert by_div["contribution"].sum() == pytest.approx(100.0)
    assert by_div.loc["13", "contribution"] == pytest.approx(25 / 45 * 100)


def test_region_levels_and_attributes(fx):
    panel = enterprise_panel(fx.con, "2022-03")
    pref = aggregate(panel, ["prefecture"]).to_pandas().set_index("prefecture")
    assert pref.loc["440100", "growth"] == pytest.approx((250 / 225 - 1) * 100)  # A only
    assert pref.loc["440300", "growth"] == pytest.approx((160 / 140 - 1) * 100)  # B + C
    assert pref["pull"].sum() == pytest.approx((410 / 365 - 1) * 100)
    key = total(fx, "2022-03", scope=Scope(key_only=True))
    assert key["n"] == 1 and key["growth"] == pytest.approx((250 / 225 - 1) * 100)
    eq = total(fx, "2022-03", scope=Scope(industry="EQ"))  # 36 is 装备制造业
    assert eq["va"] == pytest.approx(160.0)
    manuf = total(fx, "2022-03", scope=Scope(region="440000", industry="C"))
    assert manuf["va"] == pytest.approx(410.0)
    small = total(fx, "2022-03", scope=Scope(size_class="小型"))
    assert small["growth"] == pytest.approx(50.0)  # C: 60/40
    park = total(fx, "2022-03", scope=Scope(park="南沙园"))
    assert park["n"] == 1


def test_breadth_losses_and_ratios(fx):
    t = total(fx, "2022-03")
    assert t["growing_share"] == pytest.approx(200 / 3)  # A and C grow, B is flat
    assert t["declining_share"] == pytest.approx(0.0)
    assert t["loss_share"] == pytest.approx(100 / 3)  # B lost 10
    assert t["loss_depth"] == pytest.approx(10 / 70 * 100)  # losses 10 / profits 50 + 20
    assert t["export_growth"] == pytest.approx((150 / 140 - 1) * 100)  # (100+50+0)/(80+60+0)
    assert t["sales_output_ratio"] == pytest.approx((1050 + 470 + 300) / (1050 + 490 + 294) * 100)
    assert t["electricity_growth"] == pytest.approx((25 / 24 - 1) * 100)


def test_returned_reports_are_left_out(fx):
    fx.db.execute("UPDATE reports SET status = 'returned' WHERE uscc = ? AND period = '2022-03'", [handbuilt.C])
    t = total(fx, "2022-03")
    assert t["growth"] == pytest.approx((350 / 325 - 1) * 100)


def test_deflation_needs_ppi_and_rates(fx):
    assert inputs_missing(fx.con, "2022-03", cumulative=True) == {"ppi": [], "va_rate": []}
    fx.db.execute("DELETE FROM division_ppi WHERE period = '2022-03' AND division = '36'")
    assert inputs_missing(fx.con, "2022-03")["ppi"] == ["2022-03:36"]


def test_period_helpers():
    assert report_periods("2022-03", cumulative=False) == ["2022-03"]
    assert report_periods("2022-04", cumulative=True) == ["2022-01/02", "2022-01", "2022-02", "2022-03", "2022-04"]
    assert report_periods("2022年1-2月", cumulative=True) == ["2022-01/02", "2022-01", "2022-02"]
    assert previous_period("2022-03") == "2022-01/02"
    assert previous_period("2022-01/02") == "2021-12"
    assert previous_period("2022-07") == "2022-06"
