"""Which report of an enterprise counts: the latest vintage, a returned (退回) report never, no 上年同期 no row."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.conformance import panel
from yacang.warehouse import Warehouse
from yacang.warehouse.enterprise_output import comparable_output_frame
from yacang.warehouse.report_queries import insert_reports


def _add(wh, rows: list[dict]) -> None:
    df = pd.DataFrame(rows)
    wh.db.register("_extra", df)
    insert_reports(wh.db, "_extra", list(df.columns))
    wh.db.unregister("_extra")


def test_latest_vintage_and_returned_reports() -> None:
    wh = Warehouse.memory()
    panel.build(wh)
    later = {"vintage": dt.datetime(2023, 5, 1), "status": "accepted"}
    _add(wh, [
        {**panel._report(panel.E1, "2023-03", 1100, 800, 5), **later},           # a revision: counts
        {**panel._report(panel.E4, "2023-03", 9999, 400, 3), "vintage": dt.datetime(2023, 5, 1),
         "status": "returned"},                                                    # returned: never counts
        {**panel._report(panel.E2, "2023-04", 500, 0, 1), **later},               # no 上年同期: no row
    ])
    df = comparable_output_frame(wh.con, [panel.E1, panel.E2, panel.E4])
    got = {(r.uscc, r.period): (r.output_value, r.output_value_prev) for r in df.itertuples(index=False)}
    assert got[(panel.E1, "2023-03")] == (1100.0, 800.0)
    assert got[(panel.E4, "2023-03")] == (600.0, 400.0)
    assert (panel.E2, "2023-04") not in got
    assert len(got) == 6
    wh.close()
