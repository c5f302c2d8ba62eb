"""The dispatch demo set: written by ``yacang demo``, idempotent, and read back by the bulletin's 调度 input."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.slow


def test_yacang_demo_writes_dispatch_set_and_bulletin_reads_it(yacang_home):
    from sqlalchemy import func, select
    from typer.testing import CliRunner

    from yacang.appdb.base import get_engine, session_scope
    from yacang.cli import app
    from yacang.dispatch.bulletin import dispatch_input
    from yacang.dispatch.models import Appeal, Project, WhitelistEntry
    from yacang.report.regional import compose

    args = ["demo", "--enterprises", "800", "--months", "12", "--end", "2022-12", "--seed", "3"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "调度示例：企业诉求 60 件" in res.output and "重大项目 16 个" in res.output
    with session_scope(get_engine()) as s:
        n_appeals = s.scalar(select(func.count()).select_from(Appeal))
        n_projects = s.scalar(select(func.count()).select_from(Project))
        n_white = s.scalar(select(func.count()).select_from(WhitelistEntry))
        # by hand from the rows: December's cases plus older ones not settled before 1 December
        dec = dt.datetime(2022, 12, 1)
        expected = sorted(a.code for a in s.scalars(select(Appeal))
                          if a.filed_at >= dec or a.resolved_at is None or a.resolved_at >= dec)
        d = dispatch_input(s, "100000", "2022-12")
    assert (n_appeals, n_projects) == (60, 16) and n_white > 0
    assert len(d.appeals) == len(expected) > 0
    assert len(d.projects) == 16
    assert {r["状态"] for r in d.appeals} <= {"已办结", "办理中", "超期未办结"}
    # the demo runs again without duplicating anything
    assert CliRunner().invoke(app, args).exit_code == 0
    with session_scope(get_engine()) as s:
        assert s.scalar(select(func.count()).select_from(Appeal)) == 60
        assert s.scalar(select(func.count()).select_from(Project)) == 16
    # and the bulletin composer turns it into the 调度情况 section
    from yacang.periods import parse_period
    from yacang.report.inputs import BulletinInput, RegionFigures

    inp = BulletinInput(period=parse_period("2022-12"), region=RegionFigures("100000", "全国", "全国", 3.6, 3.7, 1.3, 5.0),
                        dispatch=d)
    sec = [x for x in compose(inp).sections if x.title == "调度情况"]
    assert sec and f"本期受理企业诉求{len(d.appeals)}件" in sec[0].paragraphs[0]
