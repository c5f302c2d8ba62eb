"""Writes through the dispatch pages' forms: the same checks and the same audit as the API.

The forms post with the bearer token here (the CSRF check of cookie sessions is covered by
test_api.test_page_forms_register_and_report); every post redirects back (303) with ``msg`` or ``error``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import text

from tests.dispatch.conftest import ENT_A, ENT_C
from yacang.microdata.uscc import make_uscc

UNKNOWN = make_uscc("330106", "MA2DDDDD4")  # in no registry: 杭州 registers it by hand
LONG = "x" * 100_000


def audits(c) -> list[tuple[str, str, str]]:
    with c.app.state.yacang.engine.connect() as cx:
        return [tuple(r) for r in cx.execute(text("select action, username, target from audit_log order by id"))]


def post(c, h, url: str, data: dict | None = None) -> dict[str, str]:
    """POST a form; the redirect's query (``msg`` or ``error``) as a dict."""
    r = c.post(url, data=data or {}, headers=h, follow_redirects=False)
    assert r.status_code == 303, (url, r.status_code, r.text[:300])
    loc = urlsplit(r.headers["location"])
    return {"path": unquote(loc.path), **{k: v[0] for k, v in parse_qs(loc.query).items()}}


def keys(c, h) -> dict[str, dict]:
    return {k["uscc"]: k for k in c.get("/api/dispatch/key-enterprises", headers=h).json()}


# 1: the records decide name and region, for the page as for the API -------------------------------
def test_keyent_form_takes_name_and_region_from_the_records_not_the_form(api):
    c, h = api
    # 宁波 claims 杭州's enterprise A as its own, under a false name: refused, nothing stored
    got = post(c, h["nb"], "/dispatch/keyent", {"uscc": ENT_A[0], "name": "假冒名称", "region": "330203",
                                                "frequency": "周"})
    assert "error" in got and "330106" in got["error"] and "管辖范围" in got["error"]
    assert keys(c, h["admin"]) == {}
    # 杭州 registers A with a false name and another county: the recorded ones are kept
    got = post(c, h["hz"], "/dispatch/keyent", {"uscc": ENT_A[0], "name": "假冒名称", "region": "330108",
                                                "frequency": "周"})
    assert got.get("msg") == f"已列入重点企业：{ENT_A[1]}（周报）"
    k = keys(c, h["admin"])[ENT_A[0]]
    assert (k["name"], k["region"]) == (ENT_A[1], ENT_A[2])
    # the page's quick report lands in the warehouse under the recorded region; 宁波 cannot report for A
    got = post(c, h["nb"], "/dispatch/keyent/report", {"uscc": ENT_A[0], "day": "2022-03-15", "frequency": "周",
                                                       "production": "5"})
    assert "error" in got
    got = post(c, h["hz"], "/dispatch/keyent/report", {"uscc": ENT_A[0], "day": "2022-03-15", "frequency": "周",
                                                       "production": "5"})
    assert got.get("msg") == "已报送周报（2022-03-20）", got
    with c.app.state.yacang.warehouse() as wh:
        assert wh.values(f"report:production.value.{ENT_A[2]}.TOTAL.{ENT_A[0]}~W").to_dict() == {"2022-03-20": 5.0}


def test_keyent_form_for_an_unknown_enterprise_needs_name_and_a_region_in_scope(api):
    c, h = api
    got = post(c, h["hz"], "/dispatch/keyent", {"uscc": UNKNOWN, "region": "330106", "frequency": "月"})
    assert "请填写企业名称和所在地区代码" in got["error"]
    got = post(c, h["hz"], "/dispatch/keyent", {"uscc": UNKNOWN, "name": "新企业", "region": "330203",
                                                "frequency": "月"})
    assert "330203 不在本账号的管辖范围内" in got["error"]  # 宁波's county is not 杭州's
    assert keys(c, h["admin"]) == {}
    got = post(c, h["hz"], "/dispatch/keyent", {"uscc": UNKNOWN, "name": "新企业", "region": "330106",
                                                "frequency": "月"})
    assert got.get("msg") == "已列入重点企业：新企业（月报）"
    # once listed, the key list is its record: a later form cannot move or rename it
    post(c, h["admin"], "/dispatch/keyent", {"uscc": UNKNOWN, "name": "改名", "region": "330203", "frequency": "月"})
    k = keys(c, h["admin"])[UNKNOWN]
    assert (k["name"], k["region"]) == ("新企业", "330106")


