"""A regional bulletin from published tables (no microdata): the province's and its cities' own figures.

A provincial 经信厅 receives its cities' 规上工业增加值 当月/累计增速 as the statistics bureau publishes them
(``yacang ingest`` of a city table or an NBS 分省 export). :class:`PublishedSource` turns those series
into a :class:`~yacang.report.inputs.BulletinInput`: the region's figures and their gap to the parent
(全国 for a province, 全省 for a city), its place among its siblings, its children ranked by 累计 growth
with ties as NBS prints them (equal to one decimal → same place) and 位次变化 against the previous
累计 period when that table was loaded too, and target progress when targets are configured.
Nothing is computed from enterprise data and no figure is invented: a missing figure stays ``None``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yacang.catalog.regions import NATION, RegionCatalog, RegionError, level_of, mainland_provinces
from yacang.formatting import date_zh
from yacang.measures.growth import two_year_average
from yacang.measures.targets import ProgressThresholds, done_share, even_profile, needed_growth, target_light
from yacang.periods import Period, jan_feb_merged, parse_period
from yacang.report import narrative as nv
from yacang.report.errors import ReportError
from yacang.report.inputs import BulletinInput, RegionFigures, SubRegionRow
from yacang.report.national import (
    competition_ranks,
    jan_feb_twin,
    month_code,
    previous_ranks,
    publisher_words,
)
from yacang.report.regional import LEVEL_NAME

PUBLISHED_NOTE = ("本通报各地区增速取自统计部门公布的数据（{sources}），未使用企业月报；"
                  "位次按累计增速由高到低排列，增速相同（保留一位小数）者位次相同。")


class PublishedDataMissing(ReportError):
    """The warehouse has no published figure for the region and period asked."""


@dataclass
class PublishedSource:
    """A :class:`~yacang.report.inputs.RegionalSource` over published region series in the warehouse."""

    wh: object
    regions: RegionCatalog
    thresholds: ProgressThresholds | None = None
    as_of: str | None = None

    @classmethod
    def from_warehouse(cls, wh, thresholds: ProgressThresholds | None = None) -> PublishedSource:
        return cls(wh, RegionCatalog.load(), thresholds)

    def has_region(self, region: str) -> bool:
        """Whether published 规上工业增加值 growth of ``region`` is in the warehouse."""
        meta = self.wh.series(indicator="iva", region=region)
        return bool(len(meta[meta["measure"].isin(["ytd_yoy", "yoy"])]))

    def bulletin_input(self, region: str, period: Period) -> BulletinInput:
        me = self.regions.get(region)
        parent = me.parent or NATION
        children = self._children(region)
        siblings = self._children(parent) if region != NATION else [region]
        codes = {region, parent, *children, *siblings}
        lk = PublishedLookup(self.wh, codes, self.as_of)
        own = _pair(lk, period, region)
        if own["ytd"] is None and own["month"] is None:
            raise PublishedDataMissing(
                f"数据仓库中没有{me.name}{period.label_zh(cumulative=True)}规模以上工业增加值的公布数据。"
                "请先用 yacang ingest 导入统计局分地区表（或国家统计局分省数据），再生成通报。")
        up = _pair(lk, period, parent)
        ranks, prev_ranks, n = self._ranks(lk, period, siblings)
        target = self._target(region, period.year)
        fig = RegionFigures(
            code=region, name=me.name, scope=nv.scope_word(me.level, me.name), ytd=own["ytd"], ytd_prev=own["ytd_prev"],
            month=own["month"], month_prev=own["month_prev"],
            two_year_ytd=_two_year(own["ytd"], own["ytd_ly"]), two_year_month=_two_year(own["month"], own["month_ly"]),
            parent_name=self.regions.name(parent) if region != NATION else None,
            parent_ytd=up["ytd"], parent_month=up["month"],
            rank=ranks.get(region), prev_rank=prev_ranks.get(region), n_siblings=n or None,
            history=_history(lk, period, region))
        if target is not None and own["ytd"] is not None:
            self._progress(fig, target, own["ytd"], period)
        inp = BulletinInput(period=period, region=fig, subregion_level=_child_level(me.level))
        total = max(len(siblings), self._count_children(parent, me.level))
        if fig.rank is not None and n < total:
            inp.notes.append(f"位次为{self.regions.name(parent)}{n}个公布累计增速的{LEVEL_NAME[me.level]}中的位次；"
                             f"另有{total - n}个未公布本期累计增速，未参与排位。")
        child_ranks, child_prev, _ = self._ranks(lk, period, children)
        for code in children:
            c = _pair(lk, period, code)
            if c["ytd"] is None and c["month"] is None:
                continue
            row = SubRegionRow(code, self.regions.name(code), c["ytd"], c["month"], child_ranks.get(code),
                               child_prev.get(code))
            ct = self._target(code, period.year)
            if ct is not None and c["ytd"] is not None:
                _state, zh, light = target_light(c["ytd"], ct, self.thresholds)
                row.target, row.target_light, row.target_state = ct, light, zh
            inp.subregions.append(row)
        inp.subregions.sort(key=lambda r: (r.rank is None, r.rank or 0, r.code))
        words = self.source_words(codes)
        inp.sources.append(words + "公布的分地区数据（数据仓库中的已发布序列）")
        inp.notes.append(PUBLISHED_NOTE.format(sources=words))
        if children and not any(r.prev_rank is not None for r in inp.subregions):
            inp.notes.append(f"未导入{nv.previous_ytd_period(period).label_zh(cumulative=True)}的分地区数据，位次变化从略。")
        if released := lk.latest_release():
            inp.notes.append(f"所用数据为截至{date_zh(dt.date.fromisoformat(released))}已发布的版本（以各期发布日期计）。")
        inp.missing_subregions = self._missing_children(region, {r.code for r in inp.subregions})
        return inp

    def _missing_children(self, region: str, shown: set[str]) -> list[str]:
        """Names of the region's children (per the code lists, at the level of those shown) with no figure."""
        kids = self.regions.children(region)
        levels = {k.level for k in kids if k.code in shown}
        return [k.name for k in kids if k.level in levels and k.code not in shown]

    def source_words(self, codes: set[str]) -> str:
        """Publishers of the iva series of ``codes``: ``国家统计局、省统计局（经Wind转载）``, the words of the
        bulletin's 注 line and of the run summary."""
        meta = self.wh.series(indicator="iva")
        meta = meta[meta["region"].isin(codes)]
        return publisher_words((str(s), str(r)) for s, r in meta[["source", "region"]].drop_duplicates().itertuples(
            index=False))

    def _count_children(self, parent: str, level: str) -> int:
        """How many regions of ``level`` the code lists put under ``parent`` (the 31 mainland provinces)."""
        if parent == NATION:
            return len(mainland_provinces())
        return sum(1 for r in self.regions.children(parent) if r.level == level)

    def _children(self, region: str) -> list[str]:
        """Child regions that have published series (catalog children first, then any series below)."""
        meta = self.wh.series(indicator="iva")
        have = set(meta["region"])
        level = _child_level(level_of(region))
        kids = {r.code for r in self.regions.children(region)} & have
        kids |= {c for c in have if c != region and _is_level(c, level) and self._below(c, region)}
        return sorted(kids)

    def _below(self, code: str, ancestor: str) -> bool:
        try:
            return self.regions.is_below(code, ancestor)
        except RegionError:
            return False

    def _ranks(self, lk: PublishedLookup, period: Period, codes: list[str]) -> tuple[dict, dict, int]:
        now = {c: v for c in codes if (v := lk.at("iva", "ytd_yoy", month_code(period), region=c)) is not None}
        prev_p = nv.previous_ytd_period(period)
        before = {c: v for c in now if (v := lk.at("iva", "ytd_yoy", month_code(prev_p), region=c)) is not None}
        if len(now) < 2:  # one region alone has no place (江苏 alone is not 居全国第1位)
            return {}, {}, len(now)
        return competition_ranks(now), previous_ranks(now, before), len(now)

    def _target(self, region: str, year: int) -> float | None:
        if not self.wh.has_table("targets"):
            return None
        t = self.wh.table("targets")
        df = t.filter((t.region == region) & (t.year == year) & (t.indicator == "iva")).to_pandas()
        return float(df["growth"].iloc[0]) if len(df) else None

    def _progress(self, fig: RegionFigures, target: float, ytd: float, period: Period) -> None:
        _state, zh, light = target_light(ytd, target, self.thresholds)
        fig.target, fig.target_light, fig.target_state = target, light, zh
        if period.end < 12:
            fig.target_needed = needed_growth(target, ytd, done_share(even_profile(), period.end))


