"""Statistics by type, region, department and month, and the overdue list — against a hand count."""

from __future__ import annotations

import datetime as dt

from tests.dispatch.conftest import ADMIN, ENT_A, ENT_B, ENT_C, HANGZHOU, NINGBO, T0, ent_scope, file
from yacang.dispatch import appeals as ap
from yacang.dispatch.stats import appeal_stats, overdue_table


def build(session, clock):
    """Six cases, laid out so each count below can be checked by hand.

    # | enterprise | type | filed        | what happens                                  | dept
    1 | A (330106) | 缺芯 | 03-01 09:00  | all on time, rated 5, closed                   | 电子信息科
    2 | A (330106) | 用能 | 03-01 09:00  | responded 2 h late, resolved on day 3, rated 3 | 发改委
    3 | B (330108) | 缺工 | 03-01 09:00  | assigned only — open, overdue at 03-10         | 人社局
    4 | B (330108) | 缺芯 | 04-05 09:00  | filed only — open, not yet due at 04-05 09:30  | —
    5 | C (330203) | 物流 | 03-01 09:00  | all on time, resolved (not closed), rated 4    | 交通局
    6 | C (330203) | 缺芯 | 04-05 09:00  | open, assigned                                 | 电子信息科
    """
    officer = {ENT_A: HANGZHOU, ENT_B: HANGZHOU, ENT_C: NINGBO}

    def go(ent, kind, dept, when, respond_min, resolve_h, score, close):
        clock.set(when)
        a = file(session, clock, ent, kind)
        off = officer[ent]
        if dept:
            clock.set(when + dt.timedelta(minutes=5))
            ap.assign(session, off, a.id, dept, clock=clock)
        if respond_min:
            clock.set(when + dt.timedelta(minutes=respond_min))
            ap.respond(session, off, a.id, clock=clock)
            clock.set(when + dt.timedelta(hours=5))
            ap.plan(session, off, a.id, "方案", clock=clock)
        if resolve_h:
            clock.set(when + dt.timedelta(hours=resolve_h))
            ap.resolve(session, off, a.id, "已解决", clock=clock)
            ap.rate(session, ent_scope(ent), a.id, score, clock=clock)
            if close:
                ap.close(session, off, a.id, "已回访", clock=clock)
        return a

    april = dt.datetime(2022, 4, 5, 9, 0)
    go(ENT_A, "缺芯", "电子信息科", T0, 30, 20, 5, True)
    go(ENT_A, "用能", "发改委", T0, 180, 60, 3, True)
    go(ENT_B, "缺工", "人社局", T0, None, None, None, False)
    go(ENT_B, "缺芯", None, april, None, None, None, False)
    go(ENT_C, "物流", "交通局", T0, 20, 30, 4, False)
    go(ENT_C, "缺芯", "电子信息科", april, None, None, None, False)
    clock.set(april + dt.timedelta(minutes=30))


def row(df, key):
    rec = df.set_index(df.columns[0]).loc[key].to_dict()
    return {k: (None if v is None or v != v else v) for k, v in rec.items()}  # NaN → None


def test_stats_by_type_match_hand_count(session, clock):
    build(session, clock)
    df = appeal_stats(session, ADMIN, "type", clock=clock)
    # 缺芯: cases 1, 4, 6 → 3 filed, 1 done (#1), 0 overdue now (4 and 6 filed 30 min ago),
    # ever breached 0, satisfaction 5
    assert row(df, "缺芯") == {"受理": 3, "办结": 1, "办结率": 33.3, "超期在办": 0, "曾超时": 0, "满意度": 5.0}
    # 用能: case 2, responded late → 曾超时 1
    assert row(df, "用能") == {"受理": 1, "办结": 1, "办结率": 100.0, "超期在办": 0, "曾超时": 1, "满意度": 3.0}
    # 缺工: case 3, open since 03-01 → overdue
    assert row(df, "缺工") == {"受理": 1, "办结": 0, "办结率": 0.0, "超期在办": 1, "曾超时": 1, "满意度": None}
    # total: 6 filed; done 1, 2, 5; overdue 3; breached 2, 3; satisfaction (5+3+4)/3 = 4.0
    assert row(df, "合计") == {"受理": 6, "办结": 3, "办结率": 50.0, "超期在办": 1, "曾超时": 2, "满意度": 4.0}


def test_stats_by_region_department_month(session, clock):
    build(session, clock)
    reg = appeal_stats(session, ADMIN, "region", clock=clock)
    assert row(reg, "330100")["受理"] == 4 and row(reg, "330200")["受理"] == 2
    assert row(reg, "330100")["办结"] == 2 and row(reg, "330200")["办结"] == 1
    dep = appeal_stats(session, ADMIN, "department", clock=clock)
    assert row(dep, "电子信息科")["受理"] == 2 and row(dep, "（未分派）")["受理"] == 1
    mon = appeal_stats(session, ADMIN, "month", clock=clock)
    assert row(mon, "2022-03")["受理"] == 4 and row(mon, "2022-04")["受理"] == 2
    assert row(mon, "2022-03")["办结"] == 3


def test_stats_respect_scope(session, clock):
    build(session, clock)
    assert row(appeal_stats(session, NINGBO, "type", clock=clock), "合计")["受理"] == 2
    assert row(appeal_stats(session, ent_scope(ENT_B), "type", clock=clock), "合计")["受理"] == 2


def test_overdue_list(session, clock):
    build(session, clock)
    od = overdue_table(session, ADMIN, clock=clock)
    # only case 3 is open past a deadline: its response (due 03-01 10:00) is still missing
    assert len(od) == 1
    r = od.iloc[0]
    assert r["企业"] == ENT_B[1] and r["超时环节"] == "响应" and r["时限"] == "2022-03-01 10:00"
    # 2022-03-01 10:00 → 2022-04-05 09:30 = 34 days 23.5 hours = 35.0 days
    assert r["超时"] == "35.0天"
