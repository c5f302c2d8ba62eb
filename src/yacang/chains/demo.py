"""The demo set of the chains area: demo enterprises placed on the shipped chains with plausible links.

Placement (seeded, so ``yacang demo`` is repeatable): each segment takes up to :data:`PER_SEGMENT` demo
enterprises of its classes (or, where the demo registry holds only the division, of the division),
favouring 长三角 (上海, 江苏, 浙江, 安徽). Every customer gets one to three suppliers per input segment,
the first from 上海 when the segment has a 上海 member (so the 上海 2022-04 stop reaches downstream
enterprises in 江苏/浙江/安徽), shares splitting the customer's inputs evenly among its input segments
(a fifth left for inputs the map does not model), substitutability 0–0.5, stocks of 3–20 days. The
downstream member (in 长三角 if any) with most suppliers is each chain's 链主, the first member of each middle segment a
关键节点. Then the demo's 上海 stop (2022-04-01, 30 days) is run and stored as a scenario (示例数据).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

PER_SEGMENT = 40
YRD = ("31", "32", "33", "34")  # 长三角: 上海、江苏、浙江、安徽
SHANGHAI_STOP = dict(region="310000", start=dt.date(2022, 4, 1), days=30, horizon=44)


def placement(enterprises: pd.DataFrame, chains, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(members, links) frames for the demo enterprises (``uscc, region, industry, is_key``).

    Sampling draws a seed from ``rng`` and takes the rows ``DataFrame.sample(m, random_state=seed)`` would
    (:class:`_Sampler`), on numpy arrays: the loop runs ~1,500 times."""
    ents = enterprises[["uscc", "region", "industry"]].reset_index(drop=True)
    uscc = ents["uscc"].to_numpy(dtype=object)
    industry = ents["industry"].to_numpy(dtype=object)
    prov = ents["region"].str[:2].to_numpy(dtype=object)
    in_yrd, in_sh = np.isin(prov, YRD), prov == "31"
    members, links = [], []
    sample = _Sampler(rng)
    for c in chains:
        seg_members: dict[str, np.ndarray] = {}  # segment -> rows of ents, in pick order
        used = np.zeros(len(ents), dtype=bool)  # one segment per enterprise within a chain
        for s in c.segments:
            pick = _pick(industry, set(s.industries), used, in_yrd, in_sh, sample)
            used[pick] = True
            seg_members[s.code] = pick
            role = ["配套"] * len(pick)
            if s.stage == "中游" and len(pick):
                role[0] = "关键节点"
            members.append(pd.DataFrame({"chain": c.code, "segment": s.code, "uscc": uscc[pick],
                                         "role": role, "basis": "示例", "source_file": "示例数据"}))
        for s in c.segments:
            cust = seg_members[s.code]
            if not s.inputs or not len(cust):
                continue
            per_input = 0.8 / len(s.inputs)
            for i in s.inputs:
                if len(seg_members[i]):
                    links.extend(_supply(uscc[seg_members[i]], in_sh[seg_members[i]], uscc[cust], per_input, c.code,
                                         rng, sample))
    mem = pd.concat(members, ignore_index=True) if members else pd.DataFrame()
    lk = pd.DataFrame(links, columns=["supplier", "customer", "share", "substitutability", "inventory_days", "chain"])
    lk = lk.groupby(["supplier", "customer"], as_index=False).agg(
        share=("share", "sum"), substitutability=("substitutability", "min"),
        inventory_days=("inventory_days", "min"), chain=("chain", "first"))
    total = lk.groupby("customer")["share"].transform("sum")  # one enterprise in several chains: keep Σ ≤ 1
    lk["share"] = np.floor(np.where(total > 1, lk["share"] / total, lk["share"]) * 1e4) / 1e4
    lk = lk.assign(product=None, source_file="示例数据", source_row=None)
    # 链主: per chain, the downstream member in 长三角 with the most suppliers
    indeg = lk.groupby("customer").size()
    prov_of = dict(zip(uscc, prov, strict=True))
    for c in chains:
        down = mem[(mem["chain"] == c.code) & mem["segment"].isin([s.code for s in c.segments if s.stage == "下游"])]
        in_yrd_down = down["uscc"].map(prov_of).isin(YRD)
        down = down[in_yrd_down] if in_yrd_down.any() else down
        if not down.empty:
            best = down.assign(n=down["uscc"].map(indeg).fillna(0)).sort_values("n", ascending=False).index[0]
            mem.loc[best, "role"] = "链主"
    return mem, lk


