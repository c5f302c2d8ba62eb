"""Alerts, 红黄蓝 materials and signal lights as the bulletin's input rows.

``yacang run`` evaluates the default 苗头性问题 rule pack over every fact the warehouse has (published
series and microdata measures), stores the states in the alert history, and hands the firing,
unsilenced alerts of the bulletin's month to the bulletin, with the materials' levels at the end of
that month and the signal lights of the last six months.
"""

from __future__ import annotations

import pandas as pd

from yacang.alerts.run import evaluate_alerts
from yacang.catalog.regions import NATION
from yacang.periods import Period
from yacang.report.inputs import AlertRow, LightRow, MaterialRow

LEVEL_CODE = {"红": "red", "橙": "red", "黄": "yellow", "蓝": "blue"}
MATERIAL_LEVEL = {"红": "red", "黄": "yellow", "蓝": "blue", "无": "none", "": "none"}
LIGHT_CODE = {"红灯": "red", "黄灯": "yellow", "绿灯": "green", "浅蓝灯": "lightblue", "蓝灯": "blue",
              "红": "red", "黄": "yellow", "绿": "green", "浅蓝": "lightblue", "蓝": "blue"}


def _region_of(row) -> str:
    """The region an alert belongs to (an enterprise's or industry's parent region)."""
    return str(row.key if row.scope == "region" else row.parent or NATION)


def _bulletin_regions(region: str):
    """The bulletin's region and its direct children (the units its tables rank)."""
    from yacang.catalog.regions import level_of

    level = level_of(region)
    if level == "nation":
        return lambda c: c == NATION or level_of(c) == "province"
    if level == "province":
        return lambda c: c == region or (c[:2] == region[:2] and level_of(c) == "prefecture")
    return lambda c: c == region or (c[:4] == region[:4] and level_of(c) == "county")


def alert_rows(firing: pd.DataFrame, region: str) -> list[AlertRow]:
    """Firing alerts inside the bulletin region's subtree, most severe first."""
    if firing.empty:
        return []
    from yacang.alerts.facts import names_for

    shown = _bulletin_regions(region)
    rows = []
    for r in firing.itertuples(index=False):
        code = _region_of(r)
        if not shown(code):
            continue
        rows.append(AlertRow(region_code=code, region_name=str(names_for(pd.Series([code])).iloc[0]),
                             rule=str(r.rule_name), severity=LEVEL_CODE.get(str(r.severity), "blue"),
                             message=str(getattr(r, "message", "") or r.rule_name)))
    order = {"red": 0, "yellow": 1, "blue": 2}
    return sorted(rows, key=lambda a: (order.get(a.severity, 3), a.region_code))


def stored_firing(wh, period: Period) -> pd.DataFrame:
    """The alerts of ``period`` that the last evaluation stored as firing (not silenced, not muted):
    what the bulletin reports, read without evaluating anything."""
    from yacang.alerts.silences import reported
    from yacang.alerts.store import load_history

    return reported(load_history(wh, period=period.code, state="firing"))


def material_rows(wh, period: Period) -> list[MaterialRow]:
    """Each configured material's 红黄蓝 level at the end of ``period`` (those with data)."""
    from yacang.alerts.materials import assess_warehouse

    out = []
    for a in assess_warehouse(wh):
        row = a.at(pd.Timestamp(period.end_date))
        if row is None:
            continue
        level = MATERIAL_LEVEL.get(str(row.get("level_name", "")), str(row.get("level", "none")))
        price = row.get("price")
        out.append(MaterialRow(material=a.name, level=level,
                               price=float(price) if price is not None and pd.notna(price) else None,
                               note=str(row.get("reason", "") or "")))
    return out


def light_rows(wh, period: Period, months: int = 6) -> tuple[list[LightRow], list[str]]:
    """景气信号灯 of each indicator and the composite over the ``months`` months up to ``period``."""
    from yacang.alerts.lights import LightsError, lights_from_warehouse

    try:
        lights = lights_from_warehouse(wh)
    except (LightsError, LookupError, ValueError):
        return [], []
    end = pd.Period(period.end_date, freq="M")
    table = lights.table(start=str(end - months + 1), end=str(end))
    if table.empty:
        return [], []
    cols = [label.split("年")[1] for label in table["月份"]]
    rows = [LightRow(name=ind.name, lights=[LIGHT_CODE.get(str(v), "") for v in table[f"{ind.name}灯"]])
            for ind in lights.indicators]
    rows.append(LightRow(name="综合", lights=[LIGHT_CODE.get(str(v), "") for v in table["信号灯"]]))
    return rows, cols


__all__ = ["alert_rows", "evaluate_alerts", "light_rows", "material_rows", "stored_firing"]
