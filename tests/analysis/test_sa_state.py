"""季调环比 from 同比 by the state-space model: observation design by hand, recovery of known changes,
1-2月 reported jointly, no leakage from later data, shocks kept, and the real NBS series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yacang.analysis.sa_state import (
    PANDEMIC_SHOCKS,
    YoyObservations,
    _upto,
    concurrent_table,
    design,
    fit_yoy_sa,
    intervention_indices,
    observations,
    sa_mom_rows,
)

REFERENCE = Path(__file__).parents[1] / "fixtures" / "analysis" / "nbs_sa_mom_published.csv"


def level_from_changes(m: np.ndarray, start: str = "2004-01") -> pd.Series:
    """A level whose monthly log change ×100 is ``m``."""
    idx = pd.period_range(start, periods=len(m), freq="M")
    return pd.Series(100 * np.exp(np.cumsum(m) / 100), index=idx)


def published(level: pd.Series, merged_from: int = 2013, digits: int | None = 1) -> pd.Series:
    """同比 as NBS would release it: 1-2月 as sum over sum from ``merged_from``, rounded."""
    out: dict[str, float] = {}
    for p in level.index[12:]:
        if p.month == 1:
            continue  # January is never released alone
        if p.month == 2 and p.year >= merged_from:
            v = 100 * ((level[p - 1] + level[p]) / (level[p - 13] + level[p - 12]) - 1)
            out[f"{p.year}-01/02"] = v
        else:
            out[str(p)] = 100 * (level[p] / level[p - 12] - 1)
    s = pd.Series(out)
    return s.round(digits) if digits is not None else s


def test_design_rows_equal_log_yoy_of_a_known_level() -> None:
    rng = np.random.default_rng(1)
    m = 0.5 + rng.normal(0, 0.4, 40)
    level = level_from_changes(m)
    z = design(np.array([False, True]))[0]
    t = 30  # a February: states are μ, m[t] … m[t−12]
    state = np.r_[0.0, m[t - np.arange(13)]]
    single = 100 * np.log(level.iloc[t] / level.iloc[t - 12])
    assert z[:, 0] @ state == pytest.approx(single, abs=1e-10)
    # joint: the mean of January's and February's log 同比
    joint = 50 * (np.log(level.iloc[t] / level.iloc[t - 12]) + np.log(level.iloc[t - 1] / level.iloc[t - 13]))
    assert z[:, 1] @ state == pytest.approx(joint, abs=1e-10)
    assert list(z[:, 1]) == [0.0, 0.5, *[1.0] * 11, 0.5]


def test_observations_of_the_nbs_export(shared_data) -> None:
    d = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    d = d.set_index("date")
    obs = observations(d["iva_yoy_pct"], d["iva_ytd_yoy_pct"], start_year=2008)
    v = obs.values
    # 2012: February published alone (21.3, 累计 11.4): a single-month observation
    i = v.index.get_loc(pd.Period("2012-02", "M"))
    assert v.iloc[i] == pytest.approx(100 * np.log(1.213)) and not obs.joint[i]
    # 2013 and 2008: only 1-2月 (9.9; 2008's February cell equals its 累计 15.4): joint at February
    for code, value in (("2013-02", 1.099), ("2008-02", 1.154)):
        i = v.index.get_loc(pd.Period(code, "M"))
        assert v.iloc[i] == pytest.approx(100 * np.log(value)) and obs.joint[i]
    assert v[v.index.month == 1].isna().all()
    assert obs.codes[pd.Period("2013-02", "M")] == "2013-01/02"


def test_joint_period_reported_once_as_average_of_two_months() -> None:
    idx = pd.period_range("2020-11", "2021-03", freq="M")
    obs = YoyObservations(pd.Series([1.0, 1.0, np.nan, 1.0, 1.0], index=idx), np.array([0, 0, 0, 1, 0], bool),
                          {idx[0]: "2020-11", idx[1]: "2020-12", idx[3]: "2021-01/02", idx[4]: "2021-03"})
    m = pd.Series([0.2, 0.4, -3.0, 1.0, 0.6], index=idx)
    rows = sa_mom_rows(obs, m).set_index("period")
    assert list(rows.index) == ["2020-11", "2020-12", "2021-01/02", "2021-03"]
    assert rows.loc["2021-01/02", "sa_mom"] == pytest.approx(100 * (np.exp(-0.01) - 1))  # (−3 + 1) / 2 log points
    assert rows.loc["2021-03", "sa_mom"] == pytest.approx(100 * (np.exp(0.006) - 1))
    assert bool(rows.loc["2021-01/02", "joint"]) and rows.loc["2021-01/02", "label"] == "2021年1-2月"


def synthetic(seed: int = 5) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Known monthly changes (slow drift + news), the level, and its rounded published 同比."""
    rng = np.random.default_rng(seed)
    n = 12 * 21
    drift = 0.6 + np.cumsum(rng.normal(0, 0.02, n))
    m = drift + rng.normal(0, 0.3, n)
    level = level_from_changes(m)
    return m, level, published(level)


