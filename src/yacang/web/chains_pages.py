"""产业链 pages (server-rendered, Chinese): the chain list, a chain's 一链一策 page with its ECharts graph
(nodes and links of the caller's region subtree only), and the one-page report. They call the same
functions as :mod:`yacang.web.api.chains` with the caller's scope."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from yacang.web.api.chains import _brief, _prefix, list_chains, list_scenarios
from yacang.web.deps import Caller, db, optional_caller, state

router = APIRouter(include_in_schema=False)


def page_reader(who: Caller | None = Depends(optional_caller)) -> Caller:
    if who is None:
        raise HTTPException(401, "请先登录")
    if not who.scope.reads_statistics:
        raise HTTPException(403, "企业账号无权查看产业链")
    return who


def _scope_label(request: Request, who: Caller) -> str:
    """“广东省（440000）及下级地区”, or 全部地区 for a national account."""
    from yacang.catalog.regions import region_label

    if not _prefix(who):
        return "全部地区"
    return f"{region_label(who.scope.region, state(request).regions)}及下级地区"


@router.get("/chains")
def chains_page(request: Request, who: Caller = Depends(page_reader)):
    from yacang.web.pages import render

    return render(request, "chains.html", who, chains=list_chains(request, who, None),
                  scenarios=list_scenarios(request, who, None)[:10], scope_label=_scope_label(request, who))


@router.get("/chains/{chain}")
def chain_page(chain: str, request: Request, who: Caller = Depends(page_reader), session: Session = Depends(db)):
    from yacang.chains.brief import graph_json
    from yacang.chains.report import context
    from yacang.web.pages import render

    b = _brief(request, who, chain, session)
    ctx = context(b, scope_label=_scope_label(request, who))
    return render(request, "chains_detail.html", who, graph=script_json(graph_json(b)), **ctx)


def script_json(data: object) -> str:
    """JSON to embed in ``<script type="application/json">``: readable Chinese, with < > & written as \\u escapes
    so that a name holding "</script>" or "<!--" stays data and cannot end the block."""
    import json

    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@router.get("/chains/{chain}/report")
def chain_report(chain: str, request: Request, who: Caller = Depends(page_reader), session: Session = Depends(db)):
    from yacang.chains.report import render_html

    b = _brief(request, who, chain, session)
    return HTMLResponse(render_html(b, scope_label=_scope_label(request, who)))
