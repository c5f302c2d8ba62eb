"""Login, logout, the caller, API tokens, users (admin) and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from yacang.auth import audit, service
from yacang.auth.roles import ROLE_ZH, Role
from yacang.web.deps import SESSION_COOKIE, Caller, admin, caller, client_ip, db, state

router = APIRouter(tags=["账号与权限"])


class LoginIn(BaseModel):
    username: str
    password: str


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    password: str
    role: Role
    region: str = "100000"
    uscc: str | None = None
    display_name: str = ""


class TokenIn(BaseModel):
    name: str = ""


def user_dict(u) -> dict:
    return {"username": u.username, "display_name": u.display_name, "role": u.role,
            "role_zh": ROLE_ZH[Role(u.role)], "region": u.region, "uscc": u.uscc, "active": u.active}


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https", max_age=int(service.SESSION_TTL.total_seconds()))


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


@router.post("/auth/logout", summary="退出登录")
def logout(request: Request, response: Response, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    service.close_session(session, request.cookies.get(SESSION_COOKIE, ""))
    state(request).auth_cache.clear()
    audit.record(session, "logout", user_id=who.user.id, username=who.username, ip=client_ip(request))
    session.commit()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/me", summary="当前用户与权限范围")
def me(who: Caller = Depends(caller)) -> dict:
    return {"user": user_dict(who.user), "csrf_token": who.csrf_token}


@router.post("/tokens", summary="为当前用户创建 API 令牌（只显示一次）")
def create_token(body: TokenIn, request: Request, who: Caller = Depends(caller), session: Session = Depends(db)) -> dict:
    user = session.merge(who.user)
    token = service.create_token(session, user, body.name)
    audit.record(session, "token_create", user_id=user.id, username=user.username, target=body.name,
                 ip=client_ip(request))
    session.commit()  # the token must work for the very next call
    return {"token": token, "name": body.name}


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
