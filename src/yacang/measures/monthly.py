"""The monthly table officials read, for one region (and industry) and period, from microdata.

It combines the pieces of this package: 同口径 real growth 当月 and 累计 (:mod:`.real_growth`), 两年平均
(:mod:`.growth`), 位次 among sibling regions and its change (:mod:`.rankings`), target progress and
the growth still needed (:mod:`.targets`), breadth, and the enterprises that pull or drag most
(:mod:`.drags`). Ranks and target lights use 累计 growth, as the monthly bulletin does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pandas as pd

from yacang import formatting as fmt
from yacang.catalog.industries import divisions
from yacang.catalog.regions import NATION, RegionCatalog, RegionError, level_of, parent_code
from yacang.measures import rankings, targets
from yacang.measures.drags import top_pulls_from_panel
from yacang.measures.growth import two_year_average
from yacang.measures.real_growth import (
    BREADTH_NOTE,
    COUNTED_STATUSES,
    Scope,
    _rates,
    aggregate,
    report_periods,
)
from yacang.measures.windows import monthly_panel, window_view
from yacang.periods import Period, parse_period

CHILD_LEVEL = {"nation": "province", "province": "prefecture", "prefecture": "county"}


@dataclass
class MonthlyResult:
    period: str
    region: str
    region_name: str
    industry: str
    summary: dict[str, object]
    children: pd.DataFrame
    divisions: pd.DataFrame
    pulls_up: pd.DataFrame
    pulls_down: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _region_name(cat: RegionCatalog, code: str) -> str:
    try:
        return cat.name(code)
    except RegionError:
        return code


def _growth_table(panel: ibis.Table, by: str) -> pd.DataFrame:
    return aggregate(panel, [by]).to_pandas().set_index(by)


def _scalar_growth(panel: ibis.Table) -> float:
    df = aggregate(panel).to_pandas()
    return float(df["growth"].iloc[0]) if len(df) else float("nan")


def last_year_profiles(con: ibis.BaseBackend, year: int, level: str, scope: Scope) -> pd.DataFrame:
    """Nominal VA (output × 增加值率) of ``year``'s 规上 set by area (``level``) and end month.

    Returns a frame indexed by area code with columns 2..12 (the merged 1-2月 is column 2).
    """
    codes = report_periods(f"{year}-12", cumulative=True)
    r = con.table("reports")
    ey = con.table("enterprise_years")
    ent = con.table("enterprises")
    panel_like = (r.filter(r.period.isin(codes) & r.status.isin(list(COUNTED_STATUSES)))
                  .join(ey.filter((ey.year == year) & ey.above_scale).select("uscc"), "uscc")
                  .join(ent.select("uscc", region=ent.region, industry=ent.industry,
                                   division=ent.industry.substr(0, 2)), "uscc")
                  .join(_rates(con, year), "division"))
    t = panel_like.mutate(
        province=panel_like.region.substr(0, 2).concat("0000"),
        prefecture=panel_like.region.substr(0, 4).concat("00"),
        county=panel_like.region,
        nation=ibis.literal(NATION),
        va=panel_like.output_value * panel_like.va_rate,
    )
    if scope.region != NATION:
        t = t.filter(t[level_of(scope.region)] == scope.region)
    df = t.group_by([level, "period"]).aggregate(va=t.va.sum()).to_pandas()
    if df.empty:
        return pd.DataFrame()
    df["month"] = [2 if p.endswith(("/02", "-01", "-02")) else int(p[5:7]) for p in df["period"]]
    return df.pivot_table(index=level, columns="month", values="va", aggfunc="sum")


def _progress(code: str, target: float | None, ytd: float, profiles: pd.DataFrame, month: int,
              th: targets.ProgressThresholds) -> tuple[targets.TargetProgress | None, bool]:
    if target is None or pd.isna(target) or pd.isna(ytd):
        return None, False
    row = profiles.loc[code] if code in profiles.index else None
    complete = row is not None and row.reindex(range(2, 13)).notna().all()
    profile = {int(m): float(v) for m, v in row.items()} if complete else targets.even_profile()
    return targets.progress(code, float(target), ytd, profile, month, th), not complete


def monthly_measures(con: ibis.BaseBackend, period: str, *, region: str = NATION, industry: str = "TOTAL",
                     regions: RegionCatalog | None = None, thresholds: targets.ProgressThresholds | None = None,
                     top_n: int = 5) -> MonthlyResult:
    """Compute the monthly table for ``region`` (any level) and ``industry`` at ``period``."""
    p = parse_period(period)
    report_periods(p, cumulative=False)  # validates the period kind
    # one scan of the reports for all five windows, materialised once (see yacang.measures.windows)
    wide = Scope(industry=industry).apply(monthly_panel(con, p)).cache()
    try:
        return from_wide(con, wide, p, region=region, industry=industry, regions=regions, thresholds=thresholds,
                         top_n=top_n)
    finally:
        wide.release()


def from_wide(con: ibis.BaseBackend, wide: ibis.Table, period: str | Period, *, region: str = NATION,
              industry: str = "TOTAL", regions: RegionCatalog | None = None,
              thresholds: targets.ProgressThresholds | None = None, top_n: int = 5) -> MonthlyResult:
    """:func:`monthly_measures` from a wide panel the caller built (and cached) with at least the windows
    of :func:`~yacang.measures.windows.monthly_windows` (filtered to ``industry`` already)."""
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    report_periods(p, cumulative=False)  # validates the period kind
    cat = regions or RegionCatalog()
    th = thresholds or targets.configured_thresholds()
    notes = [BREADTH_NOTE]
    level = level_of(region)  # validates the code
    here = Scope(region=region, industry=industry)
    cum, mon = window_view(wide, "ytd"), window_view(wide, "month")
    cum_ly, mon_ly = window_view(wide, "ytd_ly"), window_view(wide, "month_ly")
    cum_prev = window_view(wide, "ytd_prev")

    agg = aggregate(here.apply(cum)).to_pandas()
    if agg.empty or not agg["n"].iloc[0]:
        raise LookupError(f"{_region_name(cat, region)} {p.label_zh()} 没有可用的规上企业报表（请先导入企业月报 yacang ingest 月报.xlsx；"
                          "只有统计部门公布的数据时，通报由公布数据编制：yacang run --source 文件）")
    s = agg.iloc[0]
    g_mon = _scalar_growth(here.apply(mon))
    g_mon_ly = _scalar_growth(here.apply(mon_ly))
    g_cum_ly = _scalar_growth(here.apply(cum_ly))
    summary: dict[str, object] = {
        "month_growth": g_mon, "ytd_growth": float(s["growth"]),
        "two_year_month": two_year_average(g_mon, g_mon_ly), "two_year_ytd": two_year_average(float(s["growth"]), g_cum_ly),
        "n": int(s["n"]), "growing_share": float(s["growing_share"]), "declining_share": float(s["declining_share"]),
        "loss_share": float(s["loss_share"]), "loss_depth": float(s["loss_depth"]),
        "export_growth": float(s["export_growth"]), "sales_output_ratio": float(s["sales_output_ratio"]),
        "electricity_growth": float(s["electricity_growth"]),
    }
    if pd.isna(g_cum_ly):
        notes.append("上年同期微观数据不全，两年平均增速无法计算")

    # 位次 among siblings (children of the parent) on 累计 growth
    if level != "nation":
        parent = parent_code(region)
        sib_scope = Scope(region=parent, industry=industry)
        now = _growth_table(sib_scope.apply(cum), level)["growth"]
        before = _growth_table(sib_scope.apply(cum_prev), level)["growth"]
        parent_g = _scalar_growth(sib_scope.apply(cum))
        rt = rankings.rank_table(now, before, parent=parent_g, parent_name=_region_name(cat, parent))
        if region in rt.index:
            summary.update(rank=rt.at[region, "rank"], n_siblings=int(now.notna().sum()),
                           rank_change=rt.at[region, "rank_change"] if "rank_change" in rt else pd.NA,
                           vs_parent=rt.at[region, "vs_parent"])

    # targets
    tg = con.table("targets")
    tg = tg.filter((tg.year == p.year) & (tg.indicator == "iva")).to_pandas().set_index("region")["growth"]
    month = p.end
    child_level = CHILD_LEVEL.get(level)
    prof_level = level
    profiles = last_year_profiles(con, p.year - 1, prof_level, here)
    prog, even = _progress(region, tg.get(region), float(s["growth"]), profiles, month, th)
    if prog is not None:
        summary.update(target=prog.target, needed=prog.needed, light=prog.light_zh, light_code=prog.light_code,
                       gap=prog.gap_pp)
        if even:
            notes.append(f"{_region_name(cat, region)} 上年分月数据不全，所需增速按各月均匀分布近似")

    # children regions
    children = pd.DataFrame()
    if child_level is not None:
        c_cum = _growth_table(here.apply(cum), child_level)
        c_mon = _growth_table(here.apply(mon), child_level)["growth"]
        c_prev = _growth_table(here.apply(cum_prev), child_level)["growth"]
        c_ly = _growth_table(here.apply(cum_ly), child_level)["growth"]
        rt = rankings.rank_table(c_cum["growth"], c_prev, parent=float(s["growth"]),
                                 parent_name=_region_name(cat, region))
        children = pd.DataFrame({
            "region": rt.index, "name": [_region_name(cat, c) for c in rt.index],
            "month_growth": c_mon.reindex(rt.index).to_numpy(), "ytd_growth": rt["value"].to_numpy(),
            "two_year_ytd": two_year_average(rt["value"], c_ly.reindex(rt.index)).to_numpy(),
            "rank": rt["rank"].to_numpy(), "rank_change": rt["rank_change"].to_numpy(),
            "vs_parent": rt["vs_parent"].to_numpy(), "vs_parent_pp": rt["vs_parent_pp"].to_numpy(), "pull": c_cum["pull"].reindex(rt.index).to_numpy(),
            "growing_share": c_cum["growing_share"].reindex(rt.index).to_numpy(),
            "loss_share": c_cum["loss_share"].reindex(rt.index).to_numpy(),
        })
        c_prof = last_year_profiles(con, p.year - 1, child_level, here)
        rows = [_progress(c, tg.get(c), g, c_prof, month, th)[0] for c, g in zip(children["region"], children["ytd_growth"], strict=True)]
        children["target"] = [r.target if r else float("nan") for r in rows]
        children["needed"] = [r.needed if r else float("nan") for r in rows]
        children["light"] = [r.light_zh if r else "" for r in rows]
        children["light_code"] = [r.light_code if r else "" for r in rows]

    # divisions within the scope
    dv = aggregate(here.apply(cum), ["division"]).to_pandas().sort_values("pull", ascending=False)
    names = {d.code: d.name for d in divisions()}
    dv.insert(1, "name", [names.get(c, c) for c in dv["division"]])
    up, down = top_pulls_from_panel(here.apply(cum), n=top_n)
    return MonthlyResult(p.code, region, _region_name(cat, region), industry, summary,
                         children.reset_index(drop=True),
                         dv[["division", "name", "n", "growth", "pull", "contribution", "growing_share"]].reset_index(drop=True),
                         up, down, notes)


def summary_zh(r: MonthlyResult) -> pd.DataFrame:
    """The summary as a two-column table of Chinese labels and values (one decimal)."""
    s = r.summary
    p = parse_period(r.period)
    rows: list[tuple[str, object]] = [
        (f"{p.label_zh()}规上工业增加值同比增速(%)", s["month_growth"]),
        (f"{p.label_zh(cumulative=True)}累计同比增速(%)", s["ytd_growth"]),
        ("当月两年平均增速(%)", s["two_year_month"]),
        ("累计两年平均增速(%)", s["two_year_ytd"]),
    ]
    if "rank" in s:
        rows += [("累计增速位次", f"第{s['rank']}位/{s['n_siblings']}（较上期{rankings.change_zh(s['rank_change']) or '—'}）"),
                 ("与上级比较", s["vs_parent"])]
    if "target" in s:
        rows += [("全年目标(%)", s["target"]),
                 ("目标进度", f"{s['light']}（累计{fmt.compare_to(s['ytd_growth'], s['target'], '目标')}）"),
                 ("其余月份需增长(%)", s["needed"])]
    rows += [("规上企业数(家)", s["n"]), ("增长面(%)", s["growing_share"]), ("减产面(%)", s["declining_share"]),
             ("亏损面(%)", s["loss_share"]), ("亏损深度(%)", s["loss_depth"]),
             ("出口交货值增速(%)", s["export_growth"]), ("产销率(%)", s["sales_output_ratio"]),
             ("用电量增速(%)", s["electricity_growth"])]
    return pd.DataFrame({"指标": [a for a, _ in rows],
                         "数值": [fmt.fmt(v) if isinstance(v, float) or v is None else str(v) for _, v in rows]})


def children_zh(r: MonthlyResult) -> pd.DataFrame:
    c = r.children
    if c.empty:
        return c
    return pd.DataFrame({
        "地区": c["name"], "当月增速(%)": c["month_growth"], "累计增速(%)": c["ytd_growth"],
        "两年平均(%)": c["two_year_ytd"], "位次": c["rank"].astype("string").fillna(""),
        "位次变化": [rankings.change_zh(x) for x in c["rank_change"]], "较上级(百分点)": c["vs_parent_pp"],
        "拉动(百分点)": c["pull"], "目标(%)": c["target"], "需增长(%)": c["needed"], "进度": c["light"],
        "增长面(%)": c["growing_share"], "亏损面(%)": c["loss_share"],
    })


def divisions_zh(r: MonthlyResult, n: int = 10) -> pd.DataFrame:
    d = pd.concat([r.divisions.head(n // 2), r.divisions.tail(n - n // 2)]).drop_duplicates("division")
    return pd.DataFrame({"行业": d["name"], "企业数": d["n"], "累计增速(%)": d["growth"], "拉动(百分点)": d["pull"],
                         "贡献率(%)": d["contribution"]})


def pulls_zh(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"企业": df["name"], "统一社会信用代码": df["uscc"], "区县": df["county"], "大类": df["division"],
                         "累计增速(%)": df["growth"], "拉动(百分点)": df["pull"]})
