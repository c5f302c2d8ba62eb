"""Server-rendered pages: login with CSRF, the overview, scoping of pages, data upload, 直报, no CDN."""

from __future__ import annotations

import re
from urllib.parse import unquote

from tests.web.fixtures import PASSWORD, USCC_A


def login(client, username: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:300]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_anonymous_is_sent_to_login(fresh_client):
    r = fresh_client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_login_form_without_its_csrf_token_is_refused(fresh_client):
    fresh_client.get("/login")
    r = fresh_client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": "forged"},
                          follow_redirects=False)
    assert r.status_code == 200 and "页面已过期" in r.text
    assert "yacang_session" not in fresh_client.cookies


def test_overview_page_has_kpis_map_ranking_and_only_local_assets(fresh_client):
    login(fresh_client, "gd_officer")
    html = fresh_client.get("/regions/440000?indicator=gdp&measure=yoy").text
    assert "总览 · 广东省" in html and "规上工业增加值累计增速" in html
    assert 'id="map"' in html and 'id="ranking"' in html and "深圳市" in html
    assert "南京" not in html and "江苏" not in html
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/") or s.startswith("?") for s in srcs), srcs  # nothing from a CDN
    assert 'name="viewport"' in html


def test_echarts_and_boundaries_are_served_locally(fresh_client):
    js = fresh_client.get("/vendor/echarts.min.js")
    assert js.status_code == 200 and len(js.content) > 500_000 and b"echarts" in js.content[:2000]
    geo = fresh_client.get("/geo/china.json")
    assert geo.status_code == 200 and len(geo.json()["features"]) == 35


def test_sibling_region_page_is_forbidden(fresh_client):
    login(fresh_client, "gz_officer")
    r = fresh_client.get("/regions/440300", headers={"accept": "text/html"})
    assert r.status_code == 403 and "无权" in r.text


def test_enterprise_lands_on_report_page_and_sees_inline_errors(fresh_client):
    login(fresh_client, "ent_a")
    page = fresh_client.get("/")
    assert "企业月报直报" in page.text and "广州天河精密制造有限公司" in page.text
    r = fresh_client.post("/report", data={"csrf_token": csrf_of(page.text), "period": "2022-04", "unit": "千元",
                                           "output_value": "12000", "output_value_prev": "11000",
                                           "sales_value": "5000", "action": "check"})
    assert r.status_code == 422
    assert "超过10%" in r.text and 'class="bad"' in r.text and "共 1 处错误" in r.text
    r = fresh_client.post("/report", data={"csrf_token": csrf_of(page.text), "period": "2022-04", "unit": "千元",
                                           "output_value": "12000", "output_value_prev": "11000",
                                           "sales_value": "11900", "action": "submit"})
    assert r.status_code == 200 and "2022年4月月报已报送" in r.text


def test_data_page_upload_shows_row_errors(fresh_client):
    login(fresh_client, "gd_officer")
    page = fresh_client.get("/data")
    text = "统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,计量单位\nX,A,2022-05,1,,千元\n"
    r = fresh_client.post("/data", data={"csrf_token": csrf_of(page.text), "kind": "reports"},
                          files={"file": ("坏文件.csv", text.encode())})
    assert r.status_code == 422
    assert 'id="row-errors"' in r.text and "第2行" in r.text and "工业总产值上年同期" in r.text and "未入库" in r.text


def test_analyst_cannot_open_the_upload_page(fresh_client):
    login(fresh_client, "gd_analyst")
    assert fresh_client.get("/data", headers={"accept": "text/html"}).status_code == 403


def test_admin_users_page_adds_and_disables(fresh_client):
    login(fresh_client, "admin")
    page = fresh_client.get("/users")
    assert "用户管理" in page.text and "gd_officer" in page.text
    fresh_client.post("/users", data={"csrf_token": csrf_of(page.text), "username": "sz_officer",
                                      "password": "long-enough-2", "role": "officer", "region": "440300"})
    fresh_client.post("/users/sz_officer/disable", data={"csrf_token": csrf_of(page.text)})
    html = fresh_client.get("/users").text
    assert re.search(r"sz_officer</td>.*?停用", html, re.S)


def test_pages_of_every_section_render_for_an_officer(fresh_client):
    login(fresh_client, "gd_officer")
    for path, marker in (("/industries", "行业"), ("/enterprises", "企业报表"), ("/alerts", "增速低于上级"),
                         ("/report", "企业直报"), ("/bulletins", "月度通报")):
        r = fresh_client.get(path)
        assert r.status_code == 200 and marker in r.text, path


