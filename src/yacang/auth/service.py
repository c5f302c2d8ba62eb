"""Users, sessions, API tokens and login throttling over the app database.

Functions take an open SQLAlchemy session (the caller owns the transaction) and raise
:class:`AuthError` subclasses with Chinese messages that the CLI and the web show as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yacang.auth.models import ApiToken, LoginAttempt, User, WebSession, utcnow
from yacang.auth.passwords import DUMMY_HASH, hash_password, verify_password
from yacang.auth.roles import ROLES, Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import NATION, RegionError, level_of
from yacang.microdata.uscc import validate_uscc

SESSION_TTL = dt.timedelta(hours=12)
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5   # per account *and* address: then backoff 1, 2, 4 … minutes (at most 15)
MAX_BACKOFF = dt.timedelta(minutes=15)
MAX_FAILURES_PER_IP = 20    # per address over all accounts (password spraying)
TOKEN_PREFIX = "yct_"
TOKEN_TTL = dt.timedelta(days=90)
TOKEN_SCOPES = ("read", "write")


class AuthError(Exception):
    """Authentication or user-management failure (Chinese message)."""


class LoginThrottled(AuthError):
    """Too many failed logins in the window."""


class BadCredentials(AuthError):
    pass


def token_digest(token: str) -> str:
    """The stored form of a session or API token (SHA-256 hex): tokens themselves are never stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def scope_of(user: User) -> Scope:
    """The user's scope; a user record without a region is an error (never read as the nation)."""
    if not user.region:
        raise AuthError(f"用户 {user.username} 没有登记地区，拒绝访问；请管理员补登地区")
    return Scope(Role(user.role), user.region, user.uscc, user.username)


# users -------------------------------------------------------------------------------
def add_user(session: Session, username: str, password: str, role: str, *, region: str = NATION,
             uscc: str | None = None, display_name: str = "") -> User:
    """Create a user after checking role, region code and (for enterprises) the USCC."""
    if role not in ROLES:
        raise AuthError(f"未知角色：{role}（可选 {'/'.join(ROLES)}）")
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
        raise AuthError(f"用户名已存在：{username}")
    user = User(username=username, password_hash=hash_password(password), role=role, region=region,
                uscc=uscc, display_name=display_name or username, active=True)
    session.add(user)
    session.flush()
    return user


def _check_uscc(uscc: str) -> str:
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
        _revoke_all_tokens(session, user, utcnow())
    session.flush()
    return user


# login + throttling ------------------------------------------------------------------
def _failures(session: Session, now: dt.datetime, *, username: str | None = None,
              ip: str | None = None) -> list[dt.datetime]:
    """Times of failed attempts in the window since the last success of the same key."""
    q = select(LoginAttempt.at, LoginAttempt.success).where(LoginAttempt.at >= now - THROTTLE_WINDOW)
    if username is not None:
        q = q.where(LoginAttempt.username == username)
    if ip is not None:
        q = q.where(LoginAttempt.ip == ip)
    out: list[dt.datetime] = []
    for at, ok in session.execute(q.order_by(LoginAttempt.at, LoginAttempt.id)):
        out = [] if ok else [*out, at]
    return out


def locked_until(session: Session, username: str, ip: str, now: dt.datetime) -> dt.datetime | None:
    """When this account may try again *from this address* (None: now).

    Failures count per account and address, so an attacker elsewhere cannot lock the real user out;
    after ``MAX_FAILURES_PER_USER`` the wait doubles with each failure (1, 2, 4 … minutes, at most
    ``MAX_BACKOFF``). An address failing ``MAX_FAILURES_PER_IP`` times over any accounts waits out the window.
    """
    fails = _failures(session, now, username=username, ip=ip)
    if len(fails) >= MAX_FAILURES_PER_USER:
        wait = min(dt.timedelta(minutes=2 ** (len(fails) - MAX_FAILURES_PER_USER)), MAX_BACKOFF)
        if fails[-1] + wait > now:
            return fails[-1] + wait
    if ip:
        by_ip = _failures(session, now, ip=ip)
        if len(by_ip) >= MAX_FAILURES_PER_IP:
            return by_ip[-MAX_FAILURES_PER_IP] + THROTTLE_WINDOW
    return None


def authenticate(session: Session, username: str, password: str, *, ip: str = "",
                 now: dt.datetime | None = None) -> User:
    """Check a password; back off after repeated failures for this account from this address."""
    now = now or utcnow()
    until = locked_until(session, username, ip, now)
    if until is not None:
        secs = max(int((until - now).total_seconds()), 1)
        wait = f"{secs // 60}分钟" if secs >= 60 else f"{secs}秒"
        raise LoginThrottled(f"登录失败次数过多，请{wait}后再试")
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password) and bool(user and user.active)
    session.add(LoginAttempt(username=username, ip=ip, success=ok, at=now))
    session.flush()
    if not ok:
        raise BadCredentials("用户名或密码错误，或账号已停用")
    return user


def change_password(session: Session, user: User, old: str, new: str, *, keep_session: str | None = None,
                    now: dt.datetime | None = None) -> None:
    """Change one's own password: ends every other session and revokes every API token."""
    if not verify_password(user.password_hash, old):
        raise BadCredentials("原密码不正确")
    if old == new:
        raise AuthError("新密码不能与原密码相同")
    _set_password(session, user, new, keep_session=keep_session, now=now)


