"""The one validation layer for every write: finite numbers, ranges and units per field, required
fields, periods neither in the future nor before a start date.

Every writer (CLI report loading, uploads, ``POST /api/reports``, the dispatch services, the demo)
checks its values here, so one rule means the same everywhere. A rejected value is a
:class:`Invalid` with a Chinese reason; callers that read files attach the file, row and column
(:func:`check_number` returns the reason instead of raising, for loaders that collect every error).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from yacang.formatting import date_zh
from yacang.periods import Period, PeriodError, parse_period


class Invalid(ValueError):
    """A value refused by a field rule (Chinese message naming the field and what to do)."""


@dataclass(frozen=True)
class FieldRule:
    """Range and unit of one numeric field; ``None`` bounds are open."""

    label: str
    unit: str
    minimum: float | None = 0.0
    maximum: float | None = None
    required: bool = False
    integer: bool = False

    def describe(self) -> str:
        lo = "" if self.minimum is None else f"不小于 {self.minimum:g}"
        hi = "" if self.maximum is None else f"不大于 {self.maximum:g}"
        rng = "、".join(x for x in (lo, hi) if x)
        return f"{self.label}（{self.unit}）" + (f"应{rng}" if rng else "")


# Per-enterprise monthly report fields, in the stored unit (万元 after conversion, 万千瓦时, 人).
# Upper bounds are far above any real enterprise (the largest Chinese industrial enterprises report
# a few 千亿元 a year), so they only catch unit slips and garbage such as 1e300.
_MONEY_MAX = 1e8  # 万元 = 1 万亿元 in one month
REPORT_FIELDS: dict[str, FieldRule] = {
    "output_value": FieldRule("工业总产值(当期价格)", "万元", 0.0, _MONEY_MAX, required=True),
    "output_value_prev": FieldRule("工业总产值上年同期", "万元", 0.0, _MONEY_MAX, required=True),
    "sales_value": FieldRule("工业销售产值", "万元", 0.0, _MONEY_MAX),
    "sales_value_prev": FieldRule("工业销售产值上年同期", "万元", 0.0, _MONEY_MAX),
    "export_delivery": FieldRule("出口交货值", "万元", 0.0, _MONEY_MAX),
    "export_delivery_prev": FieldRule("出口交货值上年同期", "万元", 0.0, _MONEY_MAX),
    "revenue": FieldRule("营业收入", "万元", 0.0, _MONEY_MAX),
    "revenue_prev": FieldRule("营业收入上年同期", "万元", 0.0, _MONEY_MAX),
    "profit": FieldRule("利润总额", "万元", -_MONEY_MAX, _MONEY_MAX),  # losses are negative
    "profit_prev": FieldRule("利润总额上年同期", "万元", -_MONEY_MAX, _MONEY_MAX),
    "electricity": FieldRule("用电量", "万千瓦时", 0.0, 1e7),
    "electricity_prev": FieldRule("用电量上年同期", "万千瓦时", 0.0, 1e7),
    "employment": FieldRule("从业人员", "人", 0.0, 2e6, integer=True),
    "employment_prev": FieldRule("从业人员上年同期", "人", 0.0, 2e6, integer=True),
}

# Parameters of the microdata engine and targets.
PARAM_FIELDS: dict[str, FieldRule] = {
    "va_rate": FieldRule("增加值率", "比值（0–1）", 0.0, 1.0, required=True),
    "index_yoy": FieldRule("工业生产者出厂价格指数", "上年同月=100", 20.0, 500.0, required=True),
    "growth": FieldRule("增长目标", "%", -50.0, 100.0, required=True),
}

# Weekly/daily quick reports of key enterprises.
QUICK_FIELDS: dict[str, FieldRule] = {
    "production": FieldRule("产量", "企业自报单位", 0.0, 1e12),
    "electricity": FieldRule("用电量", "万千瓦时", 0.0, 1e6),
    "orders": FieldRule("订单", "万元", 0.0, 1e8),
    "operating_rate": FieldRule("开工率", "%", 0.0, 100.0),
}

# Major projects (亿元).
PROJECT_FIELDS: dict[str, FieldRule] = {
    "planned_investment": FieldRule("计划总投资", "亿元", 0.0, 1e5, required=True),
    "invest_cum": FieldRule("累计完成投资", "亿元", 0.0, 1e5, required=True),
}


def is_finite_number(value: object) -> bool:
    """True for an int/float that is neither NaN nor ±inf (bool is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def to_number(value: object, *, nan_is_blank: bool = False) -> float | None:
    """A number from a cell or form value; None if blank. Raises :class:`Invalid` on text, NaN, inf.

    NaN is refused whatever its type (the text "nan", a float NaN from JSON or pydantic). Only a
    spreadsheet loader, where pandas reads an empty cell as a float NaN, passes ``nan_is_blank=True``
    to read a float NaN as blank (the text "nan" is refused even then)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Invalid("不是数值，请填写数字（不带单位）")
    if isinstance(value, int | float):
        x = float(value)
        if math.isnan(x):
            if nan_is_blank:
                return None
            raise Invalid("不是有效数值（NaN），请填写数字")
    else:
        text = str(value).replace(",", "").replace("，", "").strip()
        if text == "":
            return None
        try:
            x = float(text)
        except ValueError:
            raise Invalid("不是数值，请填写数字（不带单位）") from None
        if math.isnan(x):
            raise Invalid("不是有效数值（NaN），请填写数字")
    if not math.isfinite(x):
        raise Invalid("数值无穷大（inf），请填写有限的数字")
    return x


def check_value(value: object, rule: FieldRule, *, nan_is_blank: bool = False) -> float | None:
    """The checked number (None if blank and optional); raises :class:`Invalid`. ``nan_is_blank``: see
    :func:`to_number` (spreadsheet loaders only)."""
    x = to_number(value, nan_is_blank=nan_is_blank)
    if x is None:
        if rule.required:
            raise Invalid("必填，请填写数值（无则填0）")
        return None
    if rule.minimum is not None and x < rule.minimum:
        what = "不能为负数" if rule.minimum == 0 else f"不能小于 {rule.minimum:g}{rule.unit}"
        raise Invalid(f"{rule.label}{what}")
    if rule.maximum is not None and x > rule.maximum:
        raise Invalid(f"{rule.label}超过合理上限 {rule.maximum:g}{rule.unit}，请核对计量单位")
    if rule.integer and x != int(x):
        raise Invalid(f"{rule.label}应为整数（{rule.unit}）")
    return x


def check_number(value: object, rule: FieldRule) -> tuple[float | None, str | None]:
    """``(number, None)`` or ``(None, reason)``: for loaders that collect every error of a file (a float
    NaN is an empty spreadsheet cell here: blank, so a required field is refused as 必填)."""
    try:
        return check_value(value, rule, nan_is_blank=True), None
    except Invalid as exc:
        return None, str(exc)


def check_fields(values: dict[str, object], rules: dict[str, FieldRule]) -> dict[str, float | None]:
    """Check several fields at once; the first bad one raises (message names the field)."""
    out: dict[str, float | None] = {}
    for name, rule in rules.items():
        if name not in values and not rule.required:
            continue
        try:
            out[name] = check_value(values.get(name), rule)
        except Invalid as exc:
            raise Invalid(f"{rule.label}：{exc}" if not str(exc).startswith(rule.label) else str(exc)) from None
    return out


def today() -> dt.date:
    """Today's date (a seam for tests)."""
    return dt.date.today()


def check_period(period: str | Period, *, not_before: dt.date | None = None, on: dt.date | None = None,
                 label: str = "报告期") -> Period:
    """A reporting period that has begun (not in the future) and, if given, not before ``not_before``."""
    try:
        p = period if isinstance(period, Period) else parse_period(str(period))
    except PeriodError as exc:
        raise Invalid(f"{label}“{period}”无法识别：{exc}") from None
    on = on or today()
    first = dt.date(p.year, p.start, 1) if p.day is None else p.day
    if first > on:
        raise Invalid(f"{label} {p.label_zh()}（{p.code}）尚未到来（今天是{date_zh(on)}），不能报送未来时期的数据")
    if not_before is not None and p.end_date < not_before:
        raise Invalid(f"{label} {p.label_zh()}（{p.code}）早于起始日期{date_zh(not_before)}，不能报送")
    return p


def check_day(day: dt.date, *, not_before: dt.date | None = None, on: dt.date | None = None,
              label: str = "日期") -> dt.date:
    """A day that is not in the future and, if given, not before ``not_before``."""
    on = on or today()
    if day > on:
        raise Invalid(f"{label} {day} 晚于今天（{on}），不能报送未来的数据")
    if not_before is not None and day < not_before:
        raise Invalid(f"{label} {day} 早于起始日期 {not_before}")
    return day


def check_text(value: str, label: str, *, max_length: int, required: bool = False) -> str:
    """Trimmed text within a length limit; control characters (except newline and tab) refused."""
    text = (value or "").strip()
    if required and not text:
        raise Invalid(f"请填写{label}")
    if len(text) > max_length:
        raise Invalid(f"{label}过长（{len(text)} 字），最多 {max_length} 字")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise Invalid(f"{label}含有控制字符，请删除后重试")
    return text


# pydantic's error types in Chinese: the API's request checks and yacang.toml ------------------------
_REASONS: dict[str, str] = {
    "missing": "必填，请填写",
    "string_too_long": "过长，最多 {max_length} 字",
    "string_too_short": "过短，至少 {min_length} 字",
    "too_long": "过多，最多 {max_length} 项",
    "too_short": "过少，至少 {min_length} 项",
    "finite_number": "须为有限数值（不能是 NaN 或无穷大）",
    "float_parsing": "不是数字，请填写数值",
    "float_type": "不是数字，请填写数值",
    "int_parsing": "不是整数，请填写整数",
    "int_type": "不是整数，请填写整数",
    "int_from_float": "须为整数（不能带小数）",
    "bool_parsing": "应为是或否（true/false）",
    "string_type": "应为文字",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "须小于 {lt}",
    "date_parsing": "不是有效日期（应为 2022-03-15）",
    "date_from_datetime_parsing": "不是有效日期（应为 2022-03-15）",
    "date_type": "不是有效日期（应为 2022-03-15）",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "json_invalid": "JSON 格式有误，请检查请求内容",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "extra_forbidden": "不是可接受的字段，请删去",
    "value_error": "{error}",  # a project validator's own Chinese reason (yacang.web.params)
}
"""pydantic error type → Chinese template, filled from the error's ``ctx`` (its limits)."""


def _n(value: object) -> str:
    """A limit as officials write it: 100, not 100.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def reason_zh(error: Mapping[str, object], overrides: Mapping[str, str] | None = None) -> str:
    """The Chinese reason of one pydantic error dict (``type``, ``ctx``, ``msg``); ``overrides`` words some
    types for another reader (``yacang.toml``'s keys rather than a form's fields)."""
    kind = str(error.get("type", ""))
    template = (overrides or {}).get(kind, _REASONS.get(kind))
    ctx = error.get("ctx")
    limits = {k: _n(v) for k, v in ctx.items()} if isinstance(ctx, Mapping) else {}
    try:
        return str(error.get("msg", "")) if template is None else template.format_map(limits)
    except KeyError:  # a template's limit missing from ctx: pydantic's own words rather than a gap
        return str(error.get("msg", ""))
