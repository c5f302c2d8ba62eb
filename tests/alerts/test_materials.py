"""红黄蓝 raw-material warning: pure signals on hand-made series, and the real episodes of 2021–2022."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.alerts.realdata import hf_series, lithium, wb_series
from yacang.alerts.materials import (
    MaterialsConfigError,
    assess,
    episodes,
    hysteresis,
    load_materials_config,
    norm_deviation,
    rise_within,
    single_jump,
)


def _daily(values, start="2020-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="D"), dtype=float)


def test_jump_windows_by_hand():
    s = _daily([100, 100, 104, 108, 112, 112, 112, 112, 112, 112, 112, 112, 112, 112])
    assert single_jump(s).iloc[2] == pytest.approx(0.04)
    # day 4 (index 4): lowest of the previous 10 days is 100 → +12%
    assert rise_within(s, 10).iloc[4] == pytest.approx(0.12)
    # index 13: window [3..13] holds 108 as lowest → 112/108 − 1
    assert rise_within(s, 10).iloc[13] == pytest.approx(112 / 108 - 1)


def test_norm_deviation_needs_history():
    s = _daily([100.0] * 400 + [130.0])
    dev = norm_deviation(s, 365)
    assert dev.iloc[:243].isna().all()  # fewer than two thirds of a year of history
    assert dev.iloc[-1] == pytest.approx(130 / ((364 * 100 + 130) / 365) - 1)


def test_hysteresis_does_not_flap():
    # a signal that crosses the 黄 threshold 0.30 and wobbles just below it
    x = _daily([0.0, 0.31, 0.29, 0.31, 0.28, 0.27, 0.1, 0.1, 0.1])
    lv = hysteresis(x, [0.2, 0.3, 0.5], exit_ratio=0.8, hold_days=3)
    # up at once; stays 黄 while ≥ 0.24 (= 0.8 × 0.30); drops only after 3 days below
    assert lv.tolist() == [0, 2, 2, 2, 2, 2, 2, 2, 0]
    no_hyst = hysteresis(x, [0.2, 0.3, 0.5], exit_ratio=1.0, hold_days=0)
    assert no_hyst.tolist() == [0, 2, 1, 2, 1, 1, 0, 0, 0]


def test_bad_thresholds_are_rejected(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("materials:\n  rebar:\n    name: 螺纹钢\n    price: [x]\n    thresholds:\n      jump_1: [0.1, 0.05, 0.2]\n",
                 encoding="utf-8")
    with pytest.raises(MaterialsConfigError, match=r"品种 'rebar' 字段 'thresholds.jump_1'"):
        load_materials_config(p)


def _level(a, start, end):
    return a.frame.loc[start:end, "level"]


@pytest.mark.slow
def test_real_thermal_coal_spike_sep_oct_2021(shared_data):
    a = assess(hf_series(shared_data, "PD012"))  # 期货结算价:动力煤指数, daily
    assert _level(a, "2021-09-01", "2021-10-31").min() >= 2  # 黄 or 红 throughout
    assert _level(a, "2021-09-01", "2021-10-31").max() == 3  # and 红 at the peak
    wb = assess(wb_series(shared_data, "COAL_AUS"))  # Newcastle monthly: independent source
    assert _level(wb, "2021-09-01", "2021-10-31").min() >= 2


@pytest.mark.slow
def test_real_lithium_surge_2021_2022(shared_data):
    a = assess(lithium(shared_data))
    lv = _level(a, "2021-07-01", "2022-06-30")
    assert lv.min() >= 2 and (lv == 3).mean() > 0.5


@pytest.mark.slow
def test_real_rebar_peak_may_2021(shared_data):
    a = assess(hf_series(shared_data, "PD014"), hf_series(shared_data, "WK004"))  # spot price, 开工率
    assert _level(a, "2021-05-06", "2021-05-31").min() >= 2
    # the spot price of 12 May 2021 (the peak, 6,000+ 元/吨) is > 30% above its one-year mean
    assert a.frame.loc["2021-05-12", "price_1y"] > 0.30


@pytest.mark.slow
def test_real_calm_stretches_stay_quiet(shared_data):
    # 螺纹钢 May–Sep 2020 (post-COVID restart, spot 3,500–3,700 元/吨) and 动力煤 Sep 2019–Apr 2020
    rebar = assess(hf_series(shared_data, "PD014"), hf_series(shared_data, "WK004"))
    assert _level(rebar, "2020-05-01", "2020-09-30").max() == 0
    coal = assess(hf_series(shared_data, "PD012"))
    assert _level(coal, "2019-09-01", "2020-04-30").max() == 0


def test_episodes_by_hand():
    lv = _daily([0, 1, 2, 2, 0, 0, 3, 0])
    e = episodes(lv)
    assert e[["peak", "days"]].values.tolist() == [["黄", 3], ["红", 1]]


def test_a_held_level_says_when_its_threshold_was_reached():
    """One +12% quote (单次涨幅 ≥ 10% → 黄) then a flat price: five days on, 单次涨幅 is +0.0% and the 黄 is
    held by the hysteresis; the reason says so with the day and the +12.0% that reached it, not +0.0% alone."""
    s = _daily([100.0] * 400 + [112.0] * 6)
    a = assess(price=s)
    day = s.index[-1]  # 2021-02-09; the jump was on index 400 = 2021-02-04
    assert a.frame.loc[day, "level_name"] == "黄"
    assert a.frame.loc[day, "jump_1_level"] == 2
    reason = a.frame.loc[day, "reason"]
    assert "单次涨幅+0.0%（低于黄色阈值；2021年2月4日曾达+12.0%，观察期内保持）" in reason
    # 10日内涨幅 still reads +12.0% ≥ 10%: it needs no explanation
    assert "10日内涨幅+12.0%；" in reason or reason.endswith("10日内涨幅+12.0%")


def test_a_price_that_stopped_holds_no_level_past_its_staleness():
    """A daily price ends two days after a +12% quote while a weekly operating rate goes on: the price's 黄
    held 30 days by the hysteresis, then, 45 days (stale_after of a daily series) after its last quote, no
    level from it any more (it used to be carried to the operating rate's last week, months later)."""
    from yacang.alerts.materials import stale_after

    price = _daily([100.0] * 400 + [112.0] * 3)  # last quote 2021-02-06
    weeks = pd.date_range("2020-01-03", "2021-12-31", freq="W-FRI")
    rate = pd.Series(80.0, index=weeks)
    assert stale_after(price) == pd.Timedelta(days=45)
    assert stale_after(rate) == pd.Timedelta(days=45)  # 3 × 7 days < 45
    a = assess(price=price, operating_rate=rate)
    assert a.frame.loc["2021-02-05", "level_name"] == "黄"
    assert a.frame.loc["2021-03-19", "jump_1_level"] == 2  # 41 days after the last quote: held
    assert a.frame.loc["2021-03-26":, "level"].eq(0).all()  # 48 days after: stale, nothing
    assert a.frame.loc["2021-12-31", "reason"] == ""


def test_materials_table_marks_stale_series_and_does_not_show_an_old_level_as_current():
    """The terminal table: each series' latest date; a material whose every series stopped long before the
    day assessed shows no level, and says the data stopped and what the level was then."""
    from yacang.cli.alerts import materials_table

    spike = assess(price=_daily([100.0] * 400 + [112.0] * 3), code="a", name="甲")
    spike.frame.attrs["series"] = {"price": "x"}
    live = assess(price=_daily([100.0] * 500), code="b", name="乙")  # runs to 2021-05-14
    live.frame.attrs["series"] = {"price": "y"}
    t = materials_table([spike, live], None).set_index("材料")
    assert t.loc["甲", "等级"] == "数据停更"  # as the bulletin says it, not a blank
    assert t.loc["甲", "数据日期"] == "价格 2021年2月6日（已停更，不计入等级）"
    assert t.loc["甲", "原因"].startswith("数据已停更，无法评估2021年5月14日的等级（停更时为黄色：")
    assert t.loc["乙", "数据日期"] == "价格 2021年5月14日" and t.loc["乙", "等级"] == "正常"
    t = materials_table([spike, live], "2021-02-06").set_index("材料")  # on its last day it is current
    assert t.loc["甲", "等级"] == "黄色" and t.loc["甲", "数据日期"] == "价格 2021年2月6日"


def test_a_day_before_the_data_is_said_not_left_blank(yacang_home, shared_data):
    """A day before a material's first quote printed a row with no level, no reason and no date; it now says the
    data begin later, and ``yacang materials`` refuses a day before every material's data."""
    from typer.testing import CliRunner

    from yacang.alerts.materials import material_status
    from yacang.cli import app

    a = assess(price=_daily([100.0] * 30), code="a", name="甲")  # 2020-01-01 … 2020-01-30
    a.frame.attrs["series"] = {"price": "x"}
    m = material_status([a], "2019-06-30")[0]
    assert m.level_name == "" and m.reason == "2019年6月30日及以前没有数据（最早为2020年1月1日）"
    spot = next((shared_data / "lithium_carbonate_china_spot_daily" / "original").glob("*.csv"))
    r = CliRunner().invoke(app, ["ingest", str(spot)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["materials", "--date", "2010-01-01"])
    # the spot file starts 2017-05-10 (PROVENANCE)
    assert r.exit_code == 1 and "2010年1月1日及以前没有原材料价格或开工率数据（最早为2017年5月1" in r.output



def test_materials_without_data_are_named_not_dropped(yacang_home, shared_data):
    """With only the World Bank prices loaded, the materials the config reads from other sources (螺纹钢, 焦煤,
    碳酸锂, 水泥, 平板玻璃: no World Bank candidate in materials.yaml) were left out of the report without a word."""
    from typer.testing import CliRunner

    from yacang.cli import app

    r = CliRunner().invoke(app, ["ingest", str(shared_data / "world_bank_commodity_prices_monthly" / "monthly_prices.csv")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["materials", "--date", "2021-10-20"])
    assert r.exit_code == 0, r.output
    note = next(ln for ln in r.output.splitlines() if ln.startswith("未评估"))
    assert note.split("：", 1)[1].split("、") == ["螺纹钢（钢材）", "焦煤（焦炭）", "碳酸锂", "水泥", "平板玻璃"]


def test_materials_chart_says_which_data_it_was_built_from(yacang_home, shared_data, tmp_path):
    """The timeline (PNG or page) named no source: passed on alone, nobody could tell what it was built from."""
    from typer.testing import CliRunner

    from yacang.cli import app

    r = CliRunner().invoke(app, ["ingest", str(shared_data / "world_bank_commodity_prices_monthly" / "monthly_prices.csv")])
    assert r.exit_code == 0, r.output
    page = tmp_path / "m.html"
    r = CliRunner().invoke(app, ["materials", "--date", "2021-10-20", "--chart", str(page)])
    assert r.exit_code == 0, r.output
    assert "<p class='note'>数据来源：世界银行</p>" in page.read_text(encoding="utf-8")  # the only file loaded
