"""Nowcast: information set, no look-ahead, exact recovery on a synthetic bridge, alert messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.backtest import backtest
from yacang.analysis.nowcast import (
    AR1,
    BridgeNowcaster,
    CalendarNowcaster,
    ChangeBridgeNowcaster,
    DFMNowcaster,
    NowcastInputs,
    NowcastResult,
    RandomWalk,
    WorkdayBridgeNowcaster,
    information_set,
    nowcast,
    nowcast_alert,
    pseudo_level,
)
from yacang.analysis.nowcast_delta import DeltaBridgeNowcaster, delta_models


def synthetic_inputs() -> tuple[NowcastInputs, pd.Series]:
    """A level whose month-on-month log change is 0.002 + 0.01·(PMI − 50); 同比 from it, no 1-2月 merge."""
    rng = np.random.default_rng(4)
    idx = pd.period_range("2000-01", "2012-12", freq="M")
    pmi = pd.Series(50 + rng.normal(0, 1.5, len(idx)), index=idx)
    level = np.cumsum(0.002 + 0.01 * (pmi.to_numpy() - 50))
    yoy = pd.Series(100 * np.expm1(level[12:] - level[:-12]), index=idx[12:])
    inputs = NowcastInputs.build(yoy, {"pmi": pmi}, merge_all_jan_feb=False)
    return inputs, yoy


def test_pseudo_level_reproduces_yoy() -> None:
    inputs, yoy = synthetic_inputs()
    c = pseudo_level(inputs)
    p = pd.Period("2010-07", "M")
    assert 100 * np.expm1(c[p] - c[p - 12]) == pytest.approx(yoy[p])


def test_bridge_recovers_an_exact_relation() -> None:
    inputs, yoy = synthetic_inputs()
    p = pd.Period("2011-05", "M")
    got = BridgeNowcaster().nowcast(information_set(inputs, p), p)
    assert got == pytest.approx(yoy[p], abs=0.01)


def test_information_set_excludes_the_release_and_later() -> None:
    idx = pd.period_range("2023-03", "2024-06", freq="M")
    target = pd.Series(np.arange(len(idx), dtype=float), index=[str(p) for p in idx])
    target = target.drop("2024-01").rename({"2024-02": "2024-01/02"})
    inputs = NowcastInputs.build(target, {"pmi": pd.Series(50.0, index=idx)})
    info = information_set(inputs, pd.Period("2024-02", "M"))  # the 1-2月 release
    assert info.target.index.max() == pd.Period("2023-12", "M")
    assert info.indicators.index.max() == pd.Period("2024-02", "M")
    assert info.previous_release(pd.Period("2024-03", "M")) == pd.Period("2024-02", "M")


@pytest.mark.parametrize("model", [DeltaBridgeNowcaster, lambda: DeltaBridgeNowcaster(pmi_lag=12),
                                   WorkdayBridgeNowcaster, BridgeNowcaster, ChangeBridgeNowcaster, CalendarNowcaster,
                                   AR1, RandomWalk, DFMNowcaster])
def test_no_look_ahead(real: NowcastInputs, model) -> None:
    """Changing everything released after the nowcast date leaves the nowcast unchanged."""
    p = pd.Period("2019-06", "M")
    before = model().nowcast(information_set(real, p), p)
    rng = np.random.default_rng(1)
    target = real.target.copy()
    later = target.index >= p
    target[later] = target[later] + rng.normal(0, 5, later.sum())
    ind = real.indicators.copy()
    ind[ind.index > p] = ind[ind.index > p] * 3 + 7
    perturbed = real.replace(target=target, indicators=ind)
    after = model().nowcast(information_set(perturbed, p), p)
    assert np.isfinite(before)
    assert after == before
    # and the backtest driver applies the same cut: its row for p equals the direct call
    bt = backtest(perturbed, "2019-06", "2019-06", models=[model()])
    assert bt.predictions.loc[p, model().name] == pytest.approx(before)


def test_backtest_scores_short_window(real: NowcastInputs) -> None:
    bt = backtest(real, "2023-01", "2023-12", models=[BridgeNowcaster(), AR1(), RandomWalk()])
    assert len(bt.predictions) == 11  # 1-2月 merged: eleven releases a year
    scores = bt.scores()
    assert set(scores["模型"]) == {"桥接回归", "AR(1)", "随机游走"}
    rw = scores.set_index("模型").loc["随机游走"]
    actual, prev = bt.predictions["actual"], bt.predictions["previous"]
    assert rw["MAE"] == pytest.approx((actual - prev).abs().mean())  # random walk error by hand
    assert np.isnan(rw["方向准确率%"])


@pytest.mark.slow
def test_backtest_windows_and_ratios(real: NowcastInputs) -> None:
    m1, m12 = delta_models()
    bt = backtest(real, "2019-01", "2023-12", models=[m1, m12, BridgeNowcaster(), AR1(), RandomWalk()])
    tables = bt.table()
    assert list(tables) == ["2019–2023年（不含2020–2021年）", "2023–2023年", "2020–2021年（封控与基数年份）"]
    main = tables["2019–2023年（不含2020–2021年）"].set_index("模型")
    # every model is in the table, the naive ones included, with the combinations and the selection
    assert set(main.index) == {"滚动择优", "滚动加权", "收缩加权", "前半等权", "组合", "截尾组合", m1.name, m12.name, "桥接回归", "AR(1)", "随机游走"}
    assert main.loc["组合", "月数"] == 33  # 2019, 2022, 2023: eleven releases a year
    p = bt.predictions[bt.window(2019, 2023, (2020, 2021))]
    combo = (p[[m1.name, m12.name, "AR(1)"]].mean(axis=1) - p["actual"]) ** 2  # 组合: the two Δ bridges and AR(1)
    assert main.loc["组合", "RMSE"] == pytest.approx(np.sqrt(combo.mean()))
    four = np.sort(p[[m1.name, m12.name, "桥接回归", "AR(1)"]].to_numpy(), axis=1)
    trimmed = (four[:, 1] + four[:, 2]) / 2 - p["actual"].to_numpy()  # highest and lowest dropped
    assert main.loc["截尾组合", "RMSE"] == pytest.approx(np.sqrt((trimmed**2).mean()))
    rw = np.sqrt(((p["previous"] - p["actual"]) ** 2).mean())  # random walk by hand
    assert main.loc["随机游走", "RMSE"] == pytest.approx(rw)
    assert main.loc["组合", "RMSE/随机游走"] == pytest.approx(main.loc["组合", "RMSE"] / rw)


def test_missing_indicator_is_named_in_the_result() -> None:
    inputs, _ = synthetic_inputs()
    hf = pd.Series(1.0, index=inputs.indicators.index[:-3])  # ends three months before the data
    inputs = NowcastInputs.build(inputs.target, {"pmi": inputs.indicators["pmi"], "hf": hf},
                                 {"pmi": "制造业PMI", "hf": "高频开工率"}, merge_all_jan_feb=False)
    res = nowcast(inputs, "2012-12", models=[BridgeNowcaster(), AR1()])
    assert res.missing == ["高频开工率"] and res.used == ["制造业PMI"]
    assert "高频开工率 尚无数据" in res.warning and "制造业PMI" in res.warning
    full = nowcast(inputs, "2012-06", models=[BridgeNowcaster(), AR1()])
    assert full.missing == [] and full.warning == ""


def test_alert_messages_by_hand() -> None:
    r = NowcastResult(pd.Period("2025-12", "M"), 5.12, 5.4, False, "桥接回归")
    a = nowcast_alert(r)
    assert a["rule"] == "nowcast" and a["level"] == "info"
    assert a["message"] == "预计12月规模以上工业增加值同比增长5.1%，较上月回落0.3个百分点"
    r = NowcastResult(pd.Period("2026-02", "M"), -1.0, 5.2, True, "桥接回归")
    a = nowcast_alert(r)
    assert a["period"] == "2026-01/02" and a["level"] == "yellow"
    assert a["message"] == "预计1-2月规模以上工业增加值同比下降1.0%，较上年12月回落6.2个百分点"
    a = nowcast_alert(NowcastResult(pd.Period("2025-05", "M"), 6.0, 5.0, False, "x"))
    assert a["message"].endswith("较上月加快1.0个百分点")
    a = nowcast_alert(r, actual=-0.36)  # a released month: a backcast with its error, never yellow
    assert a["level"] == "info" and a["backcast"] is True and a["actual"] == -0.4
    assert a["message"] == ("回溯（2026年1-2月已发布）：现时预测规模以上工业增加值同比下降1.0%，"
                            "较上年12月回落6.2个百分点；实际同比下降0.4%，误差-0.6个百分点")


def test_nowcast_waits_for_the_pmi(real: NowcastInputs) -> None:
    with pytest.raises(ValueError, match="尚未发布"):
        nowcast(real)
    res = nowcast(real, "2025-12", models=[BridgeNowcaster(), AR1()])
    assert set(res.by_model) == {"桥接回归", "AR(1)"}
    assert res.previous == pytest.approx(4.8)  # 2025-11 as published


def test_a_month_several_releases_ahead_is_not_nowcast(real: NowcastInputs) -> None:
    """The NBS series ends at 2025年12月: 2026年1-2月 can be nowcast, March 2026 not yet."""
    with pytest.raises(ValueError, match="只能现时预测其下一期2026年1-2月"):
        nowcast(real, "2026-03", models=[AR1()])
