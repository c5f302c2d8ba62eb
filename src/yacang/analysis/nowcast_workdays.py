"""Working days per month in mainland China (法定节假日 and 调休 included), 2000–2026.

NBS's 当月同比 are not working-day adjusted: a month with two more working days than the same month a
year earlier shows faster growth. The nowcast uses the change of the year-on-year working-day ratio
(:func:`workday_yoy`) as a calendar regressor.

Working days are Monday–Friday days that are not official days off, plus the weekend days that are
official make-up working days (调休上班), from the project's holiday table
(:mod:`yacang.analysis.holiday_calendar`, 2000–2026; extend it each December when the next year's
国务院办公厅 notice is out).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yacang.analysis.holiday_calendar import HolidayTableError, working_days

WorkdayTableError = HolidayTableError
"""A month outside the holiday table."""


def workdays(period: pd.Period) -> int:
    """Working days of a month (the project's one holiday table, :mod:`yacang.analysis.holiday_calendar`)."""
    return working_days(period.year, period.month)


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
