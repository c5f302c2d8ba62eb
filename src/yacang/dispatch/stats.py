"""Appeal statistics by type, region, department and month, and the overdue list.

Counted over the cases the caller's scope may read. Definitions (stated in the table titles):
受理 = cases filed; 办结 = resolved or closed; 办结率 = 办结 / 受理 × 100; 超期在办 = open and past a
deadline now; 曾超时 = at least one stage (响应/方案/办结) missed its deadline, in the past or now;
满意度 = mean enterprise rating (1–5) over rated cases.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from yacang.auth.scope import Scope
from yacang.catalog.regions import RegionCatalog, ancestor_at, region_name
from yacang.dispatch.appeals import DONE, STATUS_ZH, breached_stages, is_overdue, list_appeals, next_due
from yacang.dispatch.clock import SYSTEM, Clock

BY = {"type": "诉求类型", "region": "地区", "department": "承办部门", "month": "月份"}
COLUMNS = ["受理", "办结", "办结率", "超期在办", "曾超时", "满意度"]


def appeal_frame(session: Session, scope: Scope, now: dt.datetime) -> pd.DataFrame:
    """One row per case in scope with the flags the statistics count."""
    rows = [{
        "code": a.code, "type": a.appeal_type, "region": a.region, "department": a.department or "（未分派）",
        "month": f"{a.filed_at:%Y-%m}", "done": a.status in DONE, "overdue": is_overdue(a, now),
        "breached": bool(breached_stages(a, now)), "satisfaction": a.satisfaction,
    } for a in list_appeals(session, scope)]
    return pd.DataFrame(rows, columns=["code", "type", "region", "department", "month", "done", "overdue",
                                       "breached", "satisfaction"])


def appeal_stats(session: Session, scope: Scope, by: str = "type", *, region_level: str = "prefecture",
                 clock: Clock = SYSTEM) -> pd.DataFrame:
    """A table keyed by ``by`` (type / region / department / month) with the counts in :data:`COLUMNS`,
    plus a 合计 row."""
    if by not in BY:
        raise ValueError(f"统计维度应为 {'/'.join(BY)}，收到 {by}")
    df = appeal_frame(session, scope, clock.now())
    if df.empty:
        return pd.DataFrame(columns=[BY[by], *COLUMNS])
    if by == "region":
        df["region"] = df["region"].map(lambda c: ancestor_at(c, region_level))
    key = by if by != "type" else "type"

    def agg(g: pd.DataFrame) -> dict[str, object]:
        n, done = len(g), int(g["done"].sum())
        sat = g["satisfaction"].dropna()
        return {"受理": n, "办结": done, "办结率": round(100.0 * done / n, 1), "超期在办": int(g["overdue"].sum()),
                "曾超时": int(g["breached"].sum()), "满意度": round(float(sat.mean()), 1) if len(sat) else None}

    rows = [{BY[by]: k, **agg(g)} for k, g in df.groupby(key, sort=True)]
    rows.append({BY[by]: "合计", **agg(df)})
    out = pd.DataFrame(rows, columns=[BY[by], *COLUMNS])
    if by == "region":
        catalog = RegionCatalog.load()
        out.insert(1, "名称", [("" if c == "合计" else region_name(c, catalog)) for c in out[BY[by]]])
    return out


def overdue_table(session: Session, scope: Scope, clock: Clock = SYSTEM) -> pd.DataFrame:
    """超期在办 cases: which deadline, how long past it, where the case is handled now."""
    from yacang.dispatch.appeals import LEVEL_ZH, STAGE_ZH, overdue

    now = clock.now()
    rows = []
    for a in overdue(session, scope, clock):
        stage, due = next_due(a) or ("resolve", a.resolve_due)
        hours = (now - due).total_seconds() / 3600
        rows.append({"编号": a.code, "企业": a.enterprise_name, "类型": a.appeal_type, "状态": STATUS_ZH[a.status],
                     "超时环节": STAGE_ZH[stage], "时限": f"{due:%Y-%m-%d %H:%M}", "超时": _hours_zh(hours),
                     "督办层级": LEVEL_ZH.get(a.handler_level, a.handler_level), "承办部门": a.department or "（未分派）"})
    return pd.DataFrame(rows, columns=["编号", "企业", "类型", "状态", "超时环节", "时限", "超时", "督办层级", "承办部门"])


def _hours_zh(hours: float) -> str:
    return f"{hours / 24:.1f}天" if hours >= 48 else f"{hours:.1f}小时"
