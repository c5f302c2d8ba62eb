"""产能预警 bands: by hand and on the real 水泥熟料 / 浮法玻璃 utilisation series."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.alerts.realdata import hf_series
from yacang.alerts.capacity import CapacityConfigError, band_of, capacity_bands, load_capacity_config


def test_band_edges():
    assert band_of([69.9, 70.0, 74.9, 75.0, 84.9, 85.0], (70, 75, 85)).tolist() == [0, 1, 1, 2, 2, 3]


def test_band_changes_only_after_two_months():
    idx = pd.date_range("2021-01-15", periods=6, freq="MS") + pd.Timedelta(days=14)
    rate = pd.Series([80, 68, 80, 68, 68, 68], index=idx)
    df = capacity_bands(rate)
    assert df["raw_band"].tolist() == ["绿", "红", "绿", "红", "红", "红"]
    assert df["band"].tolist() == ["绿", "绿", "绿", "绿", "红", "红"]


def test_bad_bands(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("products:\n  glass:\n    name: 玻璃\n    bands: [80, 75, 85]\n", encoding="utf-8")
    with pytest.raises(CapacityConfigError, match="'glass' 字段 'bands'"):
        load_capacity_config(p)


@pytest.mark.slow
def test_real_cement_clinker_overcapacity_and_float_glass(shared_data):
    clinker = capacity_bands(hf_series(shared_data, "WK030"))  # 中国:产能利用率:水泥熟料
    # clinker utilisation averaged well under 70% in 2023 (monthly means computed independently here)
    s = hf_series(shared_data, "WK030")
    mean_2023 = s["2023"].mean()
    assert mean_2023 < 70
    assert (clinker.loc["2023-06":"2023-12", "band"] == "红").all()
    glass = capacity_bands(hf_series(shared_data, "JD005"))  # 浮法玻璃 产能利用率, daily
    m = hf_series(shared_data, "JD005")["2021"].mean()
    assert 75 <= m < 90 and glass.loc["2021-06":"2021-12", "band"].isin(["绿", "蓝"]).all()
