"""Cross-check facts stated in documents with the warehouse: 一致 (agree) / 不一致 (differ) / 无数据 (no data).

A stated figure is compared with the warehouse's best series for the same concept
(``Warehouse.find_series``: NBS before Wind …) at the same period code. Derived statements are
recomputed from the data first: 两年平均增长 = √((1+g_t)(1+g_{t-1})) − 1 from the two 累计同比;
a change in 百分点 = value minus the value of the period (or aggregate) it is compared with.
Published figures carry one decimal, so a direct figure agrees when it equals the data rounded to
one decimal; a recomputed one may differ by 0.1 through rounding of its inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from yacang.catalog.industries import TOTAL
from yacang.catalog.regions import NATION
from yacang.periods import Period, PeriodError, parse_period
from yacang.policy.facts import DIFF_PP, TWO_YEAR_AVG, growth_measure, period_for

AGREE, DIFFER, NO_DATA = "agree", "differ", "no_data"
STATUS_ZH = {AGREE: "一致", DIFFER: "不一致", NO_DATA: "无数据"}
TOL_DIRECT = 0.05
TOL_DERIVED = 0.1 + 1e-9


class FactLike(Protocol):
    indicator: str
    industry: str
    category: str
    region: str
    measure: str
    period: str
    span: str
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


class _Lookup:
    """Series values by concept, cached per series for one checking run."""

    def __init__(self, wh) -> None:
        self.wh = wh
        self._cache: dict[str, pd.Series] = {}

    def get(self, indicator: str, measure: str, period: str, region: str, industry: str, category: str
            ) -> tuple[float, str] | None:
        sid = self.wh.find_series(indicator, measure, region=region, industry=industry, category=category)
        if sid is None:
            return None
        if sid not in self._cache:
            self._cache[sid] = self.wh.values(sid)
        values = self._cache[sid]
        if period not in values.index or pd.isna(values[period]):
            return None
        return float(values[period]), sid


def check_facts(wh, facts: list[FactLike]) -> list[Check]:
    """Check each fact against the warehouse (one lookup cache for the whole list)."""
    lookup = _Lookup(wh)
    return [check_fact(lookup, f) for f in facts]


def check_fact(lookup: _Lookup, f: FactLike) -> Check:
    try:
        span = parse_period(f.span)
    except PeriodError:
        return Check(NO_DATA, None, None, f"时期无法识别：{f.span}")
    if f.measure == TWO_YEAR_AVG:
        return _two_year(lookup, f, span)
    if f.measure == DIFF_PP:
        return _difference(lookup, f, span)
    hit = lookup.get(f.indicator, f.measure, f.period, f.region, f.industry, f.category)
    if hit is None:
        return Check(NO_DATA, None, None, f"仓库中没有 {f.indicator}.{f.measure} 在 {f.period} 的数据")
    value, sid = hit
    return _verdict(f.value, value, sid, f"{sid} {f.period} = {value:.1f}", TOL_DIRECT)


def _two_year(lookup: _Lookup, f: FactLike, span: Period) -> Check:
    prev_code, _ = period_for("ytd_yoy", span.shift_years(-1))
    now = lookup.get(f.indicator, "ytd_yoy", f.period, f.region, f.industry, f.category)
    before = lookup.get(f.indicator, "ytd_yoy", prev_code, f.region, f.industry, f.category)
    if now is None or before is None:
        return Check(NO_DATA, None, None, f"缺少 {f.period} 或 {prev_code} 的累计同比，无法计算两年平均增长")
    g = (math.sqrt((1 + now[0] / 100) * (1 + before[0] / 100)) - 1) * 100
    detail = f"√((1+{now[0]:.1f}%)×(1+{before[0]:.1f}%))−1 = {g:.2f}%（{now[1]}）"
    return _verdict(f.value, g, now[1], detail, TOL_DERIVED)


def _difference(lookup: _Lookup, f: FactLike, span: Period) -> Check:
    measure = "level" if f.indicator == "manufacturing_share" else growth_measure(span)
    code, _ = period_for(measure, span)
    now = lookup.get(f.indicator, measure, code, f.region, f.industry, f.category)
    ref = f.reference
    if ref == "整体工业":
        base = lookup.get("iva", measure, code, f.region, TOTAL, "")
    elif ref == "全国":
        base = lookup.get(f.indicator, measure, code, NATION, f.industry, f.category)
    else:
        ref_span = _reference_span(ref, span)
        if ref_span is None:
            return Check(NO_DATA, None, None, f"比较对象“{ref or '未说明'}”无法对应到数据")
        ref_measure = "level" if measure == "level" else growth_measure(ref_span)
        ref_code, _ = period_for(ref_measure, ref_span)
        base = lookup.get(f.indicator, ref_measure, ref_code, f.region, f.industry, f.category)
    if now is None or base is None:
        return Check(NO_DATA, None, None, f"缺少计算增速差所需的数据（{f.indicator}，比较对象“{ref}”）")
    diff = now[0] - base[0]
    detail = f"{now[0]:.1f} − {base[0]:.1f} = {diff:.1f} 个百分点（{now[1]}）"
    return _verdict(f.value, diff, now[1], detail, TOL_DERIVED)


def _reference_span(ref: str, span: Period) -> Period | None:
    """The period a 百分点 change is measured from: 2020年, 去年四季度, 上年同期 …"""
    if ref in ("上年同期", "去年同期", "上年", "去年"):
        return span.shift_years(-1)
    if ref in ("去年全年",):
        return Period.whole_year(span.year - 1)
    if ref.startswith("去年") and ref.endswith("季度"):
        return parse_period(f"{span.year - 1}年{ref[2:]}")
    text = ref.replace("全年", "")
    if text[:4].isdigit():
        try:
            return parse_period(text if text.endswith("年") else f"{text}年")
        except PeriodError:
            return None
    return None


def _verdict(stated: float, data: float, sid: str, detail: str, tol: float) -> Check:
    status = AGREE if abs(stated - round(data, 1)) <= tol else DIFFER
    return Check(status, round(data, 2), sid, detail)
