"""The recurring work of a 运行监测处 as scheduled tasks: the monthly job after the NBS release, appeal
escalation every few minutes, and the 催报 reminder. Each task is a yacang command (``yacang schedule``
runs it through the server when one owns the warehouse, so it shows in the web's job list); its result
is sent to the configured webhook or e-mail."""

from __future__ import annotations

import json
import smtplib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage

from yacang.job_config import Config, NotifyConfig


@dataclass(frozen=True)
class Task:
    name: str
    name_zh: str
    argv: tuple[str, ...]
    cron: dict[str, str]  # APScheduler CronTrigger fields


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
        Task("monthly", "月度主任务（yacang run）", ("run",), {"day": str(s.monthly_day), "hour": mh, "minute": mm}),
        Task("escalate", "企业诉求超时升级", ("appeals", "escalate"), {"minute": f"*/{s.escalation_minutes}"}),
        Task("remind", "企业月报催报", ("microdata", "late"), {"day": str(s.reminder_day), "hour": rh, "minute": rm}),
    ]


def task_named(cfg: Config, name: str) -> Task:
    found = {t.name: t for t in tasks(cfg)}
    if name not in found:
        raise KeyError(f"没有定时任务 {name}（可用：{', '.join(found)}）")
    return found[name]


def notify(cfg: NotifyConfig, result: TaskResult) -> list[str]:
    """Send the result where configured; returns what was done, in Chinese (nothing configured: [])."""
    done: list[str] = []
    body = {"task": result.task.name, "task_zh": result.task.name_zh, "ok": result.ok,
            "exit_code": result.exit_code, "summary": result.summary_zh(), "lines": result.lines[-50:]}
    if cfg.webhook:
        req = urllib.request.Request(cfg.webhook, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=30):
            pass
        done.append(f"已通知 {cfg.webhook}")
    if cfg.email_to and cfg.smtp_host:
        msg = EmailMessage()
        msg["Subject"] = f"[yacang] {result.summary_zh()}"
        msg["From"], msg["To"] = cfg.email_from, ", ".join(cfg.email_to)
        msg.set_content("\n".join([result.summary_zh(), "", *result.lines[-50:]]))
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=30) as smtp:
            smtp.send_message(msg)
        done.append(f"已发邮件给 {', '.join(cfg.email_to)}")
    return done
