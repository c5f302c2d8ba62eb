"""The dispatch API through FastAPI's TestClient: scoping by role and region, the appeal flow, exports."""

from __future__ import annotations

import io

from tests.dispatch.conftest import ENT_A, ENT_B, ENT_C


def file(c, h, kind="缺芯", **extra):
    r = c.post("/api/dispatch/appeals", json={"appeal_type": kind, "description": f"{kind}，请求协调", **extra}, headers=h)
    assert r.status_code == 201, r.text
    return r.json()


def test_enterprise_cannot_read_another_enterprises_appeal(api):
    c, h = api
    a = file(c, h["ent_a"])
    assert a["uscc"] == ENT_A[0] and a["region"] == ENT_A[2]  # taken from the account, not the body
    assert c.get(f"/api/dispatch/appeals/{a['code']}", headers=h["ent_a"]).status_code == 200
    r = c.get(f"/api/dispatch/appeals/{a['code']}", headers=h["ent_b"])
    assert r.status_code == 404 and ENT_A[1] not in r.text
    assert c.get("/api/dispatch/appeals", headers=h["ent_b"]).json() == []
    # an enterprise cannot file for someone else: the body's USCC is ignored
    b = file(c, h["ent_b"], uscc=ENT_A[0], region=ENT_A[2], enterprise_name="冒名")
    assert b["uscc"] == ENT_B[0]


def test_prefecture_officer_sees_only_its_subtree(api):
    c, h = api
    for ent in ("ent_a", "ent_b", "ent_c"):
        file(c, h[ent])
    seen = lambda who: sorted(x["uscc"] for x in c.get("/api/dispatch/appeals", headers=h[who]).json())  # noqa: E731
    assert seen("hz") == sorted([ENT_A[0], ENT_B[0]])
    assert seen("hz_analyst") == sorted([ENT_A[0], ENT_B[0]])
    assert seen("nb") == [ENT_C[0]]
    assert seen("zj") == seen("admin") and len(seen("admin")) == 3
    c_code = c.get("/api/dispatch/appeals", headers=h["nb"]).json()[0]["code"]
    assert c.get(f"/api/dispatch/appeals/{c_code}", headers=h["hz"]).status_code == 404
    r = c.post(f"/api/dispatch/appeals/{c_code}/assign", json={"department": "科室"}, headers=h["hz"])
    assert r.status_code == 404
    stats = c.get("/api/dispatch/stats/appeals", headers=h["hz"]).json()
    assert stats[-1]["诉求类型"] == "合计" and stats[-1]["受理"] == 2


def test_full_flow_and_errors_over_http(api):
    c, h = api
    a = file(c, h["ent_a"], urgency="紧急")
    code = a["code"]
    step = lambda who, action, **b: c.post(f"/api/dispatch/appeals/{code}/{action}", json=b, headers=h[who])  # noqa: E731
    assert step("hz_analyst", "assign", department="科").status_code == 403
    r = step("hz", "resolve", note="x")
    assert r.status_code == 422 and "不能办结" in r.json()["detail"]
    assert step("hz", "assign", department="电子信息科").status_code == 200
    assert step("hz", "respond", note="已联系").status_code == 200
    assert step("hz", "plan", note="协调供应商").status_code == 200
    assert step("hz", "resolve", note="芯片到货").status_code == 200
    assert step("hz", "rate", score=5).status_code == 403  # only the enterprise rates
    assert step("ent_a", "rate", score=4, comment="满意").status_code == 200
    r = step("hz", "close", note="电话回访")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    actions = [e["action"] for e in r.json()["timeline"]]
    assert actions == ["file", "assign", "respond", "plan", "resolve", "rate", "close"]


