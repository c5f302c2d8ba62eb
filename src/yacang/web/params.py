"""Types of the query and path parameters the API and the pages read, checked before a handler runs.

A value a handler cannot use is a 422 with a Chinese reason (:mod:`yacang.web.request_errors`), never a
500 from deep inside a query: ``period=abc``, ``region=xyz``, ``/calls/99999999999999999999``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

from yacang.appdb.base import ID_MAX
from yacang.catalog.regions import RegionError, level_of
from yacang.periods import parse_period


def _period(text: str) -> str:
    """The period's stored code (2022年3月 → 2022-03, 2022年1-2月 → 2022-01/02): the handlers compare it with
    the warehouse's codes, and a label passed through as it was matched nothing (the latest data answered)."""
    return parse_period(text).code  # PeriodError is a ValueError with the Chinese reason


def _region(text: str) -> str:
    try:
        level_of(text)
    except RegionError as exc:
        raise ValueError(str(exc)) from None
    return text


PeriodText = Annotated[str, AfterValidator(_period)]
"""A reporting period as :func:`yacang.periods.parse_period` reads it (2022-03, 2022年1-2月 …), as its code."""

RegionCode = Annotated[str, AfterValidator(_region)]
"""A six-digit administrative division code."""

RowId = Annotated[int, Path(ge=1, le=ID_MAX)]
"""A row id in a path (calls, submissions, issues, whitelist entries, tokens)."""