def test_recovers_known_monthly_changes() -> None:
    m, level, yoy = synthetic()
    res = fit_yoy_sa(yoy, start_year=None)
    truth = pd.Series(m, index=level.index)
    months = res.obs.values.index[-60:]
    months = months[months.month > 2]  # single months; 1-2月 is checked jointly below
    err = (res.concurrent[months] - truth[months]).abs()
    naive = (yoy.reindex([str(p) for p in months]).to_numpy() / 12 - truth[months].to_numpy())
    assert err.mean() < 0.12  # news sd 0.3, 同比 rounded to 0.1
    assert err.mean() < 0.5 * np.abs(naive).mean()
    # the revised (smoothed) estimate is closer still
    assert (res.revised[months] - truth[months]).abs().mean() < err.mean()
    # 1-2月: the joint figure is the average change December → February
    feb = res.obs.values.index[-12 + 1 - 12]  # a February in the last two years
    assert feb.month == 2
    got = sa_mom_rows(res.obs, res.revised).set_index("period").loc[f"{feb.year}-01/02", "sa_mom"]
    assert got == pytest.approx(100 * ((level[feb] / level[feb - 2]) ** 0.5 - 1), abs=0.15)


def test_concurrent_estimate_ignores_later_data() -> None:
    _, _, yoy = synthetic()
    month = "2023-06"
    base = concurrent_table(yoy, None, [month], start_year=2012)
    later = yoy.copy()
    after = [c for c in later.index if c > "2023-06"]
    later[after] = later[after] + 5.0
    again = concurrent_table(later, None, [month], start_year=2012)
    assert again["sa_mom"].iloc[0] == base["sa_mom"].iloc[0]
    # and the data up to the month do matter
    moved = yoy.copy()
    moved["2023-06"] += 1.0
    assert concurrent_table(moved, None, [month], start_year=2012)["sa_mom"].iloc[0] != base["sa_mom"].iloc[0]


def test_shock_in_the_newest_month_is_kept() -> None:
    rng = np.random.default_rng(11)
    n = 12 * 20
    m = 0.5 + rng.normal(0, 0.3, n)
    k = n - 20  # a month in the last two years, not January/February
    level = level_from_changes(m)
    while level.index[k].month in (1, 2):
        k += 1
    m[k] = 100 * np.log(0.85)  # −15 % in one month, back up by +12 % the next
    m[k + 1] = 100 * np.log(1.12)
    level = level_from_changes(m)
    yoy = published(level)
    p = level.index[k]
    out = concurrent_table(yoy, None, [str(p), str(p + 1)], start_year=2008)
    assert bool(out["shock"].iloc[0]) and bool(out["shock"].iloc[1])
    assert out["sa_mom"].iloc[0] == pytest.approx(-15.0, abs=1.5)
    assert out["sa_mom"].iloc[1] == pytest.approx(12.0, abs=1.5)


def test_intervention_indices_only_where_the_data_reach() -> None:
    idx = pd.period_range("2019-01", "2022-04", freq="M")
    obs = YoyObservations(pd.Series(1.0, index=idx), np.zeros(len(idx), bool), {})
    # 2020-01 is month 12 of the grid, 2022-04 its last; 2022-05 lies beyond the data
    assert intervention_indices(obs, PANDEMIC_SHOCKS) == {12, 13, 14, len(idx) - 1}
    assert intervention_indices(obs, ["2018-12", "2022-05"]) == set()


