"""Monthly index handling and the stated 1-2月 rules."""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.analysis.monthly import as_monthly, expand_jan_feb, merge_regressor, to_codes


def test_codes_with_merged_jan_feb() -> None:
    s = pd.Series([100.0, 59.0, 40.0], index=["2023-12", "2024-01/02", "2024-03"])
    m, merged = as_monthly(s)
    assert merged == {2024}
    assert pd.isna(m[pd.Period("2024-01", "M")])
    assert m[pd.Period("2024-02", "M")] == 59.0
    assert to_codes(m, merged).index.tolist() == ["2023-12", "2024-01/02", "2024-03"]


def test_flow_split_is_festival_aware() -> None:
    m, merged = as_monthly(pd.Series([60.0, 30.0], index=["2024-01/02", "2024-03"]))
    m = m.reindex(pd.period_range("2024-01", "2024-03", freq="M"))
    out = expand_jan_feb(m, merged, "flow")
    # 2024: 春节 10 February; the window 3 February – 29 February (7 + 20 days) lies in February,
    # so January weighs 31 days and February 29 − 27/2 = 15.5: 60·31/46.5 = 40 and 20
    assert out[pd.Period("2024-01", "M")] == pytest.approx(40.0)
    assert out[pd.Period("2024-02", "M")] == pytest.approx(20.0)


def test_rate_repeated_and_regressor_day_weighted() -> None:
    idx = pd.period_range("2023-01", "2023-03", freq="M")
    m = pd.Series([float("nan"), 5.0, 6.0], index=idx)
    out = expand_jan_feb(m, {2023}, "rate")
    assert out.tolist() == [5.0, 5.0, 6.0]
    x = merge_regressor(pd.Series([0.5, 0.2, -0.1], index=idx), {2023})
    expected = (31 * 0.5 + 28 * 0.2) / 59
    assert x.iloc[0] == pytest.approx(expected) and x.iloc[1] == pytest.approx(expected)
    assert x.iloc[2] == -0.1


def test_duplicate_period_is_refused() -> None:
    with pytest.raises(ValueError, match="重复"):
        as_monthly(pd.Series([1.0, 2.0], index=["2007-01/02", "2007-02"]))
