"""Periods on the list pages read as officials write them (2022年3月, 2022年1-2月), never as stored codes
(2022-03, 2022-01/02): found walking the demo's 企业, 直报 and 重大项目 pages."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.web.fixtures import USCC_A
from tests.web.test_pages import login

CODE = re.compile(r"\b20\d\d-\d\d(?:/\d\d)?\b")


def _cells(html: str, label: str) -> list[str]:
    return re.findall(rf'data-label="{label}">([^<]*)<', html)


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="period">(.*?)</select>', html, re.S)
    assert select, "no 报告期 filter"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_enterprises_list_and_its_filter_show_period_labels(client):
    login(client, "admin")
    r = client.get("/enterprises?period=2022-01/02")
    assert r.status_code == 200
    assert _options(r.text) == ["2022年3月", "2022年1-2月"]
    assert 'value="2022-01/02" selected' in r.text  # the value sent back stays the code
    assert set(_cells(r.text, "报告期")) == {"2022年1-2月"}


def test_review_page_shows_period_labels(client):
    login(client, "gd_officer")
    r = client.get("/report")
    assert r.status_code == 200 and 'id="review-table"' in r.text
    assert _cells(r.text, "报告期") == ["2022年3月"]
    assert _options(r.text) == ["2022年3月", "2022年1-2月"]


def test_enterprise_page_shows_period_labels(client):
    login(client, "gd_officer")
    r = client.get(f"/enterprises/{USCC_A}")
    assert r.status_code == 200
    table = r.text[r.text.index("<h2>月报</h2>"):r.text.index("<h2>状态历史</h2>")]
    assert "2022年1-2月" in table and "2022年3月" in table and not CODE.search(table)


def test_enterprise_own_reports_show_period_labels(client):
    login(client, "ent_a")
    r = client.get("/report")
    assert r.status_code == 200
    mine = r.text[r.text.index("本企业已报报表"):]
    assert "2022年1-2月" in mine and not CODE.search(mine)


def test_reports_export_has_period_labels(client):
    login(client, "admin")
    r = client.get("/enterprises?period=2022-03&format=xlsx")
    assert r.status_code == 200
    assert "企业报表_2022年3月.xlsx" in unquote(r.headers["content-disposition"])
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[1]]
    col = header.index("报告期")
    assert {row[col].value for row in ws.iter_rows(min_row=2)} == {"2022年3月"}


def test_projects_heading_names_the_month_in_chinese(client):
    login(client, "admin")
    r = client.get("/dispatch/projects?period=2022-03")
    assert r.status_code == 200
    heading = re.search(r"<h1>(.*?)</h1>", r.text, re.S).group(1)
    assert "2022年3月" in heading and "2022-03" not in heading


def _input_value(html: str, form_hint: str) -> str:
    i = html.index(form_hint)
    return re.search(r'<input name="period" value="([^"]*)"', html[i:]).group(1)


def test_period_fields_are_prefilled_as_officials_write_periods(client):
    """The 通报 form offered 2026-01/02, the draft 2022-03 and the enterprise form 2022-12 to type over."""
    login(client, "gd_officer")
    page = client.get("/bulletins")
    assert page.status_code == 200
    value = _input_value(page.text, 'action="/bulletins"')
    assert "年" in value and not CODE.search(value)
    draft = client.get("/bulletins/draft?region=440000&period=2022-03")
    assert draft.status_code == 200 and _input_value(draft.text, "<form") == "2022年3月"
    switched = client.get("/bulletins/draft?region=440000&period=2022年3月")  # the label is read back
    assert switched.status_code == 200 and 'name="period" value="2022-03"' in switched.text  # hidden field
    login(client, "ent_a")
    form = client.get("/report")
    assert form.status_code == 200 and re.fullmatch(r"20\d\d年\d{1,2}(?:-2)?月", _input_value(form.text, "<form"))


def test_enterprise_submits_with_the_prefilled_label_and_reads_it_back(fresh_client):
    """The form's period as officials write it is accepted, and the confirmation says 2022年4月, not 2022-04."""
    from tests.web.test_pages import csrf_of

    login(fresh_client, "ent_a")
    page = fresh_client.get("/report")
    r = fresh_client.post("/report", data={"csrf_token": csrf_of(page.text), "period": "2022年4月", "unit": "千元",
                                           "output_value": "12000", "output_value_prev": "11000",
                                           "sales_value": "11900", "action": "submit"})
    assert r.status_code == 200, r.text[:300]
    done = re.search(r'id="report-done">([^<]*)<', r.text).group(1)
    assert done == "2022年4月月报已报送，等待审核。"


def test_alerts_export_has_period_labels(client):
    """The 预警 XLSX gave 时期 and 起始 as stored codes (2023, 2022-01/02)."""
    login(client, "admin")
    r = client.get("/alerts?format=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[1]]
    periods = {row[header.index("时期")].value for row in ws.iter_rows(min_row=2)}
    assert periods == {"2023年"}
