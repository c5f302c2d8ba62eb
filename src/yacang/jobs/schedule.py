"""The recurring work of a 运行监测处 as scheduled tasks: the monthly job after the NBS release, appeal
escalation every few minutes, and the 催报 reminder. Each task is a yacang command (``yacang schedule``
runs it through the server when one owns the warehouse, so it shows in the web's job list); its result
is sent to the configured webhook or e-mail."""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from yacang.job_config import Config, NotifyConfig


@dataclass(frozen=True)
class Task:
    name: str
    name_zh: str
    argv: tuple[str, ...]
    cron: dict[str, str]  # APScheduler CronTrigger fields (empty when ``every`` is set)
    every: int | None = None  # minutes between runs, for intervals a cron minute field cannot express
    catch_up: bool = False  # a run missed while ``yacang schedule`` was not running is made up at start

    def trigger(self, timezone: str):
        """The APScheduler trigger of this task."""
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        if self.every is not None:
            return IntervalTrigger(minutes=self.every, timezone=timezone)
        return CronTrigger(timezone=timezone, **self.cron)


class NotifyError(RuntimeError):
    """A result that could not be sent where [notify] says (Chinese message)."""


@dataclass(frozen=True)
class TaskResult:
    task: Task
    exit_code: int
    lines: list[str]

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def summary_zh(self) -> str:
        state = "完成" if self.ok else f"失败（退出码 {self.exit_code}）"
        return f"定时任务“{self.task.name_zh}”{state}"


def _hm(text: str) -> tuple[str, str]:
    h, m = text.split(":")
    return str(int(h)), str(int(m))


def tasks(cfg: Config) -> list[Task]:
    """The scheduled tasks of a configuration."""
    s = cfg.schedule
    mh, mm = _hm(s.monthly_time)
    rh, rm = _hm(s.reminder_time)
    return [
        Task("monthly", "月度主任务（yacang run）", ("run",), {"day": str(s.monthly_day), "hour": mh, "minute": mm},
             catch_up=True),
        _every("escalate", "企业诉求超时升级", ("appeals", "escalate"), s.escalation_minutes),
        Task("remind", "企业月报催报", ("microdata", "late"), {"day": str(s.reminder_day), "hour": rh, "minute": rm},
             catch_up=True),
    ]


def _every(name: str, name_zh: str, argv: tuple[str, ...], minutes: int) -> Task:
    """A task every ``minutes``: on the clock (:00, :05 …) when the minutes divide an hour, else an interval."""
    if 60 % minutes == 0:
        return Task(name, name_zh, argv, {"minute": f"*/{minutes}"})
    return Task(name, name_zh, argv, {}, every=minutes)


STATE_FILE = "schedule-state.json"  # in YACANG_HOME: when each monthly task last ran (or scheduling began)


class ScheduleStateError(RuntimeError):
    """The record of past runs cannot be read (Chinese message)."""


def last_due(task: Task, timezone: str, now: dt.datetime, window_days: int = 62) -> dt.datetime | None:
    """The latest time ``task`` was due at or before ``now``, looking back ``window_days``; None if none."""
    trigger = task.trigger(timezone)
    due, t = None, trigger.get_next_fire_time(None, now - dt.timedelta(days=window_days))
    while t is not None and t <= now:
        due, t = t, trigger.get_next_fire_time(t, t + dt.timedelta(seconds=1))
    return due


def read_state(home: Path) -> dict[str, dt.datetime]:
    path = home / STATE_FILE
    if not path.exists():
        return {}
    try:
        return {k: dt.datetime.fromisoformat(v) for k, v in json.loads(path.read_text("utf-8")).items()}
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ScheduleStateError(f"无法读取定时任务运行记录 {path}（{exc}）：请检查或删除该文件后重试"
                                 "（删除后不补运行此前错过的任务）。") from None


def record_run(home: Path, task: Task, at: dt.datetime) -> None:
    """Note that ``task`` ran (or that scheduling of it began) at ``at``."""
    state = read_state(home)
    state[task.name] = at
    home.mkdir(parents=True, exist_ok=True)
    (home / STATE_FILE).write_text(json.dumps({k: v.isoformat() for k, v in state.items()}), encoding="utf-8")


def missed_runs(home: Path, cfg: Config, now: dt.datetime) -> list[tuple[Task, dt.datetime]]:
    """Catch-up tasks due since they last ran (while ``yacang schedule`` was stopped), with the time each
    was due. A task never recorded starts its record now: nothing before that is owed."""
    state = read_state(home)
    out: list[tuple[Task, dt.datetime]] = []
    for task in tasks(cfg):
        if not task.catch_up:
            continue
        if task.name not in state:
            record_run(home, task, now)
            continue
        due = last_due(task, cfg.schedule.timezone, now)
        if due is not None and state[task.name] < due:
            out.append((task, due))
    return out


def task_named(cfg: Config, name: str) -> Task:
    found = {t.name: t for t in tasks(cfg)}
    if name not in found:
        raise KeyError(f"没有定时任务 {name}（可用：{', '.join(found)}）")
    return found[name]


def notify(cfg: NotifyConfig, result: TaskResult) -> list[str]:
    """Send the result where configured; returns what was done, in Chinese (nothing configured: []).
    Every configured channel is tried; any that fails raises :class:`NotifyError` naming it."""
    done: list[str] = []
    failed: list[str] = []
    body = {"task": result.task.name, "task_zh": result.task.name_zh, "ok": result.ok,
            "exit_code": result.exit_code, "summary": result.summary_zh(), "lines": result.lines[-50:]}
    if cfg.webhook:
        try:
            _post(cfg.webhook, body)
            done.append(f"已通知 {cfg.webhook}")
        except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts, refused connections
            failed.append(f"webhook {cfg.webhook} 未能送达（{_reason(exc)}）")
    if cfg.email_to and cfg.smtp_host:
        try:
            _mail(cfg, result)
            done.append(f"已发邮件给 {', '.join(cfg.email_to)}")
        except (OSError, smtplib.SMTPException) as exc:
            failed.append(f"邮件（{cfg.smtp_host}:{cfg.smtp_port}）未能发送（{_reason(exc)}）")
    if failed:
        raise NotifyError("；".join([*failed, *done]) + "。请检查 yacang.toml 的 [notify] 与网络。")
    return done


def _post(url: str, body: dict) -> None:
    req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=30):
        pass


def _mail(cfg: NotifyConfig, result: TaskResult) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"[yacang] {result.summary_zh()}"
    msg["From"], msg["To"] = cfg.email_from, ", ".join(cfg.email_to)
    msg.set_content("\n".join([result.summary_zh(), "", *result.lines[-50:]]))
    with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=30) as smtp:
        smtp.send_message(msg)


def _reason(exc: BaseException) -> str:
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__
