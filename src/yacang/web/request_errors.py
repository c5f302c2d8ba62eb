"""Chinese reasons for the request checks FastAPI/pydantic make before a handler runs (HTTP 422).

The reasons themselves are :func:`yacang.validation.reason_zh` (shared with ``yacang.toml``).

The API answers officials in Chinese; pydantic's own messages are English. Each common error type gets a
Chinese sentence with its limit; an unknown type keeps pydantic's text rather than hide it.
"""

from __future__ import annotations

from typing import TypeVar

from fastapi import HTTPException
from pydantic import BaseModel, ValidationError

from yacang.validation import reason_zh

M = TypeVar("M", bound=BaseModel)

def form_model(model: type[M], **fields: object) -> M:
    """An API input model built from a page's form fields; a value the model refuses is an HTTP 422
    whose detail gives each field's Chinese reason (as the API's own check would), not a 500."""
    try:
        return model(**fields)
    except ValidationError as exc:
        reasons = "；".join(f"{'.'.join(str(x) for x in e['loc'])}：{reason_zh(e)}" for e in exc.errors())
        raise HTTPException(422, f"填写有误：{reasons}") from None
