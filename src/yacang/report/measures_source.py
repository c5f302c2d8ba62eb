"""The regional bulletin provider: microdata measures of a region and its sub-regions → BulletinInput.

Every figure comes from :mod:`yacang.measures` (同口径 real growth from enterprise reports), so the
bulletin's numbers are the warehouse's numbers. Alerts, materials and lights are added by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pandas as pd

from yacang.catalog.industries import SECTIONS, divisions
from yacang.catalog.regions import RegionCatalog, RegionError, level_of, parent_code
from yacang.measures.monthly import from_wide
from yacang.measures.real_growth import (
    Scope,
    aggregate,
    aggregate_within,
    period_panel,
    previous_period,
    report_periods,
)
from yacang.measures.targets import light_of_state
from yacang.measures.windows import SHORT, Window, monthly_panel, monthly_windows, window_view
from yacang.periods import Period, parse_period
from yacang.report import narrative as nv
from yacang.report.inputs import (
    Breadth,
    BulletinInput,
    Efficiency,
    EnterpriseRow,
    IndustryRow,
    RegionFigures,
    SubRegionRow,
)

CHILD_LEVEL = {"nation": "province", "province": "prefecture", "prefecture": "county"}
MICRODATA_NOTE = "本通报分地区、分行业数据由规模以上工业企业月报按国家统计局方法（可比价、同口径）汇总测算。"


def _num(v: object) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if pd.isna(f) else f


def _int(v: object) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


def _wan_to_yi(v: object) -> float | None:
    """万元 → 亿元 (None stays None)."""
    f = _num(v)
    return None if f is None else f / 10_000


def _light(state: object) -> str | None:
    """Light code of a progress state by its exact Chinese name (never by substring)."""
    if not isinstance(state, str) or not state:
        return None
    return light_of_state(state)


@dataclass
class MeasuresSource:
    """A :class:`~yacang.report.inputs.RegionalSource` over the warehouse's microdata."""

    con: ibis.BaseBackend
    regions: RegionCatalog
    wh: object | None = None  # the Warehouse, for the region's published 效益/投资/比重 series
    _wide: ibis.Table | None = field(default=None, init=False, repr=False)  # the cached panel of bulletin_input

    @classmethod
    def from_warehouse(cls, wh) -> MeasuresSource:
        return cls(wh.con, RegionCatalog.load(), wh)

    def _name(self, code: str) -> str:
        try:
            return self.regions.name(code)
        except RegionError:
            return code

    def _view(self, window: str) -> ibis.Table:
        """One window of the cached wide panel (:mod:`yacang.measures.windows`): ``month``, ``ytd`` (this
        period), ``ytd_prev``, ``month_prev`` (the previous report period), ``month_ly``, ``ytd_ly``."""
        assert self._wide is not None, "only inside bulletin_input"
        return window_view(self._wide, window)

    def _growth(self, scope: Scope, window: str) -> float | None:
        df = aggregate(scope.apply(self._view(window))).to_pandas()
        return _num(df["growth"].iloc[0]) if not df.empty and df["n"].iloc[0] else None

    def bulletin_input(self, region: str, period: Period) -> BulletinInput:
        """The region's bulletin input: every window the bulletin compares comes from one scan of the
        reports, materialised once (the monthly table's five windows plus the previous period's 当月)."""
        prev = parse_period(previous_period(period))
        wins = [*monthly_windows(period),
                Window("month_prev", prev.year, tuple(report_periods(prev, cumulative=False)), SHORT)]
        self._wide = monthly_panel(self.con, period, windows=wins).cache()
        try:
            return self._input(region, period)
        finally:
            self._wide.release()
            self._wide = None

    def _input(self, region: str, period: Period) -> BulletinInput:
        r = from_wide(self.con, self._wide, period, region=region, regions=self.regions)
        s = r.summary
        level = level_of(region)
        scope = Scope(region=region)
        figures = RegionFigures(
            code=region, name=r.region_name, scope=nv.scope_word(level, r.region_name),
            ytd=_num(s["ytd_growth"]), ytd_prev=self._growth(scope, "ytd_prev"),
            month=_num(s["month_growth"]), month_prev=self._growth(scope, "month_prev"),
            two_year_ytd=_num(s.get("two_year_ytd")), two_year_month=_num(s.get("two_year_month")),
            target=_num(s.get("target")), target_needed=_num(s.get("needed")), target_light=_light(s.get("light")),
            target_state=s.get("light") or None,
            history=self._history(scope, period),
        )
        if level != "nation":
            parent = parent_code(region)
            figures.parent_name = self._name(parent)
            figures.parent_ytd = self._growth(Scope(region=parent), "ytd")
            figures.parent_month = self._growth(Scope(region=parent), "month")
            figures.rank = _int(s.get("rank"))
            change = _int(s.get("rank_change"))
            figures.prev_rank = figures.rank + change if figures.rank is not None and change is not None else None
            figures.n_siblings = _int(s.get("n_siblings"))
        inp = BulletinInput(period=period, region=figures, has_microdata=True,
                            subregion_level=CHILD_LEVEL.get(level, "county"))
        inp.subregions = [
            SubRegionRow(code=c.region, name=c.name, ytd=_num(c.ytd_growth), month=_num(c.month_growth),
                         rank=_int(c.rank),
                         prev_rank=(_int(c.rank) + _int(c.rank_change)) if _int(c.rank) is not None and _int(c.rank_change) is not None else None,
                         target=_num(c.target), target_light=_light(c.light),
                         target_state=c.light or None)
            for c in r.children.itertuples(index=False)
        ]
        self._industries(inp, scope, period, r.divisions)
        self._efficiency(inp, scope, period)
        self._published(inp, region, period)
        inp.drags = [self._enterprise(e) for e in r.pulls_down.itertuples(index=False)]
        inp.gains = [self._enterprise(e) for e in r.pulls_up.itertuples(index=False)]
        inp.sources = ["规模以上工业企业月报（同口径、可比价测算）"]
        inp.notes = [MICRODATA_NOTE, *r.notes]
        return inp

    def _history(self, scope: Scope, period: Period) -> list[tuple[str, float | None, float | None]]:
        """(label, 当月, 累计) for each report period of the year up to ``period``, from one scan: 当月 =
        Σva/Σbase of the period, 累计 = running sums (the 累计 panel sums the same rows)."""
        pp = scope.apply(period_panel(self.con, period))
        df = pp.group_by("period").aggregate(va=pp.va.sum(), va_base=pp.va_base.sum(), n=pp.uscc.count())
        by = df.to_pandas().set_index("period")
        months = [f"{period.year}-01/02"] + [f"{period.year}-{m:02d}" for m in range(3, period.end + 1)]
        out, acc_va, acc_base = [], 0.0, 0.0
        for code in months:
            p = parse_period(code)
            if code in by.index and by.at[code, "n"]:
                va, base = float(by.at[code, "va"]), float(by.at[code, "va_base"])
                acc_va, acc_base = acc_va + va, acc_base + base
                month = (va / base - 1.0) * 100.0 if base else None
            else:
                month = None
            ytd = (acc_va / acc_base - 1.0) * 100.0 if acc_base else None
            out.append((p.label_zh(with_year=False), month, ytd))
        return out

    def _industries(self, inp: BulletinInput, scope: Scope, period: Period, dv: pd.DataFrame) -> None:
        """门类, 大类 and groupings: 累计 and 当月 growth, 累计比上期 (against the previous 累计, not last
        year), and pulls against the region's total base (a grouping's 拉动 = ΔVA_group / VA₀_total)."""
        cum, mon, prev = (scope.apply(self._view(w)) for w in ("ytd", "month", "ytd_prev"))
        by_sec = aggregate(cum, ["section"]).to_pandas().set_index("section")
        by_sec_m = aggregate(mon, ["section"]).to_pandas().set_index("section")["growth"]
        by_sec_p = aggregate(prev, ["section"]).to_pandas().set_index("section")["growth"]
        inp.sections = [
            IndustryRow(code=c, name=SECTIONS[c], ytd=_num(by_sec.at[c, "growth"]), month=_num(by_sec_m.get(c)),
                        ytd_prev=_num(by_sec_p.get(c)), pull=_num(by_sec.at[c, "pull"]))
            for c in SECTIONS if c in by_sec.index
        ]
        by_div_m = aggregate(mon, ["division"]).to_pandas().set_index("division")["growth"]
        by_div_p = aggregate(prev, ["division"]).to_pandas().set_index("division")["growth"]
        names = {d.code: d.name for d in divisions()}
        inp.divisions = [
            IndustryRow(code=d.division, name=names.get(d.division, d.division), ytd=_num(d.growth),
                        month=_num(by_div_m.get(d.division)), ytd_prev=_num(by_div_p.get(d.division)),
                        pull=_num(d.pull))
            for d in dv.itertuples(index=False)
        ]
        for flag, code, name in (("ht", "HT", "高技术制造业"), ("eq", "EQ", "装备制造业")):
            g = aggregate_within(cum.filter(cum[flag]), cum).to_pandas()
            if g.empty or not g["n"].iloc[0]:
                continue
            gm = aggregate(mon.filter(mon[flag])).to_pandas()
            gp = aggregate(prev.filter(prev[flag])).to_pandas()
            inp.groupings.append(IndustryRow(
                code=code, name=name, ytd=_num(g["growth"].iloc[0]),
                month=_num(gm["growth"].iloc[0]) if not gm.empty and gm["n"].iloc[0] else None,
                pull=_num(g["pull"].iloc[0]),
                ytd_prev=_num(gp["growth"].iloc[0]) if not gp.empty and gp["n"].iloc[0] else None))
        grown = sum(1 for d in inp.divisions if d.month is not None and d.month > 0)
        counted = sum(1 for d in inp.divisions if d.month is not None)
        if counted:
            inp.breadth = Breadth(n_up=grown, n_total=counted, unit_word="大类行业", basis="当月")

    def _efficiency(self, inp: BulletinInput, scope: Scope, period: Period) -> None:
        cum = aggregate(scope.apply(self._view("ytd"))).to_pandas()
        mon = aggregate(scope.apply(self._view("month"))).to_pandas()
        if cum.empty:
            return
        c = cum.iloc[0]
        inp.efficiency = Efficiency(
            period=period,
            loss_count=_num(c["n_loss"]), enterprise_count=_num(c["n"]), loss_depth=_num(c["loss_depth"]),
            export_period=period,
            export_value=_wan_to_yi(mon["export_delivery"].iloc[0]) if not mon.empty else None,
            export_yoy=_num(mon["export_growth"].iloc[0]) if not mon.empty else None,
            export_ytd_yoy=_num(c["export_growth"]),
        )

    def _published(self, inp: BulletinInput, region: str, period: Period) -> None:
        """The region's published 利润/营业收入/利润率, 投资 and 比重 series, when loaded (microdata reports
        carry no revenue or last year's profit)."""
        if self.wh is None:
            return
        from yacang.report.national import (
            SeriesLookup,
            published_efficiency,
            published_investment,
            published_structure,
        )

        lk = SeriesLookup(self.wh, regions={region})  # type: ignore[arg-type]
        pub = published_efficiency(lk, period, region)
        if pub is not None and pub.period is not None:
            e = inp.efficiency
            if e is not None and e.period == pub.period:  # same period: keep the microdata 亏损面 and 出口
                pub.loss_count, pub.enterprise_count, pub.loss_depth = e.loss_count, e.enterprise_count, e.loss_depth
            if e is not None:
                pub.export_period, pub.export_value = e.export_period, e.export_value
                pub.export_yoy, pub.export_ytd_yoy = e.export_yoy, e.export_ytd_yoy
            inp.efficiency = pub
            inp.sources.append("效益数据：数据仓库中本地区的利润总额、营业收入序列")
        inp.investment = published_investment(lk, period, region)
        inp.structure = published_structure(lk, period, region)

    def _enterprise(self, e) -> EnterpriseRow:
        names = {d.code: d.name for d in divisions()}
        return EnterpriseRow(name=e.name, region_name=self._name(e.county), industry_name=names.get(e.division, e.division),
                             ytd=_num(e.growth), pull=float(e.pull))