class _Sampler:
    """``sample(n, m)``: a seed drawn from ``rng``, then the positions ``DataFrame.sample(m, random_state=seed)``
    takes from ``n`` rows — ``RandomState(seed).permutation(n)[:m]`` — with one re-seeded RandomState (a new
    one per call costs 25 times more)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng, self.legacy = rng, np.random.RandomState(0)

    def __call__(self, n: int, m: int) -> np.ndarray:
        seed = self.rng.integers(1 << 31)
        if not m:
            return np.empty(0, dtype=np.intp)
        self.legacy.seed(seed)
        return self.legacy.permutation(n)[:m]


def _pick(industry: np.ndarray, classes: set[str], used: np.ndarray, in_yrd: np.ndarray, in_sh: np.ndarray,
          sample: _Sampler) -> np.ndarray:
    """Rows of one segment: up to 3 from 上海, a sample from 长三角 and one from anywhere (≤ PER_SEGMENT)."""
    hit = np.flatnonzero(np.isin(industry, list(classes)))
    if len(hit) < PER_SEGMENT // 2:  # the demo registry is mostly by division
        extra = np.flatnonzero(np.isin(industry, list({x[:2] for x in classes})))
        hit = np.concatenate([hit, extra[~np.isin(extra, hit)]])
    hit = hit[~used[hit]]
    yrd = hit[in_yrd[hit]]
    sh = yrd[in_sh[yrd]]
    a = yrd[sample(len(yrd), min(len(yrd), PER_SEGMENT // 2))]
    b = hit[sample(len(hit), min(len(hit), PER_SEGMENT // 2))]
    rows = np.concatenate([sh[:3], a, b])
    return np.array(list(dict.fromkeys(rows.tolist())), dtype=np.intp)[:PER_SEGMENT]


def _supply(sup: np.ndarray, sup_sh: np.ndarray, customers: np.ndarray, per_input: float, chain: str,
            rng: np.random.Generator, sample: _Sampler) -> list[tuple]:
    """Link rows from one input segment's members (``sup``) to each customer: one to three suppliers, the
    first from 上海 half the time when the segment has one, shares summing to ``per_input``."""
    sh = sup[sup_sh]
    out = []
    for u in customers:
        k = int(rng.integers(1, 4))
        chosen = list(sup[sample(len(sup), min(k, len(sup)))])
        if len(sh) and rng.random() < 0.5 and sh[0] not in chosen:
            chosen[0] = sh[int(rng.integers(len(sh)))]
        chosen = [x for x in dict.fromkeys(chosen) if x != u]
        if not chosen:
            continue
        w = rng.dirichlet(np.ones(len(chosen))) * per_input
        for x, share in zip(chosen, w, strict=True):
            out.append((x, u, float(round(share, 4)), float(round(rng.uniform(0, 0.5), 2)),
                        float(rng.integers(3, 21)), chain))
    return out


def place_demo(wh, data, rng: np.random.Generator) -> str:
    """The ``yacang demo`` extra set: store the placement and the 上海 scenario; one summary line."""
    from yacang.chains.losses import losses
    from yacang.chains.maps import shipped_chains
    from yacang.chains.shocks import Scenario, run_scenario
    from yacang.warehouse import chains as store

    chains = shipped_chains()
    store.save_maps(wh, chains)
    mem, lk = placement(data.enterprises, chains, rng)
    store.save_members(wh, mem, replace_basis="示例")
    store.save_links(wh, lk, replace_source="示例数据")
    sid, _, _ = run_scenario(wh, Scenario("region", name="示例：上海2022年4月停产30天", **SHANGHAI_STOP),
                                 dataset="demo")
    ents = store.scenario_enterprises(wh, sid)
    out = losses(ents[~ents["region"].str.startswith("31")])
    return (f"产业链示例：{len(chains)} 条产业链、链上企业 {mem['uscc'].nunique():,} 家、供货关系 {len(lk):,} 条；"
            f"上海2022年4月停产30天波及上海以外下游企业 {out.affected:,} 家，产值损失（万元）{out.text()}（示例数据）")

