"""Statistics: series and observations (with as_of), the overview, region drill-down, measures, rankings."""

from __future__ import annotations

import datetime as dt
import math

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.catalog.regions import RegionError, level_of
from yacang.exports import csv_text
from yacang.measures.monthly import monthly_measures
from yacang.web import data, views
from yacang.web.deps import Caller, client_ip, db, require_region, state, statistics_reader
from yacang.web.params import PeriodText

router = APIRouter(tags=["统计数据"])


def check_code(code: str) -> str:
    try:
        level_of(code)
    except RegionError as exc:
        raise HTTPException(422, str(exc)) from None
    return code


def _require_series(request: Request, who: Caller, series_id: str) -> None:
    """The caller may read the series' region; a series without a valid region code is shown to
    administrators only (fail closed, as the series list does)."""
    with state(request).reader() as wh:
        df = wh.series(series_id=series_id)
    if df.empty:
        raise HTTPException(404, f"没有序列 {series_id}")
    region = df["region"].iloc[0]
    if isinstance(region, str) and len(region) == 6 and region.isdigit():
        require_region(who, region)
    elif not who.scope.is_admin:
        raise HTTPException(403, f"序列 {series_id} 没有有效的地区代码，仅系统管理员可查看")


@router.get("/series", summary="序列目录（仅本账号地区范围内）")
def series(request: Request, indicator: str | None = None, measure: str | None = None, region: str | None = None,
           industry: str | None = None, source: str | None = None, who: Caller = Depends(statistics_reader)) -> list[dict]:
    if region:
        require_region(who, check_code(region))
    with state(request).reader() as wh:
        return data.series_list(wh, who.scope, indicator=indicator, measure=measure, region=region,
                                industry=industry, source=source)


@router.get("/series/{series_id}/observations", summary="序列观测值（as_of=某日时点的版本）")
def observations(series_id: str, request: Request, as_of: dt.date | None = None, format: str = "json",
                 who: Caller = Depends(statistics_reader), session: Session = Depends(db)):
    _require_series(request, who, series_id)
    as_of = None if as_of is None else as_of.isoformat()  # type: ignore[assignment]  # the day, as the CLI takes it
    with state(request).reader() as wh:
        rows = data.observations(wh, series_id, as_of=as_of)
    if format == "csv":
        audit.record(session, "export", user_id=who.user.id, username=who.username, target=series_id,
                     detail={"as_of": as_of, "rows": len(rows)}, ip=client_ip(request))
        cols = ["period", "period_end", "value", "flags", "vintage"]
        return Response(csv_text(([r.get(c) for c in cols] for r in rows), cols), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{series_id.replace(":", "_")}.csv"'})
    return {"series_id": series_id, "as_of": as_of, "observations": rows}


@router.get("/overview", summary="总览：KPI、走势、下级地区着色与排名、最新预警")
async def overview(request: Request, region: str | None = None, period: PeriodText | None = None, indicator: str = "iva",
                   measure: str = "ytd_yoy", as_of: dt.date | None = None,
                   who: Caller = Depends(statistics_reader)) -> Response:
    code = check_code(region or who.scope.region)
    require_region(who, code)
    st = state(request)
    args = (st, who.scope, code, period, indicator, measure, None if as_of is None else as_of.isoformat())
    body = views.cached_overview_json(*args)
    hit = body is not None
    if body is None:  # compute off the event loop (DuckDB work)
        body = await run_in_threadpool(views.overview_json, *args)
    return Response(body, media_type="application/json", headers={"X-Cache": "hit" if hit else "miss"})


@router.get("/rankings", summary="下级地区排名（位次、位次变化、与上级比较）")
def rankings(request: Request, region: str | None = None, period: PeriodText | None = None, indicator: str = "iva",
             measure: str = "ytd_yoy", who: Caller = Depends(statistics_reader)) -> dict:
    code = check_code(region or who.scope.region)
    require_region(who, code)
    view = views.overview(state(request), who.scope, code, period=period, indicator=indicator, measure=measure)
    return {k: view[k] for k in ("region", "region_name", "period", "indicator", "measure", "value", "children")}


@router.get("/rankings.csv", summary="导出下级地区排名（CSV，记入审计）")
def rankings_csv(request: Request, region: str | None = None, period: PeriodText | None = None, indicator: str = "iva",
                 measure: str = "ytd_yoy", who: Caller = Depends(statistics_reader),
                 session: Session = Depends(db)) -> Response:
    view = rankings(request, region, period, indicator, measure, who)
    audit.record(session, "export", user_id=who.user.id, username=who.username,
                 target=f"rankings:{view['region']}:{view['period']}", ip=client_ip(request))
    text = csv_text(([c["region"], c["name"], _number(c["value"]), c["rank"] or "",
                      c["rank_change"] if c["rank_change"] is not None else "", c["vs_parent"]]
                     for c in view["children"]),
                    ["地区代码", "地区", f"{data.MEASURE_ZH.get(measure, measure)}(%)", "位次", "位次变化", "与上级比较"])
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="rankings.csv"'})


def _number(v: object) -> float | None:
    """A rate for a spreadsheet cell: a number rounded to 0.1 (a negative stays a number), or empty."""
    return round(float(v), 1) if isinstance(v, int | float) and math.isfinite(v) else None


@router.get("/measures", summary="某期某地区的指标表（同口径增速、两年平均、位次、目标、增长面、拉动）")
def measures(request: Request, period: PeriodText, region: str | None = None, industry: str = "TOTAL",
             who: Caller = Depends(statistics_reader)) -> dict:
    code = check_code(region or who.scope.region)
    if not who.scope.covers(code):  # measures list enterprises (drags): own subtree only
        raise HTTPException(403, f"无权查看地区 {code} 的指标（超出本账号的地区范围）")
    st = state(request)
    with st.reader() as wh:
        try:
            r = monthly_measures(wh.con, period, region=code, industry=industry, regions=st.regions)
        except LookupError as exc:
            raise HTTPException(404, f"{period} {code} 暂无可计算的数据：{exc}") from None
    children = data.records(r.children.reset_index() if r.children.index.name else r.children)
    return {"period": r.period, "region": r.region, "region_name": r.region_name, "industry": r.industry,
            "summary": {k: (v.item() if hasattr(v, "item") else v) for k, v in r.summary.items()},
            "children": children, "divisions": data.records(r.divisions),
            "pulls_up": data.records(r.pulls_up), "pulls_down": data.records(r.pulls_down),
            "notes": r.notes}
