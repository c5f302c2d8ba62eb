"""Bry–Boschan on a synthetic cycle with known turns and on the real national IVA series."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from tests.analysis.realdata import iva_yoy_monthly
from yacang.analysis.turning_points import bry_boschan

KNOTS = [(0, 0), (20, 10), (44, -5), (70, 12), (90, 0), (125, 15), (150, 2), (190, 14), (239, 0)]
"""Piecewise-linear cycle: peaks at months 20, 70, 125, 190; troughs at 44, 90, 150."""


def synthetic(noise: float, seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(240)
    kx, ky = zip(*KNOTS, strict=True)
    x = np.interp(t, kx, ky) + rng.normal(0, noise, len(t))
    return pd.Series(x, index=pd.period_range("2000-01", periods=240, freq="M"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_turns_recovered(seed: int) -> None:
    s = synthetic(0.3, seed)
    tp = bry_boschan(s)
    start = pd.Period("2000-01", "M")
    expected_peaks = [start + k for k in (20, 70, 125, 190)]
    expected_troughs = [start + k for k in (44, 90, 150)]
    assert len(tp.peaks) == 4 and len(tp.troughs) == 3
    for got, want in zip([*tp.peaks, *tp.troughs], [*expected_peaks, *expected_troughs], strict=True):
        assert abs((got - want).n) <= 2, (got, want)  # within two months


def test_rules_hold_on_output() -> None:
    tp = bry_boschan(synthetic(1.5, 11))
    pos = [i for i, _ in tp.turns]
    kinds = [k for _, k in tp.turns]
    assert all(a != b for a, b in itertools.pairwise(kinds))  # alternation
    assert all(b - a >= 5 for a, b in itertools.pairwise(pos))  # minimum phase
    assert all(b - a >= 15 for a, b in zip(pos, pos[2:], strict=False))  # minimum cycle
    assert pos[0] >= 6 and pos[-1] <= len(tp.series) - 7  # end censoring


def test_monotone_series_has_no_turns() -> None:
    s = pd.Series(np.arange(60.0), index=pd.period_range("2010-01", periods=60, freq="M"))
    assert bry_boschan(s).turns == []


def test_real_iva_troughs(shared_data) -> None:
    tp = bry_boschan(iva_yoy_monthly(shared_data))
    troughs = list(tp.troughs)
    # the global financial crisis trough and the 2020 lockdown trough
    assert any(pd.Period("2008-11", "M") <= t <= pd.Period("2009-03", "M") for t in troughs), troughs
    assert any(pd.Period("2020-01", "M") <= t <= pd.Period("2020-04", "M") for t in troughs), troughs
    # and the rebound peak of early 2021 separates them from the next trough
    assert any(pd.Period("2021-01", "M") <= p <= pd.Period("2021-06", "M") for p in tp.peaks)