class PublishedLookup:
    """``iva`` figures of a few regions, every publisher combined period by period.

    A province's own table may hold one month while a vendor's panel holds its history: for each
    (measure, region, period) the figure of the most authoritative publisher that has it is used
    (:data:`~yacang.warehouse.series_choice.SOURCE_PREFERENCE`: 国家统计局, then 省统计局, then Wind …).
    """

    def __init__(self, wh, regions: set[str], as_of: str | None = None) -> None:
        from yacang.warehouse.series_choice import preference_order

        meta = wh.series(indicator="iva")
        meta = meta[meta["region"].isin(regions) & (meta["industry"] == "TOTAL") & (meta["category"] == "")]
        meta = preference_order(meta).reset_index(drop=True)
        meta = meta.assign(_rank=range(len(meta)))  # the one best-series rule, applied period by period
        self._values: dict[tuple[str, str, str], float] = {}
        self._vintages: dict[tuple[str, str, str], object] = {}
        self.used = set()
        if meta.empty:
            return
        t = wh.observations(as_of)
        obs = (t.filter(t.series_id.isin(list(meta["series_id"]))).select("series_id", "period", "value", "vintage")
               .to_pandas())
        obs = obs.dropna(subset=["value"]).merge(meta[["series_id", "measure", "region", "_rank"]], on="series_id")
        best = obs.sort_values("_rank").drop_duplicates(["measure", "region", "period"])
        self._values = {(m, r, p): float(v) for m, r, p, v in
                        best[["measure", "region", "period", "value"]].itertuples(index=False)}
        self._vintages = {(m, r, p): v for m, r, p, v in
                          best[["measure", "region", "period", "vintage"]].itertuples(index=False)}
        self.used: set[tuple[str, str, str]] = set()

    def at(self, indicator: str, measure: str, period: str, *, region: str) -> float | None:
        """The figure, or for 1-2月 the same figure from the other series (merged 当月 = 1-2月 累计)."""
        if indicator != "iva":
            return None
        twin = jan_feb_twin(measure, period)
        for key in ((measure, region, period), *([(twin[0], region, twin[1])] if twin else [])):
            if key in self._values:
                self.used.add(key)
                return self._values[key]
        return None

    def latest_release(self) -> str | None:
        """The latest vintage (release date) among the figures read so far, as YYYY-MM-DD."""
        dates = [self._vintages[k] for k in self.used if k in self._vintages]
        return str(max(dates))[:10] if dates else None