def reset_password(session: Session, username: str, new: str, *, now: dt.datetime | None = None) -> User:
    """An administrator sets a new password: all the user's sessions and tokens end."""
    user = get_user(session, username)
    _set_password(session, user, new, keep_session=None, now=now)
    return user


def _set_password(session: Session, user: User, new: str, *, keep_session: str | None,
                  now: dt.datetime | None) -> None:
    now = now or utcnow()
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    keep = token_digest(keep_session) if keep_session else None
    for s in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
        if s.token_hash != keep:
            session.delete(s)
    _revoke_all_tokens(session, user, now)
    session.flush()


def end_everything(session: Session, user: User, *, now: dt.datetime | None = None) -> None:
    """End all of a user's sessions and revoke all of their tokens (logout everywhere)."""
    for s in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
        session.delete(s)
    _revoke_all_tokens(session, user, now or utcnow())
    session.flush()


def _revoke_all_tokens(session: Session, user: User, now: dt.datetime) -> int:
    n = 0
    for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))):
        t.revoked, t.revoked_at = True, now
        n += 1
    return n


# sessions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class NewSession:
    token: str      # goes in the cookie, never stored
    csrf_token: str


def open_session(session: Session, user: User, *, ip: str = "", now: dt.datetime | None = None) -> NewSession:
    now = now or utcnow()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(WebSession(token_hash=token_digest(token), user_id=user.id, csrf_token=csrf,
                           created_at=now, expires_at=now + SESSION_TTL, ip=ip))
    session.flush()
    return NewSession(token, csrf)


def session_user(session: Session, token: str, *, now: dt.datetime | None = None) -> tuple[User, WebSession] | None:
    """The active user behind a session cookie, or None if unknown, expired or disabled."""
    if not token:
        return None
    ws = session.scalar(select(WebSession).where(WebSession.token_hash == token_digest(token)))
    if ws is None or ws.expires_at < (now or utcnow()):
        return None
    user = session.get(User, ws.user_id)
    if user is None or not user.active:
        return None
    return user, ws


def close_session(session: Session, token: str) -> None:
    ws = session.scalar(select(WebSession).where(WebSession.token_hash == token_digest(token)))
    if ws is not None:
        session.delete(ws)


# API tokens --------------------------------------------------------------------------
def create_token(session: Session, user: User, name: str = "", *, scope: str = "write",
                 ttl: dt.timedelta | None = TOKEN_TTL, now: dt.datetime | None = None) -> str:
    """Create a Bearer token; the plain value is returned once and never stored.

    ``scope`` 'read' allows reading only; ``ttl`` None makes a token that never expires (CLI only)."""
    if scope not in TOKEN_SCOPES:
        raise AuthError(f"令牌权限应为 {'/'.join(TOKEN_SCOPES)}，收到 {scope}")
    now = now or utcnow()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=token_digest(token), scope=scope,
                         created_at=now, expires_at=None if ttl is None else now + ttl))
    session.flush()
    return token


def token_lookup(session: Session, token: str, *, now: dt.datetime | None = None) -> tuple[User, ApiToken] | None:
    """The active user and token behind a Bearer value (None if unknown, revoked, expired or disabled)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    t = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    now = now or utcnow()
    if t is None or t.revoked or (t.expires_at is not None and t.expires_at <= now):
        return None
    user = session.get(User, t.user_id)
    if user is None or not user.active:
        return None
    if t.last_used_at is None or now - t.last_used_at > dt.timedelta(minutes=5):
        t.last_used_at = now  # coarse, so scripts do not write on every call
    return user, t


def token_user(session: Session, token: str) -> User | None:
    found = token_lookup(session, token)
    return None if found is None else found[0]


def list_tokens(session: Session, user: User | None = None) -> list[tuple[ApiToken, str]]:
    """Tokens (of one user, or all) with their owner's name, newest first."""
    q = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id.desc())
    if user is not None:
        q = q.where(ApiToken.user_id == user.id)
    return [(t, name) for t, name in session.execute(q)]


def revoke_token(session: Session, token_id: int, *, owner: User | None = None,
                 now: dt.datetime | None = None) -> ApiToken:
    """Revoke one token (``owner``: only if it is theirs — otherwise reported as not found)."""
    t = session.get(ApiToken, int(token_id))
    if t is None or (owner is not None and t.user_id != owner.id):
        raise AuthError(f"没有令牌 {token_id}")
    if not t.revoked:
        t.revoked, t.revoked_at = True, now or utcnow()
        session.flush()
    return t


def token_dict(t: ApiToken, username: str = "") -> dict:
    now = utcnow()
    state = "已撤销" if t.revoked else ("已过期" if t.expires_at is not None and t.expires_at <= now else "有效")
    return {"id": t.id, "username": username, "name": t.name, "prefix": t.prefix, "scope": t.scope,
            "created_at": t.created_at.isoformat(timespec="seconds"),
            "expires_at": t.expires_at.isoformat(timespec="seconds") if t.expires_at else None,
            "last_used_at": t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else None,
            "revoked": t.revoked, "state_zh": state}
