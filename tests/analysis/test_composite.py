"""NBS 合成指数 against a hand-computed example; OECD-style CLI properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.composite import NBSCompositeIndex, OECDLeadingIndicator, double_hp, normalise


def test_nbs_index_by_hand() -> None:
    idx = pd.period_range("2020-01", periods=4, freq="M")
    a = pd.Series([100.0, 110.0, 99.0, 110.0], index=idx)  # positive level: symmetric rate
    b = pd.Series([1.0, -1.0, 2.0, 1.0], index=idx)  # can be ≤ 0: plain difference
    res = NBSCompositeIndex({"a": a, "b": b}).fit()
    # symmetric rates of a: 200·10/210, 200·(−11)/209, 200·11/209
    ca = [2000 / 210, -2200 / 209, 2200 / 209]
    cb = [-2.0, 3.0, -1.0]
    aa = (abs(ca[0]) + abs(ca[1]) + abs(ca[2])) / 3
    ab = 2.0
    assert res.amplitude["a"] == pytest.approx(aa)
    assert res.amplitude["b"] == pytest.approx(ab)
    r = [(ca[i] / aa + cb[i] / ab) / 2 for i in range(3)]
    i1 = 100.0
    i2 = i1 * (200 + r[0]) / (200 - r[0])
    i3 = i2 * (200 + r[1]) / (200 - r[1])
    i4 = i3 * (200 + r[2]) / (200 - r[2])
    assert res.index.tolist() == pytest.approx([i1, i2, i3, i4])


def test_standardised_rates_have_unit_mean_absolute_value_and_base_year() -> None:
    rng = np.random.default_rng(0)
    idx = pd.period_range("2010-01", periods=120, freq="M")
    comps = {f"c{i}": pd.Series(50 + np.cumsum(rng.normal(0, 1, 120)), index=idx) for i in range(3)}
    res = NBSCompositeIndex(comps, base_year=2015).fit()
    assert np.allclose(res.rates.abs().mean(), 1.0)
    assert res.index[res.index.index.year == 2015].mean() == pytest.approx(100.0)
    # a reference group with twice the average rate amplitude halves V
    ref = res.average_rate * 2
    res2 = NBSCompositeIndex(comps, reference_rate=ref).fit()
    assert res2.index_factor == pytest.approx(0.5)


def test_double_hp_keeps_business_cycle_and_removes_trend() -> None:
    idx = pd.period_range("2000-01", periods=240, freq="M")
    t = np.arange(240)
    cycle = np.sin(2 * np.pi * t / 48)  # 4-year cycle
    y = pd.Series(100 + 0.3 * t + 5 * cycle, index=idx, name="y")
    c = double_hp(y)
    inner = slice(24, -24)  # HP ends are revised; judge the middle
    assert np.corrcoef(c.to_numpy()[inner], cycle[inner])[0, 1] > 0.95
    z = normalise(c)
    assert z.mean() == pytest.approx(0.0, abs=1e-9) and (z - z.mean()).abs().mean() == pytest.approx(1.0)


def test_oecd_cli_leads_when_components_lead() -> None:
    rng = np.random.default_rng(5)
    idx = pd.period_range("2000-01", periods=240, freq="M")
    t = np.arange(240)
    comps = {
        f"lead{k}": pd.Series(50 + 3 * np.sin(2 * np.pi * (t + 6) / 48) + rng.normal(0, 0.5, 240), index=idx)
        for k in range(3)
    }
    res = OECDLeadingIndicator(comps).fit()
    assert res.cycles.columns.tolist() == ["lead0", "lead1", "lead2"]
    ref = np.sin(2 * np.pi * t / 48)
    lags = range(0, 13)
    corr = [np.corrcoef(res.index.to_numpy()[24:-36], ref[24 + k : 240 - 36 + k])[0, 1] for k in lags]
    assert 4 <= int(np.argmax(corr)) <= 8  # the CLI leads the reference by about six months