def test_intervention_frees_its_month_once_the_data_reach_it() -> None:
    _, _, yoy = synthetic(seed=9)
    month = pd.Period("2023-06", "M")
    before = fit_yoy_sa(_upto(yoy, month - 1), start_year=2012, interventions=[str(month)])
    plain = fit_yoy_sa(_upto(yoy, month - 1), start_year=2012, interventions=[])
    assert month not in before.shocks
    assert before.concurrent.equals(plain.concurrent)  # a later intervention changes nothing earlier
    reached = fit_yoy_sa(_upto(yoy, month), start_year=2012, interventions=[str(month)])
    assert month in reached.shocks


def test_merged_shock_identifies_two_sums_not_february() -> None:
    """A shock across a merged 1-2月 (January −3, February −30, March +27 log points): with data up
    to March the fit recovers X = a + b/2 (the 1-2月 mean level against December) and Y = a + b + c
    (March against December) but not February alone. X carries the gap between the 1-2月 同比 (a ratio
    of sums) and the mean of the two months' log 同比 that the model observes, computed here from the
    level."""
    rng = np.random.default_rng(7)
    m = 0.5 + rng.normal(0, 0.3, 12 * 18)
    jan = 12 * 16  # 2020-01
    m[jan:jan + 3] = (-3.0, -30.0, 27.0)
    level = level_from_changes(m)
    assert level.index[jan] == pd.Period("2020-01", "M")
    res = fit_yoy_sa(_upto(published(level), level.index[jan + 2]), start_year=2008)
    s = res.revised.to_numpy()[-3:]
    lv = level.to_numpy()
    ratio_of_sums = 100 * np.log((lv[jan] + lv[jan + 1]) / (lv[jan - 12] + lv[jan - 11]))
    mean_of_logs = 50 * (np.log(lv[jan] / lv[jan - 12]) + np.log(lv[jan + 1] / lv[jan - 11]))
    assert s[0] + s[1] / 2 == pytest.approx(-3.0 - 15.0 + ratio_of_sums - mean_of_logs, abs=0.4)
    assert s.sum() == pytest.approx(-6.0, abs=0.4)
    assert abs(s[1] - (-30.0)) > 10  # February alone is the prior's split, not data


@pytest.mark.slow
def test_real_nbs_2024_months_near_published(shared_data) -> None:
    """Concurrent estimates for the 2024 reference months against NBS's first releases (fixture)."""
    d = pd.read_csv(shared_data / "nbs_official_export_iva_ppi" / "iva_total_monthly.csv", dtype={"date": str})
    d = d.set_index("date")
    ref = pd.read_csv(REFERENCE, dtype={"period": str})
    ref = ref[ref["period"].str.startswith("2024")]
    assert len(ref) == 7
    est = concurrent_table(d["iva_yoy_pct"], d["iva_ytd_yoy_pct"], ref["period"].tolist())
    err = (est["sa_mom"].to_numpy() - ref["sa_mom_pct"].to_numpy())
    assert np.abs(err).mean() <= 0.3
    assert est["period"].iloc[0] == "2024-01/02"


def test_calendar_terms_by_hand() -> None:
    from yacang.analysis.calendar import festival_regressor
    from yacang.analysis.holiday_calendar import working_day_regressor
    from yacang.analysis.sa_state import calendar_terms

    idx = pd.period_range("2024-01", "2024-03", freq="M")
    obs = YoyObservations(pd.Series([np.nan, 5.0, 4.0], index=idx), np.array([0, 1, 0], bool), {})
    terms = calendar_terms(obs)
    months = pd.period_range("2023-01", "2024-03", freq="M")
    f, w = festival_regressor(months), working_day_regressor(months)
    p = {m: pd.Period(m, "M") for m in ("2023-01", "2023-02", "2023-03", "2024-01", "2024-02", "2024-03")}
    # March: this year minus last year; 1-2月: the mean over January and February
    assert terms.loc[p["2024-03"], "working_days"] == pytest.approx(w[p["2024-03"]] - w[p["2023-03"]])
    jf = ((f[p["2024-01"]] - f[p["2023-01"]]) + (f[p["2024-02"]] - f[p["2023-02"]])) / 2
    assert terms.loc[p["2024-02"], "festival"] == pytest.approx(jf)
    # 21 against 23 working days in March: a negative difference
    assert terms.loc[p["2024-03"], "working_days"] < 0
