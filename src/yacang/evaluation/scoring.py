"""Score regions of one level on an indicator system, and explain every score.

Steps: vetoes by rule (on raw values) and by flag (submitted or recorded) → normalisation per
indicator (:mod:`normalise`) → data gaps treated by the system's policy and listed per region (never
silently 0) → weights (:mod:`weights`) → method (weighted sum here; TOPSIS and VIKOR through pymcdm)
→ bonus points (capped) → competition ranks (ties share a rank) among regions not vetoed or excluded.
The explanation of a region gives, per indicator, its value, normalised score, weight, points
(100·w·r) and points lost against the best region, summed per group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pymcdm.methods import TOPSIS, VIKOR

from yacang.evaluation import engine
from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.normalise import normalise
from yacang.evaluation.system import GAP_POLICIES, IndicatorSystem
from yacang.evaluation.weights import Weights, system_weights


@dataclass
class EvalInput:
    """Values of the indicators for regions of one level and period.

    ``values``: index region code, one column per indicator code (NaN = gap). ``notes``: same shape,
    optional text per cell (e.g. how a value was estimated). ``vetoes``/``bonuses``: region → codes.
    ``national``: national value per indicator (for thresholds such as ``national+3``).
    """

    values: pd.DataFrame
    names: dict[str, str]
    period: str
    level: str = "province"
    source: str = ""
    notes: pd.DataFrame | None = None
    vetoes: dict[str, list[str]] = field(default_factory=dict)
    bonuses: dict[str, list[str]] = field(default_factory=dict)
    national: dict[str, float] = field(default_factory=dict)


@dataclass
class EvalResult:
    system: IndicatorSystem
    method: str
    inp: EvalInput
    raw: pd.DataFrame
    norm: pd.DataFrame  # gaps treated
    imputed: pd.DataFrame  # bool
    weights: Weights
    base: pd.Series  # 0–100 before bonus
    bonus: pd.Series
    score: pd.Series
    rank: pd.Series  # 0 = not ranked (vetoed / excluded)
    vetoed: dict[str, list[str]]
    excluded: list[str]
    notes: list[str]

    @property
    def regions(self) -> list[str]:
        return list(self.raw.index)

    def eligible(self) -> np.ndarray:
        return (self.rank > 0).to_numpy()

    def table(self) -> pd.DataFrame:
        """One row per region, ranked first (then vetoed/excluded), for printing and storing."""
        df = pd.DataFrame({"region": self.regions, "name": [self.inp.names.get(r, r) for r in self.regions],
                           "base": self.base.to_numpy(), "bonus": self.bonus.to_numpy(),
                           "score": self.score.to_numpy(), "rank": self.rank.to_numpy()})
        df["status"] = ["一票否决：" + "、".join(self.vetoed[r]) if r in self.vetoed
                        else ("数据不全，不参加排名" if r in self.excluded else "") for r in self.regions]
        df["gaps"] = [int(self.imputed.loc[r].sum()) for r in self.regions]
        df["remark"] = [self.remark(r) for r in self.regions]
        df["_order"] = np.where(df["rank"] > 0, df["rank"], 10_000)
        return df.sort_values(["_order", "score", "region"], ascending=[True, False, True]).drop(
            columns="_order").reset_index(drop=True)

    def remark(self, region: str) -> str:
        """Notes on how this region's values were obtained, leaving out those shared by every region."""
        notes = self.inp.notes
        if notes is None:
            return ""
        shared = {c for c in notes.columns if notes[c].nunique(dropna=False) == 1}
        texts = [notes.at[region, c] for c in notes.columns if c not in shared]
        return "；".join(dict.fromkeys(t for t in texts if isinstance(t, str) and t))

    def explain(self, region: str) -> dict:
        if region not in self.raw.index:
            raise EvaluationError(f"地区 {region} 不在本次评价范围内")
        best = self.norm.max(axis=0)
        rows = []
        for ind in self.system.indicators:
            c = ind.code
            w = self.weights.values[c]
            raw = self.raw.at[region, c]
            note = "" if self.inp.notes is None or c not in self.inp.notes else self.inp.notes.at[region, c]
            rows.append({
                "code": c, "name": ind.name, "group": ind.group, "unit": ind.unit, "direction": ind.direction_zh,
                "value": None if pd.isna(raw) else float(raw), "note": note if isinstance(note, str) else "",
                "imputed": bool(self.imputed.at[region, c]), "norm": float(self.norm.at[region, c]),
                "weight": w, "points": 100 * w * float(self.norm.at[region, c]),
                "lost": 100 * w * float(best[c] - self.norm.at[region, c]),
            })
        groups = []
        for g in self.system.groups:
            mine = [r for r in rows if r["group"] == g.code]
            groups.append({"code": g.code, "name": g.name, "weight": sum(r["weight"] for r in mine),
                           "points": sum(r["points"] for r in mine), "lost": sum(r["lost"] for r in mine)})
        gaps = [{"indicator": r["name"], "treatment": GAP_POLICIES[self.system.gaps]} for r in rows if r["imputed"]]
        return {"region": region, "name": self.inp.names.get(region, region), "method": self.method,
                "score": float(self.score[region]), "base": float(self.base[region]),
                "bonus": float(self.bonus[region]), "rank": int(self.rank[region]),
                "ranked": int((self.rank > 0).sum()), "vetoes": self.vetoed.get(region, []),
                "excluded": region in self.excluded, "indicators": rows, "groups": groups, "gaps": gaps}


