"""Weighting methods: AHP (eigenvector, consistency ratio), entropy, CRITIC, and the system's blend.

AHP weights come from pymcdm (principal eigenvector); the consistency ratio uses Saaty's random index
(RI 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for n = 3…10), the table Chinese evaluation
practice cites; a matrix with CR above the system's threshold (0.10) is refused. Entropy follows the
usual Chinese practice on the direction-adjusted, min–max normalised matrix with 0·ln 0 = 0; CRITIC
is pymcdm's. A column with no spread carries no information and gets weight 0 (reported).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pymcdm.weights import critic_weights
from pymcdm.weights.subjective import AHP

from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.system import WEIGHTING_ZH, IndicatorSystem

SAATY_RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
            11: 1.51, 12: 1.54, 13: 1.56, 14: 1.57, 15: 1.59}


@dataclass
class AhpResult:
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float


@dataclass
class Weights:
    """Final weights per indicator (sum 1) and how they were obtained."""

    values: dict[str, float]
    group: dict[str, float]
    subjective: dict[str, float]
    objective: dict[str, float] | None = None
    checks: list[str] = field(default_factory=list)  # AHP CRs and notes, in Chinese


def ahp(matrix, *, threshold: float = 0.10, where: str = "") -> AhpResult:
    """Eigenvector weights of a positive reciprocal matrix; refuses CR > threshold."""
    m = np.asarray(matrix, dtype=float)
    n = m.shape[0]
    if n == 1:
        return AhpResult(np.array([1.0]), 1.0, 0.0, 0.0)
    w = np.asarray(AHP(matrix=m)(), dtype=float)
    lam = float(np.max(np.linalg.eigvals(m).real))
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = SAATY_RI.get(n)
    if ri is None:
        raise EvaluationError(f"{where}：AHP 判断矩阵阶数 {n} 超出随机一致性指标表（最多 15）")
    cr = ci / ri if ri > 0 else 0.0
    if cr > threshold:
        raise EvaluationError(f"{where}：AHP 判断矩阵一致性检验未通过（λmax={lam:.4f}，CI={ci:.4f}，"
                              f"CR={cr:.4f} > {threshold:.2f}），请调整判断矩阵后重试")
    return AhpResult(w / w.sum(), lam, ci, cr)


def entropy(norm: np.ndarray) -> np.ndarray:
    """Entropy weights of a non-negative, direction-adjusted matrix (rows: regions)."""
    x = np.asarray(norm, dtype=float)
    n = x.shape[0]
    if n < 2:
        raise EvaluationError("熵权法至少需要 2 个地区")
    col = x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(col > 0, x / col, 0.0)
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    d = np.where(col > 0, 1 - e, 0.0)
    if d.sum() <= 0:
        return np.full(x.shape[1], 1.0 / x.shape[1])
    return d / d.sum()


def critic(norm: np.ndarray) -> np.ndarray:
    """CRITIC weights (pymcdm); constant columns get 0."""
    x = np.asarray(norm, dtype=float)
    spread = x.max(axis=0) - x.min(axis=0)
    keep = spread > 1e-12
    out = np.zeros(x.shape[1])
    if keep.sum() == 1:
        out[keep] = 1.0
    elif keep.sum() > 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            w = critic_weights(x[:, keep])
        # every column perfectly correlated (e.g. 2 regions, one better everywhere): no information, equal weights
        out[keep] = w if np.all(np.isfinite(w)) else 1.0 / keep.sum()
    return out


def objective_weights(method: str, norm: np.ndarray) -> np.ndarray:
    if method == "entropy":
        return entropy(norm)
    if method == "critic":
        return critic(norm)
    if method == "equal":
        return np.full(norm.shape[1], 1.0 / norm.shape[1])
    raise EvaluationError(f"未知的客观赋权方法：{method}")


def system_weights(system: IndicatorSystem, norm: np.ndarray) -> Weights:
    """The system's weights given the normalised matrix (columns in ``system.codes`` order).

    ``norm`` is the direction-adjusted normalised matrix in [0, 1] (gaps already treated), used by the
    objective methods; expert and AHP weights do not depend on it.
    """
    codes = system.codes
    checks: list[str] = []
    if system.group_weighting == "ahp":
        res = ahp(system.group_ahp, threshold=system.cr_threshold, where=f"{system.name} 维度判断矩阵")
        gw = dict(zip([g.code for g in system.groups], res.weights, strict=True))
        checks.append(f"维度层 AHP：λmax={res.lambda_max:.4f}，CR={res.cr:.4f}（≤{system.cr_threshold:.2f}，通过）")
    else:
        total = sum(g.weight for g in system.groups)
        gw = {g.code: g.weight / total for g in system.groups}
    sub: dict[str, float] = {}
    for g in system.groups:
        members = system.members(g.code)
        idx = [codes.index(i.code) for i in members]
        if g.within == "expert":
            raw = np.array([i.weight for i in members], dtype=float)
            within = raw / raw.sum()
        elif g.within == "ahp":
            res = ahp(g.ahp, threshold=system.cr_threshold, where=f"{system.name} 维度“{g.name}”判断矩阵")
            within = res.weights
            if len(members) > 2:
                checks.append(f"“{g.name}”AHP：λmax={res.lambda_max:.4f}，CR={res.cr:.4f}（通过）")
        else:
            within = objective_weights(g.within, norm[:, idx])
        for ind, w in zip(members, within, strict=True):
            sub[ind.code] = float(gw[g.code] * w)
    obj = None
    final = dict(sub)
    if system.objective is not None:
        ow = objective_weights(system.objective, norm)
        obj = dict(zip(codes, map(float, ow), strict=True))
        final = {c: system.alpha * sub[c] + (1 - system.alpha) * obj[c] for c in codes}
        checks.append(f"组合赋权：主观权重×{system.alpha:.2f} + {WEIGHTING_ZH[system.objective]}客观权重×"
                      f"{1 - system.alpha:.2f}")
    total = sum(final.values())
    if not (np.isfinite(total) and total > 0) or not all(np.isfinite(v) and v >= 0 for v in final.values()):
        raise EvaluationError(f"{system.name}：权重计算结果无效（请检查数据是否足以计算客观权重）")
    final = {c: v / total for c, v in final.items()}
    return Weights(values=final, group=gw, subjective=sub, objective=obj, checks=checks)
