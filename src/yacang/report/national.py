"""National bulletin input from the national series in the warehouse (no microdata).

Looks every figure up with :meth:`Warehouse.find_series` (best source first: NBS, then Wind …), so it
works with whichever loader filled the warehouse. Province series (``iva.ytd_yoy.<province>.TOTAL``),
when present, give the ranking and the map of 二、分地区情况.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from yacang.catalog.indicators import INDEX_OF_RATE
from yacang.catalog.industries import EQUIPMENT, HIGH_TECH, SECTIONS, TOTAL, IndustryCatalog, division_codes
from yacang.catalog.regions import NATION, NATION_NAME, mainland_provinces
from yacang.measures.growth import two_year_average
from yacang.measures.targets import ProgressThresholds, target_light
from yacang.periods import Period, month_period
from yacang.report import narrative as nv
from yacang.report.inputs import (
    Breadth,
    BulletinInput,
    Efficiency,
    IndustryRow,
    Investment,
    PriceFigures,
    RegionFigures,
    Structure,
    SubRegionRow,
)
from yacang.warehouse import Warehouse


def competition_ranks(values: dict[str, float]) -> dict[str, int]:
    """Rank by value, highest first; equal values (to one decimal) share a rank (1, 2, 2, 4)."""
    rounded = {k: nv.round1(v) for k, v in values.items()}
    ordered = sorted(rounded.values(), reverse=True)
    return {k: ordered.index(v) + 1 for k, v in rounded.items()}


def previous_ranks(now: dict[str, float], before: dict[str, float]) -> dict[str, int]:
    """The previous rank of each region ranked now and before, for its 位次变化, within the regions ranked in
    both periods: a region ranked now but not before (北京 in 1-2月, whose 上年1-12月 has no 累计) moves no
    other region. Equal to the previous ranks themselves when every region has both figures."""
    common = {c: v for c, v in before.items() if c in now}
    if len(common) < 2:
        return {}
    full = competition_ranks(now)
    cur = competition_ranks({c: now[c] for c in common})
    prev = competition_ranks(common)
    return {c: full[c] + prev[c] - cur[c] for c in common}


def unranked_before_note(names: list[str], before: Period, n: int, level: str) -> str:
    """The note when some regions have no previous 累计: whose, and how the 位次变化 were counted."""
    return (f"{'、'.join(names)}无{before.label_zh(cumulative=True)}累计增速，位次变化按其余{n}个{level}"
            "两期的位次计算。")


def month_code(p: Period) -> str:
    """Where a 累计 series stores the figure for ``p``: its end month (1-2月 → ``YYYY-02``)."""
    return f"{p.year}-{p.end:02d}"




def publisher_words(series: Iterable[tuple[str, str]]) -> str:
    """``国家统计局、省统计局（经Wind转载）`` for (source, region) pairs of catalog series, in the words of
    :mod:`yacang.warehouse.provenance` (the same words as the run summary and the 注 line)."""
    from yacang.warehouse.provenance import ORDER, VENDORS, Provenance, _kind

    kinds, via, direct = set(), {}, set()
    for source, region in series:
        kind = _kind(source, region, mapped=True)  # every series here has a catalog indicator
        kinds.add(kind)
        if source in VENDORS:
            via.setdefault(kind, set()).add(VENDORS[source])
        else:
            direct.add(kind)
    return Provenance(tuple(k for k in ORDER if k in kinds), {k: tuple(sorted(v)) for k, v in via.items()},
                      tuple(sorted(direct))).words()


def jan_feb_twin(measure: str, period: str) -> tuple[str, str] | None:
    """The other series holding the same 1-2月 figure: 累计 at ``YYYY-02`` ↔ merged 当月 at ``YYYY-01/02``."""
    if measure == "ytd_yoy" and period.endswith("-02") and len(period) == 7:
        return "yoy", f"{period[:4]}-01/02"
    if measure == "yoy" and period.endswith("-01/02"):
        return "ytd_yoy", f"{period[:4]}-02"
    return None


class SeriesLookup:
    """``period -> value`` lookups of warehouse series by concept, loaded in two queries.

    Picks the best source per concept exactly as :meth:`Warehouse.find_series` does (NBS before
    Wind …, plain series before ``~variant``s), but for all concepts at once: a bulletin asks for a
    few hundred series and one query per series would take seconds each on a large warehouse.
    """

    INDICATORS = ("iva", "ppi", "pmi", "export_delivery", "revenue", "profit", "profit_margin",
                  "loss_count", "enterprise_count", "fai", "manufacturing_share")

    def __init__(self, wh: Warehouse, as_of: str | None = None, regions: set[str] | None = None) -> None:
        from yacang.warehouse.series_choice import best_series

        self.wh, self.as_of = wh, as_of
        meta = wh.series()
        meta = meta[meta["indicator"].isin(self.INDICATORS)]
        if regions is not None:
            meta = meta[meta["region"].isin(regions)]
        keys = ["indicator", "measure", "industry", "region", "category"]
        best = best_series(meta, keys)
        self._sid = {tuple(str(x) for x in row[:5]): row[5] for row in
                     best[[*keys, "series_id"]].itertuples(index=False)}
        self._meta = best.set_index("series_id")
        self._cache: dict[str, pd.Series] | None = None
        self.shown: set[str] = set()  # the series a figure was read from (what the bulletin rests on)

    def _load(self) -> dict[str, pd.Series]:
        if self._cache is None:
            sids = list(self._sid.values())
            t = self.wh.observations(self.as_of)
            df = (t.filter(t.series_id.isin(sids)).select("series_id", "period", "period_end", "value")
                  .to_pandas().sort_values(["series_id", "period_end"]))
            df = df.dropna(subset=["value"])
            self._cache = {sid: pd.Series(g["value"].to_numpy(dtype=float), index=g["period"].to_list())
                           for sid, g in df.groupby("series_id")}
        return self._cache

    def series(self, indicator: str, measure: str, industry: str = TOTAL, region: str = NATION,
               category: str = "") -> pd.Series | None:
        """The series' values by period code (recorded as read: the caller shows them)."""
        got = self._series(indicator, measure, industry, region, category)
        if got is not None:
            self.shown.add(str(got.name))
        return got

    def _series(self, indicator: str, measure: str, industry: str = TOTAL, region: str = NATION,
                category: str = "") -> pd.Series | None:
        sid = self._sid.get((indicator, measure, industry, region, category))
        if sid is None:
            return None
        got = self._load().get(sid)
        return None if got is None else got.rename(sid)

    def at(self, indicator: str, measure: str, period: str, **kw: str) -> float | None:
        """The figure of ``measure`` for ``period``; for 1-2月 the merged 当月 and the 1-2月 累计 are one
        figure, so either series answers for the other (北京 publishes 当月 only: its 1-2月 is its 累计)."""
        v = self._at(indicator, measure, period, **kw)
        twin = jan_feb_twin(measure, period)
        return self._at(indicator, *twin, **kw) if v is None and twin is not None else v

    def _at(self, indicator: str, measure: str, period: str, **kw: str) -> float | None:
        s = self._series(indicator, measure, **kw)
        if s is None or period not in s.index:
            return self._from_index(indicator, measure, period, **kw)
        self.shown.add(str(s.name))
        return float(s[period])

    def source_words(self) -> str:
        """``国家统计局（部分经Wind转载）、省统计局（经Wind转载）`` — who published the series a figure was
        read from (:attr:`shown`), in the words of :mod:`yacang.warehouse.provenance`."""
        rows = [(self._meta.loc[sid, "source"], self._meta.loc[sid, "region"]) for sid in self.shown]
        return publisher_words((str(src) if pd.notna(src) else "", str(region)) for src, region in rows)

    def _from_index(self, indicator: str, measure: str, period: str, **kw: str) -> float | None:
        """A growth rate from the index NBS publishes (上年同月/同期=100, the portal's PPI): index − 100."""
        index = INDEX_OF_RATE.get(measure)
        s = self._series(indicator, index, **kw) if index else None
        if s is None or period not in s.index:
            return None
        self.shown.add(str(s.name))
        return round(float(s[period]) - 100.0, 6)

    def latest_upto(self, indicator: str, measure: str, period: Period, **kw: str) -> tuple[str, float] | None:
        """The latest observation at or before ``period`` (profits are released a month later)."""
        from yacang.periods import parse_period

        s = self._series(indicator, measure, **kw)
        if s is None or s.empty:
            return None
        end = period.end_date
        for code in reversed(s.index):
            if parse_period(code).end_date <= end:
                self.shown.add(str(s.name))
                return code, float(s[code])
        return None


