"""研判: the nowcast of 规上工业增加值 (the CLI's ``yacang analysis nowcast --json``) for the dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from yacang.web import views
from yacang.web.deps import Caller, state, statistics_reader
from yacang.web.params import PeriodText

router = APIRouter(prefix="/analysis", tags=["研判"])


@router.get("/nowcast", summary="规上工业增加值当月同比现时预测（全国；已发布的月份为回溯）")
def nowcast(request: Request, period: PeriodText | None = None, who: Caller = Depends(statistics_reader)) -> dict:
    """The nowcast record (value, change, message, warning, rare moves, indicators used), ``note`` when it
    is a backcast, and ``source``, the data it was built from. 404 without the series, 422 for a period
    that cannot be nowcast (its PMI not out yet)."""
    st = state(request)
    key = ("nowcast", period, st.version)
    if key not in st.cache:
        with st.reader() as wh:
            st.cache[key] = views.nowcast_record(wh, period)
    return st.cache[key]
