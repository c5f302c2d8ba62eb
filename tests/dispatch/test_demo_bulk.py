"""The dispatch demo adds key enterprises, quick reports and project progress in bulk (one flush, not one per
row): every row is the one the service functions store — sending each again through them changes nothing."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import inspect, select

from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.dispatch import key_enterprises as ke
from yacang.dispatch import projects as pj
from yacang.dispatch.clock import FixedClock
from yacang.dispatch.demo import OFFICER, seed_dispatch_demo
from yacang.dispatch.models import KeyEnterprise, Project, ProjectProgress, QuickReport

pytestmark = pytest.mark.slow


def _rows(session, model) -> list[dict]:
    cols = [c.key for c in inspect(model).column_attrs]
    return [{c: getattr(r, c) for c in cols} for r in session.scalars(select(model).order_by(model.id))]


@pytest.fixture(scope="module")
def demo():
    from yacang.demo import DemoSpec, generate

    return generate(DemoSpec(enterprises=800, months=12, end="2022-12", seed=3))


def test_bulk_rows_are_what_the_services_store(session, demo):
    counts = seed_dispatch_demo(session, None, demo.enterprises, demo.periods[-1], np.random.default_rng(11))
    session.flush()
    models = (KeyEnterprise, QuickReport, Project, ProjectProgress)
    before = {m: _rows(session, m) for m in models}
    assert len(before[KeyEnterprise]) == counts["key"] > 0 and len(before[QuickReport]) == counts["quick"] > 0
    assert len(before[ProjectProgress]) > 0
    for r in before[KeyEnterprise]:
        ke.register(session, OFFICER, wh=None, uscc=r["uscc"], name=r["name"], region=r["region"], industry=r["industry"],
                    frequency=r["frequency"], contact_name=r["contact_name"], contact_phone=r["contact_phone"])
    for r in before[QuickReport]:
        # a weekly report is stored at its Sunday; the enterprise sent it on a day of that week (the Monday here)
        day = r["day"] - dt.timedelta(days=6) if r["frequency"] == "周" else r["day"]
        ke.submit(session, Scope(Role.ENTERPRISE, uscc=r["uscc"], username=f"企业{r['uscc'][-6:]}"), uscc=r["uscc"],
                  day=day, frequency=r["frequency"], production=r["production"], electricity=r["electricity"],
                  orders=r["orders"], operating_rate=r["operating_rate"], problems=r["problems"],
                  clock=FixedClock(r["submitted_at"]))
    starts = {p["id"]: p["actual_start"] for p in before[Project]}
    seen: set[int] = set()
    for r in sorted(before[ProjectProgress], key=lambda x: (x["project_id"], x["period"])):
        first = r["project_id"] not in seen
        seen.add(r["project_id"])
        pj.report_progress(session, OFFICER, r["project_id"], period=r["period"], invest_cum=r["invest_cum"],
                           milestones_done=r["milestones_done"] or None,
                           actual_start=starts[r["project_id"]] if first else None, clock=FixedClock(r["reported_at"]))
    session.flush()
    for m in models:
        assert _rows(session, m) == before[m], m.__name__


def test_bulk_rows_by_hand(session, demo):
    seed_dispatch_demo(session, None, demo.enterprises, demo.periods[-1], np.random.default_rng(11))
    session.flush()
    weekly = session.scalars(select(QuickReport).where(QuickReport.frequency == "周")).all()
    assert weekly and all(r.day.weekday() == 6 for r in weekly)  # stored at the week's Sunday
    for p in session.scalars(select(Project)):
        rows = sorted(p.progress, key=lambda x: x.period)
        if rows:  # 当月完成投资 adds up to the last cumulative figure, each month the increase over the one before
            assert sum(x.invest_month for x in rows) == pytest.approx(rows[-1].invest_cum)
            assert rows[0].invest_month == rows[0].invest_cum
            assert rows[0].milestones_done == {"开工": p.planned_start.isoformat()} and p.actual_start == p.planned_start
