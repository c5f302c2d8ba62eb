"""Working days per month in mainland China (法定节假日 and 调休 included), 2000–2026.

NBS's 当月同比 are not working-day adjusted: a month with two more working days than the same month a
year earlier shows faster growth. The nowcast uses the change of the year-on-year working-day ratio
(:func:`workday_yoy`) as a calendar regressor.

The table counts Monday–Friday days that are not official days off, plus the weekend days that are
official make-up working days (调休上班), following the 国务院办公厅 annual holiday notices. It was
generated once with the ``holidays`` package (version 0.105, ``holidays.China``: its "Day off
(substituted from …)" entries name the make-up days) and is shipped as data so that nothing depends
on that package at run time. Extend it each December when the next year's notice is out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WORKDAYS: dict[int, tuple[int, ...]] = {
    2000: (20, 18, 23, 20, 20, 22, 21, 23, 21, 19, 22, 21),
    2001: (19, 20, 22, 23, 18, 21, 22, 23, 22, 18, 22, 23),
    2002: (20, 17, 21, 24, 18, 20, 23, 22, 23, 18, 21, 22),
    2003: (22, 17, 21, 24, 17, 21, 23, 21, 24, 18, 20, 23),
    2004: (18, 20, 23, 22, 18, 22, 22, 22, 22, 18, 22, 23),
    2005: (20, 17, 23, 22, 18, 22, 21, 23, 22, 18, 22, 23),
    2006: (19, 18, 23, 22, 18, 22, 21, 23, 22, 18, 22, 23),
    2007: (20, 17, 22, 23, 18, 21, 22, 23, 22, 18, 22, 21),
    2008: (22, 18, 21, 21, 21, 20, 23, 21, 21, 20, 20, 23),
    2009: (17, 21, 22, 21, 19, 22, 23, 21, 23, 17, 21, 23),
    2010: (20, 17, 23, 21, 20, 21, 22, 22, 22, 17, 22, 23),
    2011: (21, 16, 23, 20, 21, 21, 21, 23, 21, 18, 22, 23),
    2012: (17, 21, 23, 19, 22, 20, 22, 23, 21, 18, 22, 21),
    2013: (22, 17, 21, 21, 22, 19, 23, 22, 21, 19, 21, 22),
    2014: (22, 17, 21, 21, 21, 20, 23, 21, 22, 19, 20, 23),
    2015: (21, 17, 22, 21, 20, 21, 23, 21, 21, 18, 21, 23),
    2016: (20, 18, 23, 20, 21, 21, 21, 23, 21, 18, 22, 22),
    2017: (19, 19, 23, 19, 21, 22, 21, 23, 22, 17, 22, 21),
    2018: (22, 17, 22, 20, 22, 20, 22, 23, 21, 18, 22, 21),
    2019: (22, 17, 21, 22, 21, 19, 23, 22, 21, 19, 21, 22),
    2020: (17, 20, 22, 22, 19, 21, 23, 21, 23, 17, 21, 23),
    2021: (20, 17, 23, 22, 19, 21, 22, 22, 22, 17, 22, 23),
    2022: (21, 16, 23, 21, 20, 21, 21, 23, 21, 18, 22, 22),
    2023: (18, 20, 23, 20, 21, 21, 21, 23, 20, 19, 22, 21),
    2024: (22, 18, 21, 22, 21, 19, 23, 22, 21, 19, 21, 22),
    2025: (19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23),
    2026: (21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23),
}
"""Working days of January … December by year."""


class WorkdayTableError(KeyError):
    """A month outside the working-day table."""


def workdays(period: pd.Period) -> int:
    """Working days of a month."""
    try:
        return WORKDAYS[period.year][period.month - 1]
    except KeyError:
        raise WorkdayTableError(
            f"工作日表只覆盖 {min(WORKDAYS)}–{max(WORKDAYS)} 年，{period} 不在表内；"
            "请在 yacang.analysis.nowcast_workdays.WORKDAYS 中补充"
        ) from None


def release_workdays(period: pd.Period, merged: bool) -> int:
    """Working days of a release period (January and February together for a merged 1-2月)."""
    if merged:
        return workdays(period - 1) + workdays(period)
    return workdays(period)


def workday_yoy(period: pd.Period, last_year: pd.Period, merged: bool, merged_last_year: bool) -> float:
    """Log ratio ×100 of a release's working days to those of the same release a year earlier."""
    now = release_workdays(period, merged)
    before = release_workdays(last_year, merged_last_year)
    return float(100.0 * np.log(now / before))
