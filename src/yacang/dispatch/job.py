"""The dispatch step of ``yacang run``: escalate breached SLA clocks, raise dispatch alerts, and give
the bulletin its 调度 rows — in one call, doing nothing when the app database has no dispatch tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from yacang.dispatch.rows import DispatchInput
from yacang.periods import Period, parse_period


@dataclass
class DispatchStep:
    dispatch: DispatchInput | None = None  # for build_bulletin(dispatch=…)
    lines: list[str] = field(default_factory=list)  # Chinese summary lines for the terminal


def run_dispatch_step(wh, period: Period | str, region: str, *, engine=None) -> DispatchStep:
    """Escalate, evaluate ``dispatch/rules.yaml`` up to ``period`` (saved to the alert history), and read
    the bulletin rows of ``region``'s subtree."""
    from sqlalchemy import inspect

    from yacang.appdb.base import get_engine, session_scope
    from yacang.dispatch.alert_facts import evaluate_dispatch_alerts
    from yacang.dispatch.appeals import run_escalation
    from yacang.dispatch.bulletin import dispatch_input

    p = parse_period(period) if isinstance(period, str) else period
    engine = engine or get_engine()
    if "dispatch_appeals" not in inspect(engine).get_table_names():
        return DispatchStep()
    out = DispatchStep()
    with session_scope(engine) as s:
        escalated = run_escalation(s)
        month = f"{p.year}-{p.end:02d}"
        hist = evaluate_dispatch_alerts(s, wh, upto=month, save=True)
        inp = dispatch_input(s, region, p)
    firing = hist[(hist["state"] == "firing") & (hist["period"] == month)] if not hist.empty else hist
    out.dispatch = inp if (inp.appeals or inp.projects) else None
    n_open = sum(1 for r in inp.appeals if r["状态"] != "已办结")
    out.lines.append(f"调度：企业诉求 {len(inp.appeals)} 件（未办结 {n_open} 件），本次超时升级 {len(escalated)} 项，"
                     f"重大项目 {len(inp.projects)} 个，调度预警 {len(firing)} 条")
    return out
