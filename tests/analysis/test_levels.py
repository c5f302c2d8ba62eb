"""Chain-linking index levels from 当月同比: exact on a known level, 1-2月 joint, anchor-free 季调环比."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.levels import chain_index, yoy_from_levels


def known_levels(seed: int = 3) -> pd.Series:
    """A positive monthly level 2010-01…2024-12 with trend, seasonality and noise."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range("2010-01", "2024-12", freq="M")
    season = np.tile([0.9, 0.7, 1.05, 1.0, 1.02, 1.08, 1.0, 0.98, 1.03, 1.01, 1.0, 1.1], len(idx) // 12)
    trend = 100 * np.exp(0.005 * np.arange(len(idx)) + np.cumsum(rng.normal(0, 0.01, len(idx))))
    return pd.Series(trend * season, index=idx)


def published_yoy(level: pd.Series, merged_from: int = 2013) -> pd.Series:
    """同比 as NBS would publish it from ``level``: 1-2月 jointly (sum over sum) from ``merged_from``."""
    out: dict[str, float] = {}
    for p in level.index[12:]:
        if p.year >= merged_from and p.month in (1, 2):
            if p.month == 2:
                jf = level[p - 1] + level[p]
                out[f"{p.year}-01/02"] = 100 * (jf / (level[p - 13] + level[p - 12]) - 1)
            continue
        out[str(p)] = 100 * (level[p] / level[p - 12] - 1)
    return pd.Series(out)


def test_chain_reproduces_known_level_exactly() -> None:
    level = known_levels()
    yoy = published_yoy(level)
    anchor = 2011
    profile = {m: level[pd.Period(year=anchor, month=m, freq="M")] for m in range(1, 13)}
    ch = chain_index(yoy, anchor_year=anchor, anchor_profile=profile)
    assert ch.anchor_year == anchor
    # single months (all of 2011–2012 and March–December later) are the true level, to rounding
    for p in level.index[12:]:
        if p.year >= 2013 and p.month in (1, 2):
            continue
        assert ch.levels[p] == pytest.approx(level[p], rel=1e-12)
    # merged years: the January+February sum is exact whatever the split
    for y in range(2013, 2025):
        jan, feb = pd.Period(year=y, month=1, freq="M"), pd.Period(year=y, month=2, freq="M")
        assert ch.joint_totals[y] == pytest.approx(level[jan] + level[feb], rel=1e-12)
        assert ch.levels[jan] + ch.levels[feb] == pytest.approx(level[jan] + level[feb], rel=1e-12)
    assert ch.joint_years == set(range(2013, 2025))


def test_merged_base_year_known_only_as_sum() -> None:
    # 2013 and 2014 both merged: 2014's 1-2月 growth applies to the 2013 January+February sum
    yoy = pd.Series({**{f"2013-{m:02d}": 0.0 for m in range(3, 13)}, "2013-01/02": 0.0,
                     **{f"2014-{m:02d}": 5.0 for m in range(3, 13)}, "2014-01/02": 10.0})
    ch = chain_index(yoy, anchor_year=2013, anchor_profile={0: 200.0})
    assert ch.joint_totals[2014] == pytest.approx(220.0)  # 200 · 1.10, by hand
    assert ch.levels[pd.Period("2014-03", "M")] == pytest.approx(105.0)
    # recomputing 同比 from the chained levels gives the published figures back, 1-2月 jointly
    back = yoy_from_levels(ch.levels, ch.joint_years)
    assert back["2014-01/02"] == pytest.approx(10.0) and back["2014-07"] == pytest.approx(5.0)
    assert "2014-01" not in back.index and "2014-02" not in back.index


def test_anchor_changes_only_a_fixed_pattern_per_calendar_month() -> None:
    yoy = published_yoy(known_levels())
    a = chain_index(yoy, anchor_year=2011).levels
    b = chain_index(yoy, anchor_year=2019).levels
    ratio = (a / b).dropna()
    for m in range(3, 13):
        r = ratio[ratio.index.month == m]
        assert r.max() == pytest.approx(r.min(), rel=1e-10)  # one constant per calendar month


@pytest.mark.slow
def test_sa_mom_does_not_depend_on_anchor() -> None:
    from yacang.analysis.sa_yoy import adjust_yoy, sa_mom_table

    yoy = published_yoy(known_levels(), merged_from=2011)  # every year's 1-2月 joint
    out = []
    for anchor in (2011, 2020):
        res, ch = adjust_yoy(yoy, anchor_year=anchor, span_years=None)
        out.append(sa_mom_table(res, ch.joint_years).set_index("period")["sa_mom"])
    # a fixed per-month pattern is absorbed by the seasonal factors. X-13 is not bit-for-bit invariant
    # (its input file and outlier search work on rounded numbers), so: typically < 0.01 point, never
    # more than 0.1 — below the 0.1-point rounding of the published 同比 themselves
    diff = (out[0] - out[1]).abs()
    assert len(diff) > 150
    assert diff.median() < 0.01 and diff.max() < 0.1
