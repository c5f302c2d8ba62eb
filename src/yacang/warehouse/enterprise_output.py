"""Named queries on enterprises' own 工业总产值 reports (the latest vintage of each period), as Ibis
expressions so they run on DuckDB and on Spark alike; chains and dispatch read enterprise output here."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

COLUMNS = ["uscc", "period", "output_value", "output_value_prev"]


def comparable_output(con: ibis.BaseBackend, usccs: list[str]) -> ir.Table:
    """uscc, period, 产值, 上年同期产值 of the enterprises' reports with a usable 上年同期 (> 0), latest
    vintage of each period, reports an officer returned (退回) left out."""
    t = con.table("reports")
    t = t.filter(t.uscc.isin(list(usccs)), t.output_value.notnull(), t.output_value_prev > 0,
                 t.status != "returned")
    w = ibis.window(group_by=[t.uscc, t.period], order_by=[ibis.desc(t.vintage)])
    return t.mutate(_rn=ibis.row_number().over(w)).filter(ibis._._rn == 0).select(*COLUMNS)


def comparable_output_frame(con: ibis.BaseBackend, usccs: list[str]) -> pd.DataFrame:
    """:func:`comparable_output` as a frame sorted by uscc and period (an empty list gives no rows)."""
    if not usccs:
        return pd.DataFrame(columns=COLUMNS)
    return comparable_output(con, usccs).order_by(["uscc", "period"]).to_pandas()
