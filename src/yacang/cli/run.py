"""``yacang run`` (the main job) and ``yacang init`` (write an example yacang.toml)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add ``run`` and ``init`` to the main app."""

    @app.command("run")
    def run(
        config: Path | None = typer.Option(None, "--config", "-c", help="配置文件（默认当前目录的 yacang.toml）"),
        period: str | None = typer.Option(None, "--period", help="通报期，如 2022-03（默认最近完整月份）"),
        region: str | None = typer.Option(None, "--region", help="通报地区：代码或名称，如 440000、广东、江苏省（默认配置或全国）"),
        source: list[Path] = typer.Option([], "--source", "-s", help="真实数据文件（可多次指定）；指定后不使用示例数据"),
        force: bool = typer.Option(False, "--force", help="输入未变也重新测算（默认沿用上次结果）"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度"),
    ) -> None:
        """主任务：导入配置或 --source 指定的数据（都没有时生成示例数据）、测算、预警、生成通报并打印摘要。

        示例数据与真实数据不混用：数据仓库已有示例数据时指定真实数据源会被拒绝，请换用新的 YACANG_HOME。
        """
        import time

        from yacang.cli.common import abort, job_progress, open_warehouse
        from yacang.cli.summary import print_summary
        from yacang.job_config import ConfigError, load_config
        from yacang.jobs.errors import JobError
        from yacang.jobs.main_job import run_main_job
        from yacang.report.errors import ReportError

        start = time.perf_counter()
        try:
            cfg = load_config(config)
        except ConfigError as exc:
            abort(str(exc))
        if period:
            cfg.yacang.period = period
        if region:
            from yacang.catalog.regions import RegionError, resolve_region

            try:
                cfg.yacang.region = resolve_region(region).code
            except RegionError as exc:
                abort(str(exc))
        if source:
            missing = [str(p) for p in source if not p.exists()]
            if missing:
                abort(f"找不到数据文件：{'、'.join(missing)}（相对路径从当前目录 {Path.cwd()} 算起）。"
                      "请检查文件名，或改用绝对路径")
            cfg.sources.files = [*cfg.sources.files, *(str(p.resolve()) for p in source)]
        wh = open_warehouse()
        try:
            with job_progress(quiet) as progress:
                summary = run_main_job(wh, cfg, reuse=not force, progress=progress)
        except (JobError, ReportError) as exc:
            abort(str(exc))
        finally:
            wh.close()
        print_summary(summary, time.perf_counter() - start)

    @app.command("init")
    def init(path: Path = typer.Argument(Path("yacang.toml"), help="要写入的配置文件")) -> None:
        """写出带注释的 yacang.toml 示例配置。"""
        from yacang.cli.common import abort, console
        from yacang.job_config import ConfigError, write_example

        try:
            write_example(path)
        except ConfigError as exc:
            abort(str(exc))
        console.print(f"已写出 {path}：编辑 [sources] 与 [targets] 后运行 yacang run", markup=False, highlight=False)
