"""Rare indicator moves flagged in a nowcast (:mod:`yacang.analysis.nowcast_unusual`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.nowcast import NowcastInputs, nowcast, nowcast_report
from yacang.analysis.nowcast_unusual import robust_z, unusual_move

from .realdata import later_data_changed


def test_robust_z_by_hand() -> None:
    # median 3, absolute deviations 2 1 0 1 2 → MAD 1, scale 1.4826; (10 − 3) / 1.4826 = 4.7214
    z, scale = robust_z(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 10.0)
    assert scale == pytest.approx(1.4826)
    assert z == pytest.approx(4.7214, abs=1e-4)
    assert np.isnan(robust_z(np.array([]), 1.0)[0])
    assert np.isnan(robust_z(np.array([2.0, 2.0, 2.0]), 5.0)[0])  # no spread: nothing to judge by


def _inputs(last_change: float) -> NowcastInputs:
    """An indicator rising and falling by 1 point a month (18 times each), then moving ``last_change``."""
    idx = pd.period_range("2001-01", "2004-02", freq="M")  # every month a release (merging off)
    level = 50 + np.r_[np.tile([0.0, 1.0], 18), 0.0, last_change]
    target = pd.Series(5.0, index=idx[:-1])
    return NowcastInputs.build(target, {"x": pd.Series(level, index=idx)}, {"x": "指标X"}, merge_all_jan_feb=False)


def test_a_move_beyond_the_cut_off_is_flagged_by_hand() -> None:
    # earlier changes: +1, −1, … (18 of each) → median 0, MAD 1, scale 1.4826
    move = unusual_move(_inputs(-6.0), pd.Period("2004-02", "M"), "x")
    assert move is not None
    assert move.change == pytest.approx(-6.0)
    assert move.z == pytest.approx(-6.0 / 1.4826, abs=1e-4)  # −4.05 < −3.5
    assert move.value == pytest.approx(44.0)
    assert "比上期下降6.0点" in move.words and "2001年以来" in move.words
    # −5 points: z = −3.37, inside the cut-off
    assert unusual_move(_inputs(-5.0), pd.Period("2004-02", "M"), "x") is None


def test_short_history_judges_nothing() -> None:
    inputs = _inputs(-20.0)
    short = inputs.replace(indicators=inputs.indicators[inputs.indicators.index >= pd.Period("2002-03", "M")])
    # 2002-03 … 2004-01: 22 earlier changes (11 up, 11 down; z would be −20 / 1.4826 = −13.5), fewer than 24
    assert unusual_move(short, pd.Period("2004-02", "M"), "x") is None


@pytest.mark.slow
def test_pmi_output_in_april_2022_is_flagged(real: NowcastInputs) -> None:
    # NBS: PMI 生产 49.5 in March 2022, 44.4 in April (Shanghai's lockdown)
    result = nowcast(real, "2022-04")
    [move] = [m for m in result.unusual if m.key == "pmi_output"]
    assert move.value == pytest.approx(44.4)
    assert move.change == pytest.approx(-5.1)
    assert move.z < -3.5
    assert any(p == pd.Period("2020-02", "M") for p, _, _ in move.precedents)  # 1-2月 2020, −13.7
    assert any(line.startswith("提示：2022年4月PMI:生产为44.4，比上期下降5.1点") for line in nowcast_report(result))
    assert nowcast(real, "2024-06").unusual == []  # 50.8 → 50.6: an ordinary month


@pytest.mark.slow
def test_no_later_data_enters_the_flag(real: NowcastInputs) -> None:
    p = pd.Period("2022-04", "M")
    before = unusual_move(real, p, "pmi_output")
    after = unusual_move(later_data_changed(real, p), p, "pmi_output")
    assert before == after


def test_an_indicator_published_with_the_target_is_judged_one_release_back() -> None:
    inputs = _inputs(-6.0).replace(lags={"x": 1})
    # the nowcast of 2004-03 reads x of 2004-02 (one release back), whose move is the −6
    idx = pd.period_range("2001-01", "2004-03", freq="M")
    extended = inputs.indicators.reindex(idx)
    extended.loc[idx[-1], "x"] = 60.0
    move = unusual_move(inputs.replace(indicators=extended), idx[-1], "x")
    assert move is not None and move.month == pd.Period("2004-02", "M") and move.change == pytest.approx(-6.0)
