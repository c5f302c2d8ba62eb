"""CLI for the web app: ``yacang serve`` and ``yacang users add|list|disable|token``."""

from __future__ import annotations

from pathlib import Path

import typer

from yacang.cli.common import abort, console, region_names

users_app = typer.Typer(help="用户与权限：新增、列出、停用用户，创建 API 令牌", no_args_is_help=True)


def _session():
    from yacang.appdb.base import app_db_url, session_scope
    from yacang.appdb.migrate import upgrade

    upgrade(app_db_url())
    return session_scope()


def read_password(from_stdin: bool) -> str:
    """The new password: from standard input (``--password-stdin``, for scripts), the hidden
    ``YACANG_NEW_PASSWORD`` environment variable, or an interactive prompt — never a command-line
    argument (it would show in ``ps`` and the shell history)."""
    import os
    import sys

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    env = os.environ.get("YACANG_NEW_PASSWORD")
    if env:
        return env
    try:
        return typer.prompt("密码（至少8个字符）", hide_input=True, confirmation_prompt=True)
    except typer.Abort:  # end of input (no terminal) or Ctrl-C at the prompt
        abort("没有读到密码（已取消，或标准输入不是终端）：请在终端中按提示输入两次，"
              "或用 --password-stdin 从标准输入读取（如 echo 密码 | yacang users add …）")
        raise


def secure_app_files() -> None:
    """The app database and the warehouse are readable by their owner only (0600)."""
    from yacang.appdb.base import app_db_url
    from yacang.settings import get_settings

    s = get_settings()
    url = app_db_url()
    paths = [s.warehouse_path]
    if url.startswith("sqlite:///"):
        db = Path(url.removeprefix("sqlite:///"))
        paths += [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    for p in paths:
        if p is not None and Path(p).exists():
            Path(p).chmod(0o600)


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="用户名"),
    role: str = typer.Option("analyst", "--role", help="analyst（默认，只读）/ officer / enterprise / admin"),
    region: str | None = typer.Option(None, "--region", help="辖区：代码或名称（如 440000、广东）；管理员默认全国，其他角色必填"),
    uscc: str | None = typer.Option(None, "--uscc", help="企业用户的统一社会信用代码"),
    name: str = typer.Option("", "--name", help="姓名或单位"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码（脚本用）"),
) -> None:
    """新增用户（密码在提示符下输入，或用 --password-stdin 从标准输入读取）。"""
    from yacang.auth import audit, service
    from yacang.auth.roles import ROLE_ZH, Role
    from yacang.catalog.regions import NATION, RegionError, resolve_region

    if region is None and role not in ("admin", "enterprise"):
        abort("请用 --region 指定该用户的辖区（代码或名称，如 440000 或 广东；全国为 100000）")
    try:
        code = resolve_region(region).code if region else NATION
    except RegionError as exc:
        abort(str(exc))
        return
    password = read_password(password_stdin)
    try:
        with _session() as s:
            u = service.add_user(s, username, password, role, region=code, uscc=uscc, display_name=name)
            audit.record(s, "user_add", username="cli", target=u.username, detail={"role": role, "region": u.region})
    except (service.AuthError, ValueError) as exc:
        abort(str(exc))
    secure_app_files()
    role_zh = ROLE_ZH.get(Role(role), role) if role in {r.value for r in Role} else role
    console.print(f"已新增用户 {username}（{role_zh}，地区 {region_names([u.region])[0]}"
                  f"{'，企业 ' + u.uscc if u.uscc else ''}）", highlight=False)


@users_app.command("password")
def users_password(username: str = typer.Argument(..., help="用户名"),
                   password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取新密码")) -> None:
    """重置用户密码（该用户的全部会话结束、令牌撤销）。"""
    from yacang.auth import audit, service

    password = read_password(password_stdin)
    try:
        with _session() as s:
            service.reset_password(s, username, password)
            audit.record(s, "password_reset", username="cli", target=username)
    except (service.AuthError, ValueError) as exc:
        abort(str(exc))
    console.print(f"已重置用户 {username} 的密码；其会话与 API 令牌均已失效")


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
            t.add_row(u.username, u.display_name, ROLE_ZH[Role(u.role)], region_names([u.region])[0], u.uscc or "",
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
                name: str = typer.Option("script", "--name", help="令牌用途"),
                scope: str = typer.Option("write", "--scope", help="read 只读 / write 可写"),
                days: int = typer.Option(90, "--days", help="有效天数（0 为永不过期，慎用）")) -> None:
    """为用户创建 API 令牌（Bearer，只显示一次）。"""
    import datetime as dt

    from yacang.auth import audit, service

    if days < 0:
        abort("有效天数不能为负数")
    try:
        with _session() as s:
            token = service.create_token(s, service.get_user(s, username), name, scope=scope,
                                         ttl=dt.timedelta(days=days) if days else None)
            audit.record(s, "token_create", username="cli", target=username,
                         detail={"name": name, "scope": scope, "days": days})
    except service.AuthError as exc:
        abort(str(exc))
    console.print(token)


@users_app.command("tokens")
def users_tokens(username: str = typer.Argument(None, help="用户名；不给则列出全部")) -> None:
    """列出 API 令牌（只显示前缀）。"""
    from rich.table import Table

    from yacang.auth import service

    t = Table(title="API 令牌")
    for col in ("编号", "用户", "用途", "前缀", "权限", "创建", "到期", "最近使用", "状态"):
        t.add_column(col)
    try:
        with _session() as s:
            owner = service.get_user(s, username) if username else None
            for tok, who in service.list_tokens(s, owner):
                d = service.token_dict(tok, who)
                t.add_row(str(d["id"]), who, d["name"], d["prefix"], d["scope"], d["created_at"],
                          d["expires_at"] or "永不", d["last_used_at"] or "", d["state_zh"])
    except service.AuthError as exc:
        abort(str(exc))
    console.print(t)


@users_app.command("revoke-token")
def users_revoke_token(token_id: int = typer.Argument(..., help="令牌编号（见 yacang users tokens）")) -> None:
    """撤销 API 令牌（运行中的服务在数秒内生效）。"""
    from yacang.auth import audit, service

    try:
        with _session() as s:
            tok = service.revoke_token(s, token_id)
            audit.record(s, "token_revoke", username="cli", target=f"token:{tok.id}", detail={"prefix": tok.prefix})
    except service.AuthError as exc:
        abort(str(exc))
    console.print(f"已撤销令牌 {token_id}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(users_app, name="users")
