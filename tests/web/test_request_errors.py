"""Chinese reasons for pydantic's request checks (:mod:`yacang.web.request_errors`)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, Field, ValidationError

from yacang.web.request_errors import reason_zh


class Form(BaseModel):
    note: str = Field("", max_length=5)
    amount: float = Field(0.0, allow_inf_nan=False, ge=0, le=100)
    count: int = 0
    day: dt.date | None = None


def _reasons(**data: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        Form(**data)
    return {".".join(map(str, e["loc"])): reason_zh(e) for e in info.value.errors()}


def test_common_errors_get_chinese_reasons_with_their_limits() -> None:
    assert _reasons(note="六个字的话啊") == {"note": "过长，最多 5 字"}
    assert _reasons(amount=float("nan")) == {"amount": "须为有限数值（不能是 NaN 或无穷大）"}
    assert _reasons(amount=101) == {"amount": "不能大于 100"}
    assert _reasons(amount=-1) == {"amount": "不能小于 0"}
    assert _reasons(amount="五") == {"amount": "不是数字，请填写数值"}
    assert _reasons(count="1.5") == {"count": "不是整数，请填写整数"}
    assert _reasons(day="2024-13-01") == {"day": "不是有效日期（应为 2022-03-15）"}


def test_an_unknown_type_keeps_pydantics_message() -> None:
    assert reason_zh({"type": "something_new", "msg": "Value error, odd"}) == "Value error, odd"