def test_whitelist_scoped_export(api):
    from openpyxl import load_workbook

    c, h = api
    body = {"category": "重点外贸企业", "reason": "出口占比高", "valid_from": "2022-01-01", "valid_to": "2022-12-31"}
    r = c.post("/api/dispatch/whitelist", json={**body, "uscc": ENT_A[0], "enterprise_name": ENT_A[1],
                                                  "region": ENT_A[2]}, headers=h["hz"])
    assert r.status_code == 201
    r = c.post("/api/dispatch/whitelist", json={**body, "uscc": ENT_C[0], "enterprise_name": ENT_C[1],
                                                  "region": ENT_C[2]}, headers=h["hz"])
    assert r.status_code == 403  # 宁波 is not 杭州's
    c.post("/api/dispatch/whitelist", json={**body, "uscc": ENT_C[0], "enterprise_name": ENT_C[1], "region": ENT_C[2]},
           headers=h["nb"])
    x = c.get("/api/dispatch/whitelist.xlsx", headers=h["hz"])
    assert x.status_code == 200
    ws = load_workbook(io.BytesIO(x.content))["全部"]
    usccs = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert usccs == [ENT_A[0]]  # 宁波's entry is not exported to 杭州
    assert [e["uscc"] for e in c.get("/api/dispatch/whitelist", headers=h["ent_c"]).json()] == [ENT_C[0]]


def test_quick_report_reaches_the_warehouse(api):
    c, h = api
    r = c.post("/api/dispatch/key-enterprises", json={"uscc": ENT_A[0], "name": ENT_A[1], "region": ENT_A[2],
                                                        "industry": "3971", "frequency": "日"}, headers=h["hz"])
    assert r.status_code == 201
    r = c.post("/api/dispatch/quick-reports", json={"day": "2022-03-15", "frequency": "日", "production": 100.0,
                                                     "operating_rate": 88.5}, headers=h["ent_a"])
    assert r.status_code == 201 and r.json()["warehouse_new"] == 2
    with c.app.state.yacang.warehouse() as wh:
        assert wh.values(f"report:operating_rate.value.{ENT_A[2]}.39.{ENT_A[0]}~D").to_dict() == {"2022-03-15": 88.5}
    r = c.post("/api/dispatch/quick-reports", json={"day": "2022-03-15", "frequency": "日", "production": 1.0},
               headers=h["ent_b"])
    assert r.status_code == 404  # B is not a key enterprise (and cannot report for A)
    recent = c.get("/dispatch/keyent", headers=h["hz"]).text.split("最近快报")[1]
    assert f'title="{ENT_A[0]}">{ENT_A[1]}</td>' in recent  # the 快报 list names the enterprise


def test_projects_api(api):
    c, h = api
    r = c.post("/api/dispatch/projects", json={"code": "P1", "name": "芯片项目", "region": "330106", "industry": "39",
                                                 "planned_investment": 100, "planned_start": "2022-01-01",
                                                 "planned_finish": "2023-01-01"}, headers=h["hz"])
    assert r.status_code == 201
    assert c.post("/api/dispatch/projects/P1/progress", json={"period": "2022-06", "invest_cum": 10},
                  headers=h["hz"]).status_code == 200
    st = c.get("/api/dispatch/projects-status?period=2022-06", headers=h["zj"]).json()
    assert st[0]["light"] == "red" and st[0]["lag"] == 39.3  # 180/365 = 49.3 % planned, 10 % done
    assert c.get("/api/dispatch/projects-status?period=2022-06", headers=h["nb"]).json() == []
    assert c.post("/api/dispatch/projects/P1/progress", json={"period": "2022-07", "invest_cum": 12},
                  headers=h["nb"]).status_code == 404


def test_pages_render_in_scope(api):
    c, h = api
    a = file(c, h["ent_a"], enterprise_name=ENT_A[1])
    r = c.get(f"/dispatch/appeals/{a['code']}", headers={**h["hz"], "accept": "text/html"})
    assert r.status_code == 200 and "办理时间线" in r.text and ENT_A[1] in r.text
    r = c.get(f"/dispatch/appeals/{a['code']}", headers={**h["nb"], "accept": "text/html"})
    assert r.status_code == 404
    for page in ("/dispatch/appeals", "/dispatch/whitelist", "/dispatch/keyent", "/dispatch/projects"):
        assert c.get(page, headers={**h["zj"], "accept": "text/html"}).status_code == 200, page


