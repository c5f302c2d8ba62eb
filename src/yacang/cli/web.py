"""CLI for the web app: ``yacang serve`` and ``yacang users add|list|disable|token``."""

from __future__ import annotations

import typer

from yacang.cli.common import abort, console

users_app = typer.Typer(help="用户与权限：新增、列出、停用用户，创建 API 令牌", no_args_is_help=True)


def _session():
    from yacang.appdb.base import app_db_url, session_scope
    from yacang.appdb.migrate import upgrade

    upgrade(app_db_url())
    return session_scope()


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="用户名"),
    role: str = typer.Option(..., "--role", help="admin / officer / analyst / enterprise"),
    region: str = typer.Option("100000", "--region", help="地区代码（地区用户的辖区，如 440000）"),
    uscc: str | None = typer.Option(None, "--uscc", help="企业用户的统一社会信用代码"),
    name: str = typer.Option("", "--name", help="姓名或单位"),
    password: str = typer.Option(..., "--password", prompt="密码", hide_input=True, confirmation_prompt=True,
                                 help="至少8个字符"),
) -> None:
    """新增用户。"""
    from yacang.auth import audit, service

    try:
        with _session() as s:
            u = service.add_user(s, username, password, role, region=region, uscc=uscc, display_name=name)
            audit.record(s, "user_add", username="cli", target=u.username, detail={"role": role, "region": u.region})
    except (service.AuthError, ValueError) as exc:
        abort(str(exc))
    console.print(f"已新增用户 {username}（{role}，地区 {u.region}{'，企业 ' + u.uscc if u.uscc else ''}）")


@users_app.command("list")
def users_list() -> None:
    """列出用户。"""
    from rich.table import Table

    from yacang.auth import service
    from yacang.auth.roles import ROLE_ZH, Role

    t = Table(title="用户")
    for col in ("用户名", "姓名", "角色", "地区", "信用代码", "状态"):
        t.add_column(col)
    with _session() as s:
        for u in service.list_users(s):
            t.add_row(u.username, u.display_name, ROLE_ZH[Role(u.role)], u.region, u.uscc or "",
                      "启用" if u.active else "停用")
    console.print(t)


@users_app.command("disable")
def users_disable(username: str = typer.Argument(..., help="用户名")) -> None:
    """停用用户（同时结束其会话、撤销其令牌）。"""
    from yacang.auth import audit, service

    try:
        with _session() as s:
            service.set_active(s, username, False)
            audit.record(s, "user_disable", username="cli", target=username)
    except service.AuthError as exc:
        abort(str(exc))
    console.print(f"已停用用户 {username}")


@users_app.command("token")
def users_token(username: str = typer.Argument(..., help="用户名"),
                name: str = typer.Option("script", "--name", help="令牌用途")) -> None:
    """为用户创建 API 令牌（Bearer，只显示一次）。"""
    from yacang.auth import audit, service

    try:
        with _session() as s:
            token = service.create_token(s, service.get_user(s, username), name)
            audit.record(s, "token_create", username="cli", target=username, detail=name)
    except service.AuthError as exc:
        abort(str(exc))
    console.print(token)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(users_app, name="users")
