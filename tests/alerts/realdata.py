"""Readers of the shared real data used by the alert tests (never copied into the repo)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd


@lru_cache(maxsize=2)
def _hf(root: str) -> pd.DataFrame:
    return pd.read_csv(Path(root) / "high_frequency_supply_prices" / "observations.csv", parse_dates=["date"])


def hf_series(shared: Path, sid: str) -> pd.Series:
    """A high-frequency series by its catalog id (e.g. PD014 现货价:螺纹钢)."""
    obs = _hf(str(shared))
    return obs[obs["series_id"] == sid].set_index("date")["value"].sort_index()


def wb_series(shared: Path, code: str) -> pd.Series:
    df = pd.read_csv(shared / "world_bank_commodity_prices_monthly" / "monthly_prices.csv")
    df = df[df["code"] == code]
    return pd.Series(df["value"].to_numpy(), index=pd.to_datetime(df["date"]), name=code).sort_index()


def lithium(shared: Path) -> pd.Series:
    df = pd.read_csv(shared / "lithium_carbonate_china_spot_daily" / "lithium_carbonate_99_5_china_spot_daily.csv",
                     parse_dates=["date"])
    return df.set_index("date")["price"].sort_index()


def wind_monthly(shared: Path, file: str, sid: str) -> pd.Series:
    """A Wind national series as ``YYYY-MM -> value``."""
    df = pd.read_csv(shared / "national_industry_monthly_wind" / file, dtype={"date": str})
    df = df[df["series_id"] == sid]
    return pd.Series(df["value"].to_numpy(dtype=float), index=df["date"].to_list(), name=sid)


def national_light_series(shared: Path) -> dict[str, pd.Series]:
    """The five national signal-light inputs as period-code series (NBS totals, Wind for the rest)."""
    nbs = shared / "nbs_official_export_iva_ppi"
    iva = pd.read_csv(nbs / "iva_total_monthly.csv", dtype={"date": str})
    vals: dict[str, float] = {}
    for r in iva.itertuples(index=False):
        y, m = int(r.date[:4]), int(r.date[5:])
        if y >= 2013 and m in (1, 2):  # merged 1-2月: NBS gives it as February's 累计
            if m == 2 and pd.notna(r.iva_ytd_yoy_pct):
                vals[f"{y}-01/02"] = float(r.iva_ytd_yoy_pct)
        elif pd.notna(r.iva_yoy_pct):
            vals[r.date] = float(r.iva_yoy_pct)
    ppi = pd.read_csv(nbs / "ppi_total_monthly.csv", dtype={"date": str})
    return {
        "iva_yoy": pd.Series(vals),
        "ppi_yoy": pd.Series((ppi["ppi_yoy_index_prev_year_eq_100"] - 100).to_numpy(), index=ppi["date"].to_list()),
        "pmi": wind_monthly(shared, "pmi_and_sales_output_ratio_monthly.csv", "PMI001"),
        "profit_ytd_yoy": wind_monthly(shared, "industrial_enterprise_finance_monthly.csv", "FIN040"),
        "export_yoy": wind_monthly(shared, "export_delivery_value_monthly.csv", "EXD001"),
    }
