"""产业链供应链 JSON API (mounted under /api/chains).

Scope: chains are read by statistics readers (officers, analysts, admins; enterprise accounts get 403).
Every list of enterprises, nodes and links is cut to the caller's region subtree on the server (a link is
shown only when both ends lie in it); scenario results are the caller's subtree's rows and their sums.
Running a scenario needs a writer role; a region stop must lie in the caller's subtree and an enterprise
stop must name enterprises of that subtree (regions come from the registry, never from the request).
Scenario runs are audited.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.auth.roles import Role
from yacang.catalog.regions import region_prefix
from yacang.chains.losses import losses
from yacang.web.deps import Caller, client_ip, db, ensure_writer, state, statistics_reader

router = APIRouter(prefix="/chains", tags=["产业链供应链"])
# the warehouses whose chain tables are ready: the objects themselves (weakly), never their id() — an id is
# reused by a later warehouse once the first is gone, which then went without the shipped maps
_READY: weakref.WeakSet = weakref.WeakSet()


REGION_Q = Query(None, description="只看该地区（含下级）；须在本账号地区范围内，缺省为本账号范围")


def _prefix(who: Caller, region: str | None = None) -> str:
    """The subtree prefix to show: ``region`` if given (403 outside the caller's subtree), else the caller's
    own ('' for an administrator: everything)."""
    from yacang.catalog.regions import RegionError

    if who.scope.role == Role.ENTERPRISE:  # statistics_reader refuses them first; never widen by accident
        raise HTTPException(403, "企业账号无权查看产业链")
    if region:
        try:
            pre = region_prefix(region)
        except RegionError as exc:
            raise HTTPException(422, str(exc)) from None
        if not who.scope.covers(region):
            raise HTTPException(403, f"无权查看地区 {region} 的产业链企业（超出本账号的地区范围）")
        return pre
    if who.scope.role == Role.ADMIN:
        return ""
    return region_prefix(who.scope.region)


def reader(request: Request):
    """A warehouse reader whose chain tables exist and hold the shipped maps if none were imported (done
    once per warehouse by the writer)."""
    from yacang.chains.maps import shipped_chains
    from yacang.warehouse import chains as store

    st = state(request)
    with st.warehouse() as wh:
        if wh not in _READY:
            store.ensure_tables(wh)
            if store.maps(wh).empty:
                store.save_maps(wh, shipped_chains())
            _READY.add(wh)
    return st.reader()


def _records(df) -> list[dict]:
    out = []
    for r in df.to_dict("records"):
        out.append({k: (None if isinstance(v, float) and not math.isfinite(v) else
                        (v.isoformat() if isinstance(v, dt.date | dt.datetime) else v)) for k, v in r.items()})
    return out


@router.get("", summary="产业链列表（链上企业数按本账号地区范围）")
def list_chains(request: Request, who: Caller = Depends(statistics_reader), region: str | None = REGION_Q) -> list[dict]:
    from yacang.chains.brief import members_source
    from yacang.warehouse import chains as store

    pre = _prefix(who, region)
    with reader(request) as wh:
        maps, segs = store.maps(wh), store.segments(wh)
        mem = store.members(wh, region_prefix=pre)
    return [{"chain": m.chain, "name": m.name, "segments": int((segs["chain"] == m.chain).sum()),
             "members": int(mem.loc[mem["chain"] == m.chain, "uscc"].nunique()),
             "data_source": members_source(mem.loc[mem["chain"] == m.chain, "uscc"]),
             "leaders": int(((mem["chain"] == m.chain) & (mem["role"] == "链主")).sum())} for m in maps.itertuples()]


def _brief(request: Request, who: Caller, chain: str, session: Session | None = None, region: str | None = None) -> dict:
    from yacang.chains.brief import brief, dispatch_items

    pre = _prefix(who, region)
    with reader(request) as wh:
        try:
            b = brief(wh, chain, region_prefix=pre)
        except KeyError:
            raise HTTPException(404, f"没有产业链 {chain}") from None
    b["appeals"], b["whitelist"] = dispatch_items(session, sorted(b["members"]["uscc"].unique()))
    return b


def _lost(ents) -> dict:
    """The in-scope loss fields: output lost (万元, of those with a report before the shock; None, not 0, when
    none had one), how many have an unknown loss, and the words for both."""
    lost = losses(ents)
    return {"output_lost_in_scope": lost.output_lost, "unknown_in_scope": lost.unknown, "output_lost_text": lost.text()}


def _touches(params: str, ents, pre: str) -> bool:
    """Whether a scenario concerns the subtree ``pre``: everything for '' (national), else an affected
    enterprise in it (``ents``, already cut to it) or a region stop inside it. The list and a scenario's
    page use this one rule: what the list hides is not found by its id either."""
    import json

    if not pre or not ents.empty:
        return True
    stop_region = str(json.loads(params or "{}").get("region", ""))
    return bool(stop_region) and stop_region.startswith(pre)


@router.get("/scenarios", summary="已存的冲击情景（本账号地区范围内的受影响企业与损失）")
def list_scenarios(request: Request, who: Caller = Depends(statistics_reader), region: str | None = REGION_Q) -> list[dict]:
    """Scenarios that touch the subtree (an affected enterprise in it, or a region stop inside it)."""
    from yacang.warehouse import chains as store

    pre = _prefix(who, region)
    with reader(request) as wh:
        sc = store.scenarios(wh)
        out = []
        for s in sc.itertuples():
            ents = store.scenario_enterprises(wh, s.scenario_id, region_prefix=pre or None)
            if not _touches(s.params, ents, pre):
                continue
            out.append({"scenario_id": s.scenario_id, "name": s.name, "kind": s.kind,
                        "start_date": s.start_date.date().isoformat() if hasattr(s.start_date, "date") else str(s.start_date),
                        "days": int(s.days), "data_source": s.data_source, "affected_in_scope": len(ents),
                        **_lost(ents)})
    return out


@router.get("/scenarios/{scenario_id}", summary="一个情景在本账号地区范围内的结果")
def scenario(scenario_id: str, request: Request, who: Caller = Depends(statistics_reader)) -> dict:
    from yacang.warehouse import chains as store

    pre = _prefix(who)
    with reader(request) as wh:
        sc = store.scenarios(wh)
        sc = sc[sc["scenario_id"] == scenario_id]
        if sc.empty:
            raise HTTPException(404, f"没有情景 {scenario_id}")
        ents = store.scenario_enterprises(wh, scenario_id, region_prefix=pre or None)
        head = sc.iloc[0]
        if not _touches(head["params"], ents, pre):
            raise HTTPException(404, f"没有情景 {scenario_id}")
        body = {"scenario_id": scenario_id, "name": head["name"], "kind": head["kind"], "days": int(head["days"]),
                "data_source": head["data_source"], "enterprises": _records(ents),
                "affected_in_scope": len(ents), **_lost(ents)}
        if not pre:  # national aggregates: administrators only (they add up enterprises of every region)
            body["daily"] = _records(store.scenario_daily(wh, scenario_id))
            body["provinces"] = _records(store.scenario_groups(wh, scenario_id, "province"))
            body["chains"] = _records(store.scenario_groups(wh, scenario_id, "chain"))
    return body


@router.get("/{chain}", summary="一链一策：图谱、链主与关键节点、堵点卡点、原材料预警（按地区范围）")
def chain_detail(chain: str, request: Request, who: Caller = Depends(statistics_reader),
                 session: Session = Depends(db), region: str | None = REGION_Q) -> dict:
    from yacang.chains.brief import graph_json

    b = _brief(request, who, chain, session, region)
    c = b["chain"]
    return {
        "chain": c.code, "name": c.name, "description": c.description, "sources": list(c.sources),
        "data_source": b["data_source"],
        "segments": [{"code": s.code, "name": s.name, "stage": s.stage, "industries": list(s.industries),
                      "inputs": list(s.inputs), "materials": s.materials, "products": list(s.products)}
                     for s in c.segments],
        "members": _records(b["members"]), "leaders": _records(b["leaders"]),
        "single_source": _records(b["single_source"]), "dominators": b["dominators"],
        "material_flags": _records(b["material_flags"]), "material_basis": b["material_basis"],
        "appeals": b["appeals"], "whitelist": b["whitelist"],
        "graph": graph_json(b),
    }


class ShockIn(BaseModel):
    kind: str = Field(pattern="^(region|enterprise|material)$", description="region/enterprise/material")
    start: dt.date
    days: int = Field(ge=1, le=366)
    horizon: int | None = Field(None, ge=1, le=400)
    region: str = Field("", max_length=12, description="地区停产：6位行政区划代码")
    usccs: list[Annotated[str, Field(max_length=18)]] = Field(default_factory=list, max_length=1000)
    material: str = Field("", max_length=64)
    level: str = Field("", pattern="^(|黄|红)$")


def _shock_region(who: Caller, region: str) -> None:
    """A region stop must name a valid code (422) inside the caller's subtree (403)."""
    from yacang.catalog.regions import RegionError

    if not region:
        raise HTTPException(422, "地区停产须给出地区代码（region，6位行政区划代码）")
    try:
        region_prefix(region)
    except RegionError as exc:
        raise HTTPException(422, f"地区代码无效：{exc}") from None
    if not who.scope.covers(region):
        raise HTTPException(403, f"无权推演地区 {region} 的停产（超出本账号的地区范围）")


@router.post("/scenarios", status_code=201, summary="运行冲击情景（结果存入仓库）")
def run_shock(body: ShockIn, request: Request, who: Caller = Depends(statistics_reader),
              session: Session = Depends(db)) -> dict:
    from yacang.chains.errors import ChainError
    from yacang.chains.shocks import Scenario, run_scenario
    from yacang.warehouse import chains as store

    ensure_writer(who)
    st = state(request)
    if body.kind == "region":
        _shock_region(who, body.region)
    elif body.kind == "material" and who.scope.role != Role.ADMIN:
        raise HTTPException(403, "原材料短缺情景波及全国企业，仅系统管理员可运行")
    with st.warehouse() as wh:
        if body.kind == "enterprise":
            ents = store.enterprise_table(wh).set_index("uscc")["region"]
            bad = [u for u in body.usccs if u not in ents.index or not who.scope.covers(str(ents[u]))]
            if not body.usccs or bad:
                raise HTTPException(403, f"无权推演这些企业的停产（不在本账号地区范围内或不在企业名录中）：{'、'.join(bad)}")
        sc = Scenario(body.kind, body.start, body.days, body.horizon or body.days + 14, region=body.region,
                      usccs=tuple(body.usccs), material=body.material, level=body.level)
        # the audit row first (flushed): a run the log cannot record is not made
        audit.record(session, "chains_shock", user_id=who.user.id, username=who.username,
                     target=f"scenario:{sc.scenario_id}", detail=sc.params, ip=client_ip(request))
        try:
            sid, _, _ = run_scenario(wh, sc)
        except ChainError as exc:
            session.rollback()
            raise HTTPException(422, str(exc)) from None
        from yacang.chains.alerts import evaluate_chain_alerts

        evaluate_chain_alerts(wh, body.start.strftime("%Y-%m"))  # the 预警 page and the bulletin read them
    st.changed()
    session.commit()
    return {"scenario_id": sid, "name": sc.title()}
