"""季调环比 from published 当月同比: chain-linked levels, X-13 with the Spring Festival, as of each month.

:func:`adjust_yoy` chains a level index from 当月同比 (:mod:`yacang.analysis.levels`) and adjusts it
(:class:`yacang.analysis.seasonal.SeasonalAdjustment`, X-13 by default, the festival regressor merged
over January–February of joint years). :func:`sa_mom_table` reports 季调环比 with 1-2月 as one period:
its figure is the average monthly change from December to February, √(SA₂/SA₁₂) − 1, because the data
cannot tell January from February; February against January (``feb_vs_jan``) is kept for inspection
but only restates the split rule and is never presented as a finding. :func:`concurrent_sa_mom` re-estimates
everything with the data available at each month (concurrent estimates, as a first release is made).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yacang.analysis.calendar import DEFAULT_WINDOW
from yacang.analysis.levels import ChainedIndex, chain_index
from yacang.analysis.seasonal import SeasonalAdjustment, SeasonalResults
from yacang.periods import parse_period


def _upto(series: pd.Series | None, last: pd.Period) -> pd.Series | None:
    if series is None:
        return None
    keep = [c for c in series.index if parse_period(str(c)).end_date <= last.end_time.date()]
    return series[keep]


SPAN_YEARS = 18
"""Years of levels adjusted (the most recent ones): long enough for X-13's filters and ARIMA model,
short enough that the 1990s-2000s growth regime and their outliers do not shape today's factors."""


def adjust_yoy(yoy: pd.Series, ytd: pd.Series | None = None, *, method: str = "x13",
               window: tuple[int, int] | None = DEFAULT_WINDOW, anchor_year: int | None = None,
               split_rule: str = "fixed", span_years: int | None = SPAN_YEARS, working_days: bool = False,
               ) -> tuple[SeasonalResults, ChainedIndex]:
    """Seasonally adjust the level chained from ``yoy`` (period codes); returns results and chain.

    Only the last ``span_years`` years of levels are adjusted (None: all). The festival regressor is
    merged over January–February of joint years, so it is identified by 1-2月 against March.
    ``working_days`` adds the China working-day regressor (调休 included) to the X-13 model; the
    adjusted span then starts no earlier than the holiday table (2005).
    """
    chained = chain_index(yoy, ytd, anchor_year=anchor_year, split_rule=split_rule)
    levels = chained.levels
    if span_years is not None:
        last = levels.index[-1]
        levels = levels.loc[pd.Period(year=last.year - span_years, month=1, freq="M"):]
    if working_days:  # the holiday table starts in 2005
        from yacang.analysis.holiday_calendar import FIRST_YEAR

        levels = levels.loc[pd.Period(year=FIRST_YEAR, month=1, freq="M"):]
    res = SeasonalAdjustment(levels, method=method, mode="multiplicative", window=window,  # type: ignore[arg-type]
                             merged_years={y for y in chained.joint_years if y >= levels.index[0].year},
                             working_days=working_days).fit()
    return res, chained


_MONTHS = {m: i + 1 for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                             "Nov", "Dec"))}
SHOCK_OUTLIER = 0.03
"""Smallest regARIMA outlier (log effect, ≈3 %) kept as a real shock in the ``trend_outliers`` estimate."""


def trend_with_outliers(res: SeasonalResults, threshold: float = SHOCK_OUTLIER, tc_decay: float = 0.7) -> pd.Series:
    """The X-13 trend-cycle with the large additive (AO) and transitory (TC) outliers put back.

    The irregular of a level chained from 同比 is mostly noise of the chain (同比 rounded to 0.1, the
    changing enterprise set), not news; a month-on-month change read from the trend-cycle avoids it, and
    putting back regARIMA outliers of at least ``threshold`` keeps true shocks (2020-02, 2022-04) in.
    Level shifts are part of the trend already.
    """
    effect = pd.Series(0.0, index=res.trend.index)
    for name, coef in (res.diagnostics.get("outlier_coefs") or {}).items():
        if name[:2] not in ("AO", "TC") or abs(coef) < threshold:
            continue
        p = pd.Period(year=int(name[2:6]), month=_MONTHS[name[7:10]], freq="M")
        if p not in effect.index:
            continue
        if name.startswith("AO"):
            effect[p] += coef
        else:
            tail = effect.loc[p:]
            effect.loc[p:] = tail + coef * tc_decay ** np.arange(len(tail))
    return (res.trend * np.exp(effect)).rename("trend_outliers")


