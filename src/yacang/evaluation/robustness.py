"""Robustness of a ranking: Monte Carlo rank intervals, agreement between methods, the decisive indicator.

- Rank intervals: weights drawn around the system's weights (each × U(1 − spread, 1 + spread),
  renormalised), the ranking recomputed per draw (vetoed/excluded regions stay out); the 5th–95th
  percentile of each region's rank, its min–max and the share of draws at its base rank.
- Method agreement: Spearman's ρ and Kendall's τ between the rankings of the methods, and each
  region's rank range across methods.
- Decisive indicator: each indicator dropped in turn (weights renormalised); the one whose removal
  moves a region's rank most (and the direction) is the indicator that holds the region where it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import kendalltau, spearmanr

from yacang.evaluation import engine
from yacang.evaluation.scoring import EvalInput, EvalResult, score
from yacang.evaluation.system import IndicatorSystem


@dataclass
class Intervals:
    table: pd.DataFrame  # region, name, rank, p05, p95, min, max, stable_share
    draws: int
    spread: float
    seed: int


def _bonus(res: EvalResult) -> np.ndarray:
    return res.bonus.to_numpy()[:, None]


def _ranked(res: EvalResult, weights: np.ndarray) -> Iterator[tuple[dict, np.ndarray]]:
    """For each ranked region: its region, name and rank, and its ranks under each row of ``weights``."""
    s = engine.scores(res.norm.to_numpy(), weights, res.method) + _bonus(res)
    eligible = res.eligible()
    rk = engine.ranks(s, eligible)
    for i, region in enumerate(res.regions):
        if eligible[i]:
            yield {"region": region, "name": res.inp.names.get(region, region), "rank": int(res.rank[region])}, rk[i]


def rank_intervals(res: EvalResult, draws: int = 1000, spread: float = 0.2, seed: int = 2022) -> Intervals:
    base = np.array([res.weights.values[c] for c in res.system.codes])
    w = engine.perturbed_weights(base, draws, spread, seed)
    rows = [{**head, "p05": int(np.floor(np.percentile(x, 5))), "p95": int(np.ceil(np.percentile(x, 95))),
             "min": int(x.min()), "max": int(x.max()), "stable_share": float((x == head["rank"]).mean())}
            for head, x in _ranked(res, w)]
    cols = ["region", "name", "rank", "p05", "p95", "min", "max", "stable_share"]
    table = pd.DataFrame(rows, columns=cols).sort_values(["rank", "region"]).reset_index(drop=True)
    return Intervals(table, draws, spread, seed)


def method_agreement(system: IndicatorSystem, inp: EvalInput,
                     methods: tuple[str, ...] = engine.METHODS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pairwise ρ/τ between methods, and ranks per region and method (with the range)."""
    results = {m: score(system, inp, m) for m in methods}
    first = results[methods[0]]
    keep = first.rank > 0
    ranks = pd.DataFrame({m: r.rank[keep] for m, r in results.items()})
    ranks.insert(0, "name", [inp.names.get(c, c) for c in ranks.index])
    ranks["range"] = ranks[list(methods)].max(axis=1) - ranks[list(methods)].min(axis=1)
    pairs = []
    for i, a in enumerate(methods):
        for b in methods[i + 1:]:
            pairs.append({"a": a, "b": b, "spearman": float(spearmanr(ranks[a], ranks[b]).statistic),
                          "kendall": float(kendalltau(ranks[a], ranks[b]).statistic)})
    return pd.DataFrame(pairs), ranks


def decisive_indicator(res: EvalResult) -> pd.DataFrame:
    """Per ranked region: the indicator whose removal moves its rank most, and by how much."""
    codes = res.system.codes
    base = np.array([res.weights.values[c] for c in codes])
    scen = np.tile(base, (len(codes), 1))
    np.fill_diagonal(scen, 0.0)
    sums = scen.sum(axis=1, keepdims=True)
    scen = np.divide(scen, sums, out=np.zeros_like(scen), where=sums > 0)
    rows = []
    for head, x in _ranked(res, scen):
        shift = x - head["rank"]  # positive: falls without the indicator
        k = int(np.argmax(np.abs(shift)))
        rows.append({**head, "indicator": res.system.indicator(codes[k]).name, "shift": int(shift[k]),
                     "meaning": ("不计该指标时名次不变" if shift[k] == 0 else
                                 f"不计该指标时{'下降' if shift[k] > 0 else '上升'} {abs(int(shift[k]))} 位")})
    return pd.DataFrame(rows).sort_values(["rank", "region"]).reset_index(drop=True)
