"""Request dependencies: who is calling (cookie session or Bearer token), CSRF, role checks.

Cookie-authenticated requests that change state must carry the session's CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``). Bearer-token requests are not exposed to CSRF (the browser
never attaches the header by itself) and need none.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from yacang.auth import service
from yacang.auth.models import User
from yacang.auth.scope import Scope
from yacang.web.state import AppState

SESSION_COOKIE = "yacang_session"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def state(request: Request) -> AppState:
    return request.app.state.yacang


def db(request: Request) -> Iterator[Session]:
    """One app-DB session per request, committed at the end (rolled back on error)."""
    with Session(state(request).engine, expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except Exception:
            s.rollback()
            raise


@dataclass(frozen=True)
class Caller:
    user: User
    scope: Scope
    csrf_token: str | None  # None for Bearer-token callers
    via_token: bool

    @property
    def username(self) -> str:
        return self.user.username


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def optional_caller(request: Request, session: Session = Depends(db)) -> Caller | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = service.token_user(session, auth[7:].strip())
        if user is None:
            raise HTTPException(401, "令牌无效或已撤销")
        return Caller(user, service.scope_of(user), None, True)
    token = request.cookies.get(SESSION_COOKIE, "")
    found = service.session_user(session, token)
    if found is None:
        return None
    user, ws = found
    return Caller(user, service.scope_of(user), ws.csrf_token, False)


async def _csrf_value(request: Request) -> str:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    ctype = request.headers.get("content-type", "")
    if "form" in ctype:
        form = await request.form()
        return str(form.get("csrf_token") or "")
    return ""


async def caller(request: Request, who: Caller | None = Depends(optional_caller)) -> Caller:
    """The authenticated caller; 401 if none; CSRF enforced on unsafe cookie requests."""
    if who is None:
        raise HTTPException(401, "请先登录")
    if not who.via_token and request.method not in SAFE_METHODS:
        sent = await _csrf_value(request)
        if not (sent and who.csrf_token and hmac.compare_digest(sent, who.csrf_token)):
            raise HTTPException(403, "CSRF 校验失败：请刷新页面后重试")
    return who


def statistics_reader(who: Caller = Depends(caller)) -> Caller:
    if not who.scope.reads_statistics:
        raise HTTPException(403, "无权查看统计数据：企业账号只能查看本企业报表")
    return who


def official_writer(who: Caller = Depends(caller)) -> Caller:
    if not who.scope.writes:
        raise HTTPException(403, "无权执行此操作：需要地区运行监测人员或管理员角色（分析人员为只读）")
    return who


def admin(who: Caller = Depends(caller)) -> Caller:
    if not who.scope.is_admin:
        raise HTTPException(403, "仅系统管理员可执行此操作")
    return who


def require_region(who: Caller, code: str) -> None:
    """403 unless the caller may read ``code`` (its subtree or an ancestor aggregate)."""
    if not who.scope.reads_region(code):
        raise HTTPException(403, f"无权查看地区 {code} 的数据（超出本账号的地区范围）")


def require_subtree(who: Caller, code: str) -> None:
    """403 unless ``code`` is inside the caller's own subtree (for writes and exports)."""
    if not who.scope.covers(code):
        raise HTTPException(403, f"无权操作地区 {code}（超出本账号的地区范围）")
