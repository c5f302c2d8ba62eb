"""Assembled views shared by the JSON API and the pages (overview, region drill-down, alerts in scope).

Callers check that the region is readable first; these functions additionally filter every row by
the caller's scope (children outside the subtree never appear), and cache per data version.
"""

from __future__ import annotations

import json

import pandas as pd

from yacang.alerts.store import load_history
from yacang.auth.scope import Scope
from yacang.catalog.regions import NATION, level_of, region_name
from yacang.measures.rankings import rank_table
from yacang.web import data
from yacang.web.state import AppState

CHILD_LEVEL_ZH = {"nation": "省份", "province": "地市", "prefecture": "区县", "county": ""}


def overview(st: AppState, scope: Scope, region: str, *, period: str | None = None, indicator: str = "iva",
             measure: str = "ytd_yoy", as_of: str | None = None) -> dict:
    key = ("overview", region, period, indicator, measure, as_of, st.version)
    cached = st.cache.get(key)
    if cached is None:
        with st.reader() as wh:
            cached = _overview(st, wh, region, period, indicator, measure, as_of)
        if st.use_cache:
            st.cache[key] = cached
    # scope filter after the cache: the cached view is the region's, rows are cut per caller
    out = dict(cached)
    out["children"] = [c for c in cached["children"] if scope.reads_region(c["region"])]
    out["alerts"] = [a for a in cached["alerts"] if scope.reads_region(a["region"])]
    out["missing"] = [m for m in cached["missing"] if scope.reads_region(m["region"])]
    return out


def _missing_children(regions, region: str, children: list[dict]) -> list[dict]:
    """Direct children with no value for the period (not ranked, and the page says so): the 31 mainland
    provinces under 全国 (Hong Kong, Macao and Taiwan are outside the statistics), the catalog's below."""
    from yacang.catalog.regions import NATION, mainland_provinces

    try:
        kids = mainland_provinces() if region == NATION else regions.children(region)
    except LookupError:
        return []
    have = {c["region"] for c in children}
    return [{"region": r.code, "name": r.name} for r in kids if r.code not in have]


def _json_default(o):
    return o.item() if hasattr(o, "item") else str(o)


def overview_key(scope: Scope, region: str, period, indicator, measure, as_of, version: int) -> tuple:
    return ("overview-json", scope.role, scope.region, region, period, indicator, measure, as_of, version)


def cached_overview_json(st: AppState, scope: Scope, region: str, period, indicator, measure, as_of) -> bytes | None:
    """The serialized view for this caller's scope if already computed (the hot path: no I/O)."""
    return st.cache.get(overview_key(scope, region, period, indicator, measure, as_of, st.version))


def overview_json(st: AppState, scope: Scope, region: str, period, indicator, measure, as_of) -> bytes:
    """The view as JSON bytes, cached per scope (role and region) and data version."""
    key = overview_key(scope, region, period, indicator, measure, as_of, st.version)
    body = json.dumps(overview(st, scope, region, period=period, indicator=indicator, measure=measure, as_of=as_of),
                      ensure_ascii=False, default=_json_default).encode()
    if st.use_cache:
        st.cache[key] = body
    return body


def _overview(st: AppState, wh, region: str, period, indicator, measure, as_of) -> dict:
    regions = st.regions
    asked = period
    child_period, children = data.children_values(wh, region, indicator, measure, period, regions, as_of=as_of)
    period = child_period or period  # the children's code for the asked period (1-2月: 2024-01/02 or 2024-02)
    cards = data.kpi_cards(wh, region, period, as_of=as_of, extra=(indicator, measure))
    period_measure = measure  # the measure whose code ``period`` is (it labels the period: 2026-02 累计 is 1-2月)
    if period is None:
        card = next((c for c in cards if c["indicator"] == indicator and c["measure"] == measure and c["period"]),
                    None) or next((c for c in cards if c["period"]), None)
        if card is not None:
            period, period_measure = card["period"], card["measure"]
    parent_value = None
    own = data.region_values(wh, indicator, measure, regions=[region], as_of=as_of)
    if period and not children:
        period = data.stored_code(own, period)
    own_code = data.stored_code(own, period) if period else None
    if own_code and not own.empty and own_code in set(own["period"]):
        parent_value = float(own.loc[own["period"] == own_code, "value"].iloc[0])
    children = _ranked(wh, region, indicator, measure, period, children, parent_value,
                       region_name(region, regions), as_of)
    return {
        "region": region, "region_name": region_name(region, regions), "level": level_of(region),
        "child_level_zh": CHILD_LEVEL_ZH[level_of(region)], "period": period,
        "indicator": indicator, "measure": measure, "measure_zh": measure_label(measure, period),
        "period_measure": period_measure,
        "value": parent_value, "cards": cards, "trend": data.trend(wh, region, upto=period, as_of=as_of),
        "children": children, "missing": _missing_children(regions, region, children) if children else [],
        "alerts": _alerts(wh, st, region), "alerts_evaluated": _evaluated(wh),
        "alerts_other_period": _evaluated_elsewhere(wh, period),
        "periods": _periods(wh, region, indicator, measure, own, as_of),
        "newer": None if asked else _newer(own, period),
        "ancestors": [{"region": a.code, "name": a.name} for a in _ancestors(st, region)],
    }