def _month_key(p: Period) -> str:
    return p.code  # 当月 series store 1-2月 at YYYY-01/02


def _growth_pair(lk: SeriesLookup, p: Period, industry: str = TOTAL, region: str = NATION) -> dict[str, float | None]:
    prev_m = nv.previous_month_period(p)
    prev_y = nv.previous_ytd_period(p)
    kw = {"industry": industry, "region": region}
    return {
        "month": lk.at("iva", "yoy", _month_key(p), **kw),
        "month_prev": lk.at("iva", "yoy", _month_key(prev_m), **kw),
        "ytd": lk.at("iva", "ytd_yoy", month_code(p), **kw),
        "ytd_prev": lk.at("iva", "ytd_yoy", month_code(prev_y), **kw),
        "month_ly": lk.at("iva", "yoy", _month_key(p.shift_years(-1)), **kw),
        "ytd_ly": lk.at("iva", "ytd_yoy", month_code(p.shift_years(-1)), **kw),
    }


def _history(lk: SeriesLookup, p: Period, n: int = 25) -> list[tuple[str, float | None, float | None]]:
    out: list[tuple[str, float | None, float | None]] = []
    y, m = p.year, p.end
    while len(out) < n and y > p.year - 4:
        mp = month_period(y, m)
        if mp is not None:
            label = f"{y % 100:02d}年{mp.start}-{mp.end}月" if mp.is_merged_jan_feb else f"{y % 100:02d}年{m}月"
            out.append((label, lk.at("iva", "yoy", mp.code), lk.at("iva", "ytd_yoy", month_code(mp))))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    out = [h for h in reversed(out) if h[1] is not None or h[2] is not None]
    return out


