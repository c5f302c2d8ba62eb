"""Who may see and act on a dispatch record: built on :class:`yacang.auth.scope.Scope`.

Reads: an enterprise sees only records of its own USCC; officers and analysts see records located in
their region's subtree; admins see everything. Writes of the official kind (assign, review, publish,
register projects) need an officer or admin whose subtree holds the record. A record outside the
caller's reach is reported as not found, so its existence does not leak.
"""

from __future__ import annotations

from sqlalchemy import Select

from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import RegionError, level_of, region_prefix
from yacang.dispatch.errors import DispatchError, DispatchForbidden, DispatchNotFound


def can_read(scope: Scope, uscc: str | None, region: str) -> bool:
    if scope.role == Role.ENTERPRISE:
        return bool(scope.uscc) and uscc == scope.uscc
    if scope.role == Role.ADMIN:
        return True
    return scope.covers(region)


def require_read(scope: Scope, uscc: str | None, region: str, what: str) -> None:
    if not can_read(scope, uscc, region):
        raise DispatchNotFound(f"没有找到{what}（或不在本账号的查看范围内）")


def require_official(scope: Scope, region: str, action: str) -> None:
    """Officer or admin whose subtree holds ``region``."""
    if not scope.writes:
        raise DispatchForbidden(f"无权{action}：需要地区运行监测人员或管理员角色")
    if not scope.covers(region):
        raise DispatchForbidden(f"无权{action}：地区 {region} 不在本账号的管辖范围内")


def require_filer(scope: Scope, uscc: str, region: str, own: str, official: str) -> str:
    """Who may file for an enterprise: the enterprise itself (``own`` names the act for the refusal) or
    an official whose subtree holds its region (``official``). Returns the region's level."""
    try:
        level = level_of(region)
    except RegionError as exc:
        raise DispatchError(f"企业所在地区代码无效：{exc}") from None
    if scope.role == Role.ENTERPRISE:
        if uscc != scope.uscc:
            raise DispatchForbidden(f"企业账号只能为本企业{own}")
    else:
        require_official(scope, region, official)
    return level


def scoped(query: Select, scope: Scope, uscc_col, region_col) -> Select:
    """Restrict a SELECT to the rows the scope may read (server-side, for every list and export)."""
    if scope.role == Role.ADMIN:
        return query
    if scope.role == Role.ENTERPRISE:
        return query.where(uscc_col == (scope.uscc or "\0"))
    prefix = region_prefix(scope.region)
    return query.where(region_col.startswith(prefix, autoescape=True)) if prefix else query