# 2: every page write is audited once, as its API twin is ---------------------------------------
def test_every_dispatch_form_post_adds_exactly_one_audit_row(api):
    c, h = api

    def step(user: str, url: str, data: dict | None, action: str) -> dict[str, str]:
        before = audits(c)
        got = post(c, h[user], url, data)
        assert "error" not in got, got
        new = audits(c)[len(before):]
        assert [(a, u) for a, u, _t in new] == [(action, user)], (url, new)
        return got

    got = step("ent_a", "/dispatch/appeals", {"appeal_type": "缺芯", "description": "芯片断供，请求协调"}, "appeal_file")
    code = got["path"].rsplit("/", 1)[1]
    step("hz", f"/dispatch/appeals/{code}/assign", {"department": "电子信息科"}, "appeal_assign")
    step("hz", "/dispatch/whitelist", {"category": "raw_materials", "uscc": ENT_A[0], "reason": "保供",
                                       "valid_from": "2022-01-01", "valid_to": "2022-12-31"}, "whitelist_apply")
    entry = c.get("/api/dispatch/whitelist", headers=h["hz"]).json()[0]["id"]
    step("zj", f"/dispatch/whitelist/{entry}/review", {"approve": "1", "note": "同意"}, "whitelist_review")
    step("admin", f"/dispatch/whitelist/{entry}/publish", None, "whitelist_publish")
    assert c.get("/api/dispatch/whitelist", headers=h["hz"]).json()[0]["status"] == "published"
    step("hz", "/dispatch/keyent", {"uscc": ENT_A[0], "frequency": "周"}, "key_register")
    step("ent_a", "/dispatch/keyent/report", {"day": "2022-03-15", "frequency": "周", "orders": "120"}, "quick_report")
    step("hz", "/dispatch/projects", {"code": "P9", "name": "试点项目", "region": "330106", "industry": "39",
                                      "planned_investment": "50", "planned_start": "2022-01-01",
                                      "planned_finish": "2023-01-01"}, "project_register")
    step("hz", "/dispatch/projects/progress", {"project": "P9", "period": "2022-06", "invest_cum": "20"},
         "project_progress")
    # a refusal of scope through a form is audited as a denial, as through the API
    before = len(audits(c))
    assert "error" in post(c, h["nb"], "/dispatch/projects/progress", {"project": "P9", "period": "2022-07",
                                                                        "invest_cum": "21"})
    assert [a for a, _u, _t in audits(c)[before:]] == ["denied"]


def test_every_dispatch_api_write_adds_exactly_one_audit_row(api):
    c, h = api
    calls = [("hz", "/api/dispatch/key-enterprises", {"uscc": ENT_A[0], "frequency": "周"}, "key_register"),
             ("ent_a", "/api/dispatch/quick-reports", {"day": "2022-03-15", "frequency": "周", "orders": 1.0},
              "quick_report"),
             ("hz", "/api/dispatch/whitelist", {"category": "raw_materials", "uscc": ENT_A[0], "reason": "保供",
                                                "valid_from": "2022-01-01", "valid_to": "2022-12-31"},
              "whitelist_apply"),
             ("hz", "/api/dispatch/projects", {"code": "P1", "name": "芯片项目", "region": "330106",
                                               "planned_investment": 10, "planned_start": "2022-01-01",
                                               "planned_finish": "2023-01-01"}, "project_register"),
             ("hz", "/api/dispatch/projects/P1/progress", {"period": "2022-06", "invest_cum": 1}, "project_progress")]
    for user, url, body, action in calls:
        n = len(audits(c))
        r = c.post(url, json=body, headers=h[user])
        assert r.status_code in (200, 201), (url, r.text)
        assert [(a, u) for a, u, _t in audits(c)[n:]] == [(action, user)]


# 3: NaN is refused, also as text, and blank values are no report -------------------------------
def test_nan_quick_reports_are_refused_by_the_api_and_the_form(api):
    c, h = api
    post(c, h["hz"], "/dispatch/keyent", {"uscc": ENT_A[0], "frequency": "周"})
    body = {"day": "2022-03-15", "frequency": "周"}
    for raw in ('"nan"', '"NaN"', "NaN", "Infinity", '"-inf"'):
        r = c.post("/api/dispatch/quick-reports", content=f'{{"day":"2022-03-15","frequency":"周","production":{raw}}}',
                   headers={**h["ent_a"], "content-type": "application/json"})
        assert r.status_code == 422, (raw, r.text)
    for value in ("nan", "NaN", "inf"):
        got = post(c, h["ent_a"], "/dispatch/keyent/report", {**body, "production": value, "orders": "NaN"})
        assert "不是有效数值" in got["error"] or "无穷大" in got["error"], got
    got = post(c, h["ent_a"], "/dispatch/keyent/report", {**body, "production": " ", "orders": ""})
    assert "快报至少填写一项指标" in got["error"]
    assert c.get("/api/dispatch/quick-reports", headers=h["ent_a"]).json() == []
    assert not [a for a, _u, _t in audits(c) if a == "quick_report"]
    r = c.post("/api/dispatch/quick-reports", json={**body, "production": 12.5}, headers=h["ent_a"])
    assert r.status_code == 201 and r.json()["production"] == 12.5


