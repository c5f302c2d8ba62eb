"""同口径 real growth over demo report rows (pandas): what the generator calibrates and summarises.

For each report row: real VA = 工业总产值 ÷ (division PPI ÷ 100) × 增加值率; base = 上年同期总产值 ×
增加值率; growth of a group = Σ real VA ÷ Σ base − 1. The enterprise set is that year's 规上 set (the
demo writes report rows for 规上 enterprises only), so the base is the same enterprises' 上年同期.
The microdata engine (:mod:`yacang.measures.real_growth`) computes the same thing as Ibis expressions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def report_rows(reports: pd.DataFrame, enterprises: pd.DataFrame, ppi: pd.DataFrame, va_rates: pd.DataFrame,
                columns: Sequence[str] = ()) -> pd.DataFrame:
    """The reports of registry enterprises (in report order) with ``period``, ``region``, ``industry`` and
    ``division`` as categoricals (sorted categories: grouping on them gives the groups and sums of the text
    columns, without hashing text per row), ``year`` and ``va``/``va_base`` (real VA = 工业总产值 × 增加值率 × 100 ÷ PPI,
    base = 上年同期总产值 × 增加值率), and the report ``columns`` asked for.

    ``ppi``: period, division, index_yoy. ``va_rates``: year, division, va_rate (one row per key in each).
    """
    ent_at = pd.Index(enterprises["uscc"]).get_indexer(reports["uscc"])
    if (ent_at < 0).any():  # as an inner join with the registry
        reports, ent_at = reports[ent_at >= 0], ent_at[ent_at >= 0]
    period = pd.Categorical(reports["period"])
    region = pd.Categorical(enterprises["region"])
    industry = pd.Categorical(enterprises["industry"])
    division = pd.Categorical(enterprises["industry"].str[:2])
    years = np.array([int(str(c)[:4]) for c in period.categories], dtype=np.int32)
    per_code, div_code = period.codes, division.codes[ent_at]
    index_yoy = _lookup(ppi, "period", period.categories, "index_yoy", division.categories)[per_code, div_code]
    ys = np.unique(years)
    va_rate = _lookup(va_rates, "year", pd.Index(ys), "va_rate", division.categories)[
        np.searchsorted(ys, years)[per_code], div_code]
    if np.isnan(index_yoy).any() or np.isnan(va_rate).any():
        raise ValueError("缺少部分大类的 PPI 或增加值率，无法计算不变价增速")
    out = pd.DataFrame({c: reports[c].to_numpy() for c in columns})
    out["period"] = period
    out["region"] = pd.Categorical.from_codes(region.codes[ent_at], region.categories)
    out["industry"] = pd.Categorical.from_codes(industry.codes[ent_at], industry.categories)
    out["division"] = pd.Categorical.from_codes(div_code, division.categories)
    out["year"] = years[per_code]
    out["va"] = reports["output_value"].to_numpy() * va_rate * 100.0 / index_yoy
    out["va_base"] = reports["output_value_prev"].to_numpy() * va_rate
    return out


def _lookup(table: pd.DataFrame, key: str, keys: pd.Index, value: str, divisions: pd.Index) -> np.ndarray:
    """``table[value]`` as a (key × division) array, NaN where missing; a key given twice is an error."""
    if table.duplicated([key, "division"]).any():
        raise ValueError(f"{value} 的 ({key}, division) 有重复行")
    i = pd.Index(keys).get_indexer(table[key])
    j = pd.Index(divisions).get_indexer(table["division"])
    ok = (i >= 0) & (j >= 0)
    out = np.full((len(keys), len(divisions)), np.nan)
    out[i[ok], j[ok]] = table[value].to_numpy(dtype=float)[ok]
    return out


def plain(g: pd.DataFrame) -> pd.DataFrame:
    """``g`` with its categorical columns as text (group keys after a groupby on :func:`report_rows`)."""
    for c in g.columns:
        if isinstance(g[c].dtype, pd.CategoricalDtype):
            g[c] = g[c].astype(str)
    return g


def sums_by(rows: pd.DataFrame, keys: Sequence[str], columns: Sequence[str] = ("va", "va_base"), *,
            size: str | None = None) -> pd.DataFrame:
    """Σ ``columns`` per period and ``keys`` (sorted by them; keys as text), with the row count as ``size``."""
    grouped = rows.groupby(["period", *keys], sort=True, observed=True)
    g = grouped[list(columns)].sum()
    if size:
        g[size] = grouped.size()
    return plain(g.reset_index())


def growth_by(rows: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """当月 growth (%) per period and ``keys`` from rows with ``va``/``va_base``."""
    return with_growth(sums_by(rows, keys))


def with_growth(g: pd.DataFrame) -> pd.DataFrame:
    """``g`` (Σ va, Σ va_base per group) with the 当月 growth ``yoy`` (%)."""
    g["yoy"] = (g["va"] / g["va_base"] - 1.0) * 100.0
    return g


def ytd_growth(g: pd.DataFrame, keys: Sequence[str], periods_in_order: Sequence[str]) -> pd.DataFrame:
    """累计 growth (%) per period and ``keys`` from the period sums ``g`` (period, ``keys``, va, va_base: one row
    per group): sums from the year's 1-2月 to the period. Years whose 1-2月 is not among ``periods_in_order``
    are left out (their 累计 would be partial)."""
    g = g[["period", *keys, "va", "va_base"]].copy()
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
