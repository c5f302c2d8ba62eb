"""同口径 real growth of industrial value added from enterprise microdata, as Ibis expressions.

NBS method (single deflation, comparable prices): for each enterprise report row

    real VA (this period, at last year's prices) = 工业总产值(当期价格) ÷ (division PPI, 上年同月=100 ÷ 100) × 增加值率
    real VA (base)                               = 工业总产值上年同期 × 增加值率

The base is the **same enterprises'** reported 上年同期 figure (同口径), and the enterprise set is this
year's 规上 set (``enterprise_years``). 当月 uses the period's reports; 累计 sums the year's reports up to
the period (the merged 1-2月 counts once; separate January/February rows, if present, are summed too).
增加值率 is the division's rate for the year (the latest earlier year if the year is missing).

Everything here builds Ibis expressions from a backend ``con`` (DuckDB for the warehouse, PySpark for
national scale): :func:`enterprise_panel` gives one row per enterprise, :func:`aggregate` groups it by
any dimension, with 增速, 拉动 and 贡献率 against the scope total, breadth and the other ratios.
Reports with status ``returned`` (退回) are left out; ``submitted`` and ``accepted`` count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from yacang.catalog.industries import EQUIPMENT, HIGH_TECH, SECTIONS
from yacang.catalog.regions import NATION, level_of
from yacang.microdata.report_periods import previous_period, report_periods, same_period_last_year
from yacang.periods import Period, parse_period

__all__ = ["previous_period", "report_periods", "same_period_last_year"]  # re-exported

COUNTED_STATUSES = ("submitted", "accepted")
DIMENSIONS = ("nation", "province", "prefecture", "county", "section", "division", "class",
              "park", "ownership", "size_class", "is_key", "ht", "eq")
SUM_COLUMNS = ("va", "va_base", "output_value", "output_value_prev", "sales_value", "export_delivery",
               "export_delivery_prev", "electricity", "electricity_prev", "profit")
BREADTH_NOTE = ("增长面：实际增加值同比增长的企业数占全部企业的比重；减产面：同比下降的企业比重；"
                "亏损面：利润总额为负的企业数占全部企业的比重；亏损深度：亏损企业亏损额÷盈利企业利润额×100")


class MicrodataError(LookupError):
    """Missing microdata inputs (PPI, 增加值率, 规上名单) for a computation."""


@dataclass(frozen=True)
class Scope:
    """Which enterprises to look at: a region (any level), an industry and optional attributes."""

    region: str = NATION
    industry: str = "TOTAL"  # TOTAL, B/C/D, a division, a 4-digit class, HT or EQ
    park: str | None = None
    ownership: str | None = None
    size_class: str | None = None
    key_only: bool = False

    def apply(self, panel: ir.Table) -> ir.Table:
        t = panel
        if self.region != NATION:
            col = {"province": "province", "prefecture": "prefecture", "county": "county"}[level_of(self.region)]
            t = t.filter(t[col] == self.region)
        ind = self.industry
        if ind in ("HT", "EQ"):
            t = t.filter(t[ind.lower()])
        elif ind in SECTIONS:
            t = t.filter(t.section == ind)
        elif len(ind) == 2:
            t = t.filter(t.division == ind)
        elif len(ind) == 4:
            t = t.filter(t["class"] == ind)
        elif ind != "TOTAL":
            raise MicrodataError(f"未知的行业范围：{ind}（可用 TOTAL、B/C/D、大类代码、小类代码、HT、EQ）")
        if self.park is not None:
            t = t.filter(t.park == self.park)
        if self.ownership is not None:
            t = t.filter(t.ownership == self.ownership)
        if self.size_class is not None:
            t = t.filter(t.size_class == self.size_class)
        if self.key_only:
            t = t.filter(t.is_key)
        return t


def _rates(con: ibis.BaseBackend, year: int) -> ir.Table:
    """增加值率 per division for ``year`` (latest year ≤ ``year`` when that year is missing)."""
    p = con.table("division_params")
    p = p.filter(p.year <= year)
    latest = p.group_by("division").aggregate(year=p.year.max())
    return p.join(latest, ["division", "year"]).select("division", "va_rate")


def _section(division: ir.StringValue) -> ir.StringValue:
    d = division.cast("int32")
    return ibis.cases((d <= 12, "B"), (d <= 43, "C"), else_="D")


def enterprise_panel(con: ibis.BaseBackend, period: str | Period, *, cumulative: bool = False,
                     statuses: Sequence[str] = COUNTED_STATUSES) -> ir.Table:
    """One row per 规上 enterprise of the period's year with its real VA, its base and the other sums.

    Columns: uscc, name, region levels (nation, province, prefecture, county), industry levels
    (section, division, class), park, ownership, size_class, is_key, ht, eq, then the sums
    ``SUM_COLUMNS`` over the report periods (:func:`report_periods`).
    """
    rows = _report_rows(con, period, cumulative=cumulative, statuses=statuses)
    sums = rows.group_by("uscc").aggregate(**{c: rows[c].sum() for c in SUM_COLUMNS})
    ent = con.table("enterprises")
    e = ent.join(sums, "uscc")
    return e.select(*attribute_columns(e), **{c: e[c] for c in SUM_COLUMNS})


def period_panel(con: ibis.BaseBackend, period: str | Period, *,
                 statuses: Sequence[str] = COUNTED_STATUSES) -> ir.Table:
    """One row per 规上 enterprise **and report period** of the year up to ``period`` (1-2月 … ``period``),
    with the attributes of :func:`enterprise_panel`, a ``period`` column and the sums.

    Grouped by period it gives every 当月 of the year in one scan; the running sums give every 累计
    (the 累计 panel sums the same rows over the same set).
    """
    rows = _report_rows(con, period, cumulative=True, statuses=statuses)
    sums = rows.group_by(["uscc", "period"]).aggregate(**{c: rows[c].sum() for c in SUM_COLUMNS})
    ent = con.table("enterprises")
    e = ent.join(sums, "uscc")
    return e.select(*attribute_columns(e), e.period, **{c: e[c] for c in SUM_COLUMNS})


def _report_rows(con: ibis.BaseBackend, period: str | Period, *, cumulative: bool,
                 statuses: Sequence[str]) -> ir.Table:
    """The counted report rows of the year's 规上 set for the period(s), with real VA and its base."""
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    year = p.year
    periods = report_periods(p, cumulative=cumulative)
    r = con.table("reports")
    r = r.filter(r.period.isin(periods) & r.status.isin(list(statuses)))
    ey = con.table("enterprise_years")
    members = ey.filter((ey.year == year) & ey.above_scale).select("uscc")
    ppi = con.table("division_ppi")
    rows = (
        r.join(members, "uscc")  # the division is on the report row (the registry's, kept in step)
        .join(ppi, ["period", "division"])
        .join(_rates(con, year), "division")
    )
    return rows.mutate(
        va=rows.output_value * rows.va_rate * 100.0 / rows.index_yoy,
        va_base=rows.output_value_prev * rows.va_rate,
    )


