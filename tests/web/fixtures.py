"""Test data for the web tests: real national and provincial series, a few enterprises, users.

- National 规上工业增加值 当月同比 (1-2月合并) and 累计同比 2021–2023 from the Wind export.
- Province GDP growth 2023 (nominal, from NBS levels in province_gdp_annual): the map's colours.
- Guangdong and Jiangsu prefectures: small hand-made GDP growth values (source "test"), for drill-down
  and for cross-region checks.
- Enterprises A (广州天河, 440106) and B (南京玄武, 320102) with one report each; alerts for 广州 and 南京.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd

from yacang.ingest.batch import SERIES_COLUMNS, Batch
from yacang.microdata.uscc import make_uscc

USCC_A = make_uscc("440106", "MA59ABC01")
USCC_B = make_uscc("320102", "MA59XYW02")
PREFECTURES = {"440100": 4.6, "440300": 6.0, "440400": 4.0, "320100": 4.8, "320500": 5.1}
COUNTIES = {"440106": 3.9, "320102": 5.5}
PASSWORD = "correct-horse-9"
USERS = {
    # username: (role, region, uscc)
    "admin": ("admin", "100000", None),
    "gd_officer": ("officer", "440000", None),
    "gz_officer": ("officer", "440100", None),
    "gd_analyst": ("analyst", "440000", None),
    "js_officer": ("officer", "320000", None),
    "ent_a": ("enterprise", "440106", USCC_A),
    "ent_b": ("enterprise", "320102", USCC_B),
}


def _batch(name: str, series: list[dict], obs: list[dict]) -> Batch:
    s = pd.DataFrame(series)
    for c in SERIES_COLUMNS:
        if c not in s:
            s[c] = ""
    o = pd.DataFrame(obs)
    o["flags"] = ""
    o["source_row"] = range(2, len(o) + 2)
    o["source_col"] = ""
    sha = hashlib.sha256(pd.util.hash_pandas_object(o[["series_id", "period", "value"]]).values.tobytes()).hexdigest()
    return Batch(name, "test", sha, s[SERIES_COLUMNS], o)


def national_batch(shared_data: Path) -> Batch:
    df = pd.read_csv(shared_data / "national_industry_monthly_wind" / "iva_monthly.csv", dtype={"date": str})
    series, obs = [], []
    for wind_id, measure in (("IVA002", "yoy"), ("IVA022", "ytd_yoy")):
        sid = f"wind:iva.{measure}.100000.TOTAL"
        series.append({"series_id": sid, "indicator": "iva", "measure": measure, "region": "100000",
                       "industry": "TOTAL", "category": "", "frequency": "M", "unit": "%", "source": "wind",
                       "original_name": wind_id})
        part = df[(df["series_id"] == wind_id) & (df["date"] >= "2021-01") & (df["date"] <= "2023-12")]
        for r in part.itertuples():
            y, m = int(r.date[:4]), int(r.date[5:7])
            if m == 1 or pd.isna(r.value):
                continue
            obs.append({"series_id": sid, "period": f"{y}-01/02" if m == 2 else r.date, "value": float(r.value)})
    return _batch("wind_iva.csv", series, obs)


def province_gdp_growth(shared_data: Path, year: int = 2023) -> dict[str, float]:
    """Nominal GDP growth (%) by province from the NBS levels: the reference the map must show."""
    df = pd.read_csv(shared_data / "province_gdp_annual" / "province_gdp_current_prices.csv",
                     dtype={"province_code": str})
    now = df[df["year"] == year].set_index("province_code")["gdp_100m_yuan"]
    before = df[df["year"] == year - 1].set_index("province_code")["gdp_100m_yuan"]
    return ((now / before - 1) * 100).dropna().to_dict()


def regional_batch(shared_data: Path) -> Batch:
    series, obs = [], []
    values = {("nbs", code): v for code, v in province_gdp_growth(shared_data).items()}
    values |= {("test", code): v for code, v in {**PREFECTURES, **COUNTIES}.items()}
    for (source, code), v in values.items():
        sid = f"{source}:gdp.yoy.{code}.TOTAL"
        series.append({"series_id": sid, "indicator": "gdp", "measure": "yoy", "region": code, "industry": "TOTAL",
                       "category": "", "frequency": "Y", "unit": "%", "source": source, "original_name": sid})
        obs.append({"series_id": sid, "period": "2023", "value": float(v)})
    return _batch("gdp_growth.csv", series, obs)


def add_microdata(wh) -> None:
    from yacang.microdata.report_workbook import REPORT_COLUMNS, ReportBatch, load_reports
    from yacang.microdata.store import MicrodataStore

    store = MicrodataStore(wh)
    store.add_enterprises(pd.DataFrame([
        {"uscc": USCC_A, "name": "广州天河精密制造有限公司", "region": "440106", "industry": "36",
         "size_class": "大型", "ownership": "私营", "is_key": True},
        {"uscc": USCC_B, "name": "南京玄武电子有限公司", "region": "320102", "industry": "39",
         "size_class": "中型", "ownership": "股份制", "is_key": False},
    ]))
    store.set_scale_years(pd.DataFrame([{"uscc": u, "year": y, "above_scale": True}
                                        for u in (USCC_A, USCC_B) for y in (2021, 2022)]))
    store.set_division_params(pd.DataFrame([{"year": y, "division": d, "va_rate": 0.25}
                                            for y in (2021, 2022) for d in ("36", "39")]))
    store.set_division_ppi(pd.DataFrame([{"period": p, "division": d, "index_yoy": 102.0}
                                         for p in ("2022-01/02", "2022-03") for d in ("36", "39")]))
    rows = []
    for uscc, base in ((USCC_A, 2000.0), (USCC_B, 5000.0)):
        for i, period in enumerate(("2022-01/02", "2022-03")):
            out = base * (1.1 + i / 10)
            rows.append({"uscc": uscc, "period": period, "output_value": out, "output_value_prev": base,
                         "sales_value": out, "sales_value_prev": base, "export_delivery": out / 10,
                         "export_delivery_prev": base / 10, "revenue": out, "revenue_prev": base,
                         "profit": out / 20, "profit_prev": base / 20, "electricity": 100.0,
                         "electricity_prev": 95.0, "employment": 300.0, "employment_prev": 290.0,
                         "source_row": len(rows) + 2})
    reports = pd.DataFrame(rows).reindex(columns=REPORT_COLUMNS)
    load_reports(wh, ReportBatch("base_reports.csv", "csv", "sha-base-2022", reports), at=dt.datetime(2022, 4, 10))


def add_alerts(wh) -> None:
    from yacang.alerts.engine import HISTORY_COLUMNS
    from yacang.alerts.store import save_history

    rows = []
    for key, name in (("440100", "广州市"), ("320100", "南京市")):
        rows.append({"rule_id": "below_parent", "rule_name": "增速低于上级", "scope": "region", "key": key,
                     "parent": key[:2] + "0000", "period": "2023", "state": "firing", "severity": "黄",
                     "value": 4.0, "fingerprint": f"fp-{key}", "muted": False, "silenced": False, "silence_id": "",
                     "message": f"{name}增速低于全省"})
    df = pd.DataFrame(rows)[[*HISTORY_COLUMNS, "message"]]
    save_history(wh, df, now=dt.datetime(2024, 1, 20))


def build_warehouse(wh, shared_data: Path) -> None:
    wh.write_batch(national_batch(shared_data))
    wh.write_batch(regional_batch(shared_data))
    add_microdata(wh)
    add_alerts(wh)


def add_users(engine) -> None:
    from sqlalchemy.orm import Session

    from yacang.auth import service

    with Session(engine) as s:
        for name, (role, region, uscc) in USERS.items():
            service.add_user(s, name, PASSWORD, role, region=region, uscc=uscc)
        s.commit()


def tokens(engine) -> dict[str, str]:
    from sqlalchemy.orm import Session

    from yacang.auth import service

    out = {}
    with Session(engine) as s:
        for name in USERS:
            out[name] = service.create_token(s, service.get_user(s, name), "tests")
        s.commit()
    return out
