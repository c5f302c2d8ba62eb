"""Cross-check facts stated in documents with the warehouse: 一致 (agree) / 不一致 (differ) / 无数据.

A fact is compared with the warehouse series of the same concept (the vocabulary maps its key to
indicator, industry and category), the same *measure* and the same period:

- 当月同比 with ``yoy``, 累计同比 with ``ytd_yoy`` (1-2月: NBS keeps it at ``YYYY-02``, Wind at
  ``YYYY-01/02``; both are tried), 环比 with the seasonally adjusted ``sa_mom`` (then ``mom``), levels
  with ``value``/``ytd_value``;
- 两年平均 is recomputed, √((1+g_t)(1+g_{t−1}))−1, from 当月同比 for a month and from 累计同比 for a
  累计 figure; "比2019年同期" from the chain of yearly growth rates since 2019;
- a change in 百分点 is the figure minus the figure of what it is compared with (a period — its own
  measure follows from the period: 1-3月 is 累计, 6月份 is 当月 —, 上年同期, or 全国);
- counts, shares, 贡献率 and 拉动, figures of a region the text does not name, and figures without a
  series are 无数据, never 不一致.

Published figures carry one or two decimals: a direct figure agrees when it equals the data rounded to
the stated decimals; a recomputed one may differ by 0.1 through rounding of its inputs. All the data a
list of facts needs is read in one query (:mod:`yacang.warehouse.policy`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from yacang.catalog.regions import NATION
from yacang.catalog.vocabulary import concept, is_quarterly
from yacang.measures.growth import two_year_average
from yacang.periods import Period, PeriodError, parse_period
from yacang.policy.release_facts import DIFF_PP, TWO_YEAR_AVG, YTD_DIFF_PP, YTD_TWO_YEAR_AVG

AGREE, DIFFER, NO_DATA = "agree", "differ", "no_data"
STATUS_ZH = {AGREE: "一致", DIFFER: "不一致", NO_DATA: "无数据"}
TOL_DERIVED = 0.1 + 1e-9
CAPTURED_WITHIN = dt.timedelta(days=45)  # a 环比 loaded this long after its release may have been revised


class FactLike(Protocol):
    key: str
    region: str
    measure: str
    period: str
    value: float
    reference: str


@dataclass(frozen=True)
class Check:
    status: str  # agree | differ | no_data
    data_value: float | None
    series_id: str | None
    detail: str  # Chinese: how the data value was obtained

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]


@dataclass
class Plan:
    """What one fact needs from the warehouse and how to judge it once the values are known."""

    needs: list[tuple[str, tuple[str, ...], tuple[str, ...], str]]  # (key, measures, periods, region)
    judge: Callable[[list[tuple[float, str] | None]], Check]
    revised: bool = False  # compare only with data published by the document date


class Checker:
    """Cross-checks lists of facts; the series catalogue is read once per checker."""

    def __init__(self, wh) -> None:
        from yacang.warehouse.policy import ranked_series

        self.wh = wh
        self.series = ranked_series(wh)
        self._obs: dict[tuple[str, str], list] = {}  # (series, period) → [(vintage, value)]
        self._read: set[str] = set()  # series already read
        self.queries = 0

    def check(self, facts: list[FactLike], as_of: dt.date | None = None) -> list[Check]:
        """Verdicts for ``facts`` (one value query for the whole list)."""
        from yacang.warehouse.policy import observations_of

        plans = [plan(f) for f in facts]
        wanted: set[tuple[str, str]] = set()
        resolved: list[list[list[tuple[str, str]]]] = []
        for p in plans:
            per_need = []
            for key, measures, periods, region in (p.needs if isinstance(p, Plan) else []):
                cands = [(sid, per) for m in measures for sid in self._sids(key, m, region) for per in periods]
                wanted.update(cands)
                per_need.append(cands)
            resolved.append(per_need)
        new = {sid for sid, _ in wanted} - self._read
        if new:
            self._obs.update(observations_of(self.wh, new))
            self._read |= new
            self.queries += 1
        cutoff = None if as_of is None else dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1)
        latest, published = {}, {}
        for pair in wanted:
            vintages = self._obs.get(pair)
            if vintages:
                latest[pair] = vintages[-1][2]
                # as published then: stamped by the document date and captured near its release (a history
                # exported years later carries today's revision under the release-calendar stamp)
                known = [v for t, loaded, v in vintages
                         if cutoff is not None and t < cutoff and loaded - t <= CAPTURED_WITHIN]
                if known:
                    published[pair] = known[-1]
        out = []
        for p, per_need in zip(plans, resolved, strict=True):
            if isinstance(p, Check):
                out.append(p)
                continue
            values = published if p.revised else latest
            got = [next(((values[c], c[0]) for c in cands if c in values), None) for cands in per_need]
            if p.revised and got and got[0] is None:
                later = next(((latest[c], c[0]) for c in per_need[0] if c in latest), None)
                why = "仓库中没有文件日期当时发布的环比" + (
                    f"（只有其后导出、可能已修订的值 {later[0]:.2f}；环比经季节调整、逐月修订，不能据此判断）" if later else "")
                out.append(Check(NO_DATA, later[0] if later else None, later[1] if later else None, why))
                continue
            out.append(p.judge(got))
        return out

    def _sids(self, key: str, measure: str, region: str) -> list[str]:
        try:
            c = concept(key)
        except KeyError:
            return []
        out = []
        for cat in c.categories:
            sid = self.series.get((c.indicator, measure, region, c.industry, cat))
            if sid:
                out.append(sid)
        return out


def check_facts(wh, facts: list[FactLike], as_of: dt.date | None = None) -> list[Check]:
    """Check a list of facts against the warehouse (one catalogue read, one value query)."""
    return Checker(wh).check(facts, as_of)


# ------------------------------------------------------------------------------------------ planning
def _decimals(v: float) -> int:
    """Decimals a stated figure carries; negative for large round figures (530300 亿元 from 53.03万亿元
    is stated to the hundred)."""
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    if "." in s:
        return len(s.split(".")[1])
    if abs(v) >= 1000:
        digits = s.lstrip("-")
        return -(len(digits) - len(digits.rstrip("0")))
    return 0


def _direct_tol(v: float) -> float:
    return 0.5 * 10 ** -_decimals(v) + 1e-9


def _span_of(code: str) -> Period | None:
    try:
        return parse_period(code)
    except PeriodError:
        return None


def _growth_lookup(span: Period, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(measures, period codes) under which the warehouse keeps the growth of ``span``."""
    if span.start == 1 and span.end == 2:
        return ("ytd_yoy", "yoy"), (f"{span.year}-02", span.code)
    quarterly = is_quarterly(key)
    if span.start == 1 and span.end > 1 and not (quarterly and span.end == 3):
        return ("ytd_yoy",), (Period.month(span.year, span.end).code,)
    if span.kind == "quarter":
        return ("qtr_yoy", "ytd_yoy") if span.start == 1 else ("qtr_yoy",), (span.code, Period.month(span.year, span.end).code)
    if span.kind == "year":
        return ("ytd_yoy",), (Period.month(span.year, 12).code, span.code)
    return ("yoy",), (span.code,)


