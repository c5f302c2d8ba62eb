"""Scenarios: a region stop, an enterprise stop or a material shortage, propagated and stored.

The graph is the warehouse's registry and links (:mod:`yacang.warehouse.chains`), built for one data set:
the demo's enterprises (示例数据) or the others (企业月报与申报), never both. Output at risk is each
enterprise's latest monthly 工业总产值 before the shock (万元, per day of that month) times the share of
output lost. A scenario's id follows from its parameters, so running it again replaces its results.

Material shortage (assumption, stated in every output): a 黄 warning makes :data:`SEVERITY` ['黄'] of the
material unavailable, a 红 warning :data:`SEVERITY` ['红']; the members of a segment that uses the
material lose ``share × severity`` of their output for the shock's days (``share`` from the chain map).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yacang.catalog.regions import province_code
from yacang.chains.engine import Caps, Propagation, SupplyGraph, propagate
from yacang.chains.errors import ChainError
from yacang.formatting import date_zh
from yacang.warehouse import chains as store

SEVERITY = {"黄": 0.2, "红": 0.4}
MAX_DAYS = 366  # a shock of at most a year …
MAX_HORIZON = 400  # … simulated for at most this many days (the API's limits; one stored row a day)
DATASETS = ("auto", "demo", "real")
KIND_ZH = {"region": "地区停产", "enterprise": "企业停产", "material": "原材料短缺"}
DEMO = "示例数据"
REAL = "企业月报与申报"


@dataclass
class Network:
    """The registry enterprises of one data set, their links as a SupplyGraph, daily output."""

    usccs: np.ndarray
    regions: np.ndarray
    graph: SupplyGraph
    daily_output: np.ndarray
    data_source: str
    index: dict[str, int] = field(default_factory=dict)
    has_output: np.ndarray | None = None  # False where no monthly report precedes the shock (loss unknown)

    def idx(self, usccs) -> np.ndarray:
        return np.array([self.index[u] for u in usccs if u in self.index], dtype=np.int64)


def is_demo(uscc: pd.Series) -> pd.Series:
    from yacang.demo.generator import DEMO_ORG_PREFIX

    return uscc.str[8:10] == DEMO_ORG_PREFIX


def network(wh, start: dt.date, dataset: str = "auto") -> Network:
    """The graph for ``dataset`` (``demo``, ``real`` or ``auto``: real links if any, else the demo's when the
    registry holds demo enterprises, else the real registry)."""
    if dataset not in DATASETS:
        raise ChainError(f"数据集应为 auto、demo 或 real（自动、示例数据、企业月报与申报），收到“{dataset}”")
    ents = store.enterprise_table(wh)
    lk = store.links(wh)
    if dataset == "auto":  # real links if any; else the demo's if there is a demo; else the real registry
        dataset = "real" if (~is_demo(lk["supplier"])).any() or not is_demo(ents["uscc"]).any() else "demo"
    keep = is_demo(ents["uscc"]) if dataset == "demo" else ~is_demo(ents["uscc"])
    ents = ents[keep].reset_index(drop=True)
    index = {u: i for i, u in enumerate(ents["uscc"])}
    # both ends' node numbers, links with an end outside the graph left out (a dict lookup per link: Series.isin
    # with a 20,000-key set builds a pyarrow scalar per key on text columns, ten times slower)
    sup, cus = lk["supplier"].map(index), lk["customer"].map(index)
    keep = (sup.notna() & cus.notna()).to_numpy()
    lk = lk[keep]
    g = SupplyGraph.build(len(ents), sup[keep].to_numpy(dtype=np.int64), cus[keep].to_numpy(dtype=np.int64),
                          lk["share"].to_numpy(), lk["substitutability"].to_numpy(), lk["inventory_days"].to_numpy())
    out = store.latest_monthly_output(wh, start)
    daily = ents["uscc"].map(dict(zip(out["uscc"], out["daily_output"], strict=True)))
    return Network(ents["uscc"].to_numpy(), ents["region"].to_numpy(), g, daily.fillna(0.0).to_numpy(),
                   DEMO if dataset == "demo" else REAL, index, daily.notna().to_numpy())


@dataclass
class Scenario:
    kind: str  # region / enterprise / material
    start: dt.date
    days: int  # length of the shock
    horizon: int  # days simulated
    region: str = ""
    usccs: tuple[str, ...] = ()
    material: str = ""
    level: str = ""  # 黄 / 红 (material)
    name: str = ""

    @property
    def params(self) -> dict:
        p = {"kind": self.kind, "start": self.start.isoformat(), "days": self.days, "horizon": self.horizon}
        if self.kind == "region":
            p["region"] = self.region
        elif self.kind == "enterprise":
            p["usccs"] = sorted(set(self.usccs))
        else:
            p |= {"material": self.material, "level": self.level, "severity": SEVERITY.get(self.level)}
        return p

    @property
    def scenario_id(self) -> str:
        return hashlib.sha1(json.dumps(self.params, sort_keys=True).encode()).hexdigest()[:12]

    def title(self) -> str:
        if self.name:
            return self.name
        if self.kind == "material":
            from yacang.alerts.materials import load_materials_config

            m = load_materials_config().materials.get(self.material)
            what = f"{m.name if m else self.material}（{self.level}色预警）"
        elif self.kind == "region":
            from yacang.catalog.regions import RegionCatalog, RegionError

            try:
                what = f"{RegionCatalog.load().name(self.region)}（{self.region}）"
            except RegionError:  # a code the catalog does not hold (prefectures not imported): the code itself
                what = f"地区 {self.region} "
        else:
            what = f"{len(set(self.usccs))} 家"  # 3 家企业停产 (the kind says 企业)
        return f"{what}{KIND_ZH[self.kind]} {self.days} 天（自{date_zh(self.start)}起）"


def caps_for(wh, net: Network, sc: Scenario) -> Caps:
    """Direct shocks of a scenario on ``net``; a scenario that hits nobody is an error."""
    from yacang.catalog.regions import region_prefix

    if sc.days < 1 or sc.horizon < sc.days:
        raise ChainError(f"冲击天数应为正整数且不超过模拟天数（收到 {sc.days} / {sc.horizon}）")
    if sc.days > MAX_DAYS or sc.horizon > MAX_HORIZON:
        raise ChainError(f"冲击天数最多 {MAX_DAYS} 天、模拟天数最多 {MAX_HORIZON} 天（收到 {sc.days} / {sc.horizon}）："
                         "请缩短 --days 或 --horizon")
    if sc.kind == "region":
        from yacang.catalog.regions import RegionError

        try:
            pre = region_prefix(sc.region)
        except RegionError as exc:
            raise ChainError(f"地区代码无效：{exc}（应为6位行政区划代码，如 310000）") from None
        idx = np.flatnonzero(pd.Series(net.regions).str.startswith(pre).to_numpy())
        what = f"地区 {sc.region} 没有{net.data_source}中的企业"
        caps = Caps.stop(idx, 0, sc.days)
    elif sc.kind == "enterprise":
        unknown = [u for u in sc.usccs if u not in net.index]
        if unknown:
            raise ChainError(f"企业名录（{net.data_source}）中没有这些企业：{'、'.join(unknown)}")
        idx = net.idx(sorted(set(sc.usccs)))
        what = "未指定企业"
        caps = Caps.stop(idx, 0, sc.days)
    elif sc.kind == "material":
        if not sc.level:
            raise ChainError(f"原材料 {sc.material} 在 {sc.start.isoformat()} 没有黄色或红色预警，不构成短缺："
                             "如要假设一次短缺，请用 --level 黄 或 --level 红 指定级别")
        if sc.level not in SEVERITY:
            raise ChainError(f"原材料预警级别应为 黄 或 红，收到“{sc.level}”（蓝色为关注提示，不构成短缺）")
        mats = store.segment_materials(wh)
        mats = mats[mats["material"] == sc.material]
        if mats.empty:
            from yacang.chains.materials import material_names

            names = material_names()
            used = "、".join(f"{m}（{names.get(m, m)}）" for m in sorted(store.segment_materials(wh)["material"].unique()))
            raise ChainError(f"没有产业链环节使用原材料 {sc.material}：可用 {used or '（无）'}")
        mem = store.members(wh).merge(mats, on=["chain", "segment"])
        mem = mem[mem["uscc"].isin(net.index)]
        share = mem.groupby("uscc")["share"].max()  # an enterprise in several using segments: the largest share
        idx = net.idx(share.index)
        cap = 1.0 - share.to_numpy() * SEVERITY[sc.level]
        caps = Caps(idx, np.zeros(len(idx), dtype=np.int64), np.full(len(idx), sc.days), cap)
        what = f"使用 {sc.material} 的环节上没有{net.data_source}中的企业"
    else:
        raise ChainError(f"未知的冲击类型：{sc.kind}（可用 region/enterprise/material）")
    if len(caps.idx) == 0:
        raise ChainError(f"冲击没有波及任何企业：{what}")
    return caps


def run_scenario(wh, sc: Scenario, *, dataset: str = "auto", save: bool = True) -> tuple[str, Propagation, Network]:
    """Propagate ``sc`` on the warehouse graph, store the results, return (scenario id, results, network)."""
    net = network(wh, sc.start, dataset)
    caps = caps_for(wh, net, sc)
    res = propagate(net.graph, caps, sc.horizon, net.daily_output)
    sid = sc.scenario_id
    if save:
        store.save_scenario(wh, *results_frames(wh, sc, net, caps, res))
    return sid, res, net


def results_frames(wh, sc: Scenario, net: Network, caps: Caps, res: Propagation
                   ) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The rows :func:`yacang.warehouse.chains.save_scenario` stores."""
    direct = np.zeros(net.graph.n, dtype=bool)
    direct[caps.direct] = True
    hit = np.flatnonzero(res.first_day >= 0)
    ents = pd.DataFrame({"uscc": net.usccs[hit], "region": net.regions[hit], "direct": direct[hit],
                         "first_day": res.first_day[hit], "min_level": res.min_level[hit],
                         "output_lost": res.lost[hit]})
    if net.has_output is not None:  # no report before the shock: affected, but the loss is unknown (NULL), not 0
        ents.loc[~net.has_output[hit], "output_lost"] = np.nan
    daily = pd.DataFrame({"day": np.arange(sc.horizon), "date": [sc.start + dt.timedelta(days=int(d))
                                                                 for d in range(sc.horizon)],
                          "affected": res.daily_affected, "output_lost": res.daily_lost})
    mem = store.members(wh)[["chain", "uscc"]].drop_duplicates()
    by_chain = ents.merge(mem, on="uscc").groupby("chain").agg(affected=("uscc", "size"),
                                                               output_lost=("output_lost", "sum")).reset_index()
    by_chain = by_chain.rename(columns={"chain": "key"}).assign(kind="chain")
    by_prov = ents.assign(key=ents["region"].map(province_code)).groupby("key").agg(
        affected=("uscc", "size"), output_lost=("output_lost", "sum")).reset_index().assign(kind="province")
    groups = pd.concat([by_chain, by_prov], ignore_index=True)[["kind", "key", "affected", "output_lost"]]
    head = {"scenario_id": sc.scenario_id, "name": sc.title(), "kind": sc.kind,
            "params": json.dumps(sc.params, ensure_ascii=False), "start_date": sc.start, "days": sc.days,
            "data_source": net.data_source, "n_direct": int(direct.sum()), "n_affected": len(hit),
            "output_lost": float(res.lost.sum()), "created_at": dt.datetime.now().replace(microsecond=0)}
    return head, daily, ents, groups


