"""The fast paths of the demo (issue 21) against plain second computations: report rows by index lookups against
merges, the aggregate series' counts and 累计 against the reports by hand, the chains sampler against
``DataFrame.sample``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yacang.demo.growth import report_rows


def with_real_va(rows: pd.DataFrame, ppi: pd.DataFrame, va_rates: pd.DataFrame) -> pd.DataFrame:
    """The reference: ``va`` and ``va_base`` of report rows by two merges (PPI by period and division, 增加值率 by
    year and division)."""
    out = rows.merge(ppi, on=["period", "division"], how="left", validate="many_to_one")
    out = out.merge(va_rates, on=["year", "division"], how="left", validate="many_to_one")
    assert out["index_yoy"].notna().all() and out["va_rate"].notna().all()
    out["va"] = out["output_value"] * out["va_rate"] * 100.0 / out["index_yoy"]
    out["va_base"] = out["output_value_prev"] * out["va_rate"]
    return out


def test_report_rows_equal_the_merges(small_demo):
    d = small_demo
    got = report_rows(d.reports, d.enterprises, d.division_ppi, d.division_params, ["uscc", "output_value"])
    ref = d.reports[["uscc", "period", "output_value", "output_value_prev"]].merge(
        d.enterprises[["uscc", "region", "industry"]], on="uscc")
    ref["division"] = ref["industry"].str[:2]
    ref["year"] = ref["period"].str[:4].astype(np.int32)
    ref = with_real_va(ref, d.division_ppi, d.division_params)
    assert len(got) == len(ref) == len(d.reports)
    for c in ("uscc", "period", "region", "industry", "division"):
        assert list(got[c].astype(str)) == list(ref[c]), c
    assert (got["year"].to_numpy() == ref["year"].to_numpy()).all()
    np.testing.assert_array_equal(got["va"].to_numpy(), ref["va"].to_numpy())  # the same arithmetic, bit for bit
    np.testing.assert_array_equal(got["va_base"].to_numpy(), ref["va_base"].to_numpy())


def test_report_rows_refuse_missing_or_doubled_deflators(small_demo):
    d = small_demo
    ppi = d.division_ppi[~((d.division_ppi["division"] == "36") & (d.division_ppi["period"] == d.periods[-1]))]
    with pytest.raises(ValueError, match="缺少部分大类的 PPI"):
        report_rows(d.reports, d.enterprises, ppi, d.division_params)
    with pytest.raises(ValueError, match="重复"):
        report_rows(d.reports, d.enterprises, pd.concat([d.division_ppi, d.division_ppi.head(1)]), d.division_params)
    # a report of an enterprise the registry does not hold is left out (as an inner join would)
    stray = d.reports.head(1).assign(uscc="91110000XX0000000X")
    rows = report_rows(pd.concat([d.reports, stray], ignore_index=True), d.enterprises, d.division_ppi,
                       d.division_params)
    assert len(rows) == len(d.reports)


def test_counts_and_cumulative_profit_by_hand(small_demo):
    from yacang.catalog.series_ids import series_id
    from yacang.demo.writer import aggregate_batch

    d = small_demo
    obs = aggregate_batch(d).observations.set_index(["series_id", "period"])["value"]
    period = d.periods[-1]
    prov = d.enterprises.set_index("uscc")["region"].str[:2]
    r = d.reports[d.reports["period"] == period]
    gd = r[r["uscc"].map(prov) == "44"]  # 广东
    assert obs[(series_id("demo", "enterprise_count", "level", "440000", "TOTAL"), period)] == len(gd)
    assert obs[(series_id("demo", "loss_count", "level", "440000", "TOTAL"), period)] == (gd["profit"] < 0).sum()
    assert obs[(series_id("demo", "loss_count", "level", "100000", "TOTAL"), period)] == (r["profit"] < 0).sum()
    # 累计利润总额: the year's reports from 1-2月 to the period, in 亿元
    year = d.reports[d.reports["period"].str[:4] == period[:4]]
    year = year[year["uscc"].map(prov) == "44"]
    assert obs[(series_id("demo", "profit", "ytd_value", "440000", "TOTAL"), period)] == pytest.approx(
        year["profit"].sum() / 1e4, rel=1e-12)
    assert obs[(series_id("demo", "profit", "ytd_yoy", "440000", "TOTAL"), period)] == pytest.approx(
        (year["profit"].sum() / year["profit_prev"].sum() - 1) * 100, rel=1e-10)


def test_chains_sampler_takes_the_rows_dataframe_sample_takes():
    from yacang.chains.demo import _Sampler

    frame = pd.DataFrame({"x": np.arange(40)})
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    sample = _Sampler(a)
    for n, m in [(40, 20), (40, 3), (7, 7), (1, 1), (12, 0), (40, 1)]:
        got = sample(n, m)
        want = frame.head(n).sample(m, random_state=b.integers(1 << 31))["x"].to_numpy()
        assert list(got) == list(want), (n, m)
    assert a.random() == b.random()  # the same draws from the generator
