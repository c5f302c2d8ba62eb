"""The JSON API's numbers, flows and degradations (values checked against published or hand-worked figures)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from tests.web import fixtures
from tests.web.conftest import bearer
from tests.web.fixtures import PASSWORD, USCC_A, USCC_B, _batch


def test_national_overview_shows_published_2023_growth(client, tokens):
    v = client.get("/api/overview", headers=bearer(tokens["admin"])).json()
    cards = {(c["indicator"], c["measure"]): c for c in v["cards"]}
    # NBS: 2023年全年规模以上工业增加值比上年增长4.6%，12月份同比增长6.8%（11月6.6%）
    assert cards[("iva", "ytd_yoy")]["period"] == "2023-12"
    assert cards[("iva", "ytd_yoy")]["value"] == pytest.approx(4.6)
    assert cards[("iva", "yoy")]["value"] == pytest.approx(6.8)
    assert cards[("iva", "yoy")]["previous"] == pytest.approx(6.6)
    assert cards[("ppi", "yoy")]["value"] is None  # not loaded: the page says 暂无数据
    # 1-2月 is one merged period in the trend, never a February of its own
    assert "2023-01/02" in v["trend"]["periods"] and "2023-02" not in v["trend"]["periods"]


def test_province_map_values_equal_gdp_growth_from_nbs_levels(client, tokens, shared_data):
    v = client.get("/api/overview?indicator=gdp&measure=yoy", headers=bearer(tokens["admin"])).json()
    assert v["period"] == "2023" and len(v["children"]) == 31
    df = pd.read_csv(shared_data / "province_gdp_annual" / "province_gdp_current_prices.csv",
                     dtype={"province_code": str})
    lv = df.pivot(index="province_code", columns="year", values="gdp_100m_yuan")
    ref = (lv[2023] / lv[2022] - 1) * 100
    got = {c["region"]: c["value"] for c in v["children"]}
    for code in ("440000", "320000", "650000", "110000"):
        assert got[code] == pytest.approx(ref[code], abs=1e-4)  # API rounds to 4 decimals
    # ranking: rank 1 is the largest growth; names are the official full names the map matches
    first = v["children"][0]
    assert first["rank"] == 1 and first["value"] == pytest.approx(ref.max(), abs=1e-4)
    assert {c["name"] for c in v["children"]} >= {"广东省", "内蒙古自治区", "新疆维吾尔自治区"}


def test_drill_down_to_prefectures_and_vs_parent(client, tokens):
    v = client.get("/api/overview?region=440000&indicator=gdp&measure=yoy", headers=bearer(tokens["gd_officer"])).json()
    rows = {c["name"]: c for c in v["children"]}
    assert set(rows) == {"广州市", "深圳市", "珠海市"}
    assert rows["深圳市"]["rank"] == 1 and rows["珠海市"]["rank"] == 3
    gd = v["value"]
    assert rows["深圳市"]["vs_parent"] == f"高于广东省{round(6.0, 1) - round(gd, 1):.1f}个百分点"
    county = client.get("/api/overview?region=440100&indicator=gdp&measure=yoy", headers=bearer(tokens["gz_officer"])).json()
    assert [c["name"] for c in county["children"]] == ["天河区"]


def test_measures_match_hand_computed_same_caliber_real_growth(client, tokens):
    # 企业A (division 36): 1-2月 2200 vs 2000, 3月 2400 vs 2000 (万元); PPI 102 (上年同月=100)
    m = client.get("/api/measures?period=2022-03&region=440000", headers=bearer(tokens["gd_officer"])).json()
    assert m["summary"]["month_growth"] == pytest.approx((2400 / 1.02 / 2000 - 1) * 100)
    assert m["summary"]["ytd_growth"] == pytest.approx(((2200 + 2400) / 1.02 / 4000 - 1) * 100)


def test_observations_as_of_returns_the_earlier_vintage(fresh_app, fresh_client, fresh_tokens):
    sid = "test:gdp.yoy.440100.TOTAL"
    b = _batch("revision.csv", [{"series_id": sid, "indicator": "gdp", "measure": "yoy", "region": "440100",
                                 "industry": "TOTAL", "frequency": "Y", "unit": "%", "source": "test"}],
               [{"series_id": sid, "period": "2023", "value": 4.9}])
    b.vintage = pd.Timestamp("2030-06-30")
    with fresh_app.state.yacang.warehouse() as wh:
        wh.write_batch(b)
    fresh_app.state.yacang.changed()
    h = bearer(fresh_tokens["gz_officer"])
    now = fresh_client.get(f"/api/series/{sid}/observations", headers=h).json()["observations"]
    before = fresh_client.get(f"/api/series/{sid}/observations?as_of=2030-01-01", headers=h).json()["observations"]
    assert now[0]["value"] == 4.9 and before[0]["value"] == 4.6


def test_enterprise_report_flow_check_submit_review(fresh_client, fresh_tokens):
    ent, gd, js = (bearer(fresh_tokens[u]) for u in ("ent_a", "gd_officer", "js_officer"))
    bad = {"period": "2022-04", "values": {"output_value": "12000", "output_value_prev": "11000", "sales_value": "6000",
                                           "export_delivery": "7000"}}
    r = fresh_client.post("/api/reports/check", json=bad, headers=ent).json()
    assert not r["ok"]
    assert {e["field"] for e in r["errors"]} == {"sales_value", "export_delivery"}
    r = fresh_client.post("/api/reports", json=bad, headers=ent)
    assert r.status_code == 422  # nothing saved
    missing = {"period": "2022-04", "values": {"output_value": "abc"}}
    errs = fresh_client.post("/api/reports/check", json=missing, headers=ent).json()["errors"]
    assert {e["field"] for e in errs} >= {"output_value", "output_value_prev"}
    good = {"period": "2022年4月", "values": {"output_value": "12000", "output_value_prev": "11000", "sales_value": "11800"}}
    r = fresh_client.post("/api/reports", json=good, headers=ent)
    assert r.status_code == 200 and r.json()["period"] == "2022-04"
    rows = fresh_client.get("/api/reports?period=2022-04", headers=gd).json()
    assert [(x["uscc"], x["status"]) for x in rows] == [(USCC_A, "submitted")]
    assert rows[0]["output_value"] == pytest.approx(1200.0)  # 12000 千元 = 1200 万元
    assert fresh_client.get("/api/reports?period=2022-04", headers=js).json() == []
    r = fresh_client.post(f"/api/reports/{USCC_A}/review", json={"period": "2022-04", "action": "return"}, headers=gd)
    assert r.status_code == 422  # a reason is required
    r = fresh_client.post(f"/api/reports/{USCC_A}/review",
                          json={"period": "2022-04", "action": "return", "reason": "用电量未填"}, headers=gd)
    assert r.status_code == 200
    hist = fresh_client.get(f"/api/reports/{USCC_A}?period=2022-04", headers=ent).json()["history"]
    assert [h["status"] for h in hist] == ["submitted", "returned"] and hist[-1]["reason"] == "用电量未填"


def test_upload_of_invalid_report_file_lists_row_errors_and_changes_nothing(fresh_app, fresh_client, fresh_tokens):
    gd = bearer(fresh_tokens["gd_officer"])
    text = ("统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,计量单位\n"
            f"{USCC_A},A,2022-05,1000,900,千元\n"
            "91440106MA59ABC019,A,2022-05,1000,900,千元\n"
            f"{USCC_A},A,2022年2月,abc,900,千元\n")
    r = fresh_client.post("/api/uploads", files={"file": ("bad.csv", text.encode())}, data={"kind": "reports"},
                          headers=gd)
    assert r.status_code == 422
    errors = r.json()["detail"]["errors"]
    located = {(e["row"], e["column"]) for e in errors}
    assert (3, "统一社会信用代码") in located  # bad check character
    assert (4, "报告期") in located  # 2月 must be reported as 1-2月
    assert (4, "工业总产值(当期价格)") in located  # not a number
    with fresh_app.state.yacang.warehouse() as wh:
        assert wh.scalar("SELECT count(*) FROM reports WHERE period = '2022-05'") == 0


def test_statistics_upload_reports_loader_errors(fresh_client, fresh_tokens):
    r = fresh_client.post("/api/uploads", files={"file": ("x.csv", b"a,b\n1,2\n")}, data={"kind": "statistics"},
                          headers=bearer(fresh_tokens["admin"]))
    assert r.status_code == 422, r.text
    assert r.json()["detail"]["summary"]


def test_a_fault_placing_enterprise_alerts_denies_instead_of_showing_them_nationwide(web_app, tokens, monkeypatch):
    """Fail closed: an alert whose region is not known is not attributed to the nation (which every
    official may read): the request fails with 500 and no alert row leaves the server."""
    from fastapi.testclient import TestClient

    from yacang.web import views

    real = views.load_history

    def broken(wh, **kw):  # an alert row whose stored region is missing
        df = real(wh, **kw)
        return df.assign(region=None)

    monkeypatch.setattr(views, "load_history", broken)
    web_app.state.yacang.changed()  # drop cached views
    client = TestClient(web_app, raise_server_exceptions=False)
    for user in ("admin", "gd_officer"):
        r = client.get("/api/alerts", headers=bearer(tokens[user]))
        assert r.status_code == 500, (user, r.status_code, r.text[:200])
        assert "fingerprint" not in r.text


def test_ack_and_silence_need_a_reason_and_are_recorded(fresh_client, fresh_tokens):
    gz = bearer(fresh_tokens["gz_officer"])
    assert fresh_client.post("/api/alerts/fp-440100/silence", json={"reason": ""}, headers=gz).status_code == 422
    assert fresh_client.post("/api/alerts/fp-440100/ack", json={"comment": "已电话核实"}, headers=gz).status_code == 200
    r = fresh_client.post("/api/alerts/fp-440100/silence", json={"reason": "企业停产检修", "days": 7}, headers=gz)
    assert r.status_code == 200
    expires = dt.datetime.fromisoformat(r.json()["expires_at"])
    assert dt.timedelta(days=6) < expires - dt.datetime.now() <= dt.timedelta(days=7)
    rows = fresh_client.get("/api/alerts", headers=gz).json()
    assert rows[0]["acked_by"] == "gz_officer"
    sid = r.json()["silence_id"]
    events = fresh_client.get("/api/audit", headers=bearer(fresh_tokens["admin"])).json()
    assert {"ack", "silence"} <= {e["action"] for e in events}
    [silenced] = [e for e in events if e["action"] == "silence"]  # recorded before the write, then given its id
    assert json.loads(silenced["detail"]) == {"silence_id": sid, "reason": "企业停产检修", "days": 7}


def test_cookie_session_needs_csrf_and_is_http_only(fresh_client):
    r = fresh_client.post("/api/auth/login", json={"username": "gz_officer", "password": PASSWORD})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    csrf = r.json()["csrf_token"]
    body = {"comment": "ok"}
    assert fresh_client.post("/api/alerts/fp-440100/ack", json=body).status_code == 403  # no CSRF token
    assert fresh_client.post("/api/alerts/fp-440100/ack", json=body, headers={"X-CSRF-Token": "x"}).status_code == 403
    assert fresh_client.post("/api/alerts/fp-440100/ack", json=body, headers={"X-CSRF-Token": csrf}).status_code == 200
    assert fresh_client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert fresh_client.get("/api/me").status_code == 401


def test_login_is_throttled_and_audited(fresh_client, fresh_tokens):
    for _ in range(5):
        assert fresh_client.post("/api/auth/login", json={"username": "gd_officer", "password": "nope"}).status_code == 401
    r = fresh_client.post("/api/auth/login", json={"username": "gd_officer", "password": PASSWORD})
    assert r.status_code == 429 and "登录失败次数过多" in r.json()["detail"]
    events = fresh_client.get("/api/audit?action=login_failed", headers=bearer(fresh_tokens["admin"])).json()
    assert len(events) == 6 and all(e["username"] == "gd_officer" for e in events)


def test_exports_and_submissions_are_audited(fresh_client, fresh_tokens):
    gd = bearer(fresh_tokens["gd_officer"])
    fresh_client.get("/api/rankings.csv?region=440000&indicator=gdp&measure=yoy", headers=gd)
    good = {"period": "2022-04", "values": {"output_value": "100", "output_value_prev": "90", "sales_value": "99"}}
    fresh_client.post("/api/reports", json=good, headers=bearer(fresh_tokens["ent_a"]))
    events = fresh_client.get("/api/audit", headers=bearer(fresh_tokens["admin"])).json()
    got = {(e["action"], e["username"], e["target"]) for e in events}
    assert ("export", "gd_officer", "rankings:440000:2023") in got
    assert ("report_submit", "ent_a", f"{USCC_A}:2022-04") in got


def test_rankings_csv_is_scoped_and_in_chinese(client, tokens):
    r = client.get("/api/rankings.csv?region=100000&indicator=gdp&measure=yoy", headers=bearer(tokens["gd_officer"]))
    lines = r.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("地区代码,地区,")
    assert len(lines) == 2 and lines[1].startswith("440000,广东省,")  # only its own province among 31


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/overview" in paths and "/api/reports" in paths


def test_enterprise_b_sees_only_its_own_reports(client, tokens):
    rows = client.get("/api/reports", headers=bearer(tokens["ent_b"])).json()
    assert rows and {r["uscc"] for r in rows} == {USCC_B}


@pytest.mark.slow
def test_bulletin_generated_and_downloaded_within_scope(fresh_client, fresh_tokens):
    gd = bearer(fresh_tokens["gd_officer"])
    r = fresh_client.post("/api/bulletins", json={"period": "2022-03", "region": "440000", "formats": ["html"]},
                          headers=gd)
    assert r.status_code == 200, r.text
    url = r.json()["files"][0]
    html = fresh_client.get(url, headers=gd).content.decode("utf-8")
    assert "广东省" in html and "2022年1-3月" in html
    for marker in ("南京", "江苏", USCC_B, "320102"):
        assert marker not in html
    assert fresh_client.get(url, headers=bearer(fresh_tokens["js_officer"])).status_code == 403
    listed = fresh_client.get("/api/bulletins", headers=bearer(fresh_tokens["js_officer"])).json()
    assert listed == []
    # January is the merged 1-2月 (as yacang run and report bulletin take it), filed under it
    r = fresh_client.post("/api/bulletins", json={"period": "2022-01", "region": "440000", "formats": ["html"]},
                          headers=gd)
    assert r.status_code == 200, r.text
    assert r.json()["files"][0].startswith("/api/bulletins/440000/2022-01_02/")


NBS_IVA = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"


def test_upload_of_a_real_nbs_export(fresh_client, fresh_tokens, shared_data):
    content = (shared_data / NBS_IVA).read_bytes()
    files = {"file": ("规上工业增加值增长速度.csv", content)}
    # a provincial officer may not load national series
    r = fresh_client.post("/api/uploads", files=files, data={"kind": "statistics"},
                          headers=bearer(fresh_tokens["gd_officer"]))
    assert r.status_code == 403 and "100000" in r.json()["detail"]["summary"]
    admin = bearer(fresh_tokens["admin"])
    r = fresh_client.post("/api/uploads", files=files, data={"kind": "statistics"}, headers=admin)
    assert r.status_code == 200, r.text
    assert "个序列" in r.json()["summary"]
    sid = "nbs:iva.yoy.100000.TOTAL"
    obs = {o["period"]: o["value"] for o in
           fresh_client.get(f"/api/series/{sid}/observations", headers=admin).json()["observations"]}
    assert obs["2022-03"] == pytest.approx(5.0)  # NBS: 2022年3月规上工业增加值同比增长5.0%
    # the overview now prefers NBS over Wind for the national card
    cards = {(c["indicator"], c["measure"]): c for c in
             fresh_client.get("/api/overview?period=2022-03", headers=admin).json()["cards"]}
    assert cards[("iva", "yoy")]["value"] == pytest.approx(5.0)


PANEL = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"


def test_upload_with_other_provinces_names_their_first_rows(fresh_client, fresh_tokens, shared_data):
    files = {"file": ("分省.csv", (shared_data / PANEL).read_bytes())}
    r = fresh_client.post("/api/uploads", files=files, data={"kind": "statistics"},
                          headers=bearer(fresh_tokens["gd_officer"]))
    assert r.status_code == 403
    errors = r.json()["detail"]["errors"]
    # the panel's second line is 北京 2015-03 (header on line 1); 30 provinces other than 广东
    assert errors[0]["row"] == 2 and "北京市（110000）" in errors[0]["reason"]
    assert len({e["value"] for e in errors}) == len(errors) and all("440000" not in e["reason"] for e in errors)


def test_a_real_file_is_refused_by_a_demo_server(yacang_home, shared_data):
    """A server on the demo warehouse refuses published files (409, nothing loaded): demo never mixes."""
    from fastapi.testclient import TestClient

    from yacang.demo.build import run_demo
    from yacang.demo.generator import DemoSpec
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    wh = Warehouse.memory()
    run_demo(wh, DemoSpec(enterprises=200, months=13))
    before = wh.count("observations")
    app = create_app(warehouse=wh)
    fixtures.add_users(app.state.yacang.engine)
    admin = bearer(fixtures.tokens(app.state.yacang.engine)["admin"])
    with TestClient(app) as c:
        r = c.post("/api/uploads", files={"file": ("规上工业增加值增长速度.csv", (shared_data / NBS_IVA).read_bytes())},
                   data={"kind": "statistics"}, headers=admin)
        assert r.status_code == 409, r.text
        assert "示例数据" in r.json()["detail"]["summary"] and "YACANG_HOME" in r.json()["detail"]["summary"]
        assert wh.count("observations") == before and wh.series(source="nbs").empty


def test_materials_say_which_series_stopped(fresh_app, fresh_tokens, shared_data):
    """With the World Bank prices (to 2025-11) and the lithium spot file (ends 2024-11-01), the day assessed is
    the latest any material has; lithium's series stopped long before it: no level, and the reason says so."""
    from fastapi.testclient import TestClient

    from yacang.warehouse.load import load_file

    with fresh_app.state.yacang.warehouse() as wh:
        load_file(wh, shared_data / "world_bank_commodity_prices_monthly" / "monthly_prices.csv")
        load_file(wh, next((shared_data / "lithium_carbonate_china_spot_daily" / "original").glob("*.csv")))
    fresh_app.state.yacang.changed()
    with TestClient(fresh_app) as c:
        got = {m["material"]: m for m in c.get("/api/materials", headers=bearer(fresh_tokens["admin"])).json()}
    li = got["lithium_carbonate"]
    assert li["stopped"] is True and li["level_name"] == "" and li["data_dates"] == "价格 2024年11月1日（已停更，不计入等级）"
    assert li["reason"].startswith("数据已停更，无法评估2025年")
    iron = got["iron_ore"]
    assert iron["stopped"] is False and iron["data_dates"].startswith("价格 2025年")


