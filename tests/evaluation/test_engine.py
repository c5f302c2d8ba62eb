"""The vectorised engine equals pymcdm (documented examples, random draws) and the robustness tools."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm.methods import TOPSIS, VIKOR

from tests.evaluation.helpers import VALUES, small_input, small_system_fixed_weights
from yacang.evaluation import engine
from yacang.evaluation.normalise import normalise
from yacang.evaluation.robustness import decisive_indicator, method_agreement, rank_intervals
from yacang.evaluation.scoring import score
from yacang.evaluation.system import Indicator


def test_topsis_pymcdm_documented_example():
    # pymcdm docs: matrix [[1,2,5],[3000,3750,4500]]ᵀ, weights (.5,.5), types (−1, 1) → (0.500, 0.617, 0.500)
    cost = Indicator("c", "c", "g", "", "cost")
    benefit = Indicator("b", "b", "g", "", "benefit")
    r = np.column_stack([normalise(cost, np.array([1, 2, 5]))[0], normalise(benefit, np.array([3000, 3750, 4500]))[0]])
    s = engine.scores(r, np.array([0.5, 0.5]), "topsis")[:, 0] / 100
    assert np.round(s, 3).tolist() == [0.5, 0.617, 0.5]


def test_vikor_pymcdm_documented_example():
    # pymcdm docs: 5×4 matrix, equal weights, all profit → Q = (0.5679, 0.7667, 1, 0.7493, 0)
    m = np.array([[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]], float)
    q = 1 - engine.scores(m, np.full(4, 0.25), "vikor")[:, 0] / 100
    assert np.round(q, 4).tolist() == [0.5679, 0.7667, 1.0, 0.7493, 0.0]


@pytest.mark.parametrize("method", ["topsis", "vikor"])
def test_engine_equals_pymcdm_for_each_draw(method):
    rng = np.random.default_rng(7)
    r = rng.random((30, 6))
    w = engine.perturbed_weights(np.full(6, 1 / 6), 20, 0.5, seed=3)
    fast = engine.scores(r, w, method)
    model = TOPSIS(normalization_function=lambda x, cost=False: x) if method == "topsis" else VIKOR()
    for k in range(w.shape[0]):
        pref = np.asarray(model(r, w[k], np.ones(6), validation=False))
        slow = 100 * pref if method == "topsis" else 100 * (1 - pref)
        assert fast[:, k] == pytest.approx(slow, abs=1e-9)


def test_ranks_ties_and_ineligible():
    rk = engine.ranks(np.array([5.0, 7.0, 7.0, 1.0]), np.array([True, True, True, False]))
    assert rk[:, 0].tolist() == [3, 1, 1, 0]


def test_rank_intervals_contain_base_rank_and_collapse_without_spread():
    res = score(small_system_fixed_weights(), small_input())
    none = rank_intervals(res, draws=50, spread=0.0)
    assert (none.table["p05"] == none.table["rank"]).all() and (none.table["stable_share"] == 1).all()
    wide = rank_intervals(res, draws=500, spread=0.5)
    t = wide.table
    assert ((t["min"] <= t["rank"]) & (t["rank"] <= t["max"])).all()
    # B (62.67) and C (63.33) are 0.67 points apart: perturbing weights by ±50% must swap them sometimes
    assert t.set_index("region").loc["C", "max"] >= 3 and t.set_index("region").loc["B", "min"] <= 2


def test_method_agreement_and_decisive_indicator():
    pairs, ranks = method_agreement(small_system_fixed_weights(), small_input())
    # hand ranks: wsum A1 C2 B3 D4; topsis B1 A2 C3 D4; vikor A1 B2 C3 D4
    assert ranks["wsum"].to_dict() == {"A": 1, "B": 3, "C": 2, "D": 4}
    assert ranks.loc["B", "range"] == 2
    row = pairs[(pairs.a == "wsum") & (pairs.b == "vikor")].iloc[0]
    # ranks (1,3,2,4) vs (1,2,3,4): Σd² = 2 → ρ = 1 − 6·2/(4·15) = 0.8
    assert row["spearman"] == pytest.approx(0.8)
    res = score(small_system_fixed_weights(), small_input())
    dec = decisive_indicator(res).set_index("region")
    # without x2 (能耗, weight .3): A = (.4+.2+.1)/.7 = 100 stays first; D = (.12+.1)/.7 = 31.4 stays last;
    # C = (.1333+.12+.08)/.7 = 47.6 falls below B = (.2667+.16+.05)/.7 = 68.1 → C drops one place
    assert dec.loc["C", "indicator"] == "能耗" and dec.loc["C", "shift"] == 1
    assert VALUES["x2"][2] == 1
