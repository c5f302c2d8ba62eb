"""Target progress: needed growth from last year's monthly profile, status lights."""

from __future__ import annotations

import pytest

from yacang.measures.targets import (
    LIGHT_ZH,
    LightThresholds,
    ProgressThresholds,
    done_share,
    light_of_state,
    needed_growth,
    progress,
    status_light,
    target_light,
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
    p = progress("440000", 5.0, 1.9, profile, 3)
    assert needed_growth(5.0, 1.9, s) == pytest.approx(((1.05 - 1.019 * 0.25) / 0.75 - 1) * 100)
    assert p.gap_pp == pytest.approx(-3.1)
    assert p.light == "far_behind" and p.light_zh == "严重滞后"


def test_needed_growth_after_december_is_nan():
    assert needed_growth(5.0, 5.0, 1.0) != needed_growth(5.0, 5.0, 1.0)  # NaN


def test_four_states_and_lights_by_hand():
    # default rule 0 / 1 / 3 百分点 on the rounded figures
    assert target_light(6.04, 6.0) == ("on_track", "符合进度", "green")  # 6.0 − 6.0 = 0
    assert target_light(6.05, 6.0) == ("ahead", "超进度", "green")  # 6.1 − 6.0 = +0.1
    assert target_light(5.0, 6.0) == ("on_track", "符合进度", "green")  # −1.0 is still within 1 point
    assert target_light(4.95, 6.0) == ("on_track", "符合进度", "green")  # 4.95 prints 5.0 (half up): −1.0
    assert target_light(4.94, 6.0) == ("behind", "滞后", "yellow")  # 4.9 − 6.0 = −1.1
    assert target_light(3.0, 6.0) == ("behind", "滞后", "yellow")  # −3.0
    assert target_light(2.9, 6.0) == ("far_behind", "严重滞后", "red")  # −3.1
    # 5.5 points behind (the 北京 case of issue 16) is red, never yellow
    assert target_light(-0.5, 5.0)[2] == "red"


def test_light_of_state_is_exact_never_substring():
    assert light_of_state("严重滞后") == "red"
    assert light_of_state("滞后") == "yellow"
    assert light_of_state("符合进度") == "green" and light_of_state("超进度") == "green"
    assert light_of_state("far_behind") == "red"
    with pytest.raises(KeyError):
        light_of_state("进度严重滞后啦")


def test_status_lights_and_configurable_thresholds():
    assert status_light(6.0, 6.0) == "on_track"
    assert status_light(5.5, 6.0) == "on_track"
    assert status_light(3.9, 6.0) == "behind"
    strict = LightThresholds(behind_pp=0.0, far_behind_pp=2.0)
    assert status_light(5.5, 6.0, strict) == "behind"
    assert status_light(3.9, 6.0, strict) == "far_behind"
    assert ProgressThresholds.from_config({"behind_pp": 0.5, "far_behind_pp": 2.0}) == ProgressThresholds(0.0, 0.5, 2.0)
    with pytest.raises(ValueError):
        ProgressThresholds(behind_pp=3.0, far_behind_pp=1.0)
    with pytest.raises(ValueError):
        ProgressThresholds(behind_pp=float("nan"))
    assert set(LIGHT_ZH.values()) == {"超进度", "符合进度", "滞后", "严重滞后"}


def test_thresholds_come_from_yacang_toml(yacang_home):
    from pathlib import Path

    from yacang.job_config import ConfigError

    assert target_light(5.6, 6.0)[0] == "on_track"  # no yacang.toml: the default 0 / 1 / 3
    Path("yacang.toml").write_text("[progress]\nbehind_pp = 0.3\nfar_behind_pp = 2.0\n", encoding="utf-8")
    assert target_light(5.6, 6.0) == ("behind", "滞后", "yellow")  # −0.4 beyond 0.3
    assert target_light(3.9, 6.0)[1] == "严重滞后"  # −2.1 beyond 2.0
    Path("yacang.toml").write_text("[progress]\nbehind_pp = 3.0\nfar_behind_pp = 1.0\n", encoding="utf-8")
    with pytest.raises(ValueError):  # impossible thresholds fail, never fall back silently
        target_light(5.6, 6.0)
    Path("yacang.toml").write_text("[progress]\nbehind_pp = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        target_light(5.6, 6.0)
