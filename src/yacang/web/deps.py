"""Request dependencies: who is calling (cookie session or Bearer token), CSRF, role checks.

Cookie-authenticated requests that change state must carry the session's CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``). Bearer-token requests are not exposed to CSRF (the browser
never attaches the header by itself) and need none.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NoReturn

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from yacang.auth import service
from yacang.auth.models import User
from yacang.auth.scope import Scope
from yacang.web.state import AppState

SESSION_COOKIE = "yacang_session"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
AUTH_TTL = 10.0


def state(request: Request) -> AppState:
    return request.app.state.yacang


def db(request: Request) -> Iterator[Session]:
    """One app-DB session per request, committed at the end (rolled back on error).

    The end may come after the response has been sent, so handlers whose effect the client's next
    request relies on (login, logout, user changes) commit explicitly before returning."""
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
    token_scope: str = "write"  # 'read' tokens may only read

    @property
    def username(self) -> str:
        return self.user.username


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _lookup(st: AppState, bearer: str | None, cookie: str) -> Caller | None:
    with Session(st.engine, expire_on_commit=False) as session:
        if bearer is not None:
            found = service.token_lookup(session, bearer)
            session.commit()  # the lookup may note last use
            if found is None:
                raise HTTPException(401, "令牌无效、已过期或已撤销")
            user, token = found
            return Caller(user, service.scope_of(user), None, True, token.scope)
        found = service.session_user(session, cookie)
        if found is None:
            return None
        user, ws = found
        return Caller(user, service.scope_of(user), ws.csrf_token, False)


async def optional_caller(request: Request) -> Caller | None:
    """The caller behind a Bearer token or the session cookie, or None.

    Session lookups are cached in memory for ``AUTH_TTL`` seconds (keyed by the secret itself), so a
    busy dashboard does not query the app database on every request; logout, disabling a user and user
    changes made through the web clear the cache at once, a change made from the CLI in another process
    takes effect within ``AUTH_TTL`` seconds. A Bearer token's caller is cached the same way but checked
    on every request by one small query (:func:`_token_unchanged`), so a token revoked anywhere (web or
    ``yacang users revoke-token``), an expired one or one whose user was disabled or changed stops at once.
    """
    st = state(request)
    auth = request.headers.get("authorization", "")
    bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    cookie = "" if bearer is not None else request.cookies.get(SESSION_COOKIE, "")
    if bearer is None and not cookie:
        return None
    key = ("t", bearer) if bearer is not None else ("c", cookie)
    now = time.monotonic()
    hit = st.auth_cache.get(key)
    if hit is not None and hit[0] > now:
        if bearer is None:
            return hit[1]
        # a token is checked on every request (revoked, expired, user disabled or changed: at once), with
        # one small query instead of the full lookup: on the loop for SQLite in WAL mode (a key lookup
        # that never waits for a writer; a thread hop costs more under load), off it for a server database
        who = hit[1]
        if st.engine.dialect.name == "sqlite":
            if _token_unchanged(st, bearer, who):
                return who
        elif await run_in_threadpool(_token_unchanged, st, bearer, who):
            return who
    who = await run_in_threadpool(_lookup, st, bearer, cookie)
    if who is not None:
        if len(st.auth_cache) > 10_000:
            st.auth_cache.clear()
        st.auth_cache[key] = (now + AUTH_TTL, who)
    return who


_TOKEN_CHECK = ("SELECT t.revoked, t.expires_at, t.scope, u.active, u.role, u.region, u.uscc FROM api_tokens t "
                "JOIN users u ON u.id = t.user_id WHERE t.token_hash = :h")  # text: a fifth of select()'s cost


def _token_unchanged(st: AppState, bearer: str, who: Caller) -> bool:
    """Whether the token behind a cached caller is still valid and its user unchanged (one query)."""
    from sqlalchemy import text

    from yacang.auth.models import utcnow

    with st.engine.connect() as conn:
        row = conn.execute(text(_TOKEN_CHECK), {"h": service.token_digest(bearer)}).first()
    if row is None:
        return False
    revoked, expires, scope, active, role, region, uscc = row
    if isinstance(expires, str):  # SQLite hands a text query's DATETIME back as text
        expires = dt.datetime.fromisoformat(expires)
    return (not revoked and (expires is None or expires > utcnow()) and bool(active) and scope == who.token_scope
            and (role, region, uscc) == (who.user.role, who.user.region, who.user.uscc))


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
    if who.via_token and who.token_scope != "write" and request.method not in SAFE_METHODS:
        deny(request, who, 403, "只读令牌不能修改数据：请使用可写令牌", "token_read_only")
    if not who.via_token and request.method not in SAFE_METHODS:
        sent = await _csrf_value(request)
        if not (sent and who.csrf_token and hmac.compare_digest(sent, who.csrf_token)):
            raise HTTPException(403, "CSRF 校验失败：请刷新页面后重试")
    return who


async def statistics_reader(who: Caller = Depends(caller)) -> Caller:
    if not who.scope.reads_statistics:
        raise HTTPException(403, "无权查看统计数据：企业账号只能查看本企业报表")
    return who


async def official_writer(request: Request, who: Caller = Depends(caller)) -> Caller:
    if not who.scope.writes:
        deny(request, who, 403, WRITER_ONLY, "role")
    return who


WRITER_ONLY = "无权执行此操作：需要地区运行监测人员或管理员角色（分析人员为只读）"


def ensure_writer(who: Caller) -> Caller:
    if not who.scope.writes:
        raise HTTPException(403, WRITER_ONLY)
    return who


async def admin(request: Request, who: Caller = Depends(caller)) -> Caller:
    if not who.scope.is_admin:
        if request.method not in SAFE_METHODS:
            deny(request, who, 403, "仅系统管理员可执行此操作", "role")
        raise HTTPException(403, "仅系统管理员可执行此操作")
    return who


def require_region(who: Caller, code: str) -> None:
    """403 unless the caller may read ``code`` (its subtree or an ancestor aggregate)."""
    if not who.scope.reads_region(code):
        from yacang.catalog.regions import region_label

        raise HTTPException(403, f"无权查看{region_label(code)}的数据（超出本账号的地区范围）")


def require_subtree(who: Caller, code: str, request: Request | None = None) -> None:
    """403 unless ``code`` is inside the caller's own subtree (for writes and exports); audited."""
    if not who.scope.covers(code):
        msg = f"无权操作地区 {code}（超出本账号的地区范围）"
        if request is None:
            raise HTTPException(403, msg)
        deny(request, who, 403, msg, "region", target=code)


def audit_denial(request: Request, who: Caller | None, status: int, message: str, reason: str,
                 target: str = "", session: Session | None = None) -> None:
    """Record a refused write in the audit log and commit it.

    With the request's ``session``, whatever the request had written is rolled back first and the
    denial is committed in its place (one writer: no second connection waiting for the first's lock);
    without one, a short session of its own is used."""
    from yacang.auth import audit

    def write(s: Session) -> None:
        audit.record(s, "denied", user_id=who.user.id if who else None, username=who.username if who else "",
                     target=target or f"{request.method} {request.url.path}",
                     detail={"status": status, "reason": reason, "message": message}, ip=client_ip(request))
        s.commit()

    if session is not None:
        session.rollback()
        write(session)
        return
    with Session(state(request).engine) as s:
        write(s)


def deny(request: Request, who: Caller | None, status: int, message: str, reason: str, *,
         target: str = "", session: Session | None = None) -> NoReturn:
    """Audit the refusal, then raise the HTTP error."""
    audit_denial(request, who, status, message, reason, target, session)
    raise HTTPException(status, message)
