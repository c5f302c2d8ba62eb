"""Integration: alert facts + the dispatch rule pack, and the bulletin's 调度 section."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.dispatch.conftest import ENT_A, ENT_B, HANGZHOU, HANGZHOU_2, PROVINCE, T0, ent_scope, file
from yacang.dispatch import appeals as ap
from yacang.dispatch import projects as pj
from yacang.dispatch import whitelists as wl


def test_overdue_appeal_fact_and_rule_fires(session, clock):
    from yacang.alerts.engine import evaluate
    from yacang.alerts.rules import load_pack
    from yacang.dispatch.alert_facts import appeal_facts, rules_path

    file(session, clock, ENT_A)  # never answered: overdue from 03-01 10:00
    b = file(session, clock, ENT_B)
    clock.set(T0 + dt.timedelta(minutes=30))
    ap.assign(session, HANGZHOU, b.id, "科室", clock=clock)
    ap.respond(session, HANGZHOU, b.id, clock=clock)
    ap.plan(session, HANGZHOU, b.id, "方案", clock=clock)
    ap.resolve(session, HANGZHOU, b.id, "已解决", clock=clock)
    f = appeal_facts(session, dt.date(2022, 4, 30))
    got = f.set_index(["key", "period"])["value"].to_dict()
    assert got == {("330106", "2022-03"): 1.0, ("330106", "2022-04"): 1.0,
                   ("330108", "2022-03"): 0.0, ("330108", "2022-04"): 0.0}
    assert set(f["parent"]) == {"330100"}
    hist = evaluate(load_pack(rules_path()), f)
    firing = hist[(hist["state"] == "firing") & (hist["period"] == "2022-04")]
    assert firing[["rule_id", "key", "severity"]].values.tolist() == [["appeals_overdue", "330106", "黄"]]


def test_red_project_fact_fires(session, clock):
    from yacang.alerts.engine import evaluate
    from yacang.alerts.rules import load_pack
    from yacang.dispatch.alert_facts import project_facts, rules_path

    p = pj.register_project(session, HANGZHOU, code="P1", name="芯片项目", region="330106", industry="39",
                            planned_investment=100, planned_start=dt.date(2022, 1, 1), planned_finish=dt.date(2023, 1, 1))
    clock.set(dt.datetime(2022, 7, 5, 9, 0))  # June's progress is reported in July
    pj.report_progress(session, HANGZHOU, p.id, period="2022-06", invest_cum=10, clock=clock)  # lag 39.3
    hist = evaluate(load_pack(rules_path()), project_facts(session))
    row = hist[hist["state"] == "firing"].iloc[0]
    assert (row["rule_id"], row["key"], row["severity"]) == ("project_behind_schedule", "P1", "红")
    assert round(row["value"], 1) == 39.3


def test_whitelisted_enterprise_drop(session, clock, wh):
    from yacang.alerts.engine import evaluate
    from yacang.alerts.rules import load_pack
    from yacang.dispatch.alert_facts import rules_path, whitelist_facts
    from yacang.microdata.schema import MICRODATA_SCHEMA_SQL

    for stmt in MICRODATA_SCHEMA_SQL:
        wh.db.execute(stmt)
    reports = pd.DataFrame({"uscc": [ENT_A[0], ENT_A[0], ENT_B[0]], "period": ["2022-03", "2022-04", "2022-04"],
                            "output_value": [950.0, 750.0, 500.0], "output_value_prev": [1000.0, 1000.0, 1000.0],
                            "vintage": pd.Timestamp("2022-05-10")})
    wh.db.register("r", reports)
    wh.db.execute("INSERT INTO reports (uscc, period, output_value, output_value_prev, vintage) "
                  "SELECT uscc, period, output_value, output_value_prev, vintage FROM r")
    wh.db.unregister("r")
    e = wl.apply(session, PROVINCE, category_ref="foreign_trade", uscc=ENT_A[0], enterprise_name=ENT_A[1],
                 region=ENT_A[2], reason="外贸", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2022, 12, 31), clock=clock)
    wl.review(session, HANGZHOU, e.id, clock=clock)
    wl.publish(session, HANGZHOU_2, e.id, clock=clock)
    f = whitelist_facts(session, wh)
    # only A is whitelisted: 950/1000 − 1 = −5 %, 750/1000 − 1 = −25 %
    assert f.set_index("period")["value"].round(6).to_dict() == {"2022-03": -5.0, "2022-04": -25.0}
    hist = evaluate(load_pack(rules_path()), f)
    firing = hist[hist["state"] == "firing"]
    assert firing[["period", "severity"]].values.tolist() == [["2022-04", "红"]]


def test_bulletin_dispatch_input(session, clock):
    from yacang.dispatch.bulletin import dispatch_input

    a = file(session, clock, ENT_A)  # 2022-03-01, never handled → overdue at month end
    b = file(session, clock, ENT_B, "缺工")
    clock.set(T0 + dt.timedelta(minutes=20))
    for step in ("assign", "respond", "plan", "resolve"):
        fn = getattr(ap, step)
        fn(session, HANGZHOU, b.id, *(["科室"] if step == "assign" else ["说明"] if step in ("plan", "resolve") else []),
           clock=clock)
    ap.rate(session, ent_scope(ENT_B), b.id, 5, clock=clock)
    pj.register_project(session, HANGZHOU, code="P1", name="芯片项目", region="330106", industry="39",
                        planned_investment=100, planned_start=dt.date(2022, 1, 1), planned_finish=dt.date(2023, 1, 1))
    d = dispatch_input(session, "330000", "2022-03")
    assert [(r["企业"], r["状态"]) for r in d.appeals] == [(ENT_A[1], "超期未办结"), (ENT_B[1], "已办结")]
    assert d.projects[0]["项目"] == "芯片项目" and "逾期未开工" in d.projects[0]["进度"]
    # April: A is still open (carried over), B was settled in March
    assert [r["企业"] for r in dispatch_input(session, "330000", "2022-04").appeals] == [ENT_A[1]]
    # another province has nothing
    assert dispatch_input(session, "440000", "2022-03").appeals == []
    assert a.code in {x.code for x in ap.list_appeals(session, HANGZHOU)}


def test_evaluate_dispatch_alerts_saves_to_alert_history(session, clock, wh):
    from yacang.alerts.store import load_history
    from yacang.dispatch.alert_facts import evaluate_dispatch_alerts

    file(session, clock, ENT_A)  # filed 2022-03-01, never answered
    hist = evaluate_dispatch_alerts(session, wh, upto="2022-04", save=True)
    firing = hist[hist["state"] == "firing"]
    assert firing["period"].tolist() == ["2022-03", "2022-04"]
    assert "2022年4月末有1件企业诉求超过办理时限" in firing["message"].iloc[-1]
    stored = load_history(wh, rule_id="appeals_overdue")  # stored by change: one alert, firing since 2022-03
    assert len(stored) == 1 and set(stored["key"]) == {ENT_A[2]}
    assert stored["state"].tolist() == ["firing"] and stored["since"].tolist() == ["2022-03"]


def test_dispatch_input_from_app_db(tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from yacang.appdb.base import create_all
    from yacang.dispatch.bulletin import dispatch_input_from_app_db
    from yacang.dispatch.clock import FixedClock

    engine = create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}")
    assert dispatch_input_from_app_db("100000", "2022-03", engine) is None  # no dispatch tables yet
    create_all(engine)
    assert dispatch_input_from_app_db("100000", "2022-03", engine) is None  # tables, no rows
    with Session(engine) as s:
        file(s, FixedClock(T0), ENT_A)
        s.commit()
    d = dispatch_input_from_app_db("100000", "2022-03", engine)
    assert [r["企业"] for r in d.appeals] == [ENT_A[1]]
    engine.dispose()


def test_run_dispatch_step(tmp_path, wh):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from yacang.appdb.base import create_all
    from yacang.dispatch.clock import FixedClock
    from yacang.dispatch.job import run_dispatch_step

    engine = create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}")
    assert run_dispatch_step(wh, "2022-03", "330000", engine=engine).dispatch is None  # no tables: nothing
    create_all(engine)
    with Session(engine) as s:
        file(s, FixedClock(T0), ENT_A)  # 2022-03-01, never answered
        s.commit()
    step = run_dispatch_step(wh, "2022-03", "330000", engine=engine)
    assert [r["状态"] for r in step.dispatch.appeals] == ["超期未办结"]
    # the case was escalated twice (响应 and 方案 past due; 办结 too, already at province) and an alert fires
    assert "企业诉求 1 件（未办结 1 件），本次超时升级 3 项" in step.lines[0] and "调度预警 1 条" in step.lines[0]
    engine.dispose()