def test_nan_project_figures_are_refused(api):
    c, h = api
    base = '{"code":"PX","name":"p","region":"330106","planned_start":"2022-01-01","planned_finish":"2023-01-01",'
    for raw in ('"nan"', "NaN", "Infinity"):
        r = c.post("/api/dispatch/projects", content=base + f'"planned_investment":{raw}}}',
                   headers={**h["hz"], "content-type": "application/json"})
        assert r.status_code == 422, (raw, r.text)
    got = post(c, h["hz"], "/dispatch/projects", {"code": "PX", "name": "p", "region": "330106",
                                                  "planned_investment": "nan", "planned_start": "2022-01-01",
                                                  "planned_finish": "2023-01-01"})
    assert "NaN" in got["error"]
    assert c.get("/api/dispatch/projects", headers=h["hz"]).json() == []


# 4: text lengths ---------------------------------------------------------------------------------
def test_overlong_notes_and_names_are_refused_and_normal_ones_kept(api):
    c, h = api
    r = c.post("/api/dispatch/appeals", json={"appeal_type": "缺工", "description": "招工难"}, headers=h["ent_a"])
    code = r.json()["code"]
    url = f"/api/dispatch/appeals/{code}"
    assert c.post(f"{url}/assign", json={"department": LONG}, headers=h["hz"]).status_code == 422
    assert c.post(f"{url}/assign", json={"department": "科", "note": LONG}, headers=h["hz"]).status_code == 422
    # the form is checked by the service (not by pydantic): refused with a Chinese message, nothing changed
    got = post(c, h["hz"], f"/dispatch/appeals/{code}/assign", {"department": "人社科", "note": LONG})
    assert "分派说明过长（100000 字），最多 2000 字" in got["error"]
    assert c.get(url, headers=h["hz"]).json()["status"] == "filed"
    r = c.post(f"{url}/assign", json={"department": "人社" * 100, "note": "说" * 2000}, headers=h["hz"])
    assert r.status_code == 200 and r.json()["department"] == "人社" * 100
    assert c.post(f"{url}/respond", json={"note": LONG}, headers=h["hz"]).status_code == 422
    assert c.post(f"{url}/respond", json={"note": "已联系"}, headers=h["hz"]).status_code == 200
    # whitelist review note
    r = c.post("/api/dispatch/whitelist", json={"category": "raw_materials", "uscc": ENT_C[0], "reason": "保供",
                                                 "valid_from": "2022-01-01", "valid_to": "2022-12-31"}, headers=h["nb"])
    entry = r.json()["id"]
    assert c.post(f"/api/dispatch/whitelist/{entry}/review", json={"note": LONG}, headers=h["zj"]).status_code == 422
    got = post(c, h["zj"], f"/dispatch/whitelist/{entry}/review", {"approve": "1", "note": LONG})
    assert "审核意见过长" in got["error"]
    r = c.post(f"/api/dispatch/whitelist/{entry}/review", json={"note": "同意"}, headers=h["zj"])
    assert r.status_code == 200 and r.json()["status"] == "reviewed"


def test_milestone_names_are_limited_and_bad_dates_are_a_chinese_422(api):
    c, h = api
    base = {"code": "P1", "name": "芯片项目", "region": "330106", "planned_investment": 10,
            "planned_start": "2022-01-01", "planned_finish": "2023-01-01"}
    r = c.post("/api/dispatch/projects", json={**base, "milestones": [{"name": LONG, "planned": "2022-06-01"}]},
               headers=h["hz"])
    assert r.status_code == 422 and "里程碑名称过长" in r.json()["detail"]
    r = c.post("/api/dispatch/projects", json={**base, "milestones": [{"name": "封顶", "planned": "2022-13-01"}]},
               headers=h["hz"])
    assert r.status_code == 422 and "里程碑计划日期应为有效日期" in r.json()["detail"]
    r = c.post("/api/dispatch/projects", json={**base, "milestones": [{"name": "主体封顶", "planned": "2022-06-01"}]},
               headers=h["hz"])
    assert r.status_code == 201 and r.json()["milestones"] == [{"name": "主体封顶", "planned": "2022-06-01"}]
    r = c.post("/api/dispatch/projects/P1/progress", json={"period": "2022-06", "invest_cum": 2,
                                                            "milestones_done": {"主体封顶": "2024-13-01"}},
               headers=h["hz"])
    assert r.status_code == 422 and "里程碑“主体封顶”完成日期应为有效日期" in r.json()["detail"]
    r = c.post("/api/dispatch/projects/P1/progress", json={"period": "2022-06", "invest_cum": 2,
                                                            "milestones_done": {"主体封顶": "2022-06-20"}},
               headers=h["hz"])
    assert r.status_code == 200 and r.json()["progress"][0]["milestones_done"] == {"主体封顶": "2022-06-20"}