def weekly(daily: pd.DataFrame) -> pd.DataFrame:
    """Per week of the horizon (第1周 = days 0–6): most enterprises affected on a day, output lost (万元)."""
    w = daily.assign(week=daily["day"] // 7 + 1)
    w = w.groupby("week").agg(start=("date", "first"), affected=("affected", "max"),
                              output_lost=("output_lost", "sum")).reset_index()
    w["start"] = pd.to_datetime(w["start"]).dt.strftime("%Y-%m-%d")
    return w


def material_level_on(wh, material: str, on: dt.date) -> str:
    """The 红黄蓝 level of ``material`` on a date from the warehouse's series ('' if none or calm)."""
    from dataclasses import replace

    from yacang.alerts.materials import assess_warehouse, load_materials_config, material_status

    cfg = load_materials_config()
    if material not in cfg.materials:
        known = "、".join(f"{k}（{m.name}）" for k, m in cfg.materials.items())
        raise ChainError(f"未知的原材料代码：{material}；可用 {known}")
    found = assess_warehouse(wh, replace(cfg, materials={material: cfg.materials[material]}))
    if not found:
        raise ChainError(f"仓库中没有原材料 {material} 的价格序列，无法判断预警级别：请先导入价格数据（yacang ingest）"
                         "，或用 --level 指定级别")
    m = material_status(found, pd.Timestamp(on))[0]
    if m.stopped:
        raise ChainError(f"原材料{m.name}（{material}）的数据已停更（{m.dates_text()}），无法判断{date_zh(pd.Timestamp(on))}的预警级别："
                         "请导入更新的价格数据，或用 --level 指定级别")
    return m.level_name
