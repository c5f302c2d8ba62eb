"""Target progress: needed growth from last year's monthly profile, status lights."""

from __future__ import annotations

import pytest

from yacang.measures.targets import (
    LIGHT_ZH,
    LightThresholds,
    done_share,
    needed_growth,
    progress,
    status_light,
)


def test_needed_growth_even_profile():
    # target 6%, half the year done at 4%: second half needs (1.06 − 1.04·0.5)/0.5 − 1 = 8%
    assert needed_growth(6.0, 4.0, 0.5) == pytest.approx(8.0)


def test_needed_growth_with_last_years_profile():
    # last year: 1-2月 100, then 50 a month for Mar–Dec (total 600); after March 150/600 = 0.25 done
    profile = {2: 100.0, **{m: 50.0 for m in range(3, 13)}}
    s = done_share(profile, 3)
    assert s == pytest.approx(0.25)
    # YTD +2%, target +5%: (1.05 − 1.02·0.25)/0.75 − 1 = 0.795/0.75 − 1 = 6%
    assert needed_growth(5.0, 2.0, s) == pytest.approx(6.0)
    p = progress("440000", 5.0, 2.0, profile, 3)
    assert p.needed == pytest.approx(6.0) and p.gap_pp == pytest.approx(-3.0)
    assert p.light == "far_behind" and p.light_zh == "严重滞后"


def test_needed_growth_after_december_is_nan():
    assert needed_growth(5.0, 5.0, 1.0) != needed_growth(5.0, 5.0, 1.0)  # NaN


def test_status_lights_and_configurable_thresholds():
    assert status_light(6.0, 6.0) == "on_track"
    assert status_light(5.5, 6.0) == "behind"
    assert status_light(3.9, 6.0) == "far_behind"
    loose = LightThresholds(behind_pp=0.5, far_behind_pp=3.0)
    assert status_light(5.5, 6.0, loose) == "on_track"
    assert status_light(3.9, 6.0, loose) == "behind"
    assert set(LIGHT_ZH.values()) == {"符合进度", "进度滞后", "严重滞后"}
