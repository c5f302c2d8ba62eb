"""一链一策: everything the one-page chain report and the chain page show, read from stored results.

Nothing here recomputes a scenario: scenarios come from the warehouse (``chain_scenario_*``). The 堵点
list (single-source links, dominators of each 链主, 外省依赖) is read from the stored links. Growth of
链主 and key nodes is the enterprise's 工业总产值 当月同比 from its own latest monthly report (同口径: its
own 上年同期 column; current prices). ``region_prefix`` restricts every list to one region subtree (the
server passes the caller's scope; '' = everything).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pandas as pd

from yacang.chains.chokepoints import dominators, province_dependence, single_source
from yacang.chains.losses import losses
from yacang.chains.maps import stored_map
from yacang.warehouse import chains as store
from yacang.warehouse.enterprise_output import comparable_output_frame

STAGE_ORDER = {"上游": 0, "中游": 1, "下游": 2}


def region_label(code: str, catalog=None) -> str:
    """An enterprise's region by name: 合肥市蜀山区, or — where county codes are not imported — the nearest
    known ancestor with the code, 安徽省（340803）; the bare code only when nothing is known."""
    from yacang.catalog.regions import RegionCatalog, ancestors_of

    rc = catalog or RegionCatalog.load()
    code = str(code)
    for i, c in enumerate([code, *ancestors_of(code)[:-1]]):
        try:
            name = rc.name(c)
        except LookupError:
            continue
        return name if i == 0 else f"{name}（{code}）"
    return code


def members_source(usccs) -> str:
    """Which data a set of chain enterprises comes from: 示例数据, 企业月报与申报, or 无链上企业."""
    from yacang.chains.shocks import DEMO, REAL, is_demo

    u = pd.Series(sorted(set(usccs)), dtype=str)
    if u.empty:
        return "无链上企业"
    demo = is_demo(u)
    if demo.all():
        return DEMO
    return REAL if not demo.any() else f"{REAL}与{DEMO}（混在同一数据仓库中，请分开）"


def latest_growth(wh, usccs: list[str]) -> pd.DataFrame:
    """uscc, period, output_value, yoy (%) from each enterprise's latest report with a 上年同期 value."""
    if not usccs:
        return pd.DataFrame(columns=["uscc", "period", "output_value", "yoy"])
    df = comparable_output_frame(wh.con, usccs)
    if df.empty:
        return pd.DataFrame(columns=["uscc", "period", "output_value", "yoy"])
    from yacang.periods import parse_period

    df["end"] = df["period"].map({p: parse_period(p).end_date for p in df["period"].unique()})
    df = df.sort_values("end").drop_duplicates("uscc", keep="last")
    df["yoy"] = (df["output_value"] / df["output_value_prev"] - 1) * 100
    return df[["uscc", "period", "output_value", "yoy"]]


def dispatch_items(session, usccs: list[str]) -> tuple[list[dict], list[dict]]:
    """Open appeals and whitelist entries of the chain's enterprises (app database)."""
    if session is None or not usccs:
        return [], []
    from sqlalchemy import select

    from yacang.dispatch.appeals import OPEN, STATUS_ZH
    from yacang.dispatch.models import Appeal, WhitelistEntry

    appeals = [{"code": a.code, "uscc": a.uscc, "name": a.enterprise_name, "type": a.appeal_type, "title": a.title,
                "status": STATUS_ZH.get(a.status, a.status)}
               for a in session.scalars(select(Appeal).where(Appeal.uscc.in_(usccs), Appeal.status.in_(OPEN)))]
    wl = [{"uscc": w.uscc, "name": w.enterprise_name, "status": w.status}
          for w in session.scalars(select(WhitelistEntry).where(WhitelistEntry.uscc.in_(usccs)))]
    return appeals, wl


def brief(wh, chain: str, *, region_prefix: str = "", session=None, on: dt.date | None = None) -> dict:
    """The 一链一策 content of ``chain`` within ``region_prefix``; KeyError if the chain is not stored."""
    from yacang.chains.materials import material_basis, warehouse_warnings

    cmap = stored_map(wh, chain)
    if cmap is None:
        raise KeyError(chain)
    chain = cmap.code  # a name (动力电池) was given: the code keys every table
    mem = store.members(wh, chain, region_prefix=region_prefix)
    usccs = sorted(mem["uscc"].unique())
    links = store.links(wh, region_prefix=region_prefix)
    links = links[links["supplier"].isin(usccs) & links["customer"].isin(usccs)]
    growth = latest_growth(wh, usccs)
    lead = mem[mem["role"].isin(["链主", "关键节点"])]
    lead = lead.assign(_r=(lead["role"] != "链主").astype(int)).sort_values(["_r", "segment"]).drop_duplicates("uscc")
    leaders = lead.drop(columns="_r").merge(growth, on="uscc", how="left")
    names = dict(zip(mem["uscc"], mem["name"], strict=False))
    ss = single_source(links)
    doms = []
    for u in mem.loc[mem["role"] == "链主", "uscc"].unique():
        d = dominators(links, u)
        if d:
            doms.append({"target": u, "target_name": names.get(u, u),
                         "dominators": [{"uscc": x, "name": names.get(x, x)} for x in d]})
    dep = province_dependence(links, mem) if not links.empty else pd.DataFrame()
    flags, material_dates = warehouse_warnings(wh, on)
    flags = flags[flags["chain"] == chain]
    groups = []
    for s in store.scenarios(wh).head(20).itertuples():
        hit = _chain_hit(wh, s.scenario_id, usccs, region_prefix)
        if hit is not None:
            groups.append({"scenario_id": s.scenario_id, "name": s.name, "data_source": s.data_source, **hit})
    return {
        "chain": cmap, "members": mem, "links": links, "leaders": leaders, "single_source": ss,
        "dominators": doms, "dependence": dep, "material_flags": flags, "scenarios": groups[:5],
        "material_basis": material_basis(cmap, material_dates),
        "data_source": members_source(usccs), "region_prefix": region_prefix,
        "names": names,
    }


