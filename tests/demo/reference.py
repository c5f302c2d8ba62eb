"""Independent reference calculations for the demo tests (written apart from the package code)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_check(first17: str) -> str:
    """GB 32100-2015 check character: weights 3^i mod 31, check = 31 - (sum mod 31), 31 → 0."""
    total = sum(_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return _ALPHABET[(31 - total % 31) % 31]


def org_code_check(body8: str) -> str:
    """GB 11714-1997 check character of an organisation code."""
    w = (3, 7, 9, 10, 5, 8, 4, 2)
    s = sum((int(c) if c.isdigit() else ord(c) - ord("A") + 10) * wi for c, wi in zip(body8, w, strict=True))
    c = 11 - s % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def real_growth(reports: pd.DataFrame, enterprises: pd.DataFrame, ppi: pd.DataFrame, params: pd.DataFrame,
                key: str | None = None) -> pd.Series:
    """同口径 real growth (%) per period (and key), computed row by row with plain pandas.

    deflated current output = output ÷ (PPI/100) × 增加值率; base = 上年同期 output × 增加值率.
    """
    div = enterprises.set_index("uscc")["industry"].str[:2]
    region = enterprises.set_index("uscc")["region"]
    r = reports.copy()
    r["division"] = r["uscc"].map(div)
    r["year"] = r["period"].str[:4].astype(int)
    p = {(a, b): v for a, b, v in ppi[["period", "division", "index_yoy"]].itertuples(index=False)}
    rate = {(int(a), b): v for a, b, v in params[["year", "division", "va_rate"]].itertuples(index=False)}
    r["num"] = [o / (p[(per, d)] / 100.0) * rate[(y, d)] for o, per, d, y in
                zip(r["output_value"], r["period"], r["division"], r["year"], strict=True)]
    r["den"] = [o * rate[(y, d)] for o, d, y in zip(r["output_value_prev"], r["division"], r["year"], strict=True)]
    keys = ["period"]
    if key == "province":
        r["province"] = r["uscc"].map(region).str[:2] + "0000"
        keys.append("province")
    s = r.groupby(keys)[["num", "den"]].sum()
    return (s["num"] / s["den"] - 1.0) * 100.0


def published_iva(shared_data: Path) -> tuple[pd.Series, pd.Series]:
    """NBS 当月同比 (1-2月合并) and 累计同比 from the Wind export, indexed by report period code."""
    iva = pd.read_csv(shared_data / "national_industry_monthly_wind" / "iva_monthly.csv", dtype={"date": str})
    yoy = iva[iva["series_id"] == "IVA002"].set_index("date")["value"]
    ytd = iva[iva["series_id"] == "IVA022"].set_index("date")["value"]

    def code(d: str) -> str:
        return d[:4] + "-01/02" if d.endswith("-02") else d

    return yoy.rename(index=code), ytd.rename(index=code)
