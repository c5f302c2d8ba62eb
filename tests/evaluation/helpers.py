"""A 4-region × 4-indicator table whose scores are worked out by hand in the tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yacang.evaluation.scoring import EvalInput
from yacang.evaluation.system import parse_system

REGIONS = ["A", "B", "C", "D"]
# x1 正向 min–max; x2 逆向 min–max; x3 正向 功效系数 (满意值 8, 不允许值 4); x4 正向 目标达成度 (目标 5)
VALUES = {"x1": [10, 8, 6, 4], "x2": [5, 3, 1, 1], "x3": [9, 6, 4, 2], "x4": [5, 2.5, 4, 6]}
WEIGHTS = {"x1": 0.4, "x2": 0.3, "x3": 0.2, "x4": 0.1}


def small_system(**overrides):
    data = {
        "code": "small", "name": "小表",
        "groups": [{"code": "g1", "name": "增长", "weight": 0.6, "within": "expert"},
                   {"code": "g2", "name": "效益", "weight": 0.4, "within": "expert"}],
        "indicators": [
            {"code": "x1", "name": "增速", "group": "g1", "unit": "%", "direction": "正向", "weight": 0.4 / 0.6},
            {"code": "x2", "name": "能耗", "group": "g1", "unit": "吨", "direction": "逆向", "weight": 0.2 / 0.6},
            {"code": "x3", "name": "利润率", "group": "g2", "unit": "%", "direction": "正向",
             "normalisation": "efficacy", "good": 8, "bad": 4, "weight": 0.2 / 0.4},
            {"code": "x4", "name": "研发强度", "group": "g2", "unit": "%", "direction": "正向",
             "normalisation": "target", "target": 5, "weight": 0.2 / 0.4},
        ],
        "vetoes": [{"code": "safety", "name": "重大安全生产事故"},
                   {"code": "decline", "name": "增速为负", "indicator": "x1", "below": 0}],
        "bonuses": [{"code": "cluster", "name": "先进制造业集群", "points": 2},
                    {"code": "pilot", "name": "试验区", "points": 2}],
        "bonus_cap": 3,
    }
    data.update(overrides)
    return parse_system(data, "small.yaml")


def small_system_fixed_weights():
    """Weights 0.4/0.3/0.2/0.1: x2 moved to its own weight by giving the groups 0.7 and 0.3."""
    return small_system(
        groups=[{"code": "g1", "name": "增长", "weight": 0.7, "within": "expert"},
                {"code": "g2", "name": "效益", "weight": 0.3, "within": "expert"}],
        indicators=[
            {"code": "x1", "name": "增速", "group": "g1", "unit": "%", "direction": "正向", "weight": 4},
            {"code": "x2", "name": "能耗", "group": "g1", "unit": "吨", "direction": "逆向", "weight": 3},
            {"code": "x3", "name": "利润率", "group": "g2", "unit": "%", "direction": "正向",
             "normalisation": "efficacy", "good": 8, "bad": 4, "weight": 2},
            {"code": "x4", "name": "研发强度", "group": "g2", "unit": "%", "direction": "正向",
             "normalisation": "target", "target": 5, "weight": 1},
        ])


def small_input(values: dict | None = None, **kw) -> EvalInput:
    vals = pd.DataFrame(values or VALUES, index=REGIONS, dtype=float)
    return EvalInput(values=vals, names={r: f"{r}市" for r in REGIONS}, period="2022", level="prefecture",
                     source="手算示例", **kw)


def nan() -> float:
    return float(np.nan)
