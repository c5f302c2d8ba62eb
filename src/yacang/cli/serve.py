"""``yacang serve``: the web app and API, owning the warehouse while it runs (CLI commands go through it)."""

from __future__ import annotations

import os
import socket

import typer

from yacang.cli.common import abort, console


def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址"),
          port: int = typer.Option(8000, "--port", help="端口"),
          workers: int = typer.Option(1, "--workers", help="进程数：只能为 1（见说明）")) -> None:
    """启动网页与 API 服务（OpenAPI 文档在 /docs）。服务运行期间由它独占数据仓库：同一 YACANG_HOME 下的
    yacang 命令（导入、run、通报等）自动提交给服务的作业队列执行，网页读取不受作业影响。"""
    import uvicorn

    from yacang.appdb.base import app_db_url
    from yacang.appdb.migrate import upgrade
    from yacang.service import ServerInfo, remove_server_file, write_server_file
    from yacang.service.server_file import new_token, process_start
    from yacang.settings import get_settings

    if workers != 1:
        abort("--workers 只能为 1：DuckDB 数据仓库只允许一个进程写入；服务在进程内用多线程并发处理网页请求，"
              "读取各用独立游标，不必多进程。需要更多进程时请把应用数据库放在 PostgreSQL 并在前面加反向代理。")
    settings = get_settings()
    settings.ensure_home()
    _refuse_running(settings.home)
    _wait_for_warehouse()
    upgrade(app_db_url())
    from yacang.cli.web import secure_app_files

    secure_app_files()  # app database and warehouse readable by their owner only (0600)
    sock = _listen(host, port)  # before announcing: the file never names a port another program holds
    port = sock.getsockname()[1]
    token = new_token()
    os.environ["YACANG_JOB_TOKEN"] = token
    me = ServerInfo(host=host, port=port, pid=os.getpid(), token=token, started=process_start(os.getpid()))
    try:
        write_server_file(settings.home, me)
    except FileExistsError:  # another server announced itself since the check above
        sock.close()
        _refuse_running(settings.home)
        abort(f"该数据目录（{settings.home}）的服务文件 server.json 刚被另一个进程写入，本服务未启动。")
    console.print(f"压舱 yacang 服务：http://{host}:{port}/ （API 文档 /docs）；数据目录 {settings.home}")
    console.print(f"网页生成的通报：{_bulletin_folder(settings)}（按 yacang.toml 的 output_dir，修改后无需重启）",
                  highlight=False)
    hint = no_users_hint()
    if hint:
        console.print(hint, highlight=False)
    server = uvicorn.Server(uvicorn.Config("yacang.web.app:create_app", factory=True, host=host, port=port,
                                           workers=1, log_level="warning"))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        remove_server_file(settings.home, pid=os.getpid())
        sock.close()
    if not server.started:
        abort("服务未能启动（原因见上方日志）")


def _wait_for_warehouse() -> None:
    """Start only once no other process holds the warehouse (a ``yacang run`` begun before the server): the
    server's jobs and pages would fail on its lock. Waits with a message like any CLI command, then stops."""
    from yacang.cli.common import open_warehouse

    open_warehouse().close()


def no_users_hint() -> str | None:
    """What to do first when no one can sign in yet (a fresh YACANG_HOME has no users)."""
    from yacang.auth import service
    from yacang.cli.web import _session

    with _session() as s:
        if service.list_users(s):
            return None
    return ("尚无用户，网页无法登录：请在另一个终端运行 yacang users add admin --role admin 创建管理员"
            "（服务运行时即可添加），再用该账号登录。")


def _listen(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound now; a port in use or an address not of this machine is a
    Chinese error (exit 1)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        abort(f"无法在 {host}:{port} 上启动服务：{_bind_reason(exc, host, port)}")
    sock.set_inheritable(True)
    return sock


def _bind_reason(exc: OSError, host: str, port: int) -> str:
    """Why the address could not be bound, and what to do, in Chinese."""
    import errno

    if isinstance(exc, socket.gaierror):
        return f"无法解析地址 {host}。请用 --host 指定本机的 IP 地址（如 127.0.0.1，或 0.0.0.0 表示本机所有地址）。"
    if exc.errno == errno.EADDRINUSE:
        return f"端口 {port} 已被其他程序占用。请用 --port 换一个端口。"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} 不是本机的地址。请用 --host 指定本机的地址（如 127.0.0.1，或 0.0.0.0 表示本机所有地址）。"
    if exc.errno == errno.EACCES:
        return f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）。请用 --port 换一个 1024 以上的端口。"
    return f"{exc.strerror or exc}。请用 --port 换一个端口，或用 --host 指定本机的地址。"


def _refuse_running(home) -> None:
    """Stop (exit 1) when a server already runs on ``home`` or its server file cannot be trusted."""
    from yacang.service import ServiceError, read_server_file

    try:
        running = read_server_file(home)
    except ServiceError as exc:
        abort(str(exc))
        return
    if running is not None:
        abort(f"该数据目录（{home}）已有 yacang 服务在运行：{running.url}（进程 {running.pid}），本服务未启动。"
              "同一数据目录的 yacang 命令会自动交给该服务执行，不必再启动；如需重启，请先停止它"
              f"（在其终端按 Ctrl-C，或 kill {running.pid}），再运行 yacang serve。")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("serve")(serve)


def _bulletin_folder(settings) -> str:
    """Where the web writes bulletins now (the server re-reads yacang.toml on each request)."""
    from yacang.cli.common import output_root
    from yacang.job_config import ConfigError, load_config

    try:
        return str(output_root(load_config(), settings.output_dir) / "web-bulletins")
    except ConfigError as exc:
        abort(str(exc))
        raise