def _fact_span(f: FactLike) -> Period | None:
    """The span a fact's period code stands for (累计 measures: from January to the period)."""
    span = _span_of(f.period)
    if span is None:
        return None
    if f.measure.startswith("ytd_") and span.kind == "month":
        return Period(span.year, 1, span.end)
    return span


def plan(f: FactLike) -> Plan | Check:
    try:
        c = concept(f.key)
    except KeyError:
        return Check(NO_DATA, None, None, f"词表中没有指标 {f.key}，无法核对")
    if not f.region:
        return Check(NO_DATA, None, None, "文中未写明地区，不与数据核对")
    span = _fact_span(f)
    if span is None:
        return Check(NO_DATA, None, None, f"时期无法识别：{f.period}")
    del c
    m, region, key = f.measure, f.region, f.key
    if m in ("yoy", "ytd_yoy", "qtr_yoy"):
        measures, periods = _growth_lookup(span, key)
        return Plan([(key, measures, periods, region)], lambda got: _direct(f, got[0]))
    if m in ("mom", "sa_mom"):
        # 环比 is seasonally adjusted and revised every month: only a figure published by the document's
        # date can check it (see Checker.check, ``as_of``)
        return Plan([(key, ("sa_mom", "mom"), (f.period,), region)], lambda got: _direct(f, got[0]), revised=True)
    if m in ("value", "ytd_value"):
        measures = (m, "level") if m == "value" else (m,)
        return Plan([(key, measures, (f.period,), region)], lambda got: _direct(f, got[0]))
    if m in (TWO_YEAR_AVG, YTD_TWO_YEAR_AVG):
        now_m, now_p = _growth_lookup(span, key) if m == YTD_TWO_YEAR_AVG else (("yoy",), (f.period,))
        prev = span.shift_years(-1)
        prev_m, prev_p = _growth_lookup(prev, key) if m == YTD_TWO_YEAR_AVG else (("yoy",), (prev.code,))
        return Plan([(key, now_m, now_p, region), (key, prev_m, prev_p, region)], lambda got: _two_year(f, got))
    if m.startswith(("vs_", "ytd_vs_")):
        base = int(m.rsplit("_", 1)[1])
        years = list(range(base + 1, span.year + 1))
        needs = []
        for y in years:
            s = span.shift_years(y - span.year)
            ms, ps = _growth_lookup(s, key) if m.startswith("ytd_") else (("yoy",), (s.code,))
            needs.append((key, ms, ps, region))
        return Plan(needs, lambda got: _chain(f, got, base))
    if m in (DIFF_PP, YTD_DIFF_PP):
        return _difference(f, span)
    if m == "mom_diff_pp":
        return Check(NO_DATA, None, None, "环比增速的增减依赖逐月修订的季调环比，不与数据核对")
    return Check(NO_DATA, None, None, "个数、占比、贡献率和拉动不与数据核对")


