"""Test helper: a warehouse Batch of the national series the bulletin needs, from the Wind CSVs.

Stands in for the ingest loaders (written concurrently) and follows the brief's series-id convention.
NBS practice for 1-2月: from 2013 the January value is dropped, a 当月 series' February value is the
merged 1-2月 figure stored at ``YYYY-01/02`` (taken from Wind's "1-2月合并" column where there is one),
and a 累计 series' February value is stored at ``YYYY-02`` (1-2月累计).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yacang.catalog.series_ids import series_id
from yacang.ingest.batch import SERIES_COLUMNS, Batch

WIND = "national_industry_monthly_wind"
FILES = ("iva_monthly.csv", "ppi_ppirm_monthly.csv", "export_delivery_value_monthly.csv",
         "industrial_enterprise_finance_monthly.csv", "pmi_and_sales_output_ratio_monthly.csv")
UNIT = {"yoy": "%", "ytd_yoy": "%", "mom": "%", "level": "%", "value": "亿元", "ytd_value": "亿元"}


def _spec(catalog: pd.DataFrame) -> list[tuple[str, str, str, str, str, list[str]]]:
    """(indicator, measure, industry, category, kind, [wind ids, first preferred])."""
    spec: list[tuple[str, str, str, str, str, list[str]]] = [
        ("iva", "yoy", "TOTAL", "", "yoy", ["IVA002", "IVA001"]),
        ("iva", "ytd_yoy", "TOTAL", "", "ytd", ["IVA022"]),
        ("iva", "yoy", "HT", "", "yoy", ["IVA019", "IVA006"]),
        ("iva", "ytd_yoy", "HT", "", "ytd", ["IVA026"]),
        ("iva", "yoy", "EQ", "", "yoy", ["IVA007"]),
        ("iva", "ytd_yoy", "EQ", "", "ytd", ["IVA027"]),
        ("ppi", "yoy", "TOTAL", "", "monthly", ["PPI001"]),
        ("ppi", "mom", "TOTAL", "", "monthly", ["PPI002"]),
        ("ppi", "ytd_yoy", "TOTAL", "", "monthly", ["PPI003"]),
        ("pmi", "level", "TOTAL", "", "monthly", ["PMI001"]),
        ("export_delivery", "yoy", "TOTAL", "", "yoy", ["EXD002", "EXD001"]),
        ("export_delivery", "value", "TOTAL", "", "yoy", ["EXD004", "EXD003"]),
        ("export_delivery", "ytd_yoy", "TOTAL", "", "ytd", ["EXD075"]),
        ("export_delivery", "ytd_value", "TOTAL", "", "ytd", ["EXD076"]),
        ("revenue", "ytd_value", "TOTAL", "", "ytd", ["FIN001"]),
        ("revenue", "ytd_yoy", "TOTAL", "", "ytd", ["FIN038"]),
        ("profit", "ytd_value", "TOTAL", "", "ytd", ["FIN002"]),
        ("profit", "ytd_yoy", "TOTAL", "", "ytd", ["FIN040"]),
        ("loss_count", "level", "TOTAL", "", "ytd", ["FIN016"]),
        ("enterprise_count", "level", "TOTAL", "", "ytd", ["FIN014"]),
        ("profit_margin", "ytd_value", "TOTAL", "", "ytd", ["FIN059"]),
    ]
    iva = catalog[(catalog.topic == "iva") & catalog.gb4754_2017_code.notna()]
    for code in sorted(set(iva.gb4754_2017_code) - {"TOTAL"}):
        rows = iva[iva.gb4754_2017_code == code]
        yoy = rows[rows.measure == "当月同比"].sort_values("jan_feb_treatment", na_position="last")
        ytd = rows[rows.measure == "累计同比"]
        if not yoy.empty:
            spec.append(("iva", "yoy", code, "", "yoy", list(yoy.series_id)))
        if not ytd.empty:
            spec.append(("iva", "ytd_yoy", code, "", "ytd", list(ytd.series_id)))
    ppi = catalog[(catalog.topic == "ppi") & catalog.gb4754_2017_code.str.fullmatch(r"\d{2}", na=False)
                  & (catalog.measure == "当月同比")]
    for code, rows in ppi.groupby("gb4754_2017_code"):
        spec.append(("ppi", "yoy", str(code), "", "monthly", list(rows.series_id)))
    return spec


def _periods(obs: pd.DataFrame, kind: str) -> pd.DataFrame:
    year = obs["date"].str[:4].astype(int)
    month = obs["date"].str[5:7].astype(int)
    obs = obs.assign(period=obs["date"])
    if kind == "monthly":
        return obs
    recent = year >= 2013
    obs = obs[~(recent & (month == 1))]
    if kind == "yoy":
        feb = (obs["date"].str[5:7] == "02") & (obs["date"].str[:4].astype(int) >= 2013)
        obs = obs.assign(period=obs["period"].where(~feb, obs["date"].str[:4] + "-01/02"))
    return obs


def national_batch(shared_data: Path) -> Batch:
    folder = shared_data / WIND
    catalog = pd.read_csv(folder / "series_catalog.csv", dtype=str)
    data = pd.concat([pd.read_csv(folder / f, dtype={"date": str, "series_id": str, "flag": str})
                      for f in FILES])
    data = data[data["flag"].isna()]  # flagged values are Wind's January estimates, not NBS figures
    names = catalog.set_index("series_id")["wind_indicator"]
    series_rows, obs_frames = [], []
    for indicator, measure, industry, category, kind, wind_ids in _spec(catalog):
        sid = series_id("wind", indicator, measure, "100000", industry, category)
        parts = []
        for wid in wind_ids:
            rows = data[data["series_id"] == wid]
            parts.append(_periods(rows, kind))  # merged 1-2月 ids are listed first
        obs = pd.concat(parts).drop_duplicates("period", keep="first")  # first listed id wins
        if obs.empty:
            continue
        obs_frames.append(pd.DataFrame({
            "series_id": sid, "period": obs["period"], "value": obs["value"].astype(float),
            "flags": "", "source_row": 0, "source_col": obs["series_id"]}))
        series_rows.append({
            "series_id": sid, "indicator": indicator, "measure": measure, "region": "100000",
            "industry": industry, "category": category, "frequency": "M", "unit": UNIT.get(measure, ""),
            "source": "wind", "original_name": names.get(wind_ids[0], ""),
            "jan_feb": "merged" if kind == "yoy" else ""})
    series = pd.DataFrame(series_rows, columns=SERIES_COLUMNS).astype("string")
    observations = pd.concat(obs_frames, ignore_index=True)
    observations["source_row"] = observations["source_row"].astype("int64")
    return Batch(source_file=f"{WIND}/*.csv", format="wind-csv-test", sha256="test-" + WIND,
                 series=series, observations=observations)


def wind_value(shared_data: Path, wind_id: str, date: str) -> float:
    """One published figure straight from the CSV (the independent reference for tests)."""
    for f in FILES:
        df = pd.read_csv(shared_data / WIND / f, dtype={"date": str, "series_id": str})
        hit = df[(df.series_id == wind_id) & (df.date == date)]
        if not hit.empty:
            return float(hit.iloc[0]["value"])
    raise KeyError((wind_id, date))