def sa_mom_table(res: SeasonalResults, joint_years: set[int], *, yoy: pd.Series | None = None,
                 estimate: str = "sa") -> pd.DataFrame:
    """季调环比 by release period: 1-2月 joint (one row), other months single (see module doc).

    ``estimate``: ``"sa"`` the seasonally adjusted series (NBS's definition, default), ``"trend"`` the
    X-13 trend-cycle, ``"trend_outliers"`` the trend-cycle with large outliers (:func:`trend_with_outliers`).
    """
    series = {"sa": res.adjusted, "trend": res.trend}
    if estimate == "trend_outliers":
        series["trend_outliers"] = trend_with_outliers(res)
    if estimate not in series:
        raise ValueError(f"未知的估计口径 {estimate!r}，应为 sa、trend 或 trend_outliers")
    sa = series[estimate]
    rows = []
    for p in sa.index:
        prev = sa.get(p - 1)
        if prev is None or pd.isna(prev):
            continue
        joint = p.year in joint_years and p.month in (1, 2)
        if joint and p.month == 1:
            continue
        if joint:
            dec = sa.get(p - 2)
            if dec is None or pd.isna(dec):
                continue
            code = f"{p.year}-01/02"
            mom = 100 * ((sa[p] / dec) ** 0.5 - 1)
            feb = 100 * (sa[p] / prev - 1)
        else:
            code, mom, feb = str(p), 100 * (sa[p] / prev - 1), float("nan")
        row = {"period": code, "label": parse_period(code).label_zh(), "sa_mom": mom, "feb_vs_jan": feb,
               "joint": joint}
        if yoy is not None:
            row["yoy"] = float(yoy.get(code, float("nan")))
        rows.append(row)
    return pd.DataFrame(rows)


def concurrent_sa_mom(yoy: pd.Series, ytd: pd.Series | None, months: list[str], *, method: str = "x13",
                      window: tuple[int, int] | None = DEFAULT_WINDOW, split_rule: str = "fixed",
                      span_years: int | None = SPAN_YEARS, working_days: bool = False) -> pd.DataFrame:
    """For each month ``YYYY-MM`` the 季调环比 estimated with data up to that month only.

    February stands for the 1-2月 release: ``sa_mom`` is the joint figure and ``feb_vs_jan`` February
    against January; ``trend_mom`` and ``trend_outliers_mom`` are the other estimates of
    :func:`sa_mom_table`. The method actually used (``x13`` or a flagged ``stl`` fallback) is reported.
    """
    rows = []
    for text in months:
        last = pd.Period(text, freq="M")
        res, chained = adjust_yoy(_upto(yoy, last), _upto(ytd, last), method=method, window=window,
                                  split_rule=split_rule, span_years=span_years, working_days=working_days)
        code = f"{last.year}-01/02" if (last.month == 2 and last.year in chained.joint_years) else str(last)
        row: dict[str, object] = {"month": text, "period": code}
        for estimate, col in (("sa", "sa_mom"), ("trend", "trend_mom"), ("trend_outliers", "trend_outliers_mom")):
            table = sa_mom_table(res, chained.joint_years, estimate=estimate)
            hit = table[table["period"] == code]
            if hit.empty:
                raise ValueError(f"{text} 没有季调环比（数据不足或该月未发布）")
            row[col] = float(hit.iloc[-1]["sa_mom"])
            if estimate == "sa":
                row["feb_vs_jan"] = float(hit.iloc[-1]["feb_vs_jan"])
        row.update(method=res.method, fallback=res.diagnostics.get("fallback_reason", ""))
        rows.append(row)
    return pd.DataFrame(rows)
