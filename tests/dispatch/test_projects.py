"""Major projects: schedule status and lights against plan, 形成实物工作量, late starts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.dispatch.conftest import ADMIN, HANGZHOU, NINGBO
from yacang.dispatch import projects as pj
from yacang.dispatch.errors import DispatchError

START, FINISH = dt.date(2022, 1, 1), dt.date(2023, 1, 1)  # 365 days


@pytest.fixture()
def clock():
    """Progress of 2022 is reported in 2023 (a month that has not begun is refused)."""
    from yacang.dispatch.clock import FixedClock

    return FixedClock(dt.datetime(2023, 1, 15, 9, 0))


def reg(session, code, region="330106", industry="39", total=100.0, start=START, finish=FINISH):
    return pj.register_project(session, HANGZHOU if region.startswith("3301") else NINGBO, code=code, name=f"项目{code}",
                               region=region, industry=industry, planned_investment=total, planned_start=start,
                               planned_finish=finish, milestones=[{"name": "开工", "planned": start.isoformat()}])


def test_planned_pct_by_days():
    # 2022-06-30 is day 180 of 365
    assert pj.planned_pct(START, FINISH, dt.date(2022, 6, 30)) == pytest.approx(100 * 180 / 365)
    assert pj.planned_pct(START, FINISH, dt.date(2021, 6, 30)) == 0.0
    assert pj.planned_pct(START, FINISH, dt.date(2024, 1, 1)) == 100.0


@pytest.mark.parametrize(("cum", "light"), [(45.0, "green"), (39.4, "green"), (39.3, "yellow"), (19.4, "yellow"), (19.3, "red")])
def test_lights_at_thresholds(session, clock, cum, light):
    p = reg(session, "P1")
    pj.report_progress(session, HANGZHOU, p.id, period="2022-06", invest_cum=cum, clock=clock)
    s = pj.schedule(p, "2022-06")
    # plan at 2022-06-30 = 180/365 = 49.315 %; lag = 49.315 − cum: 39.4 → 9.9 (绿), 39.3 → 10.0 (黄), 19.3 → 30.0+ (红)
    assert s["planned_pct"] == 49.3
    assert s["lag"] == round(100 * 180 / 365 - cum, 1)
    assert s["light"] == light


def test_thresholds_configurable(session, clock):
    p = reg(session, "P1")
    pj.report_progress(session, HANGZHOU, p.id, period="2022-06", invest_cum=35.0, clock=clock)  # lag 14.3
    assert pj.schedule(p, "2022-06")["light"] == "yellow"
    assert pj.schedule(p, "2022-06", pj.Thresholds(yellow=15, red=40))["light"] == "green"


def test_workload_by_region_and_industry(session, clock):
    a = reg(session, "A", "330106", "39")
    b = reg(session, "B", "330108", "36")
    c = reg(session, "C", "330203", "39")
    for p, cums in ((a, (5, 12)), (b, (3, 3)), (c, (10, 16))):
        off = HANGZHOU if p.region.startswith("3301") else NINGBO
        pj.report_progress(session, off, p.id, period="2022-05", invest_cum=cums[0], clock=clock)
        pj.report_progress(session, off, p.id, period="2022-06", invest_cum=cums[1], clock=clock)
    by_region = pj.workload(session, ADMIN, "2022-06", "region").set_index("地区")
    # June: 杭州 = (12−5) + (3−3) = 7; 宁波 = 16 − 10 = 6; year to date 杭州 = 12 + 3 = 15, 宁波 16
    assert by_region.loc["330100", "当月完成投资（亿元）"] == pytest.approx(7.0)
    assert by_region.loc["330200", "当月完成投资（亿元）"] == pytest.approx(6.0)
    assert by_region.loc["330100", "2022年累计完成投资（亿元）"] == pytest.approx(15.0)
    assert by_region.loc["合计", "当月完成投资（亿元）"] == pytest.approx(13.0)
    by_ind = pj.workload(session, ADMIN, "2022-06", "industry").set_index("行业")
    assert by_ind.loc["39", "当月完成投资（亿元）"] == pytest.approx(13.0)
    assert by_ind.loc["36", "项目数"] == 1
    # scope: 宁波 sees only its own project
    assert pj.workload(session, NINGBO, "2022-06", "region").set_index("地区").loc["合计", "项目数"] == 1


def test_progress_validation_and_not_started(session, clock):
    p = reg(session, "A")
    q = reg(session, "B", start=dt.date(2022, 3, 1))
    pj.report_progress(session, HANGZHOU, p.id, period="2022-05", invest_cum=10, clock=clock)
    with pytest.raises(DispatchError, match="小于上次报送"):
        pj.report_progress(session, HANGZHOU, p.id, period="2022-06", invest_cum=8, clock=clock)
    with pytest.raises(DispatchError, match="单月"):
        pj.report_progress(session, HANGZHOU, p.id, period="2022Q2", invest_cum=12, clock=clock)
    with pytest.raises(DispatchError, match="尚未到来"):  # 2023-02 has not begun on 2023-01-15
        pj.report_progress(session, HANGZHOU, p.id, period="2023-02", invest_cum=12, clock=clock)
    for bad in (float("inf"), float("nan"), -1.0):
        with pytest.raises(DispatchError):
            pj.report_progress(session, HANGZHOU, p.id, period="2022-07", invest_cum=bad, clock=clock)
    with pytest.raises(DispatchError, match="没有里程碑"):
        pj.report_progress(session, HANGZHOU, p.id, period="2022-06", invest_cum=12, milestones_done={"封顶": "2022-06-01"},
                           clock=clock)
    late = pj.not_started(session, ADMIN, on=dt.date(2022, 4, 1))
    # on 04-01: A (planned 01-01, started only in May) is 90 days late, B (planned 03-01) 31 days
    assert late["编号"].tolist() == ["A", "B"] and late["逾期天数"].tolist() == [90, 31]
    assert pj.not_started(session, ADMIN, on=dt.date(2022, 6, 1))["编号"].tolist() == ["B"]
    assert p.actual_start == dt.date(2022, 5, 31)  # first month with investment
    assert pj.schedule(q, "2022-06")["light"] == "red"  # not started, 4 months into its plan
    with pytest.raises(DispatchError, match="应晚于"):
        reg(session, "C", start=dt.date(2022, 5, 1), finish=dt.date(2022, 4, 1))


@pytest.mark.parametrize("yellow, red", [(float("inf"), 30.0), (10.0, float("nan")), (-1.0, 30.0), (40.0, 30.0)])
def test_thresholds_must_be_finite_and_ordered(yellow, red):
    from yacang.validation import Invalid

    with pytest.raises(Invalid, match="0 ≤ 黄灯 ≤ 红灯"):
        pj.Thresholds(yellow, red)


def test_project_status_thresholds_checked_by_the_cli(yacang_home):
    from typer.testing import CliRunner

    from yacang.cli import app

    r = CliRunner().invoke(app, ["projects", "status", "--period", "2022-06", "--yellow", "inf"])
    assert r.exit_code == 1 and "0 ≤ 黄灯 ≤ 红灯" in r.output
