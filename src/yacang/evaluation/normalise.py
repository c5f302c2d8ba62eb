"""Normalisation of one indicator column to [0, 1] where 1 is best, following its direction.

- min–max (极差): (x − min)/(max − min) for 正向, (max − x)/(max − min) for 逆向; a column with no
  spread scores 1 for everyone (it cannot separate regions; reported).
- z-score: (x − mean)/sd (population sd), sign flipped for 逆向, then mapped to [0, 1] by Φ (normal CDF)
  so that it can be weighted with the others.
- 功效系数 (efficacy coefficient): d = 60 + 40·(x − 不允许值)/(满意值 − 不允许值), capped to [60, 100]
  (满意值 → 100 分, 不允许值 → 60 分), then /100. For 逆向 the 满意值 is below the 不允许值.
- target attainment (目标达成度): x / target, capped to [0, 1] (逆向: target / x).
- 适度 (moderate): 1 inside the ideal interval [a, b]; outside, 1 − distance/max distance.
Gaps (NaN) stay NaN here; :mod:`yacang.evaluation.scoring` treats them by the system's gap policy.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm as normal

from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.system import Indicator, resolve_threshold
from yacang.formatting import fmt


def normalise(ind: Indicator, x: np.ndarray, national: float | None = None) -> tuple[np.ndarray, list[str]]:
    """Normalised scores in [0, 1] (NaN where x is NaN) and notes about the column."""
    x = np.asarray(x, dtype=float)
    notes: list[str] = []
    ok = ~np.isnan(x)
    out = np.full_like(x, np.nan)
    if not ok.any():
        return out, [f"{ind.name}：所有地区均缺值"]
    v = x[ok]
    if ind.direction == "moderate":
        a, b = ind.ideal
        dist = np.where(v < a, a - v, np.where(v > b, v - b, 0.0))
        worst = dist.max()
        out[ok] = 1.0 if worst == 0 else 1 - dist / worst
        return out, notes
    sign = 1.0 if ind.direction == "benefit" else -1.0
    where = f"指标“{ind.name}”"
    if ind.normalisation == "minmax":
        lo, hi = v.min(), v.max()
        if hi - lo < 1e-12:
            out[ok] = 1.0
            notes.append(f"{ind.name}：各地区数值相同，该指标不区分地区（均计满分）")
        else:
            out[ok] = (v - lo) / (hi - lo) if sign > 0 else (hi - v) / (hi - lo)
    elif ind.normalisation == "zscore":
        sd = v.std()
        if sd < 1e-12:
            out[ok] = 0.5
            notes.append(f"{ind.name}：各地区数值相同，标准分均为 0")
        else:
            out[ok] = normal.cdf(sign * (v - v.mean()) / sd)
    elif ind.normalisation == "efficacy":
        good = resolve_threshold(ind.good, national, where)
        bad = resolve_threshold(ind.bad, national, where)
        if good == bad:
            raise EvaluationError(f"{where}：功效系数法的满意值与不允许值相同")
        d = 60 + 40 * (v - bad) / (good - bad)
        out[ok] = np.clip(d, 60, 100) / 100
        notes.append(f"{ind.name}：功效系数法，满意值 {fmt(good, 2).rstrip('0').rstrip('.')}{ind.unit}、"
                     f"不允许值 {fmt(bad, 2).rstrip('0').rstrip('.')}{ind.unit}（达到满意值计 100 分，"
                     "劣于不允许值计 60 分，其间线性插值）")
    elif ind.normalisation == "target":
        target = resolve_threshold(ind.target, national, where)
        if target is None or target <= 0:
            raise EvaluationError(f"{where}：目标达成度须有正的目标值")
        if sign > 0:
            r = v / target
        else:
            with np.errstate(divide="ignore"):
                r = np.where(v > 0, target / np.where(v > 0, v, 1.0), 1.0)
        out[ok] = np.clip(r, 0, 1)
        notes.append(f"{ind.name}：目标达成度，目标 {target:.2f}{ind.unit}")
    else:  # pragma: no cover - validated when the system is read
        raise EvaluationError(f"{where}：未知的标准化方法 {ind.normalisation}")
    return out, notes
