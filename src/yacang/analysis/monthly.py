"""Monthly series plumbing: one index type, and the merged 1-2月 release made explicit.

Every function of :mod:`yacang.analysis` takes a pandas Series indexed by a monthly ``PeriodIndex``,
a ``DatetimeIndex``, or the warehouse's period codes (``2022-03``, merged ``2022-01/02``).
:func:`as_monthly` turns all three into a regular monthly ``PeriodIndex`` and says which years carry
a merged January–February value; such a value is kept at **February** with January missing, the way
NBS publishes it (no January 当月 figure since 2013).

:func:`expand_jan_feb` then fills January and February from the merged value with a stated rule:

* ``kind="flow"`` (当月值 levels such as 出口交货值 亿元): split by festival-aware day weights
  (:func:`yacang.analysis.calendar.jan_share`: calendar days, festival-window days counting half),
  so that the two months add up to the published total;
* ``kind="rate"`` (当月同比, PMI, other rates and indices): both months take the merged value, the
  NBS reading of a 1-2月 growth rate as the growth of each of the two months.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

JanFebKind = Literal["flow", "rate"]


def _period_of(code: object) -> tuple[pd.Period, bool]:
    text = str(code)
    if text.endswith("-01/02"):
        return pd.Period(f"{text[:4]}-02", freq="M"), True
    return pd.Period(text, freq="M"), False


def as_monthly(series: pd.Series) -> tuple[pd.Series, set[int]]:
    """The series on a complete monthly ``PeriodIndex`` and the set of years with a merged 1-2月.

    Missing months become NaN. A year counts as merged when its period code says so
    (``YYYY-01/02``) or, for a Period/Datetime index, when February is present and January is
    missing — pass such series only if that is what the gap means.
    """
    if series.empty:
        raise ValueError("序列为空，无法分析")
    idx = series.index
    merged: set[int] = set()
    if isinstance(idx, pd.PeriodIndex):
        periods = idx.asfreq("M")
    elif isinstance(idx, pd.DatetimeIndex):
        periods = idx.to_period("M")
    else:
        pairs = [_period_of(c) for c in idx]
        periods = pd.PeriodIndex([p for p, _ in pairs], freq="M")
        merged = {p.year for p, m in pairs if m}
    s = pd.Series(np.asarray(series, dtype=float), index=periods, name=series.name)
    if s.index.has_duplicates:
        dup = s.index[s.index.duplicated()][0]
        raise ValueError(f"序列在 {dup} 有重复值，请先去重（1-2月合并值与1月/2月单月值不能同时出现）")
    s = s.sort_index()
    full = pd.period_range(s.index.min(), s.index.max(), freq="M")
    s = s.reindex(full)
    if isinstance(idx, (pd.PeriodIndex, pd.DatetimeIndex)):
        for year in sorted(set(full.year)):
            jan, feb = pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-02", "M")
            jan_missing = jan not in s.index or pd.isna(s.get(jan))
            if jan_missing and feb in s.index and pd.notna(s[feb]) and jan >= full.min():
                merged.add(year)
    return s, merged


def expand_jan_feb(series: pd.Series, merged_years: set[int], kind: JanFebKind = "rate") -> pd.Series:
    """Fill January and February of each merged year from the merged value (see module doc)."""
    s = series.copy()
    for year in sorted(merged_years):
        jan, feb = pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-02", "M")
        total = s.get(feb)
        if total is None or pd.isna(total):
            continue
        if kind == "flow":
            from yacang.analysis.calendar import jan_share

            share = jan_share(year)
            if jan in s.index:
                s[jan] = total * share
            s[feb] = total * (1 - share)
        elif kind == "rate":
            if jan in s.index:
                s[jan] = total
        else:
            raise ValueError(f"未知的 1-2月 处理方式 {kind!r}，应为 'flow' 或 'rate'")
    return s


def merge_regressor(x: pd.Series, merged_years: set[int]) -> pd.Series:
    """Give January and February of merged years their day-weighted common regressor value.

    After a merged value is split, the data cannot tell January from February, so the regressor
    must not either: both months get ``(31·x_jan + d_feb·x_feb) / (31 + d_feb)``.
    """
    out = x.copy()
    for year in merged_years:
        jan, feb = pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-02", "M")
        if jan in out.index and feb in out.index:
            d_feb = float(feb.days_in_month)
            v = (31.0 * out[jan] + d_feb * out[feb]) / (31.0 + d_feb)
            out[jan] = v
            out[feb] = v
    return out


def to_codes(series: pd.Series, merged_years: set[int] = frozenset()) -> pd.Series:
    """Back to warehouse-style period codes (merged years as ``YYYY-01/02`` at February)."""
    codes = []
    values = []
    for p, v in series.items():
        if p.year in merged_years and p.month == 1:
            continue
        codes.append(f"{p.year}-01/02" if (p.year in merged_years and p.month == 2) else str(p))
        values.append(v)
    return pd.Series(values, index=codes, name=series.name)
