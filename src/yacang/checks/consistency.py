"""Consistency checks: the same concept from two sources, and 累计 recomputed from 当月 levels.

Tolerances (stated in every output):
- cross-source: NBS and vendors publish one decimal, so two values agree when they are equal to one
  decimal, i.e. ``|a − b| ≤ 0.05`` (PPI: the NBS index 上年同月=100 minus 100 against Wind's 当月同比);
- 累计 from 当月: the sum of published monthly levels differs from the published 累计 by rounding and by
  NBS's same-caliber (同口径) revisions of earlier months; they agree when ``|Σ当月 − 累计| ≤ 1%`` of 累计
  (and at least 0.1 of the unit). Where a 当月 series has no January/February (NBS publishes only the
  1-2月 累计, e.g. 利润总额), the sum starts from the published 1-2月 累计 and checks March onwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yacang.periods import parse_period

CROSS_TOLERANCE = 0.05
YTD_REL_TOLERANCE = 0.01
YTD_ABS_TOLERANCE = 0.1


@dataclass
class Comparison:
    """Two series aligned on their common periods."""

    label: str
    left: str
    right: str
    table: pd.DataFrame  # period, left, right, diff, agree
    only_left: list[str] = field(default_factory=list)
    only_right: list[str] = field(default_factory=list)
    tolerance: str = ""

    @property
    def n_agree(self) -> int:
        return int(self.table["agree"].sum())

    @property
    def mismatches(self) -> pd.DataFrame:
        return self.table[~self.table["agree"]]


def compare(left: pd.Series, right: pd.Series, *, label: str, left_id: str, right_id: str,
            tolerance: float = CROSS_TOLERANCE) -> Comparison:
    """Align two ``period -> value`` series and mark where they agree within ``tolerance``."""
    common = left.index.intersection(right.index)
    t = pd.DataFrame({"period": common, "left": left.loc[common].to_numpy(), "right": right.loc[common].to_numpy()})
    t["diff"] = t["left"] - t["right"]
    t["agree"] = t["diff"].abs() <= tolerance + 1e-9
    t = _sort(t)
    return Comparison(label, left_id, right_id, t.reset_index(drop=True),
                      only_left=_sorted_periods(left.index.difference(right.index)),
                      only_right=_sorted_periods(right.index.difference(left.index)),
                      tolerance=f"|差| ≤ {tolerance:g}")


def ytd_from_monthly(monthly: pd.Series, ytd: pd.Series, *, label: str, monthly_id: str, ytd_id: str,
                     rel: float = YTD_REL_TOLERANCE, absolute: float = YTD_ABS_TOLERANCE) -> Comparison:
    """Sum 当月 levels from January (a merged 1-2月 counts for both months) and compare with 累计.

    Only year-to-dates whose every month is covered are compared.
    """
    sums = cumulate(monthly, ytd)
    common = sums.index.intersection(ytd.index)
    t = pd.DataFrame({"period": common, "left": sums.loc[common].to_numpy(), "right": ytd.loc[common].to_numpy()})
    t["diff"] = t["left"] - t["right"]
    t["agree"] = t["diff"].abs() <= np.maximum(rel * t["right"].abs(), absolute) + 1e-9
    return Comparison(label, monthly_id, ytd_id, _sort(t).reset_index(drop=True),
                      only_right=_sorted_periods(ytd.index.difference(sums.index)),
                      tolerance=f"|Σ当月−累计| ≤ max({rel:.1%}×累计, {absolute:g})")


def cumulate(monthly: pd.Series, ytd: pd.Series | None = None) -> pd.Series:
    """Year-to-date sums ``YYYY-MM -> Σ`` from 当月 levels, only where January..M are all present.

    A year without January/February in ``monthly`` starts from ``ytd``'s February (1-2月 累计).
    """
    out: dict[str, float] = {}
    by_year: dict[int, dict[int, tuple[int, float]]] = {}
    for code, value in monthly.dropna().items():
        p = parse_period(str(code))
        if p.kind in ("month", "jan_feb"):
            by_year.setdefault(p.year, {})[p.end] = (p.start, float(value))
    for year, ends in by_year.items():
        seed = f"{year}-02"
        if 1 not in ends and 2 not in ends and ytd is not None and seed in ytd.index and pd.notna(ytd[seed]):
            ends[2] = (1, float(ytd[seed]))
        total, covered = 0.0, 0
        for end in sorted(ends):
            start, value = ends[end]
            if start != covered + 1:
                break
            total += value
            covered = end
            out[f"{year}-{end:02d}"] = total
    return pd.Series(out, dtype="float64")


def _sort(t: pd.DataFrame) -> pd.DataFrame:
    if t.empty:
        return t
    key = [parse_period(str(p)).sort_key() for p in t["period"]]
    return t.iloc[np.argsort(np.array([k[0].toordinal() * 100 - k[1] for k in key]))]


def _sorted_periods(index: pd.Index) -> list[str]:
    return sorted((str(p) for p in index), key=lambda p: parse_period(p).sort_key())