def area_columns(county: ir.StringValue) -> dict[str, ir.StringValue]:
    """The province and prefecture codes of a county code (its first two and four digits, zero-filled)."""
    return {"province": county.substr(0, 2).concat("0000"), "prefecture": county.substr(0, 4).concat("00")}


def attribute_columns(e: ir.Table) -> list[ir.Value]:
    """The enterprise's grouping columns, derived from ``enterprises`` (region and industry levels …)."""
    division = e.industry.substr(0, 2)
    return [
        e.uscc, e.name,
        ibis.literal(NATION).name("nation"),
        *(v.name(k) for k, v in area_columns(e.region).items()),
        e.region.name("county"),
        _section(division).name("section"),
        division.name("division"),
        e.industry.name("class"),
        e.park, e.ownership, e.size_class,
        e.is_key.fill_null(False).name("is_key"),
        ((division == "27") | e.industry.isin(list(HIGH_TECH.classes))).name("ht"),
        division.isin(list(EQUIPMENT.divisions)).name("eq"),
    ]


def inputs_missing(con: ibis.BaseBackend, period: str | Period, *, cumulative: bool = False) -> dict[str, list[str]]:
    """Report rows that cannot be deflated: divisions lacking PPI (by period) or 增加值率 for the year."""
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    periods = report_periods(p, cumulative=cumulative)
    r = con.table("reports")
    used = r.filter(r.period.isin(periods) & r.division.notnull()).select("period", "division").distinct()
    ppi = con.table("division_ppi").select("period", "division", has=ibis.literal(1))
    no_ppi = used.left_join(ppi, ["period", "division"]).filter(lambda t: t.has.isnull())
    rates = _rates(con, p.year).mutate(has=ibis.literal(1))
    no_rate = used.select("division").distinct().left_join(rates, "division").filter(lambda t: t.has.isnull())
    out_ppi = no_ppi.to_pandas()
    return {
        "ppi": sorted(f"{a}:{b}" for a, b in zip(out_ppi["period"], out_ppi["division"], strict=True)),
        "va_rate": sorted(no_rate.to_pandas()["division"]),
    }


