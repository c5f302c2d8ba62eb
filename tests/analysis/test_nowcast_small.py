"""Pre-registered small bridges: their terms by hand, OLS against the normal equations, exact recovery of a
hinge, 2020–2021 out of the training, fixed weights by hand, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.analysis.realdata import later_data_changed
from yacang.analysis.nowcast import AR1, NowcastInputs, RandomWalk, information_set
from yacang.analysis.nowcast_delta import festival_yoy_change, workday_yoy_change
from yacang.analysis.nowcast_small import (
    FixedWeightNowcaster,
    SmallBridgeNowcaster,
    pmi_terms,
    preregistered_models,
    yoy_series_terms,
)


def _merged() -> NowcastInputs:
    """2015–2016 with every 1-2月 merged; PMI 生产 = 40 + month number + year offset, 出口交货值 (lag 1) = i²."""
    idx = pd.period_range("2015-01", "2016-12", freq="M")
    pmi = pd.Series([40.0 + p.month + (3.0 if p.year == 2016 else 0.0) for p in idx], index=idx)
    export = pd.Series(np.arange(len(idx), dtype=float) ** 2, index=idx)
    return NowcastInputs.build(pd.Series(5.0, index=idx), {"pmi_output": pmi, "export_delivery": export},
                               lags={"export_delivery": 1})


def test_pmi_terms_of_a_merged_release_by_hand() -> None:
    """2016 1-2月: L = (44 + 45)/2 = 44.5; previous release 2015-12: 52; a year earlier 2015 1-2月:
    (41 + 42)/2 = 41.5. Hinge at 47: 2.5 now, 5.5 a year earlier."""
    t = pmi_terms(_merged(), [pd.Period("2016-02", "M")], hinge="level")
    assert (t["level"][0], t["change"][0], t["change12"][0], t["hinge"][0]) == pytest.approx((-5.5, -7.5, 3.0, 2.5))
    assert pmi_terms(_merged(), [pd.Period("2016-02", "M")], hinge="yoy")["hinge"][0] == pytest.approx(2.5 - 5.5)
    may = pmi_terms(_merged(), [pd.Period("2016-05", "M")], hinge="level")  # L = 48: no hinge
    assert (may["level"][0], may["change"][0], may["change12"][0], may["hinge"][0]) == pytest.approx((-2.0, 1.0, 3.0, 0.0))


def test_yoy_series_terms_one_release_back_by_hand() -> None:
    """出口交货值 (lag 1) for the 2016-04 release reads 2016-03 (index 14 → 196); its previous release is
    the merged 2016 1-2月, (12² + 13²)/2 = 156.5; a year earlier 2015-03, 2² = 4."""
    inputs, p = _merged(), [pd.Period("2016-04", "M")]
    assert yoy_series_terms(inputs, p, "export_delivery", 1)[0] == pytest.approx(196 - 156.5)
    assert yoy_series_terms(inputs, p, "export_delivery", 12)[0] == pytest.approx(196 - 4)


def _synthetic(hinge_coef: float, noise: float = 0.0) -> tuple[NowcastInputs, pd.Series]:
    """Monthly 同比 (no merging), 2004–2019, built so that Δ同比 (log points) = 0.1 + 0.3·Δwd − 1.2·Δsf
    + 0.2·(L − 50) + 0.5·ΔL − 0.15·Δ₁₂L + hinge_coef·max(0, 47 − L) (+ noise)."""
    rng = np.random.default_rng(11)
    idx = pd.period_range("2004-01", "2019-12", freq="M")
    pmi = pd.Series(50 + rng.normal(0, 2.5, len(idx)), index=idx)
    shell = NowcastInputs.build(pd.Series(0.0, index=idx), {"pmi_output": pmi}, merge_all_jan_feb=False)
    periods = list(idx[13:])
    dwd, dsf = workday_yoy_change(shell, periods), festival_yoy_change(shell, periods)
    ly = {idx[12]: 7.0}
    for p, w, f in zip(periods, dwd, dsf, strict=True):
        level = pmi[p]
        ly[p] = (ly[p - 1] + 0.1 + 0.3 * w - 1.2 * f + 0.2 * (level - 50) + 0.5 * (level - pmi[p - 1])
                 - 0.15 * (level - pmi[p - 12]) + hinge_coef * max(0.0, 47 - level) + noise * rng.normal())
    yoy = pd.Series({p: 100 * np.expm1(v / 100) for p, v in ly.items()})
    return NowcastInputs.build(yoy, {"pmi_output": pmi}, merge_all_jan_feb=False), yoy


def test_hinge_recovers_an_exact_relation() -> None:
    inputs, yoy = _synthetic(0.8)
    p = max(q for q in yoy.index if q.year >= 2015 and inputs.indicators.loc[q, "pmi_output"] < 46)
    hinged = SmallBridgeNowcaster(hinge="level")
    assert hinged.nowcast(information_set(inputs, p), p) == pytest.approx(yoy[p], abs=1e-6)
    assert hinged.last_used == ["pmi_output"] and hinged.last_missing == []
    assert abs(SmallBridgeNowcaster().nowcast(information_set(inputs, p), p) - yoy[p]) > 0.05  # linear misses it


def test_ols_against_the_normal_equations() -> None:
    """With noise the nowcast is ly(T−1) + x(T)·b, b solving (X'X) b = X'y over 2006 … T−1 — the
    regressors rebuilt here from the monthly series by plain month arithmetic."""
    inputs, yoy = _synthetic(0.0, noise=0.5)
    p = pd.Period("2015-07", "M")
    periods = [q for q in pd.period_range("2006-01", p, freq="M")]
    pmi = inputs.indicators["pmi_output"]
    x = np.column_stack([np.ones(len(periods)), workday_yoy_change(inputs, periods),
                         festival_yoy_change(inputs, periods), [pmi[q] - 50 for q in periods],
                         [pmi[q] - pmi[q - 1] for q in periods], [pmi[q] - pmi[q - 12] for q in periods]])
    ly = 100 * np.log1p(yoy / 100)
    y = np.array([ly[q] - ly[q - 1] for q in periods[:-1]])
    b = np.linalg.solve(x[:-1].T @ x[:-1], x[:-1].T @ y)
    expected = 100 * np.expm1((ly[p - 1] + x[-1] @ b) / 100)
    assert SmallBridgeNowcaster().nowcast(information_set(inputs, p), p) == pytest.approx(expected, abs=1e-8)


def test_ols_on_four_points_by_hand() -> None:
    """Four points x = 0, 1, 2, 3 and y = 1, 3, 4, 8: x̄ = 1.5, ȳ = 4, Sxy = 4.5 + 0.5 + 0 + 6 = 11,
    Sxx = 5, slope 2.2, intercept 4 − 2.2·1.5 = 0.7 — the same numbers from the least-squares call the models make."""
    x = np.column_stack([np.ones(4), np.arange(4.0)])
    beta, *_ = np.linalg.lstsq(x, np.array([1.0, 3.0, 4.0, 8.0]), rcond=None)
    assert beta == pytest.approx([0.7, 2.2])


def test_2020_and_2021_are_not_in_the_training() -> None:
    """Changing the values that only 2020 and 2021 releases read leaves a 2023 nowcast unchanged: the
    target through 2021-11 (2022-01's change reads 2021-12) and PMI 生产 through 2020-12 (2022's
    12-month changes read 2021); a model trained on those years moves."""
    inputs, yoy = _synthetic(0.0, noise=0.5)
    idx = pd.period_range("2020-01", "2023-12", freq="M")
    more = pd.Series(np.linspace(3, 6, len(idx)), index=idx)
    pmi = pd.concat([inputs.indicators["pmi_output"], pd.Series(50.5, index=idx)])
    inputs = NowcastInputs.build(pd.concat([yoy, more]), {"pmi_output": pmi}, merge_all_jan_feb=False)
    p = pd.Period("2023-06", "M")
    before = SmallBridgeNowcaster().nowcast(information_set(inputs, p), p)
    target, ind = inputs.target.copy(), inputs.indicators.copy()
    years = (target.index >= pd.Period("2020-01", "M")) & (target.index <= pd.Period("2021-11", "M"))
    target[years] = [-30.0 if q.month % 2 else 20.0 for q in target.index[years]]
    ind.loc[(ind.index >= pd.Period("2020-01", "M")) & (ind.index <= pd.Period("2020-12", "M")), "pmi_output"] = 25.0
    changed = inputs.replace(target=target, indicators=ind)
    after = SmallBridgeNowcaster().nowcast(information_set(changed, p), p)
    assert after == pytest.approx(before, abs=1e-12)
    kept = SmallBridgeNowcaster(excluded_years=())
    assert abs(kept.nowcast(information_set(changed, p), p) - kept.nowcast(information_set(inputs, p), p)) > 0.1


def test_missing_extra_indicator_is_dropped() -> None:
    inputs, yoy = _synthetic(0.0)
    p = pd.Period("2015-07", "M")
    model = SmallBridgeNowcaster(extra=("ppi",))
    assert model.nowcast(information_set(inputs, p), p) == pytest.approx(yoy[p], abs=1e-6)
    assert model.last_missing == ["ppi"] and model.last_used == ["pmi_output"]


def test_fixed_weights_by_hand() -> None:
    """½·bridge + ½·random walk: the random walk is the previous release's 同比."""
    inputs, yoy = _synthetic(0.0, noise=0.5)
    p = pd.Period("2015-07", "M")
    info = information_set(inputs, p)
    bridge = SmallBridgeNowcaster().nowcast(info, p)
    combo = FixedWeightNowcaster("c", (SmallBridgeNowcaster(), RandomWalk()), (0.5, 0.5))
    assert combo.nowcast(info, p) == pytest.approx(0.5 * bridge + 0.5 * yoy[p - 1])
    assert combo.last_used == ["pmi_output"] and combo.columns == ("pmi_output",)
    combo = FixedWeightNowcaster("c", (SmallBridgeNowcaster(), AR1()), (0.25, 0.75))
    assert combo.nowcast(info, p) == pytest.approx(0.25 * bridge + 0.75 * AR1().nowcast(info, p))


@pytest.mark.parametrize("index", range(7))
def test_no_look_ahead(real: NowcastInputs, index: int) -> None:
    """2022-04: changing every value released after the nowcast date (the target from April on, the
    indicators after April, April's 出口交货值) changes nothing, for each pre-registered model."""
    p = pd.Period("2022-04", "M")
    model = preregistered_models()[index]
    before = model.nowcast(information_set(real, p), p)
    after = model.nowcast(information_set(later_data_changed(real, p), p), p)
    assert np.isfinite(before) and after == before
    assert "pmi_output" in model.last_used