def score(system: IndicatorSystem, inp: EvalInput, method: str = "wsum", *,
          weights: Weights | None = None) -> EvalResult:
    """Score and rank the regions of ``inp`` with ``method`` (wsum / topsis / vikor)."""
    if method not in engine.METHODS:
        raise EvaluationError(f"未知的评价方法“{method}”（可用 {', '.join(engine.METHODS)}）")
    if inp.values.empty:
        raise EvaluationError("没有参评地区")
    if inp.values.index.duplicated().any():
        dup = inp.values.index[inp.values.index.duplicated()].tolist()
        raise EvaluationError(f"地区重复：{', '.join(map(str, dup))}")
    missing_cols = [i.name for i in system.indicators if i.code not in inp.values.columns]
    if missing_cols:
        raise EvaluationError(f"输入缺少指标列：{'、'.join(missing_cols)}（请补齐数据或改用其他指标体系）")
    raw = inp.values[system.codes].apply(pd.to_numeric, errors="coerce").astype(float)
    bad = ~np.isfinite(raw.to_numpy()) & ~np.isnan(raw.to_numpy())
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise EvaluationError(f"地区 {raw.index[i]} 指标 {raw.columns[j]} 的数值不是有限数")
    notes: list[str] = []
    vetoed = _vetoes(system, inp, raw)
    norm = pd.DataFrame(index=raw.index, columns=system.codes, dtype=float)
    for ind in system.indicators:
        col, col_notes = normalise(ind, raw[ind.code].to_numpy(), inp.national.get(ind.code))
        norm[ind.code] = col
        notes.extend(col_notes)
    imputed = norm.isna()
    all_gap = [system.indicator(c).name for c in system.codes if imputed[c].all()]
    if all_gap:
        raise EvaluationError(f"指标 {'、'.join(all_gap)} 在所有地区均缺值，无法评价")
    excluded: list[str] = []
    if imputed.to_numpy().any():
        if system.gaps == "worst":
            norm = norm.fillna(norm.min(axis=0))
        else:
            norm = norm.fillna(norm.median(axis=0))
            if system.gaps == "exclude":
                excluded = [r for r in raw.index if imputed.loc[r].any()]
        notes.append(f"缺值 {int(imputed.to_numpy().sum())} 项：{GAP_POLICIES[system.gaps]}（逐地区列明）")
    if weights is None:
        weights = system_weights(system, norm.to_numpy())
    w = np.array([weights.values[c] for c in system.codes])
    r = norm.to_numpy()
    base = _method_scores(method, r, w)
    bonus = pd.Series(0.0, index=raw.index)
    points = {b.code: b.points for b in system.bonuses}
    for region, codes in inp.bonuses.items():
        unknown = [c for c in codes if c not in points]
        if unknown:
            raise EvaluationError(f"地区 {region} 的加分项 {', '.join(unknown)} 不在指标体系中")
        if region in bonus.index:
            bonus[region] = min(sum(points[c] for c in codes), system.bonus_cap)
    base_s = pd.Series(base, index=raw.index)
    final = base_s + bonus
    eligible = np.array([r_ not in vetoed and r_ not in excluded for r_ in raw.index])
    rank = pd.Series(engine.ranks(final.to_numpy(), eligible)[:, 0], index=raw.index)
    return EvalResult(system=system, method=method, inp=inp, raw=raw, norm=norm, imputed=imputed,
                      weights=weights, base=base_s, bonus=bonus, score=final, rank=rank, vetoed=vetoed,
                      excluded=excluded, notes=notes)


def _method_scores(method: str, r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """One weight vector: weighted sum here, TOPSIS and VIKOR through pymcdm (0–100, higher better)."""
    if method == "wsum":
        return 100 * r @ w
    types = np.ones(r.shape[1])
    if method == "topsis":
        pref = TOPSIS(normalization_function=lambda x, cost=False: x)(r, w, types, validation=False)
        return 100 * np.asarray(pref)
    spread = r.max(axis=0) - r.min(axis=0) > 1e-12  # VIKOR cannot use a constant column (it adds nothing)
    if spread.sum() == 0:
        return np.full(r.shape[0], 100.0)
    q = VIKOR()(r[:, spread], w[spread], types[spread], validation=False)
    return 100 * (1 - np.asarray(q))


def _vetoes(system: IndicatorSystem, inp: EvalInput, raw: pd.DataFrame) -> dict[str, list[str]]:
    names = {v.code: v.name for v in system.vetoes}
    out: dict[str, list[str]] = {}
    for region, codes in inp.vetoes.items():
        unknown = [c for c in codes if c not in names]
        if unknown:
            raise EvaluationError(f"地区 {region} 的否决项 {', '.join(unknown)} 不在指标体系中")
        if region in raw.index and codes:
            out.setdefault(region, []).extend(names[c] for c in codes)
    for v in system.vetoes:
        if v.indicator is None:
            continue
        col = raw[v.indicator]
        hit = pd.Series(False, index=raw.index)
        if v.below is not None:
            hit |= col < v.below
        if v.above is not None:
            hit |= col > v.above
        for region in raw.index[hit.fillna(False).to_numpy()]:
            out.setdefault(region, []).append(v.name)
    return out