def aggregate(panel: ir.Table, by: Sequence[str] = ()) -> ir.Table:
    """Group the panel by ``by`` (any of :data:`DIMENSIONS`; none = the whole scope).

    Columns: the keys; n (enterprises); va, va_base (万元, comparable prices); growth (%); pull (拉动,
    百分点, against the whole panel's base: the pulls of a partition sum to the total growth);
    contribution (贡献率, % of the total increase); growing_share/declining_share (增长面/减产面, %);
    loss_share (亏损面, %); loss_depth (亏损深度, %); export_growth; sales_output_ratio (产销率);
    electricity_growth.
    """
    t = panel.mutate(
        _grow=(panel.va > panel.va_base).cast("int64"),
        _decl=(panel.va < panel.va_base).cast("int64"),
        _loss=(panel.profit < 0).cast("int64"),
        _loss_amt=ibis.ifelse(panel.profit < 0, -panel.profit, 0.0),
        _gain_amt=ibis.ifelse(panel.profit > 0, panel.profit, 0.0),
    )
    metrics = {
        "n": t.uscc.count(),
        "va": t.va.sum(),
        "va_base": t.va_base.sum(),
        "n_growing": t._grow.sum(),
        "n_declining": t._decl.sum(),
        "n_loss": t._loss.sum(),
        "loss_amount": t._loss_amt.sum(),
        "profit_amount": t._gain_amt.sum(),
        "output_value": t.output_value.sum(),
        "sales_value": t.sales_value.sum(),
        "export_delivery": t.export_delivery.sum(),
        "export_delivery_prev": t.export_delivery_prev.sum(),
        "electricity": t.electricity.sum(),
        "electricity_prev": t.electricity_prev.sum(),
    }
    g = t.group_by(list(by)).aggregate(**metrics) if by else t.aggregate(**metrics)
    w = ibis.window()
    delta = g.va - g.va_base
    n = g.n.nullif(0)  # x/0 is NULL on DuckDB but an error on Spark (ANSI): make it NULL everywhere
    return g.mutate(
        growth=(g.va / g.va_base.nullif(0.0) - 1.0) * 100.0,
        pull=delta / g.va_base.sum().over(w).nullif(0.0) * 100.0,
        contribution=delta / (g.va.sum().over(w) - g.va_base.sum().over(w)).nullif(0.0) * 100.0,
        growing_share=g.n_growing / n * 100.0,
        declining_share=g.n_declining / n * 100.0,
        loss_share=g.n_loss / n * 100.0,
        loss_depth=g.loss_amount / g.profit_amount.nullif(0.0) * 100.0,
        export_growth=(g.export_delivery / g.export_delivery_prev.nullif(0.0) - 1.0) * 100.0,
        sales_output_ratio=g.sales_value / g.output_value.nullif(0.0) * 100.0,
        electricity_growth=(g.electricity / g.electricity_prev.nullif(0.0) - 1.0) * 100.0,
    )


def aggregate_within(subset: ir.Table, total: ir.Table) -> ir.Table:
    """One row for a filtered ``subset`` of ``total`` (高技术制造业, 装备制造业, a park …) as
    :func:`aggregate` gives it, but with pull and contribution against the **total's** base:
    拉动 = ΔVA_subset / VA₀_total × 100, 贡献率 = ΔVA_subset / ΔVA_total × 100.
    """
    g = aggregate(subset)
    tot = total.aggregate(_tva=total.va.sum(), _tbase=total.va_base.sum())
    j = g.cross_join(tot)
    delta = j.va - j.va_base
    return j.mutate(pull=delta / j._tbase.nullif(0.0) * 100.0,
                    contribution=delta / (j._tva - j._tbase).nullif(0.0) * 100.0).drop("_tva", "_tbase")


def enterprise_pulls(panel: ir.Table) -> ir.Table:
    """Each enterprise's pull (拉动, 百分点) on the panel's total growth; they sum to the total growth."""
    w = ibis.window()
    return panel.mutate(
        growth=(panel.va / panel.va_base.nullif(0.0) - 1.0) * 100.0,
        pull=(panel.va - panel.va_base) / panel.va_base.sum().over(w).nullif(0.0) * 100.0,
    )


def naive_growth(con: ibis.BaseBackend, period: str | Period, *, cumulative: bool = False) -> float:
    """Growth against last year's published total: this year's set at comparable prices against last
    year's set's own figures (both at this year's 增加值率).

    Shown to explain why 同口径 matters; never use it for official figures.
    """
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    now = enterprise_panel(con, p, cumulative=cumulative).va.sum().to_pandas()
    last = p.shift_years(-1)
    # last year's total at last year's prices is its nominal VA: output × rate (no deflation)
    r = con.table("reports")
    ey = con.table("enterprise_years")
    ent = con.table("enterprises")
    rows = (r.filter(r.period.isin(report_periods(last, cumulative=cumulative)) & r.status.isin(list(COUNTED_STATUSES)))
            .join(ey.filter((ey.year == last.year) & ey.above_scale).select("uscc"), "uscc")
            .join(ent.select("uscc", division=ent.industry.substr(0, 2)), "uscc")
            .join(_rates(con, p.year), "division"))
    base = (rows.output_value * rows.va_rate).sum().to_pandas()
    return (float(now) / float(base) - 1.0) * 100.0
