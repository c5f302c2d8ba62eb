"""``yacang schedule``: run the recurring tasks (monthly job, appeal escalation, 催报 reminder)."""

from __future__ import annotations

import io

import typer

from yacang.cli.common import abort, console


def run_task(task, home):
    """Run a task's command: as a job of the running server (visible in its job list), or here."""
    from yacang.jobs.schedule import TaskResult
    from yacang.service import read_server_file

    info = read_server_file(home)
    buf = io.StringIO()
    if info is not None:
        from yacang.service.client import run_through_server

        code = run_through_server(info, list(task.argv), out=buf)
    else:
        from yacang.cli.inprocess import run_cli

        code = run_cli(list(task.argv), buf.write)
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
    from apscheduler.triggers.cron import CronTrigger

    from yacang.job_config import ConfigError, load_config
    from yacang.jobs.schedule import notify, task_named, tasks
    from yacang.settings import get_settings

    try:
        cfg = load_config(Path(config) if config else None)
    except ConfigError as exc:
        abort(str(exc))
        return
    home = get_settings().home

    def fire(task) -> int:
        result = run_task(task, home)
        for line in result.lines:
            console.print(line, highlight=False, markup=False)
        console.print(result.summary_zh(), highlight=False)
        for line in notify(cfg.notify, result):
            console.print(line, highlight=False)
        return result.exit_code

    if once:
        try:
            task = task_named(cfg, once)
        except KeyError as exc:
            abort(str(exc.args[0]))
            return
        raise typer.Exit(fire(task))
    sched = BlockingScheduler(timezone=cfg.schedule.timezone)
    for task in tasks(cfg):
        sched.add_job(fire, CronTrigger(timezone=cfg.schedule.timezone, **task.cron), args=[task], id=task.name,
                      name=task.name_zh, max_instances=1, coalesce=True, misfire_grace_time=3600)
    import datetime as dt
    from zoneinfo import ZoneInfo

    now = dt.datetime.now(ZoneInfo(cfg.schedule.timezone))
    for job in sched.get_jobs():
        nxt = job.trigger.get_next_fire_time(None, now)
        console.print(f"{job.name}：下次运行 {nxt:%Y-%m-%d %H:%M}（{cfg.schedule.timezone}）", highlight=False)
    if list_only:
        return
    console.print("定时任务已启动（Ctrl-C 停止）")
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        console.print("定时任务已停止")


def register(app: typer.Typer) -> None:
    app.command("schedule")(schedule)
