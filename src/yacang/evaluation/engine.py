"""Vectorised scores for many weight vectors at once (Monte Carlo, sensitivity, benchmarks).

All functions take the normalised matrix ``r`` (regions × indicators, 1 = best, no gaps) and a matrix
of weight draws ``w`` (draws × indicators, each row summing to 1), and return scores on a 0–100 scale
(regions × draws), higher is better:

- weighted sum: 100 · r · wᵀ;
- TOPSIS on r (no further normalisation): with positive weights the ideal of column k is wₖ·max r_k,
  so D⁺ = √(Σₖ wₖ² (r_ik − max r_k)²) — one matrix product with w²; C = D⁻/(D⁺ + D⁻), score 100·C;
- VIKOR (v = 0.5): d_ik = (max r_k − r_ik)/(max r_k − min r_k) (0 on a constant column),
  S = d · wᵀ, R = maxₖ wₖ d_ik (chunked over draws), Q as Opricovic; score 100·(1 − Q).
These equal pymcdm's TOPSIS/VIKOR on the same matrix and weights (tested).
"""

from __future__ import annotations

import numpy as np

METHODS = ("wsum", "topsis", "vikor")
METHOD_ZH = {"wsum": "加权综合指数法", "topsis": "TOPSIS（逼近理想解）", "vikor": "VIKOR（折衷排序）"}
_TIE_DECIMALS = 9


def scores(r: np.ndarray, w: np.ndarray, method: str, *, v: float = 0.5, chunk: int = 64) -> np.ndarray:
    r = np.asarray(r, dtype=float)
    w = np.atleast_2d(np.asarray(w, dtype=float))
    if method == "wsum":
        return 100 * r @ w.T
    if method == "topsis":
        w2 = (w ** 2).T
        dp = np.sqrt(np.maximum(((r - r.max(axis=0)) ** 2) @ w2, 0))
        dm = np.sqrt(np.maximum(((r - r.min(axis=0)) ** 2) @ w2, 0))
        tot = dp + dm
        return 100 * np.divide(dm, tot, out=np.full_like(tot, 0.5), where=tot > 0)
    if method == "vikor":
        hi, lo = r.max(axis=0), r.min(axis=0)
        span = hi - lo
        d = np.divide(hi - r, span, out=np.zeros_like(r), where=span > 0)
        s = d @ w.T
        big_r = np.empty_like(s)
        for start in range(0, w.shape[0], chunk):
            part = w[start:start + chunk]
            big_r[:, start:start + chunk] = (d[:, None, :] * part[None, :, :]).max(axis=2)
        q = v * _scaled(s) + (1 - v) * _scaled(big_r)
        return 100 * (1 - q)
    raise ValueError(f"unknown method {method}")


def _scaled(x: np.ndarray) -> np.ndarray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = hi - lo
    return np.divide(x - lo, span, out=np.zeros_like(x), where=span > 0)


def ranks(score: np.ndarray, eligible: np.ndarray | None = None) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) per column, higher score first; ineligible rows get 0.

    Scores are rounded to 1e-9 first so that equal scores computed in different order tie. A region's
    rank is 1 + the number of eligible scores strictly above it: one sort per column and a binary search
    (the same ranks as ``scipy.stats.rankdata(-s, method="min")``, several times faster on many columns).
    """
    s = np.round(np.asarray(score, dtype=float), _TIE_DECIMALS)
    if s.ndim == 1:
        s = s[:, None]
    out = np.zeros(s.shape, dtype=np.int32)
    mask = np.ones(s.shape[0], bool) if eligible is None else np.asarray(eligible, bool)
    if not mask.any():
        return out
    cols = -np.ascontiguousarray(s[mask].T)  # one row per draw, best first after sorting
    order = np.argsort(cols, axis=1)  # ties are found by value below, so any sort order will do
    ordered = np.take_along_axis(cols, order, axis=1)
    n = cols.shape[1]
    pos = np.broadcast_to(np.arange(n, dtype=np.int32), cols.shape)
    new = np.ones(cols.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    start = np.maximum.accumulate(np.where(new, pos, 0), axis=1) + 1  # rank of each sorted position
    sub = np.empty(cols.shape, dtype=np.int32)
    np.put_along_axis(sub, order, start.astype(np.int32), axis=1)
    out[mask] = sub.T
    return out


def perturbed_weights(base: np.ndarray, draws: int, spread: float = 0.2, seed: int = 2022) -> np.ndarray:
    """Draws of weights: each base weight times U(1 − spread, 1 + spread), renormalised to sum 1."""
    rng = np.random.default_rng(seed)
    base = np.asarray(base, dtype=float)
    w = base * rng.uniform(1 - spread, 1 + spread, size=(draws, base.size))
    return w / w.sum(axis=1, keepdims=True)
