"""Login, logout, the caller, API tokens, users (admin) and the audit log."""

from __future__ import annotations

import datetime as dt
import os
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.auth import audit, service
from yacang.auth.roles import ROLE_ZH, Role
from yacang.web.deps import SESSION_COOKIE, Caller, admin, caller, client_ip, db, deny, state
from yacang.web.params import RowId

router = APIRouter(tags=["账号与权限"])


class LoginIn(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    password: str
    role: Role = Role.ANALYST  # least privilege unless the administrator says otherwise
    region: str = "100000"
    uscc: str | None = None
    display_name: str = ""


class TokenIn(BaseModel):
    name: str = Field("", max_length=128)
    scope: Literal["read", "write"] = "write"
    days: int = Field(90, ge=1, le=365, description="有效天数（1–365）")


class PasswordIn(BaseModel):
    old_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class ResetIn(BaseModel):
    new_password: str = Field(max_length=256)


def user_dict(u) -> dict:
    return {"username": u.username, "display_name": u.display_name, "role": u.role,
            "role_zh": ROLE_ZH[Role(u.role)], "region": u.region, "uscc": u.uscc, "active": u.active}


def cookie_secure(request: Request) -> bool:
    """``Secure`` cookies on HTTPS; behind a TLS-terminating proxy set ``YACANG_SECURE_COOKIES=proxy``
    (trust ``X-Forwarded-Proto``) or ``=1`` (always Secure)."""
    mode = os.environ.get("YACANG_SECURE_COOKIES", "").strip().lower()
    if mode in ("1", "true", "always"):
        return True
    if mode == "proxy" and request.headers.get("x-forwarded-proto", "").split(",")[0].strip() == "https":
        return True
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=cookie_secure(request), max_age=int(service.SESSION_TTL.total_seconds()))


def do_login(request: Request, response: Response, session: Session, username: str, password: str) -> dict:
    ip = client_ip(request)
    try:
        user = service.authenticate(session, username, password, ip=ip)
    except service.LoginThrottled as exc:
        audit.record(session, "login_failed", username=username, detail="throttled", ip=ip)
        session.commit()
        raise HTTPException(429, str(exc)) from None
    except service.BadCredentials as exc:
        audit.record(session, "login_failed", username=username, ip=ip)
        session.commit()
        raise HTTPException(401, str(exc)) from None
    new = service.open_session(session, user, ip=ip)
    audit.record(session, "login", user_id=user.id, username=user.username, ip=ip)
    session.commit()  # before the response: the browser's next request must find the session
    set_session_cookie(request, response, new.token)
    return {"user": user_dict(user), "csrf_token": new.csrf_token}


@router.post("/auth/login", summary="登录（设置会话 Cookie，返回 CSRF 令牌）")
def login(body: LoginIn, request: Request, response: Response, session: Session = Depends(db)) -> dict:
    return do_login(request, response, session, body.username, body.password)


@router.post("/auth/logout", summary="退出登录（everywhere=true：同时结束全部会话并撤销全部令牌）")
def logout(request: Request, response: Response, everywhere: bool = False, who: Caller = Depends(caller),
           session: Session = Depends(db)) -> dict:
    service.close_session(session, request.cookies.get(SESSION_COOKIE, ""))
    if everywhere:
        service.end_everything(session, session.merge(who.user))
    state(request).auth_cache.clear()
    audit.record(session, "logout", user_id=who.user.id, username=who.username, ip=client_ip(request),
                 detail={"everywhere": everywhere})
    session.commit()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/me", summary="当前用户与权限范围")
def me(who: Caller = Depends(caller)) -> dict:
    return {"user": user_dict(who.user), "csrf_token": who.csrf_token}


