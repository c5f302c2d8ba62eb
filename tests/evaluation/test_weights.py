"""AHP (with a failing consistency check), entropy and CRITIC against hand values and pymcdm's examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pymcdm.weights import entropy_weights
from pymcdm.weights.subjective import AHP

from tests.evaluation.helpers import small_input
from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.scoring import score
from yacang.evaluation.system import load_system, parse_system
from yacang.evaluation.weights import ahp, critic, entropy


def test_ahp_consistent_matrix_by_hand():
    # a_ij = w_i/w_j with w = (4, 2, 1)/7: perfectly consistent, λmax = n = 3, CR = 0
    res = ahp([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    assert res.weights == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert res.lambda_max == pytest.approx(3.0) and res.cr == pytest.approx(0.0, abs=1e-9)


def test_ahp_inconsistent_matrix_is_refused():
    # A ≻ B (9), B ≻ C (9) but C ≻ A (9): circular; λmax ≫ 3, CR far above 0.10
    bad = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(EvaluationError, match="一致性检验未通过"):
        ahp(bad, where="测试矩阵")
    # a system with such a matrix fails when its weights are computed
    system = parse_system({
        "code": "x", "name": "坏矩阵", "weighting": {"groups": "ahp", "group_ahp": [["1", "9", "1/9"],
                                                                              ["1/9", "1", "9"],
                                                                              ["9", "1/9", "1"]]},
        "groups": [{"code": c, "name": c} for c in ("g1", "g2", "g3")],
        "indicators": [{"code": f"x{i}", "name": f"x{i}", "group": g, "direction": "正向", "weight": 1}
                       for i, g in enumerate(("g1", "g2", "g3"), 1)],
    })
    with pytest.raises(EvaluationError, match="CR="):
        score(system, small_input({"x1": [1, 2, 3, 4], "x2": [2, 3, 4, 1], "x3": [4, 3, 2, 1]}))


def test_ahp_matrix_must_be_reciprocal():
    with pytest.raises(EvaluationError, match="正互反"):
        parse_system({"code": "x", "name": "x", "groups": [{"code": "g", "name": "g", "within": "ahp",
                                                           "ahp": [[1, 3], [3, 1]]}],
                      "indicators": [{"code": "a", "name": "a", "group": "g", "direction": "正向"},
                                     {"code": "b", "name": "b", "group": "g", "direction": "正向"}]})


def test_ahp_matches_pymcdm_documented_example():
    # pymcdm docs: AHP(ranking=[1, 2, 4, 3])() → [0.48144852 0.21998235 0.13073309 0.16783605]
    model = AHP(ranking=[1, 2, 4, 3])
    model()
    res = ahp(model.matrix)
    assert res.weights == pytest.approx([0.48144852, 0.21998235, 0.13073309, 0.16783605], abs=1e-6)


def test_entropy_by_hand():
    # column 1: p = (2/3, 1/3, 0); e = −(2/3 ln 2/3 + 1/3 ln 1/3)/ln 3 = 0.579380; d = 0.420620
    # column 2: p = (1/3, 1/3, 1/3); e = 1; d = 0  → weights (1, 0)
    w = entropy(np.array([[1, 0.5], [0.5, 0.5], [0, 0.5]]))
    assert w == pytest.approx([1.0, 0.0])
    # three columns: d3 for p = (1/2, 1/2, 0): e = ln 2/ln 3 = 0.630930, d = 0.369070
    w3 = entropy(np.array([[1, 0.5, 1], [0.5, 0.5, 1], [0, 0.5, 0]]))
    e1 = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3)) / math.log(3)
    d1, d3 = 1 - e1, 1 - math.log(2) / math.log(3)
    assert w3 == pytest.approx([d1 / (d1 + d3), 0, d3 / (d1 + d3)])


def test_entropy_matches_pymcdm_on_positive_matrix():
    m = np.array([[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]], float)
    assert entropy(m) == pytest.approx(entropy_weights(m))


def test_critic_constant_column_gets_zero():
    m = np.array([[1, 0.2, 0.5], [0.5, 0.9, 0.5], [0, 0.4, 0.5], [0.3, 0.1, 0.5]])
    w = critic(m)
    assert w[2] == 0 and w.sum() == pytest.approx(1)
    from pymcdm.weights import critic_weights

    assert w[:2] == pytest.approx(critic_weights(m[:, :2]))


def test_shipped_systems_load_and_pass_consistency():
    for code in ("wenzengzhang", "zhizao_gaozhiliang"):
        s = load_system(code)
        assert s.references and s.vetoes and s.bonuses
        from yacang.evaluation.weights import system_weights

        w = system_weights(s, np.random.default_rng(0).random((8, len(s.indicators))))
        assert sum(w.values.values()) == pytest.approx(1)
        assert all(v > 0 for v in w.values.values())


def test_unknown_direction_is_a_clear_error():
    with pytest.raises(EvaluationError, match="正向/逆向/适度"):
        parse_system({"code": "x", "name": "x", "groups": [{"code": "g", "name": "g", "weight": 1}],
                      "indicators": [{"code": "a", "name": "a", "group": "g", "direction": "向上", "weight": 1}]},
                     "bad.yaml")


def test_critic_without_information_falls_back_to_equal_weights():
    # 2 regions, the first better on every indicator: every correlation is +1, so Σ(1 − r) = 0 for every
    # column and pymcdm's CRITIC divides 0 by 0
    w = critic(np.array([[1.0, 0.8, 0.3], [0.0, 0.1, 0.2]]))
    assert w == pytest.approx([1 / 3, 1 / 3, 1 / 3])
