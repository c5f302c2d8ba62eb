"""Chinese reasons for the request checks FastAPI/pydantic make before a handler runs (HTTP 422).

The API answers officials in Chinese; pydantic's own messages are English. Each common error type gets a
Chinese sentence with its limit; an unknown type keeps pydantic's text rather than hide it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

_REASONS: dict[str, Callable[[Mapping[str, object]], str]] = {
    "missing": lambda c: "必填，请填写",
    "string_too_long": lambda c: f"过长，最多 {c.get('max_length')} 字",
    "string_too_short": lambda c: f"过短，至少 {c.get('min_length')} 字",
    "too_long": lambda c: f"过多，最多 {c.get('max_length')} 项",
    "too_short": lambda c: f"过少，至少 {c.get('min_length')} 项",
    "finite_number": lambda c: "须为有限数值（不能是 NaN 或无穷大）",
    "float_parsing": lambda c: "不是数字，请填写数值",
    "float_type": lambda c: "不是数字，请填写数值",
    "int_parsing": lambda c: "不是整数，请填写整数",
    "int_type": lambda c: "不是整数，请填写整数",
    "int_from_float": lambda c: "须为整数（不能带小数）",
    "bool_parsing": lambda c: "应为是或否（true/false）",
    "string_type": lambda c: "应为文字",
    "greater_than_equal": lambda c: f"不能小于 {_n(c.get('ge'))}",
    "greater_than": lambda c: f"须大于 {_n(c.get('gt'))}",
    "less_than_equal": lambda c: f"不能大于 {_n(c.get('le'))}",
    "less_than": lambda c: f"须小于 {_n(c.get('lt'))}",
    "date_parsing": lambda c: "不是有效日期（应为 2022-03-15）",
    "date_from_datetime_parsing": lambda c: "不是有效日期（应为 2022-03-15）",
    "date_type": lambda c: "不是有效日期（应为 2022-03-15）",
    "literal_error": lambda c: f"应为 {c.get('expected')} 之一",
    "enum": lambda c: f"应为 {c.get('expected')} 之一",
    "json_invalid": lambda c: "JSON 格式有误，请检查请求内容",
    "dict_type": lambda c: "应为 JSON 对象",
    "list_type": lambda c: "应为列表",
    "extra_forbidden": lambda c: "不是可接受的字段，请删去",
}


def _n(value: object) -> str:
    """A limit as officials write it: 100, not 100.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def reason_zh(error: Mapping[str, object]) -> str:
    """The Chinese reason of one pydantic error dict (``type``, ``ctx``, ``msg``)."""
    make = _REASONS.get(str(error.get("type", "")))
    if make is None:
        return str(error.get("msg", ""))
    ctx = error.get("ctx")
    return make(ctx if isinstance(ctx, Mapping) else {})
