"""Users, sessions, API tokens and login throttling over the app database.

Functions take an open SQLAlchemy session (the caller owns the transaction) and raise
:class:`AuthError` subclasses with Chinese messages that the CLI and the web show as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yacang.auth.models import ApiToken, LoginAttempt, User, WebSession, utcnow
from yacang.auth.passwords import DUMMY_HASH, hash_password, verify_password
from yacang.auth.roles import ROLES, Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import NATION, RegionError, level_of

SESSION_TTL = dt.timedelta(hours=12)
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_IP = 20
TOKEN_PREFIX = "yct_"


class AuthError(Exception):
    """Authentication or user-management failure (Chinese message)."""


class LoginThrottled(AuthError):
    """Too many failed logins in the window."""


class BadCredentials(AuthError):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def scope_of(user: User) -> Scope:
    return Scope(Role(user.role), user.region or NATION, user.uscc, user.username)


# users -------------------------------------------------------------------------------
def add_user(session: Session, username: str, password: str, role: str, *, region: str = NATION,
             uscc: str | None = None, display_name: str = "") -> User:
    """Create a user after checking role, region code and (for enterprises) the USCC."""
    if role not in ROLES:
        raise AuthError(f"未知角色: {role}（可选 {'/'.join(ROLES)}）")
    try:
        level_of(region)
    except RegionError as exc:
        raise AuthError(str(exc)) from None
    if role == Role.ENTERPRISE:
        if not uscc:
            raise AuthError("企业用户必须指定统一社会信用代码（--uscc）")
        uscc = _check_uscc(uscc)
    elif uscc:
        raise AuthError("只有企业用户可以绑定统一社会信用代码")
    if role == Role.ADMIN:
        region = NATION
    if session.scalar(select(User).where(User.username == username)):
        raise AuthError(f"用户名已存在: {username}")
    user = User(username=username, password_hash=hash_password(password), role=role, region=region,
                uscc=uscc, display_name=display_name or username, active=True)
    session.add(user)
    session.flush()
    return user


def _check_uscc(uscc: str) -> str:
    try:
        from yacang.microdata.uscc import validate_uscc
    except ImportError:  # pragma: no cover - microdata always present in this repo
        if len(uscc) != 18:
            raise AuthError(f"统一社会信用代码应为18位: {uscc}") from None
        return uscc.upper()
    try:
        return validate_uscc(uscc)
    except ValueError as exc:
        raise AuthError(str(exc)) from None


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AuthError(f"没有用户 {username}")
    return user


def set_active(session: Session, username: str, active: bool) -> User:
    """Disable (or re-enable) a user; disabling also ends their sessions and revokes tokens."""
    user = get_user(session, username)
    user.active = active
    if not active:
        for s in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
            session.delete(s)
        for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
            t.revoked = True
    session.flush()
    return user


# login + throttling ------------------------------------------------------------------
def _recent_failures(session: Session, now: dt.datetime, *, username: str | None = None,
                     ip: str | None = None) -> int:
    q = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.success.is_(False), LoginAttempt.at >= now - THROTTLE_WINDOW)
    if username is not None:
        q = q.where(LoginAttempt.username == username)
    if ip is not None:
        q = q.where(LoginAttempt.ip == ip)
    return session.scalar(q) or 0


def authenticate(session: Session, username: str, password: str, *, ip: str = "",
                 now: dt.datetime | None = None) -> User:
    """Check a password; throttle after repeated failures for the name or the address."""
    now = now or utcnow()
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    if (_recent_failures(session, now, username=username) >= MAX_FAILURES_PER_USER
            or (ip and _recent_failures(session, now, ip=ip) >= MAX_FAILURES_PER_IP)):
        raise LoginThrottled(f"登录失败次数过多，请{minutes}分钟后再试")
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password) and bool(user and user.active)
    session.add(LoginAttempt(username=username, ip=ip, success=ok, at=now))
    session.flush()
    if not ok:
        raise BadCredentials("用户名或密码错误，或账号已停用")
    return user


# sessions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class NewSession:
    token: str      # goes in the cookie, never stored
    csrf_token: str


def open_session(session: Session, user: User, *, ip: str = "", now: dt.datetime | None = None) -> NewSession:
    now = now or utcnow()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(WebSession(token_hash=_digest(token), user_id=user.id, csrf_token=csrf,
                           created_at=now, expires_at=now + SESSION_TTL, ip=ip))
    session.flush()
    return NewSession(token, csrf)


def session_user(session: Session, token: str, *, now: dt.datetime | None = None) -> tuple[User, WebSession] | None:
    """The active user behind a session cookie, or None if unknown, expired or disabled."""
    if not token:
        return None
    ws = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if ws is None or ws.expires_at < (now or utcnow()):
        return None
    user = session.get(User, ws.user_id)
    if user is None or not user.active:
        return None
    return user, ws


def close_session(session: Session, token: str) -> None:
    ws = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if ws is not None:
        session.delete(ws)


# API tokens --------------------------------------------------------------------------
def create_token(session: Session, user: User, name: str = "") -> str:
    """Create a Bearer token; the plain value is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=_digest(token)))
    session.flush()
    return token


def token_user(session: Session, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    t = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if t is None or t.revoked:
        return None
    user = session.get(User, t.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if t.last_used_at is None or now - t.last_used_at > dt.timedelta(minutes=5):
        t.last_used_at = now  # coarse, so scripts do not write on every call
    return user
