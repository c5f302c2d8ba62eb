"""审核: logic and swing checks, the review queue, returning/accepting with history, 催报."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.microdata import handbuilt
from yacang import validation
from yacang.microdata.report_periods import ReportPeriodError
from yacang.microdata.review import ReviewRules, apply_review, check_reports, reporting_status, run_review


def rep(uscc, out, prev, sales=None, export=0.0, industry="3610", size="中型", **kw):
    return {"uscc": uscc, "period": "2022-03", "output_value": out, "output_value_prev": prev,
            "sales_value": out if sales is None else sales, "export_delivery": export, "industry": industry,
            "size_class": size, **kw}


def rules_of(q, uscc):
    return sorted(q[q["uscc"] == uscc]["rule"])


def test_logic_checks():
    df = pd.DataFrame([
        rep("a", 100, 100, sales=85),  # sales 15% below output
        rep("b", 100, 100, sales=100, export=120),  # export above sales
        rep("c", 100, 100, electricity=-3.0),  # negative
        rep("d", 100, 100, sales=95, export=95),  # fine: 5% within tolerance, export = sales
    ])
    q = check_reports(df)
    assert rules_of(q, "a") == ["logic.sales_vs_output"]
    assert rules_of(q, "b") == ["logic.export_le_sales"]
    assert rules_of(q, "c") == ["logic.non_negative"]
    assert rules_of(q, "d") == []
    assert (q["severity"] == "错误").all()
    assert "出口交货值（120.0万元）大于工业销售产值（100.0万元）" in q[q["uscc"] == "b"]["message"].iloc[0]


def test_swing_checks_own_and_peers():
    # five peers (3610, 中型) growing ~5%, one at +40% (within ±50% but 35 points off the peers' median)
    peers = [rep(f"p{i}", 100 + g, 100) for i, g in enumerate([4, 5, 5, 6, 7])]
    df = pd.DataFrame([*peers, rep("x", 140, 100), rep("y", 160, 100, industry="1310", size="小型")])
    q = check_reports(df)
    assert rules_of(q, "x") == ["swing.peers"]  # median of the six is 5.5; 40 − 5.5 = 34.5 > 30
    assert rules_of(q, "y") == ["swing.yoy"]  # +60% > 50%; no peers in its class
    assert all(rules_of(q, f"p{i}") == [] for i in range(5))
    assert (q["severity"] == "提示").all()
    assert rules_of(check_reports(df, ReviewRules(peer_gap=40.0)), "x") == []


def test_zero_base_and_zero_output():
    """上年同期为0: no 同比 (not "inf%"), its own 提示, and kept out of the peers' median; 总产值 0 with
    销售产值 500 is a logic error (the ratio check alone skips a zero 总产值)."""
    peers = [rep(f"p{i}", 100 + g, 100) for i, g in enumerate([4, 5, 6, 7])]
    df = pd.DataFrame([*peers, rep("n", 100, 0), rep("z", 0, 50, sales=500)])
    q = check_reports(df)
    assert rules_of(q, "n") == ["swing.new_base"]
    assert not q["message"].str.contains("inf").any()
    assert rules_of(q, "z") == ["logic.sales_vs_output", "swing.peers", "swing.yoy"]
    msg = dict(zip(q[q["uscc"] == "z"]["rule"], q[q["uscc"] == "z"]["message"], strict=True))
    assert "工业总产值为0，但工业销售产值为500.0万元" in msg["logic.sales_vs_output"]
    assert "同比下降100.0%" in msg["swing.yoy"]
    # peers 4, 5, 6, 7 and z at −100: median of the five is 5.0 (n has no 同比), gap 105.0
    assert "中位数为同比增长5.0%，低于中位数105.0个百分点" in msg["swing.peers"]


def test_queue_apply_and_history(wh):
    handbuilt.build(wh)
    wh.db.execute("UPDATE reports SET export_delivery = 600 WHERE uscc = ? AND period = '2022-03'", [handbuilt.B])
    wh.db.execute("UPDATE reports SET status = 'submitted'")
    q = run_review(wh, "2022-03")
    assert rules_of(q, handbuilt.B) == ["logic.export_le_sales"]
    assert len(run_review(wh, "2022-03")) == len(q)  # re-running replaces, not duplicates
    assert wh.db.execute("SELECT count(*) FROM review_queue").fetchone()[0] == len(q)
    counts = apply_review(wh, "2022-03")
    assert counts == {"returned": 1, "accepted": 3, "pending": 0}  # A, C, D accepted
    st = dict(wh.db.execute("SELECT uscc, status FROM reports WHERE period = '2022-03'").fetchall())
    assert st[handbuilt.B] == "returned" and st[handbuilt.A] == "accepted"
    hist = wh.db.execute("SELECT status, reason FROM report_status_history WHERE uscc = ?", [handbuilt.B]).fetchall()
    assert hist[0][0] == "returned" and "出口交货值" in hist[0][1]


def test_reporting_rate_and_late_list(wh):
    handbuilt.build(wh)
    wh.db.execute("UPDATE reports SET status = 'returned' WHERE uscc = ? AND period = '2022-03'", [handbuilt.C])
    rate, late = reporting_status(wh, "2022-03", level="prefecture")
    r = rate.set_index("region")
    # 2022 set: A (440100), B and C (440300); D left the set so is not expected
    assert r.loc["440100", "expected"] == 1 and r.loc["440100", "rate"] == 100.0
    assert r.loc["440300", "expected"] == 2 and r.loc["440300", "rate"] == 50.0
    assert late["uscc"].tolist() == [handbuilt.C]


def test_review_of_a_period_without_reports_is_not_a_clean_bill(wh):
    handbuilt.build(wh)
    with pytest.raises(ReportPeriodError, match="2022年9月（2022-09）没有企业月报，未审核"):
        run_review(wh, "2022-09")


def test_late_list_without_a_register_is_refused_not_empty(wh):
    """No 规上 register for the year: empty tables (exit 0) read as “nobody is late”."""
    handbuilt.build(wh)
    with pytest.raises(ReportPeriodError, match="报告期 2019年3月（2019-03）没有应报企业：仓库中没有2019年的规上企业名录"):
        reporting_status(wh, "2019-03")


def test_late_list_refused_before_the_month_is_over(wh, monkeypatch):
    """On 2022-03-20 no March report can be due: listing all 规上 enterprises as late would be wrong."""
    handbuilt.build(wh)
    monkeypatch.setattr(validation, "today", lambda: dt.date(2022, 3, 20))
    with pytest.raises(ReportPeriodError, match="2022年3月（2022-03）尚未结束（今天是2022年3月20日）"):
        reporting_status(wh, "2022-03")
    monkeypatch.setattr(validation, "today", lambda: dt.date(2022, 4, 1))
    rate, _ = reporting_status(wh, "2022-03")
    assert rate["expected"].sum() == 3  # A, B, C of the 2022 set (D left it)
