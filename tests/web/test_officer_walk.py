"""Seams a provincial officer met walking the pages: names where codes were shown, the region of a
bulletin by name, the report form to download beside the upload, the alert object of an appeal alert."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.web.fixtures import USCC_A
from tests.web.test_pages import login


def test_the_enterprise_page_names_its_region_and_industry(fresh_client):
    login(fresh_client, "gd_officer")
    html = fresh_client.get(f"/enterprises/{USCC_A}").text
    # the fixture's enterprise is in 440106 (天河区, GB/T 2260) and division 36 (汽车制造业, GB/T 4754)
    assert "天河区（440106）" in html and "汽车制造业（36）" in html


def test_the_report_form_downloads_beside_the_upload(fresh_client):
    login(fresh_client, "gd_officer")
    assert 'href="/data/template.xlsx"' in fresh_client.get("/data").text
    r = fresh_client.get("/data/template.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert "统一社会信用代码" in headers and "计量单位" in headers, headers
    login(fresh_client, "gd_analyst")
    assert fresh_client.get("/data/template.xlsx").status_code == 403


@pytest.mark.slow
def test_a_bulletin_region_can_be_named_and_a_wrong_one_says_why(fresh_client):
    from tests.web.test_pages import csrf_of

    login(fresh_client, "gd_officer")
    token = csrf_of(fresh_client.get("/bulletins").text)
    r = fresh_client.post("/bulletins", data={"csrf_token": token, "period": "2022-03", "region": "广东"},
                          follow_redirects=False)
    assert r.status_code == 303 and "msg=" in r.headers["location"], r.text[:300]
    listed = fresh_client.get("/bulletins").text
    assert "通报_广东省_2022-03.html</a> <small>广东省（440000） · 2022年3月</small>" in listed
    r = fresh_client.post("/bulletins", data={"csrf_token": token, "period": "2022-03", "region": "火星"})
    assert r.status_code == 200 and 'id="form-error"' in r.text and "火星" in r.text  # back on the page


def test_an_alert_on_a_region_shows_the_region_name():
    from yacang.web.pages import _alert_object

    appeal = {"name": None, "key": "440103", "region": "440103", "region_label": "荔湾区（440103）"}
    assert _alert_object(appeal) == "荔湾区（440103）"
    named = {"name": "深圳市", "key": "440300", "region": "440300", "region_label": "深圳市（440300）"}
    assert _alert_object(named) == "深圳市（440300）"
    project = {"name": None, "key": "DEMO-2022-009", "region": "440300", "region_label": "深圳市（440300）"}
    assert _alert_object(project) == "DEMO-2022-009"


@pytest.mark.parametrize("path", ["/dispatch/appeals", "/dispatch/keyent", "/bulletins/issued", "/evaluation"])
def test_dispatch_bulletin_and_evaluation_pages_say_which_data_they_rest_on(fresh_client, path):
    import re

    login(fresh_client, "gd_officer")
    overview = fresh_client.get("/").text
    said = re.search(r'<strong class="sources">([^<]+)</strong>', overview).group(1)
    assert said.startswith("本期数据来源")
    html = fresh_client.get(path).text
    assert f'<strong class="sources">{said}</strong>' in html, path


def test_the_chains_page_names_the_scope(fresh_client):
    login(fresh_client, "gd_officer")
    html = fresh_client.get("/chains").text
    assert "范围：广东省（440000）及下级地区" in html


def test_the_overview_writes_periods_as_officials_do():
    from yacang.web.pages import period_zh

    assert period_zh("2022-12", "ytd_yoy") == "2022年1-12月" and period_zh("2022-12", "yoy") == "2022年12月"
    assert period_zh("2022-01/02", "yoy") == "2022年1-2月" and period_zh("2022Q1") == "2022年一季度"


def test_the_overview_cards_name_their_periods(fresh_client):
    import re

    login(fresh_client, "admin")
    html = fresh_client.get("/regions/100000").text  # the national Wind series of the fixture
    subs = re.findall(r'<div class="sub">([^<，]+)', html)
    assert subs and all(re.fullmatch(r"\d{4}年(1-)?\d{1,2}月", s) for s in subs), subs


def test_the_latest_alerts_put_red_first():
    import pandas as pd

    from yacang.web.views import by_severity

    df = pd.DataFrame({"severity": ["黄", "红", "蓝", "红", "橙"], "period": ["2022-12", "2022-11", "2022-12", "2022-12",
                                                                      "2022-10"],
                       "region": ["440100", "440300", "440000", "440200", "440000"], "rule_name": ["a"] * 5})
    got = by_severity(df)
    assert list(zip(got["severity"], got["region"], strict=True)) == [
        ("红", "440200"), ("红", "440300"), ("橙", "440000"), ("黄", "440100"), ("蓝", "440000")]


def test_the_users_page_names_each_region(fresh_client):
    login(fresh_client, "admin")
    html = fresh_client.get("/users").text
    assert "<td>广东省（440000）</td>" in html and "<td>全国（100000）</td>" in html


def test_empty_lists_say_where_the_data_would_come_from(fresh_client):
    login(fresh_client, "gd_officer")
    html = fresh_client.get("/industries?region=440000").text  # the fixture has no 广东 industry series
    assert "暂无广东省的分行业数据" in html


def test_an_empty_warehouse_points_the_officer_to_the_upload(yacang_home, shared_data):
    from fastapi.testclient import TestClient

    from tests.web import fixtures
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    app = create_app(warehouse=Warehouse.memory())
    fixtures.add_users(app.state.yacang.engine)
    with TestClient(app) as c:
        login(c, "gd_officer")
        html = c.get("/enterprises").text
        assert 'id="no-reports"' in html and 'href="/data"' in html
        login(c, "gd_analyst")
        assert 'href="/data"' not in c.get("/enterprises").text.split('id="no-reports"')[1].split("</p>")[0]
