"""``yacang schedule``: run the recurring tasks (monthly job, appeal escalation, 催报 reminder)."""

from __future__ import annotations

import io

import typer

from yacang.cli.common import abort, console, err_console


def zone_zh(timezone: str) -> str:
    """The time zone as officials name it: 北京时间 for Asia/Shanghai (the default), else the zone's name."""
    from yacang.formatting import BEIJING

    return "北京时间" if timezone == BEIJING else f"时区 {timezone}"


def run_task(task, home):
    """Run a task's command: as a job of the running server (visible in its job list), or here. A server
    that cannot be used (unreachable, untrusted server file) fails the task with the reason."""
    from yacang.jobs.schedule import TaskResult
    from yacang.service import ServiceError, read_server_file

    buf = io.StringIO()
    try:
        info = read_server_file(home)
        if info is not None:
            from yacang.service.client import run_through_server

            code = run_through_server(info, list(task.argv), out=buf, err=buf)
        else:
            from yacang.cli.inprocess import run_cli

            code = run_cli(list(task.argv), buf.write, service=False)
    except ServiceError as exc:
        buf.write(f"错误：{exc}\n")
        code = 1
    return TaskResult(task, code, buf.getvalue().splitlines())


def schedule(
    config: str | None = typer.Option(None, "--config", "-c", help="配置文件（默认当前目录的 yacang.toml）"),
    list_only: bool = typer.Option(False, "--list", help="只列出任务及下次运行时间"),
    once: str | None = typer.Option(None, "--once", help="立即运行一次指定任务：monthly / escalate / remind"),
) -> None:
    """定时任务：国家统计局发布日后的月度主任务、企业诉求超时升级、月报催报；结果发往配置的 webhook/邮件。
    前台运行（Ctrl-C 停止）；也可用 systemd 或 cron 调用 yacang schedule --once（见 README）。"""
    from pathlib import Path

    from apscheduler.schedulers.blocking import BlockingScheduler

    from yacang.job_config import ConfigError, load_config
    from yacang.jobs.schedule import (
        NotifyError,
        ScheduleStateError,
        missed_runs,
        notify,
        read_state,
        record_run,
        task_named,
        tasks,
    )
    from yacang.settings import get_settings

    try:
        cfg = load_config(Path(config) if config else None)
    except ConfigError as exc:
        abort(str(exc))
        return
    home = get_settings().home
    try:
        read_state(home)  # the record of past runs: unreadable is an error before anything runs
    except ScheduleStateError as exc:
        abort(str(exc))
        return

    def fire(task) -> int:
        import datetime as dt

        if task.catch_up:
            record_run(home, task, dt.datetime.now(dt.UTC))
        result = run_task(task, home)
        for line in result.lines:
            console.print(line, highlight=False, markup=False)
        console.print(result.summary_zh(), highlight=False)
        try:
            for line in notify(cfg.notify, result):
                console.print(line, highlight=False)
        except NotifyError as exc:
            from rich.markup import escape

            err_console.print(f"[bold red]错误[/]：定时任务“{task.name_zh}”的结果未能通知：{escape(str(exc))}",
                              highlight=False)  # the reason names [notify]: text, not markup
            return result.exit_code or 1
        return result.exit_code

    if once is not None:
        if list_only:
            abort("--list 与 --once 不能同时使用：--list 只列出任务，--once 立即运行一个任务")
        try:
            task = task_named(cfg, once)
        except KeyError as exc:
            abort(str(exc.args[0]))
            return
        raise typer.Exit(fire(task))
    sched = BlockingScheduler(timezone=cfg.schedule.timezone)
    for task in tasks(cfg):
        sched.add_job(fire, task.trigger(cfg.schedule.timezone), args=[task], id=task.name,
                      name=task.name_zh, max_instances=1, coalesce=True,
                      misfire_grace_time=None)  # a run due while the machine slept runs late, once
    import datetime as dt
    from zoneinfo import ZoneInfo

    now = dt.datetime.now(ZoneInfo(cfg.schedule.timezone))
    for job in sched.get_jobs():
        nxt = job.trigger.get_next_fire_time(None, now)
        console.print(f"{job.name}：下次运行 {nxt:%Y-%m-%d %H:%M}（{zone_zh(cfg.schedule.timezone)}）", highlight=False)
    if list_only:
        return
    try:
        owed = missed_runs(home, cfg, dt.datetime.now(dt.UTC))
    except ScheduleStateError as exc:
        abort(str(exc))
        return
    for task, due in owed:
        console.print(f"{task.name_zh} 应于 {due.astimezone(ZoneInfo(cfg.schedule.timezone)):%Y-%m-%d %H:%M}"
                      f"（{zone_zh(cfg.schedule.timezone)}）运行，"
                      "当时定时任务未在运行：现在补运行", highlight=False)
        fire(task)
    console.print("定时任务已启动（Ctrl-C 停止）")
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        console.print("定时任务已停止")


def register(app: typer.Typer) -> None:
    app.command("schedule")(schedule)
