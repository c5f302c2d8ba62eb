"""Indicator and measure definitions: what a number is, in which unit, at which frequency.

An *indicator* is a statistical concept (规模以上工业增加值, PPI, 出口交货值 …); a *measure* is how it
is expressed (当月值, 累计值, 当月同比, 累计同比, 环比, 指数 …). A warehouse series is an indicator ×
measure × region × industry (× category) from one source.
"""

from __future__ import annotations

from dataclasses import dataclass


class IndicatorError(LookupError):
    """An unknown indicator or measure code."""


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    cumulative: bool  # a 累计 (年初至今) figure: labelled 1-N月
    is_rate: bool  # a growth rate in %
    note: str = ""


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("value", "当月值", False, False),
        Measure("ytd_value", "累计值", True, False),
        Measure("yoy", "当月同比", False, True, "上年同月=0 的增长率（%）"),
        Measure("ytd_yoy", "累计同比", True, True, "年初至今对上年同期的增长率（%）"),
        Measure("qtr_yoy", "当季同比", False, True),
        Measure("mom", "环比", False, True),
        Measure("sa_mom", "季调环比", False, True),
        Measure("index", "定基指数", False, False),
        Measure("index_yoy", "同比指数(上年同月=100)", False, False),
        Measure("index_ytd", "累计指数(上年同期=100)", True, False),
        Measure("prev_value", "上年同期值", False, False),
        Measure("prev_ytd_value", "上年同期累计值", True, False),
        Measure("level", "水平值", False, False, "时点或比率水平（如 PMI、开工率、价格）"),
    )
}

# A growth rate and the index NBS's portal publishes for it (上年同月/同期 = 100): rate = index − 100.
INDEX_OF_RATE: dict[str, str] = {"yoy": "index_yoy", "ytd_yoy": "index_ytd"}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # unit of levels (亿元, %, 指数 …); growth measures are always %
    frequency: str  # M, Q, Y, W, D, 10D
    kind: str  # flow, stock, price, rate, diffusion
    aliases: tuple[str, ...] = ()  # names as they appear in NBS/Wind/iFinD labels


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator("iva", "规模以上工业增加值", "亿元", "M", "flow", ("工业增加值", "规上工业增加值")),
        Indicator("ppi", "工业生产者出厂价格指数", "指数", "M", "price", ("PPI", "工业生产者出厂价格指数")),
        Indicator("ppirm", "工业生产者购进价格指数", "指数", "M", "price", ("PPIRM", "工业生产者购进价格指数")),
        Indicator("export_delivery", "出口交货值", "亿元", "M", "flow", ("出口交货值",)),
        Indicator("revenue", "营业收入", "亿元", "M", "flow", ("营业收入", "主营业务收入")),
        Indicator("operating_cost", "营业成本", "亿元", "M", "flow", ("营业成本", "主营业务成本")),
        Indicator("profit", "利润总额", "亿元", "M", "flow", ("利润总额",)),
        Indicator("profit_margin", "营业收入利润率", "%", "M", "rate", ("营业收入利润率",)),
        Indicator("assets", "资产合计", "亿元", "M", "stock", ("资产合计", "资产总计")),
        Indicator("liabilities", "负债合计", "亿元", "M", "stock", ("负债合计",)),
        Indicator("loss_count", "亏损企业单位数", "个", "M", "stock", ("亏损企业单位数", "亏损企业数")),
        Indicator("loss_amount", "亏损企业亏损总额", "亿元", "M", "flow", ("亏损企业亏损总额", "亏损企业亏损额")),
        Indicator("enterprise_count", "企业单位数", "个", "M", "stock", ("企业单位数",)),
        Indicator("sales_output_ratio", "产销率", "%", "M", "rate", ("产销率",)),
        Indicator("pmi", "制造业采购经理指数", "%", "M", "diffusion", ("制造业PMI",)),
        Indicator("output_value", "工业总产值(当期价格)", "亿元", "M", "flow", ("工业总产值",)),
        Indicator("sales_value", "工业销售产值(当期价格)", "亿元", "M", "flow", ("工业销售产值",)),
        Indicator("electricity", "用电量", "万千瓦时", "M", "flow", ("用电量", "工业用电量")),
        Indicator("employment", "从业人员平均人数", "人", "M", "stock", ("从业人员", "平均用工人数")),
        Indicator("gdp", "地区生产总值", "亿元", "Y", "flow", ("地区生产总值", "GDP")),
        Indicator("manufacturing_share", "制造业增加值占GDP比重", "%", "Y", "rate", ("制造业增加值占GDP比重",)),
        Indicator("fai", "固定资产投资完成额", "亿元", "M", "flow", ("固定资产投资完成额", "固定资产投资(不含农户)完成额")),
    )
}


def measure(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        raise IndicatorError(f"未知的指标口径：{code}（可用：{'、'.join(MEASURES)}）") from None


def indicator(code: str) -> Indicator:
    try:
        return INDICATORS[code]
    except KeyError:
        raise IndicatorError(f"未知的指标：{code}（可用：{'、'.join(INDICATORS)}）") from None


def indicator_by_alias(text: str) -> Indicator | None:
    """Indicator whose alias equals ``text`` exactly."""
    for ind in INDICATORS.values():
        if text in ind.aliases or text == ind.name:
            return ind
    return None
