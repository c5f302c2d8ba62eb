"""A hand-built panel of four enterprises, small enough to work every number out by hand.

Year 2022, divisions 13 (增加值率 0.25) and 36 (0.20); PPI (上年同月=100) in 2022: 13 → 105, 36 → 98;
in 2021: 100 for both.

| 企业 | 大类 | 县 | 规上2021 | 规上2022 | 2022-01/02 产值/上年同期 | 2022-03 产值/上年同期 | 2022-03 利润 |
|---|---|---|---|---|---|---|---|
| A | 13 | 440103 | 是 | 是 | 2100 / 2000 | 1050 / 900 | 50 |
| B | 36 | 440304 | 是 | 是 | 980 / 1000 | 490 / 500 | −10 |
| C | 36 | 440304 | 否 | 是 (enters) | 588 / 500 | 294 / 200 | 20 |
| D | 13 | 320102 | 是 | 否 (leaves) | — | 315 / 400 | 5 |

2021-03 own reports: A 900 (上年同期 850), B 500 (480), D 400 (420). Money in 万元.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from yacang.microdata.store import MicrodataStore
from yacang.microdata.uscc import make_uscc
from yacang.warehouse.report_queries import insert_reports

A = make_uscc("440103", "00000001A")
B = make_uscc("440304", "00000002B")
C = make_uscc("440304", "00000003C")
D = make_uscc("320102", "00000004D")

REPORT_FIELDS = ["output_value", "output_value_prev", "sales_value", "sales_value_prev", "export_delivery",
                 "export_delivery_prev", "profit", "electricity", "electricity_prev"]


def report(uscc: str, period: str, out: float, prev: float, profit: float = 0.0, **kw: float) -> dict:
    row = {"uscc": uscc, "period": period, "output_value": out, "output_value_prev": prev,
           "sales_value": kw.get("sales", out), "sales_value_prev": kw.get("sales_prev", prev),
           "export_delivery": kw.get("export", 0.0), "export_delivery_prev": kw.get("export_prev", 0.0),
           "profit": profit, "electricity": kw.get("elec", 10.0), "electricity_prev": kw.get("elec_prev", 10.0),
           "status": kw.get("status", "accepted"), "vintage": dt.datetime(2022, 4, 15), "source_file": "fixture",
           "source_row": 0}
    return row


def build(wh) -> MicrodataStore:
    store = MicrodataStore(wh)
    store.add_enterprises(pd.DataFrame([
        {"uscc": A, "name": "甲食品", "region": "440103", "industry": "1310", "park": "南沙园", "size_class": "大型",
         "ownership": "私营", "is_key": True},
        {"uscc": B, "name": "乙汽车", "region": "440304", "industry": "3610", "park": None, "size_class": "中型",
         "ownership": "股份制", "is_key": False},
        {"uscc": C, "name": "丙汽配", "region": "440304", "industry": "3670", "park": None, "size_class": "小型",
         "ownership": "私营", "is_key": False},
        {"uscc": D, "name": "丁饲料", "region": "320102", "industry": "1320", "park": None, "size_class": "小型",
         "ownership": "国有控股", "is_key": False},
    ]))
    store.set_scale_years(pd.DataFrame([
        (A, 2021, True), (B, 2021, True), (C, 2021, False), (D, 2021, True),
        (A, 2022, True), (B, 2022, True), (C, 2022, True), (D, 2022, False),
    ], columns=["uscc", "year", "above_scale"]))
    store.set_division_params(pd.DataFrame([
        (2021, "13", 0.25), (2021, "36", 0.20), (2022, "13", 0.25), (2022, "36", 0.20),
    ], columns=["year", "division", "va_rate"]))
    ppi = [(p, "13", 105.0) for p in ("2022-01/02", "2022-03")] + [(p, "36", 98.0) for p in ("2022-01/02", "2022-03")]
    ppi += [(p, d, 100.0) for p in ("2021-01/02", "2021-03") for d in ("13", "36")]
    store.set_division_ppi(pd.DataFrame(ppi, columns=["period", "division", "index_yoy"]))
    rows = [
        report(A, "2022-01/02", 2100, 2000, 80), report(B, "2022-01/02", 980, 1000, 10),
        report(C, "2022-01/02", 588, 500, 5),
        report(A, "2022-03", 1050, 900, 50, export=100, export_prev=80, elec=12, elec_prev=10),
        report(B, "2022-03", 490, 500, -10, sales=470, export=50, export_prev=60, elec=8, elec_prev=10),
        report(C, "2022-03", 294, 200, 20, sales=300, elec=5, elec_prev=4),
        report(D, "2022-03", 315, 400, 5),
        report(A, "2021-03", 900, 850, 40), report(B, "2021-03", 500, 480, 10), report(D, "2021-03", 400, 420, 5),
    ]
    df = pd.DataFrame(rows)
    wh.db.register("_fx", df)
    insert_reports(wh.db, "_fx", list(df.columns))
    wh.db.unregister("_fx")
    store.set_targets(pd.DataFrame([("440000", 2022, "iva", 6.0), ("100000", 2022, "iva", 5.5)],
                                   columns=["region", "year", "indicator", "growth"]))
    return store
