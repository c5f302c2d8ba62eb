"""Paged, filtered lists of dispatch records (诉求, 白名单, 重大项目), computed in the app database.

The caller's scope is applied first (:func:`yacang.dispatch.access.scoped`); the filters narrow it
further, so a filter can never widen what a caller sees. ``limit=None`` returns every matching row
(an export); the total is always the count of all matching rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from yacang.catalog.regions import region_prefix

T = TypeVar("T")


@dataclass
class Listed(Generic[T]):
    """One page of records and the number of all records that match."""

    rows: list[T]
    total: int


def paged(session: Session, query: Select, *, offset: int = 0, limit: int | None = 50) -> Listed:
    """Rows ``offset … offset+limit`` of an ordered ``query`` and the count of all its rows."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if limit is not None:
        query = query.offset(int(offset)).limit(int(limit))
    return Listed(list(session.scalars(query)), int(total))


def in_subtree(query: Select, region_col, region: str | None) -> Select:
    """Keep rows located in ``region``'s subtree (a code already checked against the caller's scope)."""
    if not region:
        return query
    prefix = region_prefix(region)
    return query.where(region_col.startswith(prefix, autoescape=True)) if prefix else query


def matching(query: Select, q: str | None, *cols) -> Select:
    """Keep rows where any of ``cols`` contains the text ``q`` (name, USCC, code …)."""
    q = (q or "").strip()
    if not q:
        return query
    return query.where(or_(*(c.contains(q, autoescape=True) for c in cols)))


