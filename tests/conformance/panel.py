"""A five-enterprise panel in two provinces and three prefectures, small enough to check by hand.

Year 2023, report periods 2023-01/02 and 2023-03. 增加值率 (2023): division 13 → 0.25, 36 → 0.20 (no
2022 rates: a first-year warehouse). PPI (上年同月=100), both periods: 13 → 100, 36 → 80, so real VA is
产值 × 0.25 for 13 and 产值 ÷ 0.8 × 0.20 = 产值 × 0.25 for 36; the base is 上年同期 × 增加值率.

| 企业 | 大类 | 县 (市) | 规上2023 | 1-2月 产值/上年同期 | 3月 产值/上年同期 | → 3月 VA/base | 1-3月 VA/base |
|---|---|---|---|---|---|---|---|
| E1 | 13 | 440103 (广州) | 是 | 2000 / 2000 | 1000 / 800 | 250 / 200 | 750 / 700 |
| E2 | 36 | 440304 (深圳) | 是 |  800 / 1000 |  400 / 500 | 100 / 100 | 300 / 300 |
| E3 | 36 | 440305 (深圳) | 是 | 1200 / 1000 |  320 / 500 |  80 / 100 | 380 / 300 |
| E4 | 13 | 320102 (南京) | 是 |  400 / 400  |  600 / 400 | 150 / 100 | 250 / 200 |
| E5 | 13 | 320102 (南京) | 否 |  —          | 1000 / 100 | not counted (not 规上 in 2023) |

Money in 万元.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from yacang.microdata.store import MicrodataStore
from yacang.microdata.uscc import make_uscc
from yacang.warehouse.report_queries import insert_reports
from yacang.warehouse.report_ytd import refresh_report_ytd

E1 = make_uscc("440103", "00000011A")
E2 = make_uscc("440304", "00000012B")
E3 = make_uscc("440305", "00000013C")
E4 = make_uscc("320102", "00000014D")
E5 = make_uscc("320102", "00000015E")


def _report(uscc: str, period: str, out: float, prev: float, profit: float) -> dict:
    return {"uscc": uscc, "period": period, "output_value": out, "output_value_prev": prev,
            "sales_value": out, "sales_value_prev": prev, "export_delivery": 0.0, "export_delivery_prev": 0.0,
            "profit": profit, "electricity": 10.0, "electricity_prev": 10.0, "status": "accepted",
            "vintage": dt.datetime(2023, 4, 15), "source_file": "conformance", "source_row": 0}


def build(wh) -> None:
    store = MicrodataStore(wh)
    ent = [(E1, "一号食品", "440103", "1310"), (E2, "二号汽车", "440304", "3610"), (E3, "三号汽配", "440305", "3670"),
           (E4, "四号饲料", "320102", "1320"), (E5, "五号粮油", "320102", "1330")]
    store.add_enterprises(pd.DataFrame([
        {"uscc": u, "name": n, "region": r, "industry": i, "park": None, "size_class": "中型", "ownership": "私营",
         "is_key": False} for u, n, r, i in ent]))
    store.set_scale_years(pd.DataFrame([(E1, 2023, True), (E2, 2023, True), (E3, 2023, True), (E4, 2023, True),
                                        (E5, 2023, False)], columns=["uscc", "year", "above_scale"]))
    store.set_division_params(pd.DataFrame([(2023, "13", 0.25), (2023, "36", 0.20)],
                                           columns=["year", "division", "va_rate"]))
    store.set_division_ppi(pd.DataFrame([(p, d, v) for p in ("2023-01/02", "2023-03") for d, v in (("13", 100.0),
                                                                                                   ("36", 80.0))],
                                        columns=["period", "division", "index_yoy"]))
    rows = [
        _report(E1, "2023-01/02", 2000, 2000, 10), _report(E2, "2023-01/02", 800, 1000, -5),
        _report(E3, "2023-01/02", 1200, 1000, 8), _report(E4, "2023-01/02", 400, 400, 2),
        _report(E1, "2023-03", 1000, 800, 5), _report(E2, "2023-03", 400, 500, -5),
        _report(E3, "2023-03", 320, 500, -1), _report(E4, "2023-03", 600, 400, 3),
        _report(E5, "2023-03", 1000, 100, 9),
    ]
    df = pd.DataFrame(rows)
    wh.db.register("_conf", df)
    insert_reports(wh.db, "_conf", list(df.columns))
    wh.db.unregister("_conf")
    refresh_report_ytd(wh.db)  # as the writers keep it: the measures read their windows from it
