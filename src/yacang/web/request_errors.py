"""Chinese reasons for the request checks FastAPI/pydantic make before a handler runs (HTTP 422).

The API answers officials in Chinese; pydantic's own messages are English. Each common error type gets a
Chinese sentence with its limit; an unknown type keeps pydantic's text rather than hide it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from fastapi import HTTPException
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

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


def reason_zh(error: Mapping[str, object]) -> str:
    """The Chinese reason of one pydantic error dict (``type``, ``ctx``, ``msg``)."""
    template = _REASONS.get(str(error.get("type", "")))
    ctx = error.get("ctx")
    limits = {k: _n(v) for k, v in ctx.items()} if isinstance(ctx, Mapping) else {}
    try:
        return str(error.get("msg", "")) if template is None else template.format_map(limits)
    except KeyError:  # a template's limit missing from ctx: pydantic's own words rather than a gap
        return str(error.get("msg", ""))


def form_model(model: type[M], **fields: object) -> M:
    """An API input model built from a page's form fields; a value the model refuses is an HTTP 422
    whose detail gives each field's Chinese reason (as the API's own check would), not a 500."""
    try:
        return model(**fields)
    except ValidationError as exc:
        reasons = "；".join(f"{'.'.join(str(x) for x in e['loc'])}：{reason_zh(e)}" for e in exc.errors())
        raise HTTPException(422, f"填写有误：{reasons}") from None