def _difference(f: FactLike, span: Period) -> Plan | Check:
    key, region = f.key, f.region
    rate = concept(key).kind in ("rate", "share", "diffusion", "breadth")
    if rate:
        measure = "ytd_value" if span.start == 1 and span.end > 1 and span.kind != "year" else "value"
        now_m, now_p = (measure, "level"), (f.period,)
    else:
        now_m, now_p = _growth_lookup(span, key)
    ref = f.reference
    ref_region = region
    if ref in ("上年同期", "上年同月", "去年同期"):
        if rate:
            # NBS compares a ratio with the same enterprises a year earlier (同口径): the change cannot be
            # recomputed from two published levels; only a published change series can check it
            if f.measure == YTD_DIFF_PP:
                return Check(NO_DATA, None, None, "比率的同比增减按同口径计算，不能由两期公布值相减核对，仓库中也没有该增减序列")
            return Plan([(key, ("yoy",), (f.period,), region)], lambda got: _direct(f, got[0]))
        else:
            ref_m, ref_p = _growth_lookup(span.shift_years(-1), key)
    elif ref == "全国":
        ref_m, ref_p, ref_region = now_m, now_p, NATION
    elif ref in ("整体工业", "规上工业", "全部规模以上工业", "规模以上工业"):
        return Plan([(key, now_m, now_p, region), ("iva", now_m, now_p, region)], lambda got: _diff(f, got))
    else:
        ref_span = _span_of(ref)
        if ref_span is None:
            return Check(NO_DATA, None, None, f"比较对象“{ref or '未说明'}”无法对应到数据")
        if not rate:
            ref_m, ref_p = _growth_lookup(ref_span, key)
        elif ref_span.start == 1 and ref_span.end > 1 and not is_quarterly(key):
            ref_m, ref_p = ("ytd_value",), (Period.month(ref_span.year, ref_span.end).code,)
        else:
            ref_m, ref_p = ("value", "level"), (ref_span.code,)
    return Plan([(key, now_m, now_p, region), (key, ref_m, ref_p, ref_region)], lambda got: _diff(f, got))


# ------------------------------------------------------------------------------------------ judging
def _verdict(stated: float, data: float, sid: str, detail: str, tol: float, decimals: int) -> Check:
    status = AGREE if abs(stated - round(data, decimals)) <= tol else DIFFER
    return Check(status, round(data, 4), sid, detail)


def _direct(f: FactLike, hit: tuple[float, str] | None) -> Check:
    if hit is None:
        return Check(NO_DATA, None, None, f"仓库中没有 {f.key} 的{f.measure}在 {f.period} 的数据")
    value, sid = hit
    d = _decimals(f.value)
    return _verdict(f.value, value, sid, f"{sid} {f.period} = {value:.{max(d, 1)}f}", _direct_tol(f.value), d)


def _two_year(f: FactLike, got) -> Check:
    now, before = got
    if now is None or before is None:
        return Check(NO_DATA, None, None, "缺少本期或上年同期的增速，无法计算两年平均增长")
    g = two_year_average(now[0], before[0])
    detail = f"√((1+{now[0]:.1f}%)×(1+{before[0]:.1f}%))−1 = {g:.2f}%（{now[1]}）"
    return _verdict(f.value, g, now[1], detail, TOL_DERIVED, 1)


def _chain(f: FactLike, got, base: int) -> Check:
    if any(h is None for h in got) or not got:
        return Check(NO_DATA, None, None, f"缺少{base}年以来各年的增速，无法计算比{base}年同期增长")
    prod = 1.0
    for h in got:
        prod *= 1 + h[0] / 100
    g = (prod - 1) * 100
    detail = "×".join(f"(1+{h[0]:.1f}%)" for h in got) + f"−1 = {g:.2f}%（{got[-1][1]}）"
    return _verdict(f.value, g, got[-1][1], detail, TOL_DERIVED + 0.05, 1)


def _diff(f: FactLike, got) -> Check:
    now, base = got
    if now is None or base is None:
        return Check(NO_DATA, None, None, f"缺少计算增减所需的数据（比较对象“{f.reference}”）")
    diff = now[0] - base[0]
    d = max(_decimals(f.value), 1)
    detail = f"{now[0]:.{d}f} − {base[0]:.{d}f} = {diff:.{d}f} 个百分点（{now[1]}）"
    return _verdict(f.value, diff, now[1], detail, TOL_DERIVED if d == 1 else 0.01 + 1e-9, d)