def test_security_headers_forbid_outside_sources(fresh_client):
    r = fresh_client.get("/login")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "http" not in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


def test_silence_from_the_alerts_page_needs_a_reason(fresh_client):
    login(fresh_client, "gz_officer")
    page = fresh_client.get("/alerts")
    assert "fp-440100" in page.text and "fp-320100" not in page.text
    token = csrf_of(page.text)
    r = fresh_client.post("/alerts/fp-440100/silence", data={"csrf_token": token, "reason": " ", "days": "7"},
                          headers={"accept": "text/html"})
    assert r.status_code == 422 and "必须注明原因" in r.text
    r = fresh_client.post("/alerts/fp-440100/silence", data={"csrf_token": token, "reason": "停产检修", "days": "7"})
    assert r.status_code == 200 and "已静默" in r.text
    r = fresh_client.post("/alerts/fp-440100/ack", data={"csrf_token": "forged", "comment": "x"},
                          headers={"accept": "text/html"})
    assert r.status_code == 403 and "CSRF" in r.text
    # over-long texts and an out-of-range duration are refused with 422 (were a 500 from the API model)
    for path, data in (("ack", {"comment": "长" * 2001}), ("silence", {"reason": "长" * 2001, "days": "7"}),
                       ("silence", {"reason": "检修", "days": "400"})):
        r = fresh_client.post(f"/alerts/fp-440100/{path}", data={"csrf_token": token, **data},
                              headers={"accept": "text/html"})
        assert r.status_code == 422, (path, data, r.status_code)
    r = fresh_client.post("/alerts/fp-440100/ack", data={"csrf_token": token, "comment": "长" * 2000})
    assert r.status_code == 200 and "已确认" in r.text


def test_the_alerts_page_says_as_of_which_evaluation_and_why_a_list_is_empty(fresh_client):
    """States are those of the last evaluation (the fixture's alerts: 2023, stored up to its December); an
    empty filter names that period and how to evaluate another, not a bare 暂无数据."""
    login(fresh_client, "gd_officer")
    html = fresh_client.get("/alerts").text
    assert "状态为最近一次评估（2023年12月）" in html
    html = fresh_client.get("/alerts?level=红").text
    assert "暂无数据" not in html
    assert "没有符合条件的预警（最近一次评估：2023年12月" in html and "yacang alerts run --period" in html


def test_overview_names_the_provinces_left_out_of_the_ranking_and_the_alerts_period(fresh_client):
    """The real Wind panel has 累计 for 25 provinces only: the six with 当月 alone are named under the ranking
    (they silently vanished before); 最新预警 says up to which period the alerts were evaluated."""
    from yacang.catalog.regions import RegionCatalog, mainland_provinces
    from yacang.web.views import _missing_children

    have = [{"region": p.code} for p in mainland_provinces() if p.short_name not in
            ("北京", "天津", "河北", "辽宁", "江西", "青海")]
    assert len(have) == 25
    missing = _missing_children(RegionCatalog(), "100000", have)
    assert [m["name"] for m in missing] == ["北京市", "天津市", "河北省", "辽宁省", "江西省", "青海省"]
    assert _missing_children(RegionCatalog(), "100000", [{"region": p.code} for p in mainland_provinces()]) == []
    login(fresh_client, "admin")
    html = fresh_client.get("/").text
    assert 'id="alerts-evaluated">评估至2023年12月' in html


def test_page_forms_refused_by_the_api_model_are_422s_not_500s(fresh_client):
    """Page forms build the API's input models: a refused value is the model's Chinese reason."""
    login(fresh_client, "admin")
    csrf = csrf_of(fresh_client.get("/report").text)
    r = fresh_client.post(f"/report/{USCC_A}/review", data={"csrf_token": csrf, "period": "2022-03", "action": "delete"},
                          follow_redirects=False)
    assert r.status_code == 422 and "action" in r.json()["detail"] and "应为" in r.json()["detail"]
    r = fresh_client.post("/bulletins", data={"csrf_token": csrf, "period": "2022-03" * 5}, follow_redirects=False)
    assert r.status_code == 303 and "过长，最多 16 字" in unquote(r.headers["location"])


def test_disabling_an_unknown_user_says_so(fresh_client):
    login(fresh_client, "admin")
    csrf = csrf_of(fresh_client.get("/users").text)
    r = fresh_client.post("/users/nobody/disable", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and "没有用户 nobody" in unquote(r.headers["location"])
