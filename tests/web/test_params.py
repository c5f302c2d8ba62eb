"""Query and path parameters are checked before a handler runs (:mod:`yacang.web.params`): a value no
handler can use is a Chinese 422 (or an empty page, a "not found"), never an HTTP 500.

The test client re-raises a server error, so a regression fails here with its traceback.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import bearer

HUGE = "99999999999999999999"  # beyond any integer column: the driver raises OverflowError


@pytest.mark.parametrize(("url", "field", "reason"), [
    ("/api/lights?start=abc", "start", "无法识别的时期“abc”"),
    ("/api/lights?end=2022-13", "end", "无法识别的时期“2022-13”"),
    ("/api/alerts?period=2022年13月", "period", "无法识别的时期"),
    ("/api/alerts?region=abc", "region", "行政区划代码应为6位数字"),
    ("/api/measures?period=", "period", "无法识别的时期"),
    ("/api/overview?period=nan", "period", "无法识别的时期“nan”"),
    ("/api/overview?as_of=2022-02-30", "as_of", "不是有效日期"),
    ("/api/rankings?period=abc", "period", "无法识别的时期“abc”"),
    ("/api/reports?period=2022-13", "period", "无法识别的时期“2022-13”"),  # was an empty list
])
def test_bad_query_values_are_chinese_422s(client, tokens, url: str, field: str, reason: str) -> None:
    r = client.get(url, headers=bearer(tokens["admin"]))
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert error["field"] == field and reason in error["reason"]


@pytest.mark.parametrize("method,url", [
    ("post", f"/api/dispatch/whitelist/{HUGE}/publish"),
    ("delete", f"/api/tokens/{HUGE}"),
    ("delete", "/api/tokens/0"),
])
def test_impossible_row_ids_are_422s(client, tokens, method: str, url: str) -> None:
    r = getattr(client, method)(url, headers=bearer(tokens["admin"]))
    assert r.status_code == 422, r.text


def test_a_huge_case_number_is_not_found(client, tokens) -> None:
    r = client.get(f"/api/dispatch/appeals/{HUGE}", headers=bearer(tokens["admin"]))
    assert r.status_code == 404 and HUGE in r.json()["detail"]


def test_a_page_past_the_last_is_empty(client, tokens) -> None:
    r = client.get(f"/api/dispatch/appeals?page={HUGE}", headers=bearer(tokens["admin"]))
    assert r.status_code == 200 and r.json() == []
    assert r.headers["X-Page"] == "1000000"


def test_good_values_still_pass(client, tokens) -> None:
    rows = client.get("/api/lights?start=2022-01&end=2022年3月", headers=bearer(tokens["admin"])).json()
    assert [r["月份"] for r in rows] == ["2022年1月", "2022年2月", "2022年3月"]
    assert client.get("/api/alerts?region=440000&period=2022-03", headers=bearer(tokens["gd_officer"])).status_code == 200


def test_no_evaluation_runs_is_an_empty_list(client, tokens) -> None:
    r = client.get("/api/evaluation/runs", headers=bearer(tokens["admin"]))
    assert r.status_code == 200 and r.json() == []
