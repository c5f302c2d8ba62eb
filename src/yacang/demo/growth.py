"""同口径 real growth over demo report rows (pandas): what the generator calibrates and summarises.

For each report row: real VA = 工业总产值 ÷ (division PPI ÷ 100) × 增加值率; base = 上年同期总产值 ×
增加值率; growth of a group = Σ real VA ÷ Σ base − 1. The enterprise set is that year's 规上 set (the
demo writes report rows for 规上 enterprises only), so the base is the same enterprises' 上年同期.
The microdata engine (:mod:`yacang.measures.real_growth`) computes the same thing as Ibis expressions.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def with_real_va(rows: pd.DataFrame, ppi: pd.DataFrame, va_rates: pd.DataFrame) -> pd.DataFrame:
    """Add ``va`` and ``va_base`` to report rows that carry ``period``, ``division`` and ``year``.

    ``ppi``: period, division, index_yoy. ``va_rates``: year, division, va_rate.
    """
    out = rows.merge(ppi, on=["period", "division"], how="left", validate="many_to_one")
    out = out.merge(va_rates, on=["year", "division"], how="left", validate="many_to_one")
    if out["index_yoy"].isna().any() or out["va_rate"].isna().any():
        raise ValueError("缺少部分大类的 PPI 或增加值率，无法计算不变价增速")
    out["va"] = out["output_value"] * out["va_rate"] * 100.0 / out["index_yoy"]
    out["va_base"] = out["output_value_prev"] * out["va_rate"]
    return out


def growth_by(rows: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """当月 growth (%) per period and ``keys`` from rows with ``va``/``va_base``."""
    g = rows.groupby(["period", *keys], sort=True)[["va", "va_base"]].sum().reset_index()
    g["yoy"] = (g["va"] / g["va_base"] - 1.0) * 100.0
    return g


def ytd_growth_by(rows: pd.DataFrame, keys: Sequence[str], periods_in_order: Sequence[str]) -> pd.DataFrame:
    """累计 growth (%) per period and ``keys``: sums from the year's 1-2月 to the period.

    Years whose 1-2月 is not among ``periods_in_order`` are left out (their 累计 would be partial).
    """
    g = rows.groupby(["period", *keys], sort=False)[["va", "va_base"]].sum().reset_index()
    order = {p: i for i, p in enumerate(periods_in_order)}
    g["year"] = g["period"].str[:4].astype(int)
    g["_o"] = g["period"].map(order)
    full_years = {int(p[:4]) for p in periods_in_order if p.endswith("01/02")}
    g = g[g["year"].isin(full_years)].sort_values([*keys, "_o"])
    grp = g.groupby([*keys, "year"], sort=False) if keys else g.groupby("year", sort=False)
    g["va_ytd"] = grp["va"].cumsum()
    g["va_base_ytd"] = grp["va_base"].cumsum()
    g["ytd_yoy"] = (g["va_ytd"] / g["va_base_ytd"] - 1.0) * 100.0
    return g.drop(columns=["_o"]).reset_index(drop=True)
