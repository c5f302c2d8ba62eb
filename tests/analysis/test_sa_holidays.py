"""The China holiday table (调休 included), working days per month by hand, and the working-day regressor."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.holiday_calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    HolidayTableError,
    holiday_table,
    is_working_day,
    working_day_regressor,
    working_days,
)


def test_swapped_working_days_and_days_off() -> None:
    # 2024 春节: 10–17 Feb off, Sunday 4 Feb and Sunday 18 Feb worked (国务院办公厅通知)
    assert is_working_day(dt.date(2024, 2, 4)) and is_working_day(dt.date(2024, 2, 18))
    assert not is_working_day(dt.date(2024, 2, 15)) and not is_working_day(dt.date(2024, 2, 16))
    # 2020: 春节 extended to 2 February
    assert holiday_table()[dt.date(2020, 2, 1)][0] == "休"
    # an ordinary Saturday and an ordinary Wednesday
    assert not is_working_day(dt.date(2024, 3, 16)) and is_working_day(dt.date(2024, 3, 13))
    with pytest.raises(HolidayTableError):
        is_working_day(dt.date(1999, 12, 31))


@pytest.mark.parametrize(("year", "month", "expected"), [
    # Feb 2024: 21 weekdays − 12…16 Feb (5) + Sundays 4 and 18 Feb = 18
    (2024, 2, 18),
    # Oct 2024: 23 weekdays − 1…4 and 7 Oct (5) + Saturday 12 Oct = 19
    (2024, 10, 19),
    # Oct 2025 (国庆 with 中秋, 1…8 Oct): 23 weekdays − 1,2,3,6,7,8 Oct (6) + Saturday 11 Oct = 18
    (2025, 10, 18),
    # Mar 2023 vs Mar 2024: 23 and 21 weekdays, no holiday
    (2023, 3, 23),
    (2024, 3, 21),
])
def test_working_days_by_hand(year: int, month: int, expected: int) -> None:
    assert working_days(year, month) == expected


def test_regressor_is_centred_and_merges_january_february() -> None:
    idx = pd.period_range(f"{FIRST_YEAR}-01", f"{LAST_YEAR}-12", freq="M")
    x = working_day_regressor(idx)
    # centred per calendar month: each month's mean relative deviation over the table is 0
    assert np.abs(x.groupby(x.index.month).mean()).max() < 1e-12
    # Feb 2024: 18 working days against the February mean
    febs = [working_days(y, 2) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    assert x[pd.Period("2024-02", "M")] == pytest.approx(18 / np.mean(febs) - 1)
    merged = working_day_regressor(pd.period_range("2024-01", "2024-03", freq="M"), {2024})
    jans = [working_days(y, 1) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    both = (working_days(2024, 1) + 18) / (np.mean(jans) + np.mean(febs)) - 1
    assert merged.iloc[0] == pytest.approx(both) and merged.iloc[1] == pytest.approx(both)
    assert merged.iloc[2] == pytest.approx(x[pd.Period("2024-03", "M")])


@pytest.mark.slow
def test_x13_working_day_effect_on_the_nbs_chain(shared_data) -> None:
    """More working days, more output: a positive, significant coefficient on the real chained index."""
    from yacang.analysis.sa_yoy import adjust_yoy

    d = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    d = d.set_index("date")
    res, _ = adjust_yoy(d["iva_yoy_pct"], d["iva_ytd_yoy_pct"], working_days=True)
    assert res.method == "x13"
    assert res.original.index[0] >= pd.Period(f"{FIRST_YEAR}-01", "M")
    assert res.diagnostics["working_day_coef"] > 0 and res.diagnostics["working_day_t"] > 2
