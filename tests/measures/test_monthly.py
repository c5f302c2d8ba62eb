"""The monthly official table on the hand-built panel, and the ``yacang measures`` command.

Hand values (see tests/microdata/handbuilt.py and test_real_growth.py):
- 广东 (440000) 2022-03 当月 410/365 − 1 = 12.33%; 1-3月 1230/1165 − 1 = 5.58%.
- 广东 2021-03 (2021 set in 广东: A, B): (225+100)/(212.5+96) − 1 = 5.35% → 当月两年平均
  √(1.12329·1.05348) − 1.
- Prefectures 1-3月: 440300 (B, C) 480/440 − 1 = 9.09%, 440100 (A) 750/725 − 1 = 3.45%; in 1-2月
  440300 320/300 − 1 = 6.67%, 440100 0% → ranks 1 and 2 both times (位次变化 0).
- Target 6.0 for 440000, no complete 2021 profile → even months, 3/12 done:
  needed = (1.06 − 1.055794·0.25)/0.75 − 1 = 6.14%; gap 5.6 − 6.0 = −0.4 → 符合进度 (within 1 point).
"""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from tests.microdata import handbuilt
from yacang.measures.monthly import monthly_measures


def test_monthly_table_for_a_province(wh):
    handbuilt.build(wh)
    r = monthly_measures(wh.con, "2022-03", region="440000")
    s = r.summary
    assert s["month_growth"] == pytest.approx((410 / 365 - 1) * 100)
    assert s["ytd_growth"] == pytest.approx((1230 / 1165 - 1) * 100)
    g21 = 325 / 308.5 - 1
    assert s["two_year_month"] == pytest.approx((math.sqrt((410 / 365) * (1 + g21)) - 1) * 100)
    assert s["rank"] == 1 and s["n_siblings"] == 1
    # 5.6 (rounded) against 6.0: 0.4 points behind, within the default 1 point → 符合进度 (green)
    assert s["target"] == 6.0 and s["light"] == "符合进度" and s["light_code"] == "green"
    assert s["needed"] == pytest.approx(((1.06 - 1230 / 1165 * 0.25) / 0.75 - 1) * 100)
    c = r.children.set_index("region")
    assert c.loc["440300", "ytd_growth"] == pytest.approx((480 / 440 - 1) * 100)
    assert c.loc["440100", "ytd_growth"] == pytest.approx((750 / 725 - 1) * 100)
    assert c["rank"].tolist() == [1, 2] and c["rank_change"].tolist() == [0, 0]
    assert c.loc["440300", "vs_parent"] == "高于广东省3.5个百分点"
    assert c.loc["440100", "vs_parent"] == "低于广东省2.2个百分点"
    assert c["pull"].sum() == pytest.approx(s["ytd_growth"])
    assert r.divisions["pull"].sum() == pytest.approx(s["ytd_growth"])
    assert r.pulls_up["uscc"].tolist() == [handbuilt.C, handbuilt.A]  # 1-3月: C +40 (180 vs 140), A +25
    assert any("均匀" in n for n in r.notes)


def test_cli_measures_prints_the_table(yacang_home, monkeypatch):
    from yacang.cli import app
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(get_settings().warehouse_path)
    handbuilt.build(wh)
    wh.close()
    monkeypatch.setenv("COLUMNS", "200")
    res = CliRunner().invoke(app, ["measures", "--period", "2022-03", "--region", "440000"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "广东省" in out and "2022年3月" in out
    assert "12.3" in out and "5.6" in out  # 当月, 累计
    assert "符合进度（累计低于目标0.4个百分点）" in out and "6.1" in out  # state by the one rule; needed growth
    res = CliRunner().invoke(app, ["measures", "--period", "2022-03", "--region", "440000", "--behind-pp", "0.3"])
    assert "滞后（累计低于目标0.4个百分点）" in res.output and "严重滞后" not in res.output
    assert "丙汽配" in out  # the top puller
    assert "数据来源：企业月报" in out  # the measures rest on the reports (hand-built, not the demo's)
    res = CliRunner().invoke(app, ["measures", "--period", "2030-03"])
    assert res.exit_code != 0