PERIOD_CHOICES = 60
"""How many periods the overview's 时期 list offers (five years of months), newest first."""


def _periods(wh, region: str, indicator: str, measure: str, own: pd.DataFrame, as_of) -> list[str]:
    """The periods with a value of the page's concept for the region or its children, newest first."""
    kids = data.region_values(wh, indicator, measure, children_of=region, as_of=as_of)
    frames = [f[["period", "period_end"]] for f in (own, kids) if not f.empty]
    if not frames:
        return []
    both = pd.concat(frames)
    both = both.drop_duplicates("period").sort_values("period_end", ascending=False)
    return [str(p) for p in both["period"].head(PERIOD_CHOICES)]


def _newer(own: pd.DataFrame, period: str | None) -> str | None:
    """The region's own latest period when it is later than the page's (the children's common period
    lags: provinces to 2024年12月, the nation to 2026年1-2月), so the page can say newer data exist."""
    if own.empty or not period or period not in set(own["period"]):
        return None
    latest = own.sort_values("period_end").iloc[-1]
    at = own.loc[own["period"] == period, "period_end"].iloc[0]
    return str(latest["period"]) if latest["period_end"] > at else None


def measure_label(measure: str, period: str | None) -> str:
    """当月同比/累计同比 for months; plain 同比 for annual or quarterly periods."""
    from yacang.periods import PeriodError, parse_period

    try:
        kind = parse_period(period).kind if period else "month"
    except PeriodError:
        kind = "month"
    if measure in ("yoy", "ytd_yoy") and kind in ("year", "quarter", "half"):
        return "同比"
    return data.MEASURE_ZH.get(measure, measure)


def _ancestors(st: AppState, region: str):
    try:
        return list(reversed(st.regions.ancestors(region)))
    except LookupError:
        from yacang.catalog.regions import ancestors_of
        return [type("R", (), {"code": c, "name": region_name(c, st.regions)}) for c in reversed(ancestors_of(region))]


def _ranked(wh, region, indicator, measure, period, children, parent_value, parent_name, as_of) -> list[dict]:
    if not children:
        return []
    cur = pd.Series({c["region"]: c["value"] for c in children}, dtype="float64")
    prev = data.previous_children(wh, region, indicator, measure, period, as_of=as_of) if period else {}
    prev_s = pd.Series(prev, dtype="float64") if prev else None
    table = rank_table(cur, prev_s, parent=parent_value, parent_name=parent_name)
    names = {c["region"]: c["name"] for c in children}
    rows = []
    for code, r in table.iterrows():
        rows.append({
            "region": code, "name": names.get(code, code), "value": data._num(r.get("value")),
            "rank": None if pd.isna(r.get("rank", None)) else int(r["rank"]),
            "rank_change": None if pd.isna(r.get("rank_change", None)) else int(r["rank_change"]),
            "vs_parent": r.get("vs_parent", "") or "",
        })
    return rows


SEVERITY_ORDER = {"红": 0, "橙": 1, "黄": 2, "蓝": 3}  # the order alerts are listed in


def by_severity(df: pd.DataFrame) -> pd.DataFrame:
    """Alerts red first, then 橙, 黄, 蓝; within a level the newest period first, then by region and rule."""
    if df.empty:
        return df
    order = df["severity"].map(SEVERITY_ORDER).fillna(9)
    return (df.assign(_o=order, _p=df["period"].astype(str)).sort_values(["_o", "_p", "region", "rule_name"],
                                                                         ascending=[True, False, True, True])
            .drop(columns=["_o", "_p"]))


def _evaluated(wh) -> str | None:
    """The period the alert states were last evaluated up to (2022年6月), None if never."""
    from yacang.alerts.store import evaluated_period

    p = evaluated_period(wh)
    return None if p is None else p.label_zh()


def _evaluated_elsewhere(wh, period: str | None) -> bool:
    """Whether the alerts were last evaluated for another month than the page's period: compared by the
    period's end, so 2022年1-12月 (累计) and 2022年12月 (当月) are the same month, not a mismatch."""
    from yacang.alerts.store import evaluated_period
    from yacang.periods import PeriodError, parse_period

    evaluated = evaluated_period(wh)
    if evaluated is None or not period:
        return False
    try:
        return parse_period(period).end_date != evaluated.end_date
    except PeriodError:
        return True