def _pair(lk: PublishedLookup, period: Period, region: str) -> dict[str, float | None]:
    prev_ytd = nv.previous_ytd_period(period)
    prev_month = parse_period(f"{period.year}-{period.end - 1:02d}") if period.end > 3 else None
    ly = period.shift_years(-1)
    return {
        "ytd": lk.at("iva", "ytd_yoy", month_code(period), region=region),
        "ytd_prev": lk.at("iva", "ytd_yoy", month_code(prev_ytd), region=region),
        "ytd_ly": lk.at("iva", "ytd_yoy", month_code(ly), region=region),
        "month": lk.at("iva", "yoy", period.code, region=region),
        "month_prev": lk.at("iva", "yoy", prev_month.code, region=region) if prev_month else None,
        "month_ly": lk.at("iva", "yoy", ly.code, region=region),
    }


def _two_year(g: float | None, g_ly: float | None) -> float | None:
    return two_year_average(g, g_ly) if g is not None and g_ly is not None else None


def _history(lk: PublishedLookup, period: Period, region: str, n: int = 13) -> list[tuple[str, float | None, float | None]]:
    out = []
    p = period
    for _ in range(n):
        month = lk.at("iva", "yoy", p.code, region=region)
        ytd = lk.at("iva", "ytd_yoy", month_code(p), region=region)
        if month is not None or ytd is not None:
            out.append((p.label_zh(with_year=True), month, ytd))
        p = Period.jan_feb(p.year) if p.kind == "month" and p.end == 3 and jan_feb_merged(p.year) else p.previous_month()
    return list(reversed(out))


def _child_level(level: str) -> str:
    return {"nation": "province", "province": "prefecture", "prefecture": "county"}.get(level, "county")


def _is_level(code: str, level: str) -> bool:
    try:
        return level_of(code) == level
    except RegionError:
        return False