def _pmi_run(lk: SeriesLookup, p: Period) -> int:
    s = lk.series("pmi", "level")
    if s is None:
        return 0
    n, y, m = 0, p.year, p.end
    while True:
        v = s.get(f"{y}-{m:02d}")
        if v is None or nv.round1(float(v)) >= 50:
            return n
        n += 1
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)


def national_input(wh: Warehouse, period: Period, *, target: float | None = None,
                   as_of: str | None = None, thresholds: ProgressThresholds | None = None) -> BulletinInput:
    """The bulletin input for the nation at ``period`` from the warehouse's national series."""
    lk = SeriesLookup(wh, as_of, regions={NATION} | {r.code for r in mainland_provinces()})
    g = _growth_pair(lk, period)
    if g["ytd"] is None and g["month"] is None:
        from yacang.report.errors import ReportError

        raise ReportError(
            f"数据仓库中没有{period.label_zh()}全国规模以上工业增加值数据（iva.yoy / iva.ytd_yoy）。"
            "请先用 yacang ingest 导入国家统计局或 Wind 导出的月度数据，再生成通报。")
    two_ytd = two_year_average(g["ytd"], g["ytd_ly"]) if g["ytd"] is not None and g["ytd_ly"] is not None else None
    two_m = (two_year_average(g["month"], g["month_ly"])
             if g["month"] is not None and g["month_ly"] is not None else None)
    needed = None
    if target is not None and g["ytd"] is not None and period.end < 12:
        done = period.end
        needed = (12 * target - done * g["ytd"]) / (12 - done)
    light = state = None
    if target is not None and g["ytd"] is not None:
        _, state, light = target_light(g["ytd"], target, thresholds)
    region = RegionFigures(
        code=NATION, name=NATION_NAME, scope="全国", ytd=g["ytd"], ytd_prev=g["ytd_prev"],
        month=g["month"], month_prev=g["month_prev"], two_year_ytd=two_ytd, two_year_month=two_m,
        target=target, target_needed=needed, target_light=light, target_state=state,
        history=_history(lk, period))
    inp = BulletinInput(period=period, region=region)
    if needed is not None:
        inp.notes.append("后续月份所需增速按各月增加值相等简化估算。")
    # sub-regions: province series when loaded
    prov = {}
    prov_prev = {}
    month_only = []  # provinces that publish only 当月 (never ranked against 累计; named in a note)
    missing: list[str] = []  # provinces with no figure for the period (named, never silently dropped)
    for r in mainland_provinces():
        v = lk.at("iva", "ytd_yoy", month_code(period), region=r.code)
        if v is None:
            m = lk.at("iva", "yoy", period.code, region=r.code)
            if m is not None:
                month_only.append(SubRegionRow(r.code, r.short_name, None, m, None, None))
            else:
                missing.append(r.short_name)
        if v is not None:
            prov[r.code] = (r.short_name, v, lk.at("iva", "yoy", period.code, region=r.code))
            pv = lk.at("iva", "ytd_yoy", month_code(nv.previous_ytd_period(period)), region=r.code)
            if pv is not None:
                prov_prev[r.code] = pv
    if prov:
        ranks = competition_ranks({c: v[1] for c, v in prov.items()})
        prev_ranks = previous_ranks({c: v[1] for c, v in prov.items()}, prov_prev)
        inp.subregions = [SubRegionRow(c, v[0], v[1], v[2], ranks[c], prev_ranks.get(c)) for c, v in prov.items()]
        if prev_ranks and len(prev_ranks) < len(prov):
            inp.notes.append(unranked_before_note([v[0] for c, v in prov.items() if c not in prev_ranks],
                                                  nv.previous_ytd_period(period), len(prev_ranks), "省（区、市）"))
    inp.subregions += month_only
    if prov or month_only:
        inp.missing_subregions = missing
    # industries
    cat = IndustryCatalog.load()
    for code in SECTIONS:
        gg = _growth_pair(lk, period, industry=code)
        if gg["ytd"] is not None or gg["month"] is not None:
            inp.sections.append(IndustryRow(code, SECTIONS[code], gg["ytd"], gg["month"], gg["ytd_prev"]))
    for grp in (HIGH_TECH, EQUIPMENT):
        gg = _growth_pair(lk, period, industry=grp.code)
        if gg["ytd"] is not None or gg["month"] is not None:
            inp.groupings.append(IndustryRow(grp.code, grp.name, gg["ytd"], gg["month"], gg["ytd_prev"]))
    for code in division_codes():
        gg = _growth_pair(lk, period, industry=code)
        if gg["ytd"] is None and gg["month"] is None:
            continue
        ppi = lk.at("ppi", "yoy", month_code(period), industry=code)
        inp.divisions.append(IndustryRow(code, cat.name(code), gg["ytd"], gg["month"], gg["ytd_prev"], ppi=ppi))
    basis = "当月" if period.end > 2 else "累计"
    vals = [d.month if basis == "当月" else d.ytd for d in inp.divisions]
    vals = [v for v in vals if v is not None]
    if vals:
        inp.breadth = Breadth(sum(1 for v in vals if nv.round1(v) > 0), len(vals), basis=basis)
    # prices
    pm = month_code(period)
    ppi_prev_p = f"{period.year}-{period.end - 1:02d}" if period.end > 1 else f"{period.year - 1}-12"
    prices = PriceFigures(
        ppi=lk.at("ppi", "yoy", pm), ppi_prev=lk.at("ppi", "yoy", ppi_prev_p), ppi_mom=lk.at("ppi", "mom", pm),
        ppi_ytd=lk.at("ppi", "ytd_yoy", pm), pmi=lk.at("pmi", "level", pm), pmi_prev=lk.at("pmi", "level", ppi_prev_p),
        pmi_below_50_months=_pmi_run(lk, period))
    if prices.ppi is not None or prices.pmi is not None:
        inp.prices = prices
    inp.efficiency = published_efficiency(lk, period)
    inp.investment = published_investment(lk, period)
    inp.structure = published_structure(lk, period)
    # the publishers of the series read above (NBS before Wind where both hold a series)
    inp.sources.append(f"统计数据（同一指标优先取国家统计局发布数）：{lk.source_words()}")
    return inp


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def published_efficiency(lk: SeriesLookup, period: Period, region: str = NATION) -> Efficiency | None:
    """利润总额, 营业收入 (累计值, 亿元; 累计同比), 营业收入利润率 and 亏损面 of ``region`` as published,
    for the latest month at or before ``period`` in the same year (profits come out a month later)."""
    from yacang.periods import parse_period

    e = Efficiency()
    kw = {"region": region}
    hit = lk.latest_upto("profit", "ytd_value", period, **kw) or lk.latest_upto("revenue", "ytd_value", period, **kw)
    if hit is not None and parse_period(hit[0]).year == period.year:
        code = hit[0]
        e.period = parse_period(code)
        e.revenue = lk.at("revenue", "ytd_value", code, **kw)
        e.revenue_yoy = lk.at("revenue", "ytd_yoy", code, **kw)
        e.profit = lk.at("profit", "ytd_value", code, **kw)
        e.profit_yoy = lk.at("profit", "ytd_yoy", code, **kw)
        e.profit_margin = _first(lk.at("profit_margin", "ytd_value", code, **kw),
                                 lk.at("profit_margin", "level", code, **kw))
        e.loss_count = lk.at("loss_count", "level", code, **kw)
        e.enterprise_count = lk.at("enterprise_count", "level", code, **kw)
    ex = lk.at("export_delivery", "yoy", period.code, **kw)
    if ex is not None:
        e.export_period = period
        e.export_yoy = ex
        e.export_value = lk.at("export_delivery", "value", period.code, **kw)
        e.export_ytd_yoy = lk.at("export_delivery", "ytd_yoy", month_code(period), **kw)
    if e.period is None and e.export_period is None:
        return None
    return e


