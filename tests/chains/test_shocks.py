"""Scenarios on the hand-built 长三角 world of conftest; values worked out by hand below."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.chains.conftest import U
from yacang.chains.errors import ChainError
from yacang.chains.shocks import Scenario, run_scenario, weekly
from yacang.warehouse import chains as store

APR1 = dt.date(2022, 4, 1)


def test_shanghai_stop_propagates_outside_shanghai(chain_wh):
    # 上海 (E1, E2) stops days 0–9 of a 14-day horizon.
    # E1: 0 on days 0–9; day 10 gets E2's day-9 (stopped) shipment: 1 − .4 = .6; day 11 on: 1.
    #     lost (10 + .4) × 100 = 1040;  E2: 10 × 20 = 200
    # E3 (苏州): weight .5×.8 = .4, 3 days' stock covers days 1–3; days 4–10 → .6; day 11 (E1 .6): 1 − .4×.4 = .84
    #     Σ(1−level) = 7×.4 + .16 = 2.96 → 148 万元, first day 4
    # E6 (合肥): weight .6, no stock: days 1–10 → .4; day 11: 1 − .4×.6 = .76 → Σ = 6.24 → 187.2 万元, first day 1
    # E5 (宁波): E3's gaps (.4 × 7 days + .16 = 2.96) fit its 5-day stock; E6's gaps .6 from day 2, stock 2 covers
    #     days 2–4 (.6+.6+.6 = 1.8) and .2 of day 5: day 5 loss .4 × .1 = .04; days 6–11 .06; day 12 .24 × .1
    #     Σ = .04 + 6×.06 + .024 = .424 → 127.2 万元, first day 5
    sid, _, _ = run_scenario(chain_wh, Scenario("region", APR1, 10, 14, region="310000"))
    ents = store.scenario_enterprises(chain_wh, sid).set_index("uscc")
    expect = {"E1": 1040.0, "E2": 200.0, "E3": 148.0, "E6": 187.2, "E5": 127.2}
    assert set(ents.index) == {U[k] for k in expect}
    for k, v in expect.items():
        assert ents.loc[U[k], "output_lost"] == pytest.approx(v)
    assert {k: int(ents.loc[U[k], "first_day"]) for k in expect} == {"E1": 0, "E2": 0, "E3": 4, "E6": 1, "E5": 5}
    assert ents.loc[U["E5"], "min_level"] == pytest.approx(0.94)
    head = store.scenarios(chain_wh).set_index("scenario_id").loc[sid]
    assert head["n_direct"] == 2 and head["n_affected"] == 5
    assert head["output_lost"] == pytest.approx(1702.4)
    assert head["data_source"] == "企业月报与申报"
    prov = store.scenario_groups(chain_wh, sid, "province").set_index("key")["output_lost"]
    assert prov.to_dict() == pytest.approx({"310000": 1240.0, "340000": 187.2, "320000": 148.0, "330000": 127.2})
    # 新能源汽车 members hit: E1 (车规级芯片), E3 (电控), E6 (零部件), E5 (整车)
    nev = store.scenario_groups(chain_wh, sid, "chain").set_index("key").loc["nev"]
    assert nev["affected"] == 4 and nev["output_lost"] == pytest.approx(1040 + 148 + 187.2 + 127.2)
    # per day: day 0 only 上海 (2 enterprises, 120 万元); week 1 = days 0–6
    daily = store.scenario_daily(chain_wh, sid)
    assert daily.loc[0, "affected"] == 2 and daily.loc[0, "output_lost"] == pytest.approx(120.0)
    assert daily["output_lost"].sum() == pytest.approx(1702.4)
    w = weekly(daily)
    assert w["week"].tolist() == [1, 2] and w["output_lost"].sum() == pytest.approx(1702.4)


def test_rerun_replaces_and_scenarios_compare(chain_wh):
    a, _, _ = run_scenario(chain_wh, Scenario("region", APR1, 10, 14, region="310000"))
    run_scenario(chain_wh, Scenario("region", APR1, 10, 14, region="310000"))
    b, _, _ = run_scenario(chain_wh, Scenario("enterprise", APR1, 10, 14, usccs=(U["E1"],)))
    assert len(store.scenarios(chain_wh)) == 2
    cmp = store.compare_scenarios(chain_wh, [a, b]).set_index("scenario_id")
    # E1 alone: E1 10 days (no E2 gap on day 10) = 1000; E3: 7×.4 = 2.8 → 140; E6: 10×.6 = 6 → 180;
    # E5: E6 gaps .6 × 10 days from day 2, stock 2: day 5 .04, days 6–11 .06 → .40 → 120. Total 1440.
    assert cmp.loc[b, "output_lost"] == pytest.approx(1440.0)
    assert cmp.loc[a, "output_lost"] > cmp.loc[b, "output_lost"]


def test_material_shortage_caps_the_using_segments(chain_wh):
    # 碳酸锂 红 → 40% unavailable. Members using it: E7 锂盐 (share .6 → cap 1 − .24 = .76),
    # E2 正极材料 (.5 → .8), E4 电芯/动力电池 (.3 → .88).
    sid, _, _ = run_scenario(chain_wh, Scenario("material", APR1, 5, 5, material="lithium_carbonate", level="红"))
    ents = store.scenario_enterprises(chain_wh, sid).set_index("uscc")
    direct = ents[ents["direct"]]["min_level"]
    assert direct.to_dict() == pytest.approx({U["E7"]: .76, U["E2"]: .8, U["E4"]: .88})
    # E1 (E2's customer, weight .4, no stock): days 1–4 at 1 − .2×.4 = .92
    assert ents.loc[U["E1"], "min_level"] == pytest.approx(.92)


def test_bad_scenarios_are_refused(chain_wh):
    with pytest.raises(ChainError, match="没有"):
        run_scenario(chain_wh, Scenario("region", APR1, 10, 14, region="110000"))
    with pytest.raises(ChainError, match="黄 或 红"):
        run_scenario(chain_wh, Scenario("material", APR1, 5, 5, material="lithium_carbonate", level="蓝"))
    with pytest.raises(ChainError, match="不超过模拟天数"):
        run_scenario(chain_wh, Scenario("region", APR1, 10, 5, region="310000"))
    assert store.scenarios(chain_wh).empty
