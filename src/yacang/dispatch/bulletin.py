"""The bulletin's 调度 section: appeals handled in the month and major projects' progress.

:func:`dispatch_input` returns a :class:`yacang.report.inputs.DispatchInput` for a region and month:
* ``appeals``: every appeal of the region's subtree filed in the month, plus older ones still open at
  its start (企业, 诉求类型, 内容, 受理日期, 状态, 办理时限); 状态 is 已办结 when resolved by the month's end,
  otherwise 办理中 or 超期未办结 (past a deadline at the month's end);
* ``projects``: every registered project of the subtree with its schedule at the month's end
  (项目, 地区, 计划投资（亿元）, 累计完成（亿元）, 进度).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import NATION
from yacang.dispatch.alert_facts import overdue_at
from yacang.dispatch.appeals import list_appeals
from yacang.dispatch.projects import DEFAULT_THRESHOLDS, Thresholds, list_projects, schedule
from yacang.dispatch.rows import DispatchInput
from yacang.periods import Period, parse_period


def _scope(region: str) -> Scope:
    return Scope(Role.ADMIN) if region == NATION else Scope(Role.ANALYST, region)


def _region_name(code: str) -> str:
    from yacang.catalog.regions import region_name

    return region_name(code)


def appeal_rows(session: Session, region: str, period: Period) -> list[dict[str, object]]:
    start = dt.datetime(period.year, period.start, 1)
    end = dt.datetime.combine(period.end_date, dt.time(23, 59, 59))
    rows = []
    for a in sorted(list_appeals(session, _scope(region)), key=lambda a: (a.filed_at, a.id)):
        if a.filed_at > end:
            continue
        done = a.resolved_at is not None and a.resolved_at <= end
        if a.filed_at < start and a.resolved_at is not None and a.resolved_at < start:
            continue  # an older case settled before the month
        if done:
            status = "已办结"
        elif overdue_at(a, end):
            status = "超期未办结"
        else:
            status = "办理中"
        rows.append({"企业": a.enterprise_name, "诉求类型": a.appeal_type, "内容": a.title, "受理日期": f"{a.filed_at:%Y-%m-%d}",
                     "状态": status, "办理时限": f"{a.resolve_due:%Y-%m-%d}"})
    return rows


def project_rows(session: Session, region: str, period: Period, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[dict[str, object]]:
    month = f"{period.year}-{period.end:02d}"
    rows = []
    for p in list_projects(session, _scope(region)):
        if p.planned_start > period.end_date and not p.progress:
            continue
        s = schedule(p, month, thresholds)
        if s["light"] == "none":
            text = "未到计划开工时间"
        elif not s["started"]:
            text = f"逾期未开工（计划{p.planned_start:%Y年%m月}开工，红）"
        else:
            gap = s["lag"]
            rel = f"落后计划{gap:.1f}个百分点" if gap > 0 else f"快于计划{-gap:.1f}个百分点"
            text = f"完成{s['actual_pct']:.1f}%，计划{s['planned_pct']:.1f}%，{rel}（{s['light_zh']}）"
        rows.append({"项目": p.name, "地区": _region_name(p.region), "计划投资（亿元）": f"{p.planned_investment:.1f}",
                     "累计完成（亿元）": f"{s['invest_cum']:.1f}", "进度": text})
    return rows


def dispatch_input(session: Session, region: str, period: Period | str) -> DispatchInput:
    """调度 rows for ``region``'s subtree (the nation: everything) and the month ``period``."""
    p = parse_period(period) if isinstance(period, str) else period
    return DispatchInput(appeals=appeal_rows(session, region, p), projects=project_rows(session, region, p))


def dispatch_input_from_app_db(region: str, period: Period | str, engine=None) -> DispatchInput | None:
    """Same, opening the app database (None if it has no dispatch tables yet) — for ``yacang run``."""
    from sqlalchemy import inspect

    from yacang.appdb.base import get_engine, session_scope

    engine = engine or get_engine()
    if "dispatch_appeals" not in inspect(engine).get_table_names():
        return None
    with session_scope(engine) as s:
        inp = dispatch_input(s, region, period)
    return inp if (inp.appeals or inp.projects) else None