def _chain_hit(wh, sid: str, usccs: list[str], region_prefix: str) -> dict | None:
    """A scenario on the chain's enterprises ``usccs`` (already cut to ``region_prefix``): its
    :class:`~yacang.chains.losses.Losses` as a dict (affected, output_lost, unknown); None if it touches none.
    Summed from the scenario's own rows of those enterprises, so a region's page never shows other regions'
    losses."""
    ents = store.scenario_enterprises(wh, sid, region_prefix=region_prefix or None)
    ents = ents[ents["uscc"].isin(usccs)]
    if ents.empty:
        return None
    return asdict(losses(ents))


def graph_json(b: dict) -> dict:
    """ECharts graph data: segments as categories, enterprises as nodes, links as edges."""
    cmap = b["chain"]
    cats = [{"name": f"{s.stage}·{s.name}"} for s in cmap.segments]
    seg_idx = {s.code: i for i, s in enumerate(cmap.segments)}
    nodes, seen = [], set()
    for r in b["members"].itertuples():
        if r.uscc in seen:
            continue
        seen.add(r.uscc)
        nodes.append({"id": r.uscc, "name": r.name or r.uscc, "category": seg_idx.get(r.segment, 0),
                      "symbolSize": 28 if r.role == "链主" else (20 if r.role == "关键节点" else 10),
                      "value": r.role, "region": r.region})
    edges = [{"source": r.supplier, "target": r.customer, "value": round(float(r.share), 3)}
             for r in b["links"].itertuples() if r.supplier in seen and r.customer in seen]
    return {"categories": cats, "nodes": nodes, "links": edges}


def segment_svg(cmap, width: int = 680) -> str:
    """A static diagram of the segment graph (上游 → 中游 → 下游 columns) for HTML and PDF."""
    cols: dict[int, list] = {0: [], 1: [], 2: []}
    for s in cmap.segments:
        cols[STAGE_ORDER.get(s.stage, 1)].append(s)
    bw, bh, gap = 170, 26, 8
    xs = {0: 10, 1: (width - bw) // 2, 2: width - bw - 28}  # room for a same-column hook on the right
    pos = {}
    for c, segs in cols.items():
        for i, s in enumerate(segs):
            pos[s.code] = (xs[c], 30 + i * (bh + gap))
    height = 40 + max(len(v) for v in cols.values()) * (bh + gap)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 18}" width="100%" font-size="11" '
           'font-family="Noto Sans CJK SC, sans-serif">',
           '<defs><marker id="arr" markerWidth="8" markerHeight="8" refX="7" refY="3" orient="auto">'
           '<path d="M0,0 L7,3 L0,6 z" fill="#888"/></marker></defs>']
    for c, label in ((0, "上游"), (1, "中游"), (2, "下游")):
        out.append(f'<text x="{xs[c] + bw // 2}" y="16" text-anchor="middle" font-weight="bold">{label}</text>')
    for s in cmap.segments:
        for i in s.inputs:
            (x1, y1), (x2, y2) = pos[i], pos[s.code]
            if x1 == x2:  # same column: a short hook on the right
                out.append(f'<path d="M{x1 + bw},{y1 + bh // 2} C{x1 + bw + 18},{y1 + bh // 2} {x2 + bw + 18},'
                           f'{y2 + bh // 2} {x2 + bw},{y2 + bh // 2}" fill="none" stroke="#888" marker-end="url(#arr)"/>')
            else:
                out.append(f'<line x1="{x1 + bw}" y1="{y1 + bh // 2}" x2="{x2}" y2="{y2 + bh // 2}" stroke="#888" '
                           'marker-end="url(#arr)"/>')
    for s in cmap.segments:
        x, y = pos[s.code]
        warn = "#fde2e1" if s.materials else "#eef3fb"
        out.append(f'<rect x="{x}" y="{y}" width="{bw}" height="{bh}" rx="4" fill="{warn}" stroke="#5b7db1"/>')
        label = f'{s.name}（{"、".join(s.industries)}）'
        fit = f' textLength="{bw - 10}" lengthAdjust="spacingAndGlyphs"' if _text_width(label) > bw - 10 else ""
        out.append(f'<text x="{x + 6}" y="{y + 17}"{fit}>{_esc(label)}</text>')
    out.append(f'<rect x="10" y="{height + 4}" width="12" height="10" fill="#fde2e1" stroke="#5b7db1"/>'
               f'<text x="26" y="{height + 13}">使用“红黄蓝”预警原材料的环节；括号内为 GB/T 4754-2017 行业小类</text>')
    out.append("</svg>")
    return "".join(out)


def _text_width(text: str, size: float = 11) -> float:
    """Rough width in px at ``size``: a CJK character is one em, other characters about 0.6 em (a box label
    longer than its box is squeezed into it rather than running over the arrows)."""
    return sum(size if ord(ch) > 0x2E7F else 0.6 * size for ch in text)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
