"""China's statutory holidays with 调休, working days per month, and the working-day regressor.

The table ``yacang/catalog/data/cn_holidays.csv`` lists, for 2000–2026, every day off on a weekday or
a holiday date (``休``: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 and the swapped days off, 调休)
and every weekend day made a working day (``班``, 调休上班), as announced each year by the State
Council's 办公厅 notice on holiday arrangements (《国务院办公厅关于XXXX年部分节假日安排的通知》). It is
kept in the package as data (public facts; no calendar dependency on an offline intranet); it was
compiled with the help of the ``holidays`` package's China calendar and checked by hand against the
notices for 2008, 2015, 2019, 2020 (extended 春节), 2024 and 2025 (2000–2004 were added the same way;
regenerating 2005 with that rule reproduces the table's 2005 rows exactly). The nowcast's working-day
regressor reads the same table (:mod:`yacang.analysis.nowcast_workdays`).

A day is a **working day** when it is Monday–Friday and not ``休``, or a ``班`` weekend day. The
regressor of a month is its working days relative to the mean of the same calendar month over the
table's years, ``wd / mean_wd(month) − 1``: centred per calendar month like the festival regressor, so
the average pattern (October's 国庆 week, February's 春节) stays in the seasonal factors and only the
year-to-year movement (调休 moving days across months, 中秋 joining 国庆, weekdays versus weekends,
leap Februaries) is estimated as a calendar effect.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 2000, 2026


class HolidayTableError(ValueError):
    """A month outside the holiday table."""


@cache
def holiday_table() -> dict[dt.date, tuple[str, str]]:
    """Date → (kind ``休``/``班``, name) from the packaged table."""
    text = resources.files("yacang.catalog").joinpath("data/cn_holidays.csv").read_text("utf-8")
    out: dict[dt.date, tuple[str, str]] = {}
    for row in csv.DictReader(text.splitlines()):
        if row["kind"] not in ("休", "班"):
            raise ValueError(f"节假日表第 {row['date']} 行类别应为 休 或 班，而不是 {row['kind']!r}")
        out[dt.date.fromisoformat(row["date"])] = (row["kind"], row["name"])
    return out


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday and not a day off, or a weekend day made a working day (调休上班)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise HolidayTableError(f"节假日表只覆盖 {FIRST_YEAR}–{LAST_YEAR} 年，{day} 不在表内")
    kind = holiday_table().get(day, ("", ""))[0]
    if kind == "班":
        return True
    return day.weekday() < 5 and kind != "休"


@cache
def working_days(year: int, month: int) -> int:
    """Working days of one month (with 调休)."""
    p = pd.Period(year=year, month=month, freq="M")
    return sum(is_working_day(d.date()) for d in pd.date_range(p.start_time, p.end_time.normalize()))


@cache
def _monthly_means() -> dict[int, float]:
    counts = {(y, m): working_days(y, m) for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)}
    return {m: float(np.mean([c for (y, mm), c in counts.items() if mm == m])) for m in range(1, 13)}


def working_day_regressor(index: pd.PeriodIndex, merged_years: set[int] = frozenset()) -> pd.Series:
    """Relative working-day deviation per month of ``index`` (see module doc).

    For ``merged_years`` January and February both get the deviation of their sum,
    ``(wd₁ + wd₂) / (mean₁ + mean₂) − 1``: the merged data cannot tell the two months apart.
    """
    means = _monthly_means()
    out = pd.Series(0.0, index=index, name="working_days")
    for p in index:
        if p.year in merged_years and p.month in (1, 2):
            wd = working_days(p.year, 1) + working_days(p.year, 2)
            out[p] = wd / (means[1] + means[2]) - 1
        else:
            out[p] = working_days(p.year, p.month) / means[p.month] - 1
    return out
