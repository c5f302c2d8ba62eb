"""The short write of an online report (直报): what it stores, what it refuses, and that it stores what
the file loader stores for the same report."""

from __future__ import annotations

import pytest

from tests.web.conftest import bearer
from tests.web.fixtures import USCC_A

GOOD = {"output_value": "12000", "output_value_prev": "11000", "sales_value": "11800"}


def _stored(app, period: str):
    with app.state.yacang.reader() as wh:
        rows = wh.db.execute("SELECT output_value, output_value_prev, sales_value, status FROM reports "
                             "WHERE uscc = ? AND period = ?", [USCC_A, period]).fetchall()
        hist = wh.db.execute("SELECT status, reason FROM report_status_history WHERE uscc = ? AND period = ? "
                             "ORDER BY changed_at, rowid", [USCC_A, period]).fetchall()
    return rows, hist


def test_submit_revise_repeat_and_locked(fresh_app, fresh_client, fresh_tokens):
    ent, gd = bearer(fresh_tokens["ent_a"]), bearer(fresh_tokens["gd_officer"])
    r = fresh_client.post("/api/reports", json={"period": "2022-05", "values": GOOD}, headers=ent)
    assert r.status_code == 200, r.text
    assert "新增 1，更正 0，未变 0" in r.json()["summary"]
    rows, hist = _stored(fresh_app, "2022-05")
    assert rows == [(1200.0, 1100.0, 1180.0, "submitted")]  # 千元 → 万元: ÷10
    assert hist == [("submitted", "报送")]

    revised = {**GOOD, "output_value": "12500"}
    r = fresh_client.post("/api/reports", json={"period": "2022-05", "values": revised}, headers=ent)
    assert r.status_code == 200 and "新增 0，更正 1，未变 0" in r.json()["summary"]
    rows, hist = _stored(fresh_app, "2022-05")
    assert rows == [(1250.0, 1100.0, 1180.0, "submitted")]  # replaced, not added
    assert hist == [("submitted", "报送"), ("submitted", "重新报送（更正）")]

    r = fresh_client.post("/api/reports", json={"period": "2022-05", "values": revised}, headers=ent)
    assert r.status_code == 200 and "新增 0，更正 0，未变 1" in r.json()["summary"]
    assert "此前已导入" in r.json()["summary"]  # the same content came before
    assert _stored(fresh_app, "2022-05")[1] == hist  # nothing written for an identical report

    r = fresh_client.post(f"/api/reports/{USCC_A}/review", json={"period": "2022-05", "action": "accept"}, headers=gd)
    assert r.status_code == 200
    r = fresh_client.post("/api/reports", json={"period": "2022-05", "values": GOOD}, headers=ent)
    assert r.status_code == 409 and "更正申请" in r.json()["detail"]["message"]
    assert _stored(fresh_app, "2022-05")[0] == [(1250.0, 1100.0, 1180.0, "accepted")]


def test_save_report_stores_what_the_file_loader_stores(fresh_app):
    """The same checked batch through the file loader (a second, independent write path) and through
    :func:`save_report` gives the same stored values, status and history reason."""
    from yacang.microdata.report_workbook import load_reports
    from yacang.warehouse import Warehouse, report_queries
    from yacang.web import reports_service

    with fresh_app.state.yacang.reader() as wh:
        name = reports_service.enterprise_of(wh, USCC_A)["name"]
        c = reports_service.check_form(wh, USCC_A, name, "2022-06", {**GOOD, "profit": "345.6"})
    assert c.ok, c.errors
    cols = ", ".join(report_queries.REPORT_VALUES)
    out = []
    for path in ("loader", "save_report"):
        wh = Warehouse.memory()
        with fresh_app.state.yacang.reader() as src:
            ents = src.db.execute("SELECT * FROM enterprises").df()
        from yacang.microdata.store import MicrodataStore

        MicrodataStore(wh).add_enterprises(ents)
        if path == "loader":
            load_reports(wh, c.batch)
        else:
            report_queries.save_report(wh, c.batch.reports.iloc[0].to_dict(), source_file=c.batch.source_file,
                                       sha256=c.batch.sha256, fmt=c.batch.format)
        out.append((wh.db.execute(f"SELECT uscc, period, {cols}, status, source_file FROM reports").fetchall(),
                    wh.db.execute("SELECT status, reason FROM report_status_history").fetchall(),
                    wh.db.execute("SELECT n_observations, n_new, n_revised FROM batches").fetchall()))
        wh.close()
    assert out[0] == out[1]
    assert out[0][0][0][2] == pytest.approx(1200.0) and out[0][0][0][10] == pytest.approx(34.56)
