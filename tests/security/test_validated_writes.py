"""H1 and the careless-user findings: inf/nan/negative values, future periods, reviewed reports.

Every write path — ``POST /api/reports``, uploads, ``yacang ingest`` of a report file — refuses the
value with the field named, and nothing is stored (the warehouse's report row is checked directly).
"""

from __future__ import annotations

import pytest

from tests.security.conftest import bearer
from tests.web.fixtures import USCC_A

HEAD = "统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,工业销售产值,计量单位\n"


def stored(app, uscc: str, period: str):
    with app.state.yacang.warehouse() as wh:
        return wh.db.execute("SELECT output_value, sales_value, status FROM reports WHERE uscc = ? AND period = ?",
                             [uscc, period]).fetchall()


def body(period: str = "2022-05", **values) -> dict:
    v = {"output_value": "12000", "output_value_prev": "11000", "sales_value": "11800"} | values
    return {"period": period, "values": v}


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("output_value", "inf", "无穷大"), ("output_value", "Infinity", "无穷大"), ("sales_value", "-inf", "无穷大"),
    ("output_value", "nan", "NaN"), ("output_value_prev", "NaN", "NaN"), ("sales_value", "-5", "不能为负数"),
    ("output_value", "1e300", "合理上限"), ("output_value", "", "必填"),
])
def test_api_report_refuses_non_finite_negative_and_missing(app, client, tokens, field, value, reason):
    r = client.post("/api/reports", json=body(**{field: value}), headers=bearer(tokens["ent_a"]))
    assert r.status_code == 422, r.text
    errors = r.json()["detail"]["errors"]
    assert any(reason in e["reason"] for e in errors), errors
    assert stored(app, USCC_A, "2022-05") == []  # nothing stored


def test_api_report_refuses_json_numbers_that_are_not_finite(app, client, tokens):
    # Python's json accepts the non-standard tokens NaN and Infinity: the server must still refuse them
    raw = '{"period": "2022-05", "values": {"output_value": Infinity, "output_value_prev": NaN}}'
    r = client.post("/api/reports", content=raw, headers={**bearer(tokens["ent_a"]), "content-type": "application/json"})
    assert r.status_code == 422 and stored(app, USCC_A, "2022-05") == []


def test_future_period_is_refused(app, client, tokens):
    r = client.post("/api/reports", json=body(period="2099-05"), headers=bearer(tokens["ent_a"]))
    assert r.status_code == 422 and "尚未到来" in r.text
    assert stored(app, USCC_A, "2099-05") == []


def test_upload_with_inf_is_refused_and_located(app, client, tokens):
    csv = HEAD + f"{USCC_A},某企业,2022-05,1000,900,990,千元\n{USCC_A},某企业,2022-04,inf,900,990,千元\n"
    r = client.post("/api/uploads", files={"file": ("月报.csv", csv.encode())}, data={"kind": "reports"},
                    headers=bearer(tokens["gz_officer"]))
    assert r.status_code == 422
    errs = r.json()["detail"]["errors"]
    assert [(e["row"], e["column"]) for e in errs] == [(3, "工业总产值(当期价格)")]
    assert stored(app, USCC_A, "2022-05") == [] and stored(app, USCC_A, "2022-04") == []  # all or nothing


def test_cli_report_loading_refuses_nan(tmp_path, wh):
    from tests.web.fixtures import add_microdata
    from yacang.ingest.errors import IngestError
    from yacang.microdata.report_workbook import load_report_file

    add_microdata(wh)
    path = tmp_path / "月报.csv"
    path.write_text(HEAD + f"{USCC_A},某企业,2022-05,nan,900,990,千元\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        load_report_file(wh, path)
    assert "第2行" in str(err.value.errors[0]) and "NaN" in str(err.value.errors[0])
    assert wh.db.execute("SELECT count(*) FROM reports WHERE period = '2022-05'").fetchone()[0] == 0


def test_accepted_report_changes_only_through_a_granted_revision(app, client, tokens):
    ent, off = bearer(tokens["ent_a"]), bearer(tokens["gz_officer"])
    assert client.post("/api/reports", json=body(), headers=ent).status_code == 200
    assert client.post(f"/api/reports/{USCC_A}/review", json={"period": "2022-05", "action": "accept"},
                       headers=off).status_code == 200
    # the enterprise tries to rewrite the accepted report: refused, the accepted figures stay
    r = client.post("/api/reports", json=body(output_value="99000"), headers=ent)
    assert r.status_code == 409 and "更正申请" in r.text
    assert stored(app, USCC_A, "2022-05") == [(1200.0, 1180.0, "accepted")]  # 12000 千元 = 1200 万元
    # it asks for a revision; until the officer grants it, still refused
    assert client.post(f"/api/reports/{USCC_A}/revision-request", json={"period": "2022-05", "reason": "漏报一笔订单"},
                       headers=ent).status_code == 200
    assert client.post("/api/reports", json=body(output_value="99000"), headers=ent).status_code == 409
    # another enterprise or an officer cannot ask for A's revision
    assert client.post(f"/api/reports/{USCC_A}/revision-request", json={"period": "2022-05", "reason": "x"},
                       headers=bearer(tokens["ent_b"])).status_code == 403
    assert client.post(f"/api/reports/{USCC_A}/review", json={"period": "2022-05", "action": "grant_revision"},
                       headers=off).status_code == 200
    assert client.post("/api/reports", json=body(output_value="13000"), headers=ent).status_code == 200
    assert stored(app, USCC_A, "2022-05") == [(1300.0, 1180.0, "submitted")]
