"""堵点/卡点: single-source or dominant suppliers, dominators of a 链主's supply, segments whose loss cuts
most output, and dependence on other provinces.

* 单一来源依赖: a link supplying at least :data:`DOMINANT_SHARE` of the customer's inputs with
  substitutability at most :data:`LOW_SUBSTITUTABILITY` (the customer cannot replace it soon).
* 支配节点 (dominator): an enterprise every supply path to the target passes through (paths from the
  enterprises upstream of the target that have no supplier of their own); computed with networkx's
  dominator algorithm on the target's upstream subgraph, so cycles are handled.
* 环节冲击: each segment's members stopped for N days, output lost by the other members of the chain.
* 外省依赖: the share of a member's declared inputs coming from suppliers in another province.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

DOMINANT_SHARE = 0.5
LOW_SUBSTITUTABILITY = 0.3
SUPER_SOURCE = "__source__"


def single_source(links: pd.DataFrame, *, share: float = DOMINANT_SHARE,
                  substitutability: float = LOW_SUBSTITUTABILITY) -> pd.DataFrame:
    """Links that are 单一来源/主导供应商 dependencies, largest share first."""
    hit = links[(links["share"] >= share - 1e-12) & (links["substitutability"] <= substitutability + 1e-12)]
    return hit.sort_values(["share", "substitutability"], ascending=[False, True]).reset_index(drop=True)


def dominators(links: pd.DataFrame, target: str) -> list[str]:
    """Enterprises (other than ``target``) on every supply path into ``target``, nearest first."""
    g = nx.DiGraph()
    g.add_edges_from(zip(links["supplier"], links["customer"], strict=True))
    if target not in g:
        return []
    up = nx.ancestors(g, target) | {target}
    sub = g.subgraph(up).copy()
    roots = [v for v in sub if v != target and sub.in_degree(v) == 0]
    if not roots:  # the target's whole supply is a cycle: no raw source to start from
        return []
    sub.add_edges_from((SUPER_SOURCE, r) for r in roots)
    idom = nx.immediate_dominators(sub, SUPER_SOURCE)
    out, v = [], idom.get(target)
    while v is not None and v != SUPER_SOURCE:
        out.append(v)
        v = idom.get(v)
    return out


def province_dependence(links: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Per member: declared input share in total and from other provinces (外省依赖)."""
    lk = links.dropna(subset=["supplier_region", "customer_region"])
    lk = lk.assign(other=lk["supplier_region"].str[:2] != lk["customer_region"].str[:2])
    agg = lk.groupby("customer").apply(
        lambda d: pd.Series({"declared": d["share"].sum(), "other_province": d.loc[d["other"], "share"].sum()}),
        include_groups=False).reset_index().rename(columns={"customer": "uscc"})
    out = members.drop_duplicates("uscc")[["uscc", "name", "region", "role"]].merge(agg, on="uscc", how="inner")
    return out.sort_values("other_province", ascending=False).reset_index(drop=True)


def segment_losses(net, chain_members: pd.DataFrame, days: int = 30) -> pd.DataFrame:
    """For each segment: stop its members ``days`` days; output lost (万元) by the chain's other members."""
    from yacang.chains.engine import Caps, propagate

    mem = chain_members[chain_members["uscc"].isin(net.index)]
    chain_idx = net.idx(mem["uscc"].unique())
    rows = []
    for seg, part in mem.groupby("segment", sort=False):
        idx = net.idx(part["uscc"].unique())
        if not len(idx):
            continue
        res = propagate(net.graph, Caps.stop(idx, 0, days), days, net.daily_output)
        others = np.setdiff1d(chain_idx, idx)
        rows.append({"segment": seg, "members": len(idx), "affected": int((res.first_day[others] >= 0).sum()),
                     "output_lost": float(res.lost[others].sum())})
    return pd.DataFrame(rows, columns=["segment", "members", "affected", "output_lost"]).sort_values(
        "output_lost", ascending=False, ignore_index=True)
