"""Spring Festival (春节) dates and the monthly festival regressor.

The package carries its own table of 春节 (正月初一) dates for 1990–2035: they are public facts of the
Chinese calendar, and shipping them avoids a calendar dependency on an offline intranet.

The regressor follows the X-13 ``genhol`` idea: a festival *window* of ``before`` days before the
festival day and ``after`` days from the festival day on (the day itself included), and for each month
the share of the window's days that fall in it. Shares of one festival sum to 1 over January–March.
Centring subtracts, for each calendar month, the mean share over the table's years, so that the
regressor carries only the *moving* part of the effect and the average festival effect stays in the
seasonal factors (as X-13 does for holiday regressors).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

SPRING_FESTIVAL: dict[int, dt.date] = {
    y: dt.date.fromisoformat(d)
    for y, d in {
        1990: "1990-01-27", 1991: "1991-02-15", 1992: "1992-02-04", 1993: "1993-01-23",
        1994: "1994-02-10", 1995: "1995-01-31", 1996: "1996-02-19", 1997: "1997-02-07",
        1998: "1998-01-28", 1999: "1999-02-16", 2000: "2000-02-05", 2001: "2001-01-24",
        2002: "2002-02-12", 2003: "2003-02-01", 2004: "2004-01-22", 2005: "2005-02-09",
        2006: "2006-01-29", 2007: "2007-02-18", 2008: "2008-02-07", 2009: "2009-01-26",
        2010: "2010-02-14", 2011: "2011-02-03", 2012: "2012-01-23", 2013: "2013-02-10",
        2014: "2014-01-31", 2015: "2015-02-19", 2016: "2016-02-08", 2017: "2017-01-28",
        2018: "2018-02-16", 2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12",
        2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29",
        2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13",
        2030: "2030-02-03", 2031: "2031-01-23", 2032: "2032-02-11", 2033: "2033-01-31",
        2034: "2034-02-19", 2035: "2035-02-08",
    }.items()
}
"""正月初一 (Spring Festival day) by Gregorian year."""

DEFAULT_WINDOW: tuple[int, int] = (7, 20)
"""Default festival window: 7 days before 春节 and 20 days from it on. Factories close about a week
before the festival and migrant workers return over the following two to three weeks."""


class CalendarError(ValueError):
    """A date outside the table of Spring Festival dates."""


def spring_festival(year: int) -> dt.date:
    """The Spring Festival day of ``year``."""
    try:
        return SPRING_FESTIVAL[year]
    except KeyError:
        raise CalendarError(
            f"春节日期表只覆盖 {min(SPRING_FESTIVAL)}–{max(SPRING_FESTIVAL)} 年，{year} 年不在表内；"
            "请缩短序列区间或在 yacang.analysis.calendar.SPRING_FESTIVAL 中补充日期"
        ) from None


def _window_shares(year: int, before: int, after: int) -> dict[pd.Period, float]:
    day = pd.Timestamp(spring_festival(year))
    days = pd.date_range(day - pd.Timedelta(days=before), day + pd.Timedelta(days=after - 1))
    counts = pd.Series(1.0, index=days).groupby(days.to_period("M")).sum()
    return {p: c / len(days) for p, c in counts.items()}


def festival_shares(index: pd.PeriodIndex, window: tuple[int, int] = DEFAULT_WINDOW) -> pd.Series:
    """Share of the festival window's days falling in each month of ``index`` (uncentred)."""
    before, after = window
    if before < 0 or after < 1:
        raise ValueError("节日窗口须为 before≥0 天、after≥1 天")
    out = pd.Series(0.0, index=index, name="spring_festival")
    for year in sorted(set(index.year) | {index.year.min() - 1, index.year.max() + 1}):
        if year not in SPRING_FESTIVAL:
            if year in set(index.year):
                spring_festival(year)  # raises with a clear message
            continue
        for p, share in _window_shares(year, before, after).items():
            if p in out.index:
                out[p] += share
    return out


def festival_regressor(index: pd.PeriodIndex, window: tuple[int, int] = DEFAULT_WINDOW) -> pd.Series:
    """Centred Spring Festival regressor for the months of ``index``.

    The monthly means removed are those over all years of the table (1990–2035), so the regressor of
    a month does not depend on the sample at hand.
    """
    shares = festival_shares(index, window)
    ref_index = pd.period_range(f"{min(SPRING_FESTIVAL) + 1}-01", f"{max(SPRING_FESTIVAL) - 1}-12", freq="M")
    ref = festival_shares(ref_index, window)
    means = ref.groupby(ref.index.month).mean()
    centred = shares - means.reindex(shares.index.month).to_numpy()
    return centred.rename("spring_festival")


def days_in_month(index: pd.PeriodIndex) -> np.ndarray:
    """Calendar days of each month (28/29 for February)."""
    return np.asarray(index.days_in_month, dtype=float)


DEFAULT_FESTIVAL_LOSS = 0.5
"""Share of a normal day's output lost on each day of the festival window (used to split a merged
1-2月 flow): factories close around 春节 and restart over two to three weeks, so on average about half
of a normal day's output is made inside the default window. A stated rule, not an estimate."""


def effective_days(year: int, month: int, window: tuple[int, int] = DEFAULT_WINDOW,
                   loss: float = DEFAULT_FESTIVAL_LOSS) -> float:
    """Calendar days of ``year-month`` less ``loss`` for each day of a festival window inside it."""
    if not 0.0 <= loss < 1.0:
        raise ValueError("节日损失比例须在 [0, 1) 内")
    p = pd.Period(year=year, month=month, freq="M")
    shares = festival_shares(pd.PeriodIndex([p]), window)
    window_days = float(shares.iloc[0]) * (window[0] + window[1])
    return p.days_in_month - loss * window_days


def jan_share(year: int, window: tuple[int, int] = DEFAULT_WINDOW, loss: float = DEFAULT_FESTIVAL_LOSS) -> float:
    """January's share of a merged January–February flow of ``year`` (festival-aware day weights).

    Each month weighs its calendar days, festival-window days counting ``1 − loss``; e.g. with
    春节 on 1 February 2022 the window (25 Jan – 20 Feb) takes 7 days from January and 20 from
    February, so January's share is (31 − 3.5) / (31 − 3.5 + 28 − 10) ≈ 0.604 instead of 31/59.
    """
    jan, feb = effective_days(year, 1, window, loss), effective_days(year, 2, window, loss)
    return jan / (jan + feb)