def test_attachments_upload_download_scoped(api):
    c, h = api
    a = file(c, h["ent_a"])
    url = f"/api/dispatch/appeals/{a['code']}/attachments"
    r = c.post(url, files={"file": ("../../合同.pdf", b"%PDF-1.4 test", "application/pdf")}, headers=h["ent_a"])
    assert r.status_code == 201 and r.json()["attachment"] == "合同.pdf"  # directories stripped
    assert c.post(url, files={"file": ("x.exe", b"MZ", "application/octet-stream")}, headers=h["ent_a"]).status_code == 422
    assert c.post(url, files={"file": ("y.pdf", b"x", "application/pdf")}, headers=h["ent_b"]).status_code == 404
    assert c.post(url, files={"file": ("y.pdf", b"x", "application/pdf")}, headers=h["hz_analyst"]).status_code == 403
    got = c.get(f"{url}/合同.pdf", headers=h["hz"])
    assert got.status_code == 200 and got.content == b"%PDF-1.4 test"
    assert c.get(f"{url}/合同.pdf", headers=h["nb"]).status_code == 404
    assert c.get(f"/api/dispatch/appeals/{a['code']}", headers=h["ent_a"]).json()["attachments"] == ["合同.pdf"]


def test_page_forms_register_and_report(api):
    """Officer forms on the pages: key enterprise, project with progress, whitelist nomination (cookie + CSRF)."""
    import re

    c, _ = api
    page = c.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"username": "hz", "password": "Yacang-test-2022", "csrf_token": csrf, "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303
    html = c.get("/dispatch/projects").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form = {"csrf_token": token, "code": "P9", "name": "试点项目", "region": "330106", "industry": "39",
            "planned_investment": "50", "planned_start": "2022-01-01", "planned_finish": "2023-01-01"}
    assert c.post("/dispatch/projects", data=form).status_code == 200
    r = c.post("/dispatch/projects/progress", data={"csrf_token": token, "project": "P9", "period": "2022-06",
                                                      "invest_cum": "abc"})
    assert "累计完成投资应为数字" in r.text
    c.post("/dispatch/projects/progress", data={"csrf_token": token, "project": "P9", "period": "2022-06", "invest_cum": "20"})
    html = c.get("/dispatch/projects?period=2022-06").text
    assert "试点项目" in html and "已报送" not in html  # message only right after the post
    # 180/365 planned = 49.3 %, 20/50 = 40.0 % done → 9.3 points behind: 绿
    row = re.search(r'绿</td><td class="wrap" data-label="项目">试点项目（P9）</td>(.*?)</tr>', html).group(1)
    cells = re.findall(r">([^<>]+)</td>", row)
    # no county list imported here: the code stands alone; GB/T 4754 division 39 by name with its code
    assert cells == ["330106", "计算机、通信和其他电子设备制造业（39）", "50.0", "20.0", "49.3", "40.0", "9.3"]
    # 形成实物工作量: 20 亿元 completed by June, in a right-aligned cell of a table whose headers wrap
    workload = html.split("形成实物工作量（按行业）")[1].split("</table>")[0]
    assert 'class="rank heads-wrap"' in workload and '<td class="num">20.0</td>' in workload, workload
    r = c.post("/dispatch/keyent", data={"csrf_token": token, "uscc": ENT_A[0], "name": ENT_A[1], "region": ENT_A[2],
                                         "frequency": "周"})
    assert "已列入重点企业" in r.text
    r = c.post("/dispatch/whitelist", data={"csrf_token": token, "category": "raw_materials", "uscc": ENT_C[0],
                                            "enterprise_name": ENT_C[1], "region": ENT_C[2], "reason": "保供",
                                            "valid_from": "2022-01-01", "valid_to": "2022-12-31"})
    assert "不在本账号的管辖范围内" in r.text  # 宁波 is not 杭州's
    assert c.post("/dispatch/keyent", data={"uscc": "x", "name": "x", "region": "330106"}).status_code == 403  # no CSRF


def test_the_appeal_page_names_the_region(api, shared_data):
    from yacang.catalog.imports import import_regions

    c, h = api
    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", 2024)
    c.app.state.yacang._regions = None  # the page reads the catalog the server loaded; reload after the import
    a = file(c, h["ent_a"])
    html = c.get(f"/dispatch/appeals/{a['code']}", headers=h["hz"]).text
    assert f"{ENT_A[0]} · 西湖区（330106）" in html  # GB/T 2260: 330106 杭州市西湖区
