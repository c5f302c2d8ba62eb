"""Each method against a hand computation on a 4-region × 4-indicator table.

Normalised matrix r (worked out by hand, 1 = best):
  x1 正向 min–max (10, 8, 6, 4):        (x − 4)/6        → A 1, B 2/3, C 1/3, D 0
  x2 逆向 min–max (5, 3, 1, 1):         (5 − x)/4        → A 0, B 0.5, C 1,   D 1
  x3 功效系数 满意 8 不允许 4 (9,6,4,2): 60 + 40(x−4)/4 capped [60,100], /100 → A 1, B 0.8, C 0.6, D 0.6
  x4 目标 5 (5, 2.5, 4, 6):             x/5 capped 1     → A 1, B 0.5, C 0.8, D 1
Weights w = (0.4, 0.3, 0.2, 0.1).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from tests.evaluation.helpers import VALUES, small_input, small_system_fixed_weights
from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.scoring import score

R_HAND = np.array([[1, 0, 1, 1], [2 / 3, 0.5, 0.8, 0.5], [1 / 3, 1, 0.6, 0.8], [0, 1, 0.6, 1]])


def test_normalised_matrix_and_weights_by_hand():
    res = score(small_system_fixed_weights(), small_input())
    assert np.allclose(res.norm.to_numpy(), R_HAND)
    assert res.weights.values == pytest.approx({"x1": 0.4, "x2": 0.3, "x3": 0.2, "x4": 0.1})


def test_weighted_sum_by_hand():
    # A: .4·1 + .3·0 + .2·1 + .1·1                = .70
    # B: .4·2/3 + .3·.5 + .2·.8 + .1·.5           = .26667 + .15 + .16 + .05 = .62667
    # C: .4·1/3 + .3·1 + .2·.6 + .1·.8            = .13333 + .3 + .12 + .08  = .63333
    # D: 0 + .3 + .12 + .1                         = .52
    res = score(small_system_fixed_weights(), small_input(), "wsum")
    assert res.score.to_dict() == pytest.approx({"A": 70, "B": 62.6667, "C": 63.3333, "D": 52}, abs=1e-3)
    assert res.rank.to_dict() == {"A": 1, "C": 2, "B": 3, "D": 4}
    ex = res.explain("B")
    # points per indicator = 100·w·r; lost = 100·w·(best r − r)
    assert [round(r["points"], 3) for r in ex["indicators"]] == [26.667, 15.0, 16.0, 5.0]
    assert [round(r["lost"], 3) for r in ex["indicators"]] == [13.333, 15.0, 4.0, 5.0]
    g = {x["code"]: x for x in ex["groups"]}
    assert g["g1"]["points"] == pytest.approx(41.667, abs=1e-3) and g["g2"]["points"] == pytest.approx(21.0)


def test_topsis_by_hand():
    # weighted v = w·r; ideal = column max of v, anti-ideal = column min (r max 1,1,1,1; min 0,0,.6,.5)
    # A: D+ = √(.3²) = .3;                       D− = √(.4² + (.2·.4)² + (.1·.5)²) = √.1689 = .410974
    # B: D+ = √((.4/3)² + .15² + .04² + .05²) = √.0443778 = .210660; D− = √((.8/3)² + .15² + .04²) = .308563
    # C: D+ = √((.8/3)² + .08² + .02²) = .279126;  D− = √((.4/3)² + .3² + .03²) = .329663
    # D: D+ = √(.4² + (.2·.4)²) = √.1664 = .407922;       D− = √(.3² + (.1·.5)²) = .304138
    hand = {"A": .410974 / (.3 + .410974), "B": .308563 / (.210660 + .308563),
            "C": .329663 / (.279126 + .329663), "D": .304138 / (.407922 + .304138)}
    res = score(small_system_fixed_weights(), small_input(), "topsis")
    assert res.score.to_dict() == pytest.approx({k: 100 * v for k, v in hand.items()}, abs=1e-3)
    assert res.rank.to_dict() == {"B": 1, "A": 2, "C": 3, "D": 4}


def test_vikor_by_hand():
    # d = (max r − r)/(max r − min r): x1 (0, 1/3, 2/3, 1), x2 (1, .5, 0, 0), x3 (0, .5, 1, 1), x4 (0, 1, .4, 0)
    # S = Σ w·d: A .3, B .48333, C .50667, D .6;   R = max w·d: A .3, B .15, C .26667, D .4
    # Q = .5(S − .3)/.3 + .5(R − .15)/.25: A .3, B .30556, C .57778, D 1
    res = score(small_system_fixed_weights(), small_input(), "vikor")
    q = {"A": .3, "B": .5 * (.18333 / .3), "C": .5 * (.20667 / .3) + .5 * (.11667 / .25), "D": 1.0}
    assert res.score.to_dict() == pytest.approx({k: 100 * (1 - v) for k, v in q.items()}, abs=1e-2)
    assert res.rank.to_dict() == {"A": 1, "B": 2, "C": 3, "D": 4}


def test_inverse_indicator_rewards_lower_values():
    vals = {**VALUES, "x2": [1, 3, 5, 5]}  # 能耗 of A becomes the lowest: A's x2 score 1 instead of 0
    res = score(small_system_fixed_weights(), small_input(vals))
    assert res.norm.loc["A", "x2"] == 1 and res.norm.loc["C", "x2"] == 0
    assert res.score["A"] == pytest.approx(100.0)  # A now best on every indicator


def test_moderate_indicator():
    data = {"code": "m", "name": "适度", "groups": [{"code": "g", "name": "效益", "weight": 1}],
            "indicators": [{"code": "debt", "name": "资产负债率", "group": "g", "direction": "适度",
                            "ideal": [50, 60], "weight": 1}]}
    from yacang.evaluation.system import parse_system

    m = parse_system(data)
    inp = small_input({"debt": [55, 70, 40, 60]})
    # distances to [50, 60]: 0, 10, 10, 0 → 1 − d/10: 1, 0, 0, 1
    res = score(m, inp)
    assert res.norm["debt"].tolist() == [1, 0, 0, 1]


def test_ties_share_a_rank():
    vals = {k: [v[0], v[0], v[2], v[3]] for k, v in VALUES.items()}  # B identical to A
    res = score(small_system_fixed_weights(), small_input(vals))
    assert res.rank.to_dict() == {"A": 1, "B": 1, "C": 3, "D": 4}


def test_flag_veto_and_rule_veto():
    vals = {**VALUES, "x1": [10, 8, -1, 4]}  # C's growth is negative: rule veto
    res = score(small_system_fixed_weights(), small_input(vals, vetoes={"A": ["safety"]}))
    assert res.rank["A"] == 0 and res.vetoed["A"] == ["重大安全生产事故"]
    assert res.rank["C"] == 0 and res.vetoed["C"] == ["增速为负"]
    assert sorted(res.rank[res.rank > 0].tolist()) == [1, 2]
    table = res.table()
    assert table.loc[table["region"] == "A", "status"].item() == "一票否决：重大安全生产事故"
    with pytest.raises(EvaluationError, match="否决项"):
        score(small_system_fixed_weights(), small_input(vetoes={"A": ["nope"]}))


def test_bonus_is_capped():
    res = score(small_system_fixed_weights(), small_input(bonuses={"D": ["cluster", "pilot"]}))
    assert res.bonus["D"] == 3  # 2 + 2 capped at 3
    assert res.score["D"] == pytest.approx(52 + 3)


def test_missing_value_is_imputed_and_reported():
    vals = {**VALUES, "x1": [10, math.nan, 6, 4]}
    res = score(small_system_fixed_weights(), small_input(vals))
    # min–max on (10, 6, 4): A 1, C 1/3, D 0; B imputed with the median of those = 1/3, never 0
    assert res.norm.loc["B", "x1"] == pytest.approx(1 / 3)
    ex = res.explain("B")
    assert ex["gaps"] == [{"indicator": "增速", "treatment": "以同级地区中位数（标准化后）补齐"}]
    assert ex["indicators"][0]["imputed"] and ex["indicators"][0]["value"] is None
    assert any("缺值 1 项" in n for n in res.notes)


def test_missing_value_policies_worst_and_exclude():
    vals = {**VALUES, "x1": [10, math.nan, 6, 4]}
    worst = score(replace(small_system_fixed_weights(), gaps="worst"), small_input(vals))
    assert worst.norm.loc["B", "x1"] == 0.0
    excl = score(replace(small_system_fixed_weights(), gaps="exclude"), small_input(vals))
    assert excl.rank["B"] == 0 and excl.excluded == ["B"]
    assert excl.table().iloc[-1]["status"] == "数据不全，不参加排名"


def test_indicator_missing_everywhere_is_an_error():
    vals = {**VALUES, "x4": [math.nan] * 4}
    with pytest.raises(EvaluationError, match="所有地区均缺值"):
        score(small_system_fixed_weights(), small_input(vals))
    with pytest.raises(EvaluationError, match="缺少指标列"):
        score(small_system_fixed_weights(), small_input({"x1": [1, 2, 3, 4]}))


def test_non_finite_value_is_refused():
    vals = {**VALUES, "x1": [10, math.inf, 6, 4]}
    with pytest.raises(EvaluationError, match="有限数"):
        score(small_system_fixed_weights(), small_input(vals))
