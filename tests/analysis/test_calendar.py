"""Spring Festival table and the window-share regressor."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.calendar import CalendarError, festival_regressor, festival_shares, spring_festival


def test_known_festival_dates() -> None:
    # public facts: 正月初一 of these years
    assert spring_festival(2008) == dt.date(2008, 2, 7)
    assert spring_festival(2020) == dt.date(2020, 1, 25)
    assert spring_festival(2024) == dt.date(2024, 2, 10)
    assert spring_festival(1990) == dt.date(1990, 1, 27)
    assert spring_festival(2035) == dt.date(2035, 2, 8)


def test_outside_table_is_a_clear_error() -> None:
    with pytest.raises(CalendarError, match="1989"):
        spring_festival(1989)


def test_window_shares_by_hand() -> None:
    idx = pd.period_range("2023-01", "2024-03", freq="M")
    s = festival_shares(idx, (7, 20))
    # 2023-01-22: window 01-15 … 02-10 (27 days): 17 in January, 10 in February
    assert s[pd.Period("2023-01", "M")] == pytest.approx(17 / 27)
    assert s[pd.Period("2023-02", "M")] == pytest.approx(10 / 27)
    assert s[pd.Period("2023-03", "M")] == 0.0
    # 2024-02-10: window 02-03 … 02-29, all in February
    assert s[pd.Period("2024-02", "M")] == pytest.approx(1.0)


def test_shares_sum_to_one_each_year_and_regressor_is_centred() -> None:
    idx = pd.period_range("1991-01", "2034-12", freq="M")
    s = festival_shares(idx, (10, 10))
    assert np.allclose(s.groupby(s.index.year).sum(), 1.0)
    x = festival_regressor(idx, (10, 10))
    # centred per calendar month over the table's years → near-zero means over 1991–2034
    assert np.abs(x.groupby(x.index.month).mean()).max() < 0.01
    assert (x[x.index.month > 3] == 0).all()