# 工业投资 is 固定资产投资 of industry: category 工业 under the whole-industry code (never the plain TOTAL
# series, which is 全社会 investment); 制造业投资 is the 制造业 (C) series.
INDUSTRY_FAI = {"industry": TOTAL, "category": "工业"}
MANUFACTURING_FAI = {"industry": "C"}


def published_investment(lk: SeriesLookup, period: Period, region: str = NATION) -> Investment | None:
    """工业投资 / 制造业投资 累计同比 at ``period`` (and the previous 累计) when loaded."""
    code, prev = month_code(period), month_code(nv.previous_ytd_period(period))
    ind = lk.at("fai", "ytd_yoy", code, region=region, **INDUSTRY_FAI)
    mfg = lk.at("fai", "ytd_yoy", code, region=region, **MANUFACTURING_FAI)
    if ind is None and mfg is None:
        return None
    return Investment(period=period, industry_yoy=ind, manufacturing_yoy=mfg,
                      industry_yoy_prev=lk.at("fai", "ytd_yoy", prev, region=region, **INDUSTRY_FAI),
                      manufacturing_yoy_prev=lk.at("fai", "ytd_yoy", prev, region=region, **MANUFACTURING_FAI))


def published_structure(lk: SeriesLookup, period: Period, region: str = NATION) -> Structure | None:
    """制造业增加值占GDP比重: the latest published figure at or before ``period`` (and the one a year before)."""
    from yacang.periods import parse_period

    hit = lk.latest_upto("manufacturing_share", "level", period, region=region)
    if hit is None:
        return None
    p = parse_period(hit[0])
    return Structure(period=p, manufacturing_share=hit[1],
                     manufacturing_share_prev=lk.at("manufacturing_share", "level", p.shift_years(-1).code,
                                                    region=region))
