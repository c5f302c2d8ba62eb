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