def _alerts(wh, st: AppState, region: str, limit: int = 10) -> list[dict]:
    """The overview's 最新预警: the most severe firing alerts of the region's subtree."""
    df = by_severity(alerts_in_scope(wh, None, state="firing", region=region))
    return df.head(limit).to_dict("records") if not df.empty else []


def alert_regions_checked(df: pd.DataFrame) -> pd.Series:
    """The stored region of each alert (decided at evaluation by :mod:`yacang.alerts.regions`, the one
    rule). A row without one is an error, never the nation, which every official may read (fail closed)."""
    if "region" not in df or df["region"].isna().any() or (df["region"].astype(str) == "").any():
        raise RuntimeError("预警缺少所属地区，拒绝显示；请重新运行 yacang alerts run")
    return df["region"].astype(str)


def _may_read(scope: Scope, kind: str, region: str) -> bool:
    """An alert about an enterprise or project is read only inside the region's subtree (its officers);
    region, industry and material alerts also by officials below, like the published aggregates."""
    if kind in ("enterprise", "project", "appeal", "whitelist"):
        return scope.covers(region)
    return scope.reads_region(region)


def alerts_in_scope(wh, scope: Scope | None, *, state: str | None = None, period: str | None = None,
                    region: str | None = None) -> pd.DataFrame:
    """Alert history rows the scope may read (and inside ``region``'s subtree if given)."""
    df = load_history(wh, period=period, state=state)
    cols = ["fingerprint", "rule_id", "rule_name", "scope", "key", "name", "period", "since", "state", "severity",
            "value", "message", "silenced", "acked_by", "region"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(region=alert_regions_checked(df))
    if region is not None and region != NATION:
        from yacang.catalog.regions import region_prefix
        df = df[df["region"].str.startswith(region_prefix(region))]
    if scope is not None:
        df = df[[_may_read(scope, kind, r) for kind, r in zip(df["scope"], df["region"], strict=True)]]
    for c in cols:
        if c not in df:
            df[c] = None
    df = df[cols]
    return df.astype(object).where(pd.notna(df), None)


def material_levels(wh) -> list[dict]:
    """Latest 红黄蓝 level of every configured material; one without any series in the warehouse is listed as
    未评估 with the reason (never dropped)."""
    from yacang.alerts.materials import UNASSESSED_REASON, assess_warehouse, material_status, unassessed

    found = assess_warehouse(wh)
    rows = [{"material": m.code, "name": m.name, "date": None if m.date is None else str(m.date)[:10],
             "level": None if m.date is None else m.level, "level_name": m.level_name, "reason": m.reason,
             "data_dates": m.dates_text(), "stopped": m.stopped}
            for m in material_status(found)]
    return rows + [{"material": m.code, "name": m.name, "date": None, "level": None, "level_name": "未评估",
                    "reason": UNASSESSED_REASON, "data_dates": "", "stopped": False} for m in unassessed(found)]


def nowcast_record(wh, period: str | None = None) -> dict:
    """The nowcast record of ``period`` (default: the first unreleased month, else a backcast of the
    latest), with ``source`` (the data it was built from) and ``note`` (why a backcast). A period that
    cannot be nowcast or a warehouse without the series is a 422 / 404 with the Chinese reason."""
    from fastapi import HTTPException

    from yacang.analysis.data import inputs_from_warehouse
    from yacang.analysis.nowcast import nowcast_or_backcast, nowcast_record, release_period
    from yacang.warehouse.provenance import provenance

    try:
        inputs = inputs_from_warehouse(wh)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    try:
        target = None if period is None else release_period(period)[0]
        result, note = nowcast_or_backcast(inputs, target)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return {**nowcast_record(inputs, result), "note": note,
            "source": provenance(wh, regions={NATION}).sentence()}


def signal_lights(wh, region: str = NATION, start: str | None = None, end: str | None = None) -> list[dict]:
    """景气信号灯 by month (the alerts module's Chinese table); empty when no light series is loaded. A
    configuration the lights cannot use (a broken critical-points file) is a server error that says so, never
    an empty table."""
    from fastapi import HTTPException

    from yacang.alerts.lights import LightsError, NoLightSeries, lights_from_warehouse

    try:
        lights = lights_from_warehouse(wh, region=region)
    except NoLightSeries:
        return []
    except LightsError as exc:
        raise HTTPException(500, f"信号灯无法计算：{exc}") from None
    return data.records(lights.table(start, end))
