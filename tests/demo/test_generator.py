"""The generated panel: reproducible, valid codes, a changing 规上 set, shocks, seasonality, targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.demo.reference import org_code_check, real_growth, uscc_check
from yacang.demo.generator import DemoError, DemoSpec, generate, spring_festival_profile


def test_same_seed_same_data_and_other_seed_differs(small_demo):
    from tests.demo.conftest import SMALL

    again = generate(DemoSpec(**SMALL))
    for name in ("enterprises", "enterprise_years", "reports", "division_params", "division_ppi", "targets"):
        pd.testing.assert_frame_equal(getattr(small_demo, name), getattr(again, name))
    other = generate(DemoSpec(**{**SMALL, "seed": SMALL["seed"] + 1}))
    assert set(other.enterprises["uscc"]) != set(small_demo.enterprises["uscc"])


def test_reference_check_character_on_a_published_code():
    # 91350100M000100Y43 is the worked example commonly cited for GB 32100-2015
    assert uscc_check("91350100M000100Y4") == "3"


def test_uscc_codes_are_valid_and_unique(small_demo):
    e = small_demo.enterprises
    assert e["uscc"].is_unique
    for code, region in zip(e["uscc"], e["region"], strict=True):
        assert len(code) == 18
        assert code[17] == uscc_check(code[:17]), code
        assert code[:2] == "91" and code[2:8] == region
        assert code[16] == org_code_check(code[8:16]), code
    from yacang.microdata.uscc import is_valid_uscc

    assert all(is_valid_uscc(c) for c in e["uscc"])


def test_registry_attributes(small_demo):
    e = small_demo.enterprises
    assert len(e) == 2500
    assert e["region"].str[:2].nunique() == 31
    assert e["region"].str[:4].nunique() > 150
    assert e["industry"].str[:2].nunique() >= 38
    assert set(e["size_class"]) <= {"大型", "中型", "小型", "微型"}
    assert set(e["ownership"]) <= {"国有控股", "股份制", "外商及港澳台", "私营", "其他"}
    assert 0.03 <= e["is_key"].mean() <= 0.08
    assert set(e.loc[e["is_key"], "frequency"]) == {"周", "日"}
    assert set(e.loc[~e["is_key"], "frequency"]) == {"月"}
    assert 0.3 <= e["park"].notna().mean() <= 0.6
    assert e["name"].str.endswith("（示例）").all()
    assert (e["industry"].str.len() == 4).any()  # some high-tech 4-digit classes


def test_above_scale_set_changes_each_january(small_demo):
    d = small_demo
    ey = d.enterprise_years.pivot(index="uscc", columns="year", values="above_scale")
    for y in d.years:
        entered = (ey[y] & ~ey[y - 1]).sum()
        left = (ey[y - 1] & ~ey[y]).sum()
        assert entered > 0 and left > 0, y
        # reports come only from that year's 规上 set
        rep = set(d.reports.loc[d.reports["period"].str[:4] == str(y), "uscc"])
        assert rep == set(ey.index[ey[y]])


def test_prev_year_columns_are_last_years_values(small_demo):
    r = small_demo.reports
    cur = r[r["period"] == "2022-05"].set_index("uscc")
    old = r[r["period"] == "2021-05"].set_index("uscc")
    both = cur.index.intersection(old.index)
    assert len(both) > 1000
    factor = small_demo.base_revisions.set_index("period").loc["2022-05", "factor"]
    assert 0.8 < factor < 1.25  # 上年同期核实: money columns revised by the period's factor
    for col in ("output_value", "sales_value", "export_delivery", "revenue", "profit"):
        np.testing.assert_allclose(cur.loc[both, f"{col}_prev"], (old.loc[both, col] * factor).round(1), atol=0.051)
    for col in ("electricity", "employment"):  # physical quantities are not revised
        np.testing.assert_allclose(cur.loc[both, f"{col}_prev"], old.loc[both, col])


def test_same_caliber_differs_from_naive(small_demo):
    """Naive growth divides by last year's whole 规上 total; 同口径 by the same enterprises' 上年同期."""
    d = small_demo
    rates = d.division_params[d.division_params["year"] == 2022].set_index("division")["va_rate"]
    ppi = d.division_ppi.set_index(["period", "division"])["index_yoy"]
    div = d.enterprises.set_index("uscc")["industry"].str[:2]
    cur = d.reports[d.reports["period"] == "2022-06"]
    old = d.reports[d.reports["period"] == "2021-06"]
    dc, do = cur["uscc"].map(div), old["uscc"].map(div)
    num = (cur["output_value"] / ppi.loc[[("2022-06", x) for x in dc]].to_numpy() * 100 * dc.map(rates)).sum()
    same = num / (cur["output_value_prev"] * dc.map(rates)).sum() - 1
    naive = num / (old["output_value"] * do.map(rates)).sum() - 1
    assert abs(same * 100 - 3.9) < 0.05
    assert abs(naive - same) * 100 > 0.3


def test_lockdown_visible_in_shanghai(small_demo):
    d = small_demo
    g = real_growth(d.reports, d.enterprises, d.division_ppi, d.division_params, key="province")
    sh = g.xs("310000", level="province")
    assert sh["2022-04"] < -40.0  # 上海 published −61.5% for April 2022; nation −2.9%
    assert sh["2022-05"] < sh["2022-06"]
    others = g.xs("2022-04", level="period").drop(["310000", "220000"])
    assert sh["2022-04"] < others.min() - 20
    jl = g.xs("220000", level="province")
    assert jl["2022-04"] < others.median() - 15


def test_spring_festival_profile():
    late, early = spring_festival_profile(2018), spring_festival_profile(2020)  # 2月16日 vs 1月25日
    assert late.sum() == pytest.approx(1.0) and early.sum() == pytest.approx(1.0)
    # 1-2月 (two months) is well below twice March in every year
    assert late[0] < 2 * late[1] * 0.85 and early[0] < 2 * early[1] * 0.85
    # a late festival pushes the return-to-work loss into March
    assert late[1] < early[1]


def test_jan_feb_level_below_march_in_microdata(small_demo):
    r = small_demo.reports
    for y in (2020, 2021, 2022):
        jf = r.loc[r["period"] == f"{y}-01/02", "output_value"].sum() / 2
        mar = r.loc[r["period"] == f"{y}-03", "output_value"].sum()
        assert jf < mar, y


def test_some_loss_makers_and_consistent_values(small_demo):
    r = small_demo.reports
    loss_share = (r["profit"] < 0).mean()
    assert 0.05 < loss_share < 0.35
    assert (r["export_delivery"] <= r["sales_value"] + 1e-6).all()
    assert (r["sales_value"] <= r["output_value"] * 1.03).all()
    assert (r[["output_value", "output_value_prev", "electricity", "employment"]] > 0).all().all()


def test_targets_and_parameters(small_demo):
    d = small_demo
    t = d.targets
    prov = t[t["region"].str.endswith("0000") & (t["year"] == 2022)]
    assert len(prov) == 31
    assert prov["growth"].between(5.0, 7.0).all()
    assert len(d.division_params[d.division_params["year"] == 2022]) == 41
    assert set(d.division_ppi["period"]) >= set(d.periods)
    assert d.division_ppi.groupby("period").size().eq(41).all()


def test_window_and_bad_requests():
    cfg = DemoSpec(enterprises=500, months=24, end="2022-06")
    periods = cfg.report_periods()
    assert periods[0] == (2020, 5) and periods[-1] == (2022, 4)  # 2020-07 … 2022-06
    assert DemoSpec(months=2, end="2022-03").report_periods() == [(2022, 0), (2022, 1)]
    with pytest.raises(DemoError, match="1-2月合并"):
        DemoSpec(end="2022-01").report_periods()
    with pytest.raises(DemoError, match="2018"):
        DemoSpec(end="2016-12").report_periods()


def test_above_scale_follows_last_years_revenue(small_demo):
    """规上 in 2022 ⇔ 2021 营业收入 ≥ 2000 万元 (read from the 2022 reports' 上年同期 columns)."""
    d = small_demo
    r = d.reports[d.reports["period"].str.startswith("2022")]
    sizes = r.groupby("uscc").size()
    assert sizes.isin([10, 11]).all()  # 10: not yet reported December (催报)
    r = r[r["uscc"].isin(sizes.index[sizes == 11])]
    rev_2021 = r.groupby("uscc")["revenue_prev"].sum()
    assert (rev_2021 >= 2000 - 1.0).all()
    # those 规上 in 2021 but not in 2022 either fell below 2000 万元 in 2021 or closed: both happen
    ey = d.enterprise_years.pivot(index="uscc", columns="year", values="above_scale")
    left = ey.index[ey[2021] & ~ey[2022]]
    r21 = d.reports[d.reports["period"].str.startswith("2021") & d.reports["uscc"].isin(left)]
    rev = r21.groupby("uscc")["revenue"].sum()
    assert (rev < 2000).sum() > 10 and (rev >= 2000).sum() > 10


def test_last_period_has_late_and_pending_reports(small_demo):
    d = small_demo
    r = d.reports
    expected = set(d.enterprise_years.query("year == 2022 and above_scale")["uscc"])
    got = set(r.loc[r["period"] == "2022-12", "uscc"])
    assert got < expected
    assert 0.005 < 1 - len(got) / len(expected) < 0.05  # about 2% not yet reported
    assert set(r.loc[r["period"] == "2022-11", "uscc"]) == expected
    last = r.loc[r["period"] == "2022-12", "status"].value_counts()
    assert set(last.index) == {"accepted", "submitted"} and 0.02 < last["submitted"] / last.sum() < 0.1
    assert (r.loc[r["period"] != "2022-12", "status"] == "accepted").all()
