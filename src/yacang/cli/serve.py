"""``yacang serve``: the web app and API, owning the warehouse while it runs (CLI commands go through it)."""

from __future__ import annotations

import os

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
    from yacang.service import ServerInfo, read_server_file, remove_server_file, write_server_file
    from yacang.service.server_file import new_token
    from yacang.settings import get_settings

    if workers != 1:
        abort("--workers 只能为 1：DuckDB 数据仓库只允许一个进程写入；服务在进程内用多线程并发处理网页请求，"
              "读取各用独立游标，不必多进程。需要更多进程时请把应用数据库放在 PostgreSQL 并在前面加反向代理。")
    settings = get_settings()
    settings.ensure_home()
    running = read_server_file(settings.home)
    if running is not None:
        abort(f"该数据目录（{settings.home}）已有 yacang 服务在运行：{running.url}（进程 {running.pid}）")
    upgrade(app_db_url())
    from yacang.cli.web import secure_app_files

    secure_app_files()  # app database and warehouse readable by their owner only (0600)
    token = new_token()
    os.environ["YACANG_JOB_TOKEN"] = token
    write_server_file(settings.home, ServerInfo(host=host, port=port, pid=os.getpid(), token=token))
    console.print(f"压舱 yacang 服务：http://{host}:{port}/ （API 文档 /docs）；数据目录 {settings.home}")
    console.print(f"网页生成的通报：{_bulletin_folder(settings)}（按 yacang.toml 的 output_dir，修改后无需重启）",
                  highlight=False)
    try:
        uvicorn.run("yacang.web.app:create_app", factory=True, host=host, port=port, workers=1,
                    log_level="warning")
    finally:
        remove_server_file(settings.home, pid=os.getpid())


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
