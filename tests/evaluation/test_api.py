"""The evaluation API: stored real-data ranking, the 申报 flow through HTTP with scope and status codes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.evaluation.test_workflow import values
from tests.evaluation.webapp import bearer, make_app, tokens


@pytest.fixture()
def client_tokens(yacang_home, shared_data):
    app = make_app(yacang_home, shared_data)
    with TestClient(app) as c:
        yield c, tokens(app)
    app.state.yacang.close()


def test_real_ranking_is_served(client_tokens):
    client, tok = client_tokens
    runs = client.get("/api/evaluation/runs", headers=bearer(tok["admin"])).json()
    assert len(runs) == 1 and runs[0]["run_id"].startswith("wenzengzhang|wsum|province|2022|real")
    d = client.get(f"/api/evaluation/runs/{runs[0]['run_id']}/scores", headers=bearer(tok["admin"])).json()
    assert len(d["scores"]) == 31 and d["run"]["data_kind"] == "real" and "国家统计局" in d["run"]["source"]
    assert sorted(s["rank"] for s in d["scores"]) == list(range(1, 32))  # no veto, no tie on real data
    # a province user sees its own row and rank (out of 31), never another province's figures
    gd = client.get(f"/api/evaluation/runs/{runs[0]['run_id']}/scores", headers=bearer(tok["gd_officer"])).json()
    assert [s["region"] for s in gd["scores"]] == ["440000"] and gd["ranked"] == 31
    assert "江苏" not in str(gd) and "320000" not in str(gd)
    assert client.get(f"/api/evaluation/runs/{runs[0]['run_id']}/regions/320000",
                      headers=bearer(tok["gd_officer"])).status_code == 404
    r = client.get(f"/api/evaluation/runs/{runs[0]['run_id']}/regions/140000", headers=bearer(tok["admin"])).json()
    item = {i["indicator"]: i for i in r["items"]}
    # 山西 2022 全年 8.0%, 2021 12.7% (province file); 全国 2022 3.6% → 满意值 6.6, 不允许值 0.6:
    # 功效系数 60 + 40·(8.0 − 0.6)/6 = 109.3 → capped at 100 → 1.0; two-year average √(1.08·1.127) − 1 = √1.21716 − 1 = 10.325%
    assert item["iva_ytd"]["value"] == 8.0 and item["iva_ytd"]["norm"] == 1.0
    assert item["iva_2y"]["value"] == pytest.approx(10.325, abs=1e-3)
    assert item["iva_change"]["value"] == pytest.approx(8.0 - 12.7)
    jl = {i["indicator"]: i for i in client.get(f"/api/evaluation/runs/{runs[0]['run_id']}/regions/220000",
                                                headers=bearer(tok["admin"])).json()["items"]}
    # 吉林 2022 −6.4% is below the 不允许值 0.6 → 60 points → 0.6
    assert jl["iva_ytd"]["value"] == -6.4 and jl["iva_ytd"]["norm"] == pytest.approx(0.6)
    # as officials read them: 吉林's 累计 was below zero from 1-3月 to 1-12月 (file: −10.5 … −6.4) → 10个
    assert jl["iva_ytd"]["value_text"] == "-6.4%" and jl["neg_months"]["value_text"] == "10个"
    assert jl["iva_change"]["value_text"] == "-11.0个百分点"  # −6.4 − 4.6 (2021)
    assert client.get("/api/evaluation/runs").status_code == 401


def test_call_flow_over_http(client_tokens):
    client, tok = client_tokens
    r = client.post("/api/evaluation/calls", json={"year": 2022, "quota": 1}, headers=bearer(tok["gd_reviewer"]))
    assert r.status_code == 201
    call = r.json()
    assert call["issuer_region"] == "440000" and call["level"] == "prefecture" and call["issuer_name"] == "广东省"
    cid = call["id"]
    assert client.post("/api/evaluation/calls", json={"year": 2022, "quota": 1},
                       headers=bearer(tok["gz_viewer"])).status_code == 403
    # the region of a submission comes from the account: a body cannot choose it
    r = client.put(f"/api/evaluation/calls/{cid}/submission", json={"values": values(3), "narrative": "广州"},
                   headers=bearer(tok["gz_city"]))
    assert r.status_code == 200 and r.json()["region"] == "440100" and r.json()["region_name"] == "广州市"
    client.put(f"/api/evaluation/calls/{cid}/submission", json={"values": values(1)}, headers=bearer(tok["sz_city"]))
    client.put(f"/api/evaluation/calls/{cid}/submission", json={"values": values(2)}, headers=bearer(tok["zh_city"]))
    bad = client.put(f"/api/evaluation/calls/{cid}/submission", json={"values": {"iva_ytd": 5000}},
                     headers=bearer(tok["gz_city"]))
    assert bad.status_code == 422 and "超出合理范围" in bad.json()["detail"]
    assert client.put(f"/api/evaluation/calls/{cid}/submission", json={"values": values(1)},
                      headers=bearer(tok["js_city"])).status_code == 404  # 南京 does not see 广东's call
    seen = client.get(f"/api/evaluation/calls/{cid}", headers=bearer(tok["sz_city"])).json()
    assert [s["region"] for s in seen["submissions"]] == ["440300"]
    seen = client.get(f"/api/evaluation/calls/{cid}", headers=bearer(tok["gd_reviewer"])).json()
    assert [s["region"] for s in seen["submissions"]] == ["440100", "440300", "440400"]
    sub_gz = seen["submissions"][0]["id"]
    up = client.post(f"/api/evaluation/submissions/{sub_gz}/attachments", files={"file": ("材料.pdf", b"%PDF-1.4 x")},
                     headers=bearer(tok["gz_city"]))
    assert up.status_code == 201 and up.json()["size"] == 10
    att = f"/api/evaluation/submissions/{sub_gz}/attachments/{up.json()['id']}"
    assert client.get(att, headers=bearer(tok["gd_reviewer"])).content == b"%PDF-1.4 x"
    assert client.get(att, headers=bearer(tok["sz_city"])).status_code == 404  # another city's file
    assert client.post(f"/api/evaluation/submissions/{sub_gz}/attachments", files={"file": ("x.exe", b"MZ")},
                       headers=bearer(tok["gz_city"])).status_code == 422
    assert client.post(f"/api/evaluation/calls/{cid}/score", headers=bearer(tok["gz_city"])).status_code == 403
    chk = client.post(f"/api/evaluation/calls/{cid}/check", headers=bearer(tok["gd_reviewer"])).json()
    assert chk == {"checked": 3, "flagged": 0}  # no prefecture 规上工业 series in the warehouse: nothing to compare
    ranking = client.post(f"/api/evaluation/calls/{cid}/score", headers=bearer(tok["gd_reviewer"])).json()["ranking"]
    assert [r["region"] for r in ranking] == ["440100", "440400", "440300"]
    assert client.post(f"/api/evaluation/calls/{cid}/shortlist", json={"regions": ["440100", "440400"]},
                       headers=bearer(tok["gd_reviewer"])).status_code == 422
    assert client.post(f"/api/evaluation/calls/{cid}/shortlist", json={},
                       headers=bearer(tok["gd_reviewer"])).json() == {"shortlisted": ["440100"]}
    assert client.get(f"/api/evaluation/calls/{cid}/export.docx", headers=bearer(tok["sz_city"])).status_code == 403
    assert client.post(f"/api/evaluation/calls/{cid}/publish", headers=bearer(tok["gd_reviewer"])).status_code == 200
    pub = client.get(f"/api/evaluation/calls/{cid}", headers=bearer(tok["sz_city"])).json()["published"]
    assert [p["region"] for p in pub] == ["440100"]
    x = client.get(f"/api/evaluation/calls/{cid}/export.xlsx", headers=bearer(tok["gd_reviewer"]))
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert client.get(f"/api/evaluation/calls/{cid}/export.xlsx", headers=bearer(tok["sz_city"])).status_code == 403
    assert client.get(f"/api/evaluation/calls/{cid}/export.docx", headers=bearer(tok["sz_city"])).status_code == 403
    d = client.get(f"/api/evaluation/calls/{cid}/export.docx", headers=bearer(tok["gd_reviewer"]))
    assert d.status_code == 200 and d.content[:2] == b"PK"
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from yacang.auth.models import AuditEvent, User

    with Session(client.app.state.yacang.engine) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action.like("eval_%")).order_by(AuditEvent.id)).all()
        denied = s.scalars(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        ids = dict(s.execute(select(User.username, User.id)).all())
    assert [(e.action, e.username) for e in events] == [
        ("eval_call_create", "gd_reviewer"), ("eval_submit", "gz_city"), ("eval_submit", "sz_city"),
        ("eval_submit", "zh_city"), ("eval_attach", "gz_city"), ("eval_check", "gd_reviewer"),
        ("eval_score", "gd_reviewer"), ("eval_shortlist", "gd_reviewer"), ("eval_publish", "gd_reviewer")]
    assert all(e.user_id == ids[e.username] and e.ip == "testclient" for e in events)
    # refused writes are audited too: the analyst's call, 广州's attempt to score
    assert sorted(e.username for e in denied) == ["gz_city", "gz_viewer"]