@router.post("/tokens", summary="为当前用户创建 API 令牌（只显示一次；须登录后在网页创建，令牌不能再创建令牌）")
def create_token(body: TokenIn, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    if who.via_token:
        deny(request, who, 403, "API 令牌不能用来创建新令牌：请登录网页或使用命令行 yacang users token", "token_mint")
    user = session.merge(who.user)
    token = service.create_token(session, user, body.name, scope=body.scope, ttl=dt.timedelta(days=body.days))
    audit.record(session, "token_create", user_id=user.id, username=user.username, target=body.name,
                 detail={"scope": body.scope, "days": body.days}, ip=client_ip(request))
    session.commit()  # the token must work for the very next call
    return {"token": token, "name": body.name, "scope": body.scope}


@router.get("/tokens", summary="我的 API 令牌（管理员可看全部：all=true）")
def list_tokens(all: bool = False, who: Caller = Depends(caller), session: Session = Depends(db)) -> list[dict]:
    owner = None if (all and who.scope.is_admin) else who.user
    return [service.token_dict(t, name) for t, name in service.list_tokens(session, owner)]


@router.delete("/tokens/{token_id}", summary="撤销 API 令牌（本人的；管理员可撤销任何令牌）")
def revoke_token(token_id: RowId, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    try:
        t = service.revoke_token(session, token_id, owner=None if who.scope.is_admin else who.user)
    except service.AuthError as exc:
        deny(request, who, 404, str(exc), "token_not_owned", target=f"token:{token_id}")
    audit.record(session, "token_revoke", user_id=who.user.id, username=who.username, target=f"token:{t.id}",
                 detail={"prefix": t.prefix}, ip=client_ip(request))
    session.commit()
    state(request).auth_cache.clear()  # revoked tokens stop working at once
    return {"ok": True, "id": t.id}


@router.post("/me/password", summary="修改本人密码（结束其他会话、撤销全部令牌）")
def change_password(body: PasswordIn, request: Request, who: Caller = Depends(caller),
                    session: Session = Depends(db)) -> dict:
    if who.via_token:
        deny(request, who, 403, "请登录网页后修改密码（API 令牌不能修改密码）", "token_password")
    user = session.merge(who.user)
    try:
        service.change_password(session, user, body.old_password, body.new_password,
                                keep_session=request.cookies.get(SESSION_COOKIE, ""))
    except service.BadCredentials as exc:
        deny(request, who, 403, str(exc), "bad_old_password")
    except (service.AuthError, ValueError) as exc:
        raise HTTPException(422, str(exc)) from None
    audit.record(session, "password_change", user_id=user.id, username=user.username, ip=client_ip(request))
    session.commit()
    state(request).auth_cache.clear()
    return {"ok": True}


@router.post("/users/{username}/password", summary="重置用户密码（管理员；该用户的会话与令牌全部失效）")
def reset_password(username: str, body: ResetIn, request: Request, who: Caller = Depends(admin),
                   session: Session = Depends(db)) -> dict:
    try:
        u = service.reset_password(session, username, body.new_password)
    except service.AuthError as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    audit.record(session, "password_reset", user_id=who.user.id, username=who.username, target=u.username,
                 ip=client_ip(request))
    session.commit()
    state(request).auth_cache.clear()
    return {"ok": True}


@router.get("/users", summary="用户列表（管理员）")
def users(who: Caller = Depends(admin), session: Session = Depends(db)) -> list[dict]:
    return [user_dict(u) for u in service.list_users(session)]


@router.post("/users", summary="新增用户（管理员）")
def add_user(body: UserIn, request: Request, who: Caller = Depends(admin), session: Session = Depends(db)) -> dict:
    try:
        u = service.add_user(session, body.username, body.password, body.role.value, region=body.region,
                             uscc=body.uscc, display_name=body.display_name)
    except (service.AuthError, ValueError) as exc:
        raise HTTPException(422, str(exc)) from None
    audit.record(session, "user_add", user_id=who.user.id, username=who.username, target=u.username,
                 detail={"role": u.role, "region": u.region, "uscc": u.uscc}, ip=client_ip(request))
    session.commit()
    return user_dict(u)


@router.post("/users/{username}/disable", summary="停用用户（管理员）")
def disable_user(username: str, request: Request, who: Caller = Depends(admin), session: Session = Depends(db)) -> dict:
    try:
        u = service.set_active(session, username, False)
        state(request).auth_cache.clear()
    except service.AuthError as exc:
        raise HTTPException(404, str(exc)) from None
    audit.record(session, "user_disable", user_id=who.user.id, username=who.username, target=username,
                 ip=client_ip(request))
    session.commit()
    return user_dict(u)


@router.get("/audit", summary="审计日志（管理员）")
def audit_log(action: str | None = None, limit: int = 200, who: Caller = Depends(admin),
              session: Session = Depends(db)) -> list[dict]:
    return [{"at": e.at.isoformat(), "username": e.username, "action": e.action,
             "action_zh": audit.ACTION_ZH.get(e.action, e.action), "target": e.target, "detail": e.detail,
             "ip": e.ip} for e in audit.events(session, action=action, limit=min(limit, 1000))]
