"""Dispatch facts for the alert engine, in :mod:`yacang.alerts.fact_table`' long format.

Metrics (declared in ``dispatch/rules.yaml`` under ``metrics:``):

* ``appeals_overdue`` (scope region, key = the enterprise's region code): open appeals past an SLA
  deadline at the end of each month (reconstructed from the case's timestamps);
* ``project_lag`` (scope project, key = project code, parent = region): 计划进度 − 实际进度 in 百分点
  at the end of each reported month (see :mod:`yacang.dispatch.projects`);
* ``whitelist_output_yoy`` (scope enterprise, key = USCC, parent = region): 工业总产值 当月同比 of an
  enterprise on a published whitelist, from its monthly reports in the warehouse (同口径: its own
  上年同期 column).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from yacang.alerts.fact_table import FACT_COLUMNS, empty_facts
from yacang.dispatch.models import Appeal, Project, WhitelistEntry
from yacang.dispatch.projects import DEFAULT_THRESHOLDS, schedule
from yacang.periods import Period, month_range, parse_period

METRICS = {
    "appeals_overdue": "超期未办结的企业诉求（件）",
    "project_lag": "重大项目落后计划进度（百分点）",
    "whitelist_output_yoy": "白名单企业工业总产值当月同比（%）",
}


def _parent(code: str) -> str:
    """The region above ``code`` ('' for the nation); a malformed code raises (an alert is never
    attributed to a region by guesswork)."""
    from yacang.catalog.regions import ancestors_of

    above = ancestors_of(code)
    return above[0] if above else ""


def overdue_at(a: Appeal, t: dt.datetime) -> bool:
    """Was the case open and past a deadline it had not met at time ``t``?"""
    if a.filed_at > t or (a.resolved_at is not None and a.resolved_at <= t):
        return False
    for due, done in ((a.respond_due, a.responded_at), (a.plan_due, a.planned_at), (a.resolve_due, a.resolved_at)):
        if due < t and (done is None or done > t):
            return True
    return False


def _months(first: dt.date, last: dt.date) -> list[Period]:
    return month_range(Period.month(first.year, first.month), Period.month(last.year, last.month))


def appeal_facts(session: Session, upto: dt.date) -> pd.DataFrame:
    appeals = list(session.scalars(select(Appeal)))
    if not appeals:
        return empty_facts()
    months = _months(min(a.filed_at for a in appeals).date(), upto)
    rows = []
    regions = sorted({a.region for a in appeals})
    for p in months:
        code = p.code if p.kind == "month" else f"{p.year}-{p.end:02d}"
        end = dt.datetime.combine(p.end_date, dt.time(23, 59, 59))
        counts = dict.fromkeys(regions, 0)
        for a in appeals:
            if overdue_at(a, end):
                counts[a.region] += 1
        rows += [{"scope": "region", "key": r, "parent": _parent(r), "period": code, "metric": "appeals_overdue",
                  "value": float(n)} for r, n in counts.items()]
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def project_facts(session: Session) -> pd.DataFrame:
    rows = []
    for p in session.scalars(select(Project)):
        for pr in p.progress:
            s = schedule(p, pr.period, DEFAULT_THRESHOLDS)
            rows.append({"scope": "project", "key": p.code, "parent": p.region, "period": pr.period,
                         "metric": "project_lag", "value": float(s["lag"]), "name": p.name})
    return pd.DataFrame(rows, columns=[*FACT_COLUMNS, "name"]) if rows else empty_facts()


def whitelist_facts(session: Session, wh) -> pd.DataFrame:
    """Monthly 工业总产值 同比 of whitelisted enterprises, from the warehouse's ``reports`` table."""
    entries = list(session.scalars(select(WhitelistEntry).where(WhitelistEntry.status == "published")))
    if not entries or wh is None:
        return empty_facts()
    from yacang.warehouse.report_queries import output_of

    by_uscc = {e.uscc: e for e in entries}
    df = output_of(wh, list(by_uscc))
    rows = []
    for r in df.itertuples(index=False):
        e = by_uscc[r.uscc]
        end = parse_period(r.period).end_date
        if not e.valid_from <= end <= e.valid_to + dt.timedelta(days=31):
            continue
        rows.append({"scope": "enterprise", "key": r.uscc, "parent": e.region, "period": r.period,
                     "metric": "whitelist_output_yoy", "value": (r.output_value / r.output_value_prev - 1) * 100,
                     "name": e.enterprise_name})
    return pd.DataFrame(rows, columns=[*FACT_COLUMNS, "name"]) if rows else empty_facts()


def dispatch_facts(session: Session, wh=None, *, upto: dt.date | None = None) -> pd.DataFrame:
    """All dispatch facts (to be concatenated with :func:`yacang.alerts.fact_table.collect_facts`)."""
    from yacang.dispatch.clock import SYSTEM

    upto = upto or SYSTEM.now().date()
    parts = [f for f in (appeal_facts(session, upto), project_facts(session), whitelist_facts(session, wh)) if not f.empty]
    if not parts:
        return empty_facts()
    return pd.concat(parts, ignore_index=True)


def rules_path():
    """The dispatch rule pack (``yacang.alerts.rules.load_pack(rules_path())``)."""
    from pathlib import Path

    return Path(__file__).with_name("rules.yaml")


def evaluate_dispatch_alerts(session: Session, wh=None, *, upto: str | None = None, save: bool = False) -> pd.DataFrame:
    """Run ``dispatch/rules.yaml`` on :func:`dispatch_facts`; rows of the engine's history with a Chinese
    ``message``. ``save=True`` stores them in the warehouse's alert history (needs ``wh``), replacing
    earlier rows of these rules for the same periods, so the web's 预警 page and the bulletin see them."""
    from yacang.alerts.engine import Grid, evaluate, render_messages
    from yacang.alerts.fact_table import names_for
    from yacang.alerts.rules import load_pack

    end = parse_period(upto).end_date if upto else None
    facts = dispatch_facts(session, wh, upto=end)
    if upto:
        facts = facts[[parse_period(p).end_date <= end for p in facts["period"]]]
    pack = load_pack(rules_path())
    if facts.empty:
        from yacang.alerts.engine import HISTORY_COLUMNS

        return pd.DataFrame(columns=[*HISTORY_COLUMNS, "message"])
    grid = Grid.from_facts(facts)
    hist = evaluate(pack, grid)
    names = dict(zip(facts["key"], facts["name"], strict=False)) if "name" in facts else {}
    region_keys = facts.loc[facts["scope"] == "region", "key"].drop_duplicates()
    names.update({k: (v if v != k else f"地区{k}") for k, v in zip(region_keys, names_for(region_keys), strict=False)})
    names = {k: v for k, v in names.items() if isinstance(v, str) and v}
    hist["message"] = render_messages(hist, pack, grid, names) if not hist.empty else []
    if save and wh is not None and not hist.empty:
        from yacang.alerts.store import save_history

        save_history(wh, hist, rule_ids=[r.id for r in pack.rules])
    return hist