def test_materials_without_series_are_listed_as_not_assessed(fresh_app, fresh_tokens, shared_data):
    """Only the lithium spot file loaded: iron ore has no series at all; the API dropped it without a word."""
    from fastapi.testclient import TestClient

    from yacang.warehouse.load import load_file

    with fresh_app.state.yacang.warehouse() as wh:
        load_file(wh, next((shared_data / "lithium_carbonate_china_spot_daily" / "original").glob("*.csv")))
    fresh_app.state.yacang.changed()
    with TestClient(fresh_app) as c:
        got = {m["material"]: m for m in c.get("/api/materials", headers=bearer(fresh_tokens["admin"])).json()}
    assert got["lithium_carbonate"]["level_name"] != "未评估"
    iron = got["iron_ore"]
    assert iron["level"] is None and iron["level_name"] == "未评估" and "仓库中没有其价格" in iron["reason"]


def test_overlong_alert_and_evaluation_texts_are_refused_and_normal_ones_kept(fresh_client, fresh_tokens):
    long = "x" * 100_000
    gz, gd = bearer(fresh_tokens["gz_officer"]), bearer(fresh_tokens["gd_officer"])
    for url, body in (("/api/alerts/fp-440100/ack", {"comment": long}),
                      ("/api/alerts/fp-440100/silence", {"reason": long, "days": 3})):
        r = fresh_client.post(url, json=body, headers=gz)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] in ("comment", "reason"), r.text
        assert r.json()["errors"][0]["reason"] == "过长，最多 2000 字"  # in Chinese, with the limit
    assert fresh_client.post("/api/alerts/fp-440100/ack", json={"comment": "核" * 2000}, headers=gz).status_code == 200
    r = fresh_client.post("/api/alerts/fp-440100/silence", json={"reason": "停" * 2000, "days": 3}, headers=gz)
    assert r.status_code == 200
    r = fresh_client.post("/api/evaluation/calls", json={"year": 2023, "quota": 2, "title": long}, headers=gd)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "title"
    r = fresh_client.post("/api/evaluation/calls", json={"year": 2023, "quota": 2, "title": "通" * 200}, headers=gd)
    assert r.status_code == 201 and r.json()["title"] == "通" * 200
    call = r.json()["id"]
    r = fresh_client.put(f"/api/evaluation/calls/{call}/submission", json={"values": {"iva_ytd": 5}, "final": True},
                         headers=gz)
    assert r.status_code == 200, r.text
    sub = r.json()["id"]
    r = fresh_client.post(f"/api/evaluation/submissions/{sub}/vetoes", json={"vetoes": [], "note": long}, headers=gd)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "note"
    r = fresh_client.post(f"/api/evaluation/submissions/{sub}/vetoes", json={"vetoes": [], "note": "审" * 2000},
                          headers=gd)
    assert r.status_code == 200, r.text


def test_lights_the_server_cannot_compute_are_an_error_not_an_empty_table(fresh_app, fresh_client, fresh_tokens,
                                                                           yacang_home):
    """A broken critical-points file in the home folder answered [] (as if no indicator were loaded)."""
    ok = fresh_client.get("/api/lights?start=2022-03&end=2022-03", headers=bearer(fresh_tokens["admin"]))
    assert ok.status_code == 200 and [r["月份"] for r in ok.json()] == ["2022年3月"]
    (yacang_home / "lights_points.yaml").write_text("versions: [1, 2", encoding="utf-8")
    r = fresh_client.get("/api/lights", headers=bearer(fresh_tokens["admin"]))
    assert r.status_code == 500 and r.json()["detail"].startswith("信号灯无法计算") and "lights_points.yaml" in r.text
