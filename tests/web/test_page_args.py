"""The overview and 行业 pages read their query as the warehouse stores it, or refuse it with a reason:
found on the real warehouse, where /?period=2022年3月 showed 2026年1-2月 figures under the title 2022年3月,
/?period=abc was titled 全国 abc, /?measure=foo read 规模以上工业增加值foo and /regions/999999 was a page."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import bearer
from tests.web.test_pages import login


def _heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


def _card(html: str, label: str) -> str:
    m = re.search(rf'<div class="label">{label}</div>(.*?)</div>\s*</div>', html, re.S)
    assert m, label
    return m.group(1)


def test_period_written_as_officials_write_it_selects_that_month(client):
    login(client, "admin")
    r = client.get("/?period=2022年6月")
    assert r.status_code == 200
    assert "2022年1-6月" in _heading(r.text)
    assert "2022年1-6月" in _card(r.text, "规上工业增加值累计增速")  # that month's figure, not the latest (2023)
    assert client.get("/?period=2022-06").text.count("2022年1-6月") == r.text.count("2022年1-6月")


@pytest.mark.parametrize(("query", "reason"), [("period=abc", "无法识别的时期"), ("measure=foo", "未知的口径"),
                                               ("indicator=foo", "未知的指标")])
def test_unusable_overview_query_is_refused_with_a_reason(client, query: str, reason: str):
    login(client, "admin")
    r = client.get(f"/?{query}", headers={"accept": "text/html"})
    assert r.status_code == 422 and reason in r.text


def test_region_under_no_province_is_not_found(client):
    login(client, "admin")
    assert client.get("/regions/999999").status_code == 404
    assert client.get("/regions/440300").status_code == 200


def test_industries_page_checks_region_and_measure(client):
    login(client, "admin")
    assert client.get("/industries?region=abc").status_code == 422
    assert client.get("/industries?measure=foo").status_code == 422
    ok = client.get("/industries?region=广东")
    assert ok.status_code == 200 and "行业 · 广东省" in ok.text


def test_api_overview_reads_a_chinese_period_as_its_code(client, tokens):
    r = client.get("/api/overview?period=2022年6月", headers=bearer(tokens["admin"]))
    assert r.status_code == 200
    v = r.json()
    assert v["period"] == "2022-06"
    cards = {(c["indicator"], c["measure"]): c for c in v["cards"]}
    assert cards[("iva", "ytd_yoy")]["period"] == "2022-06"


def test_merged_jan_feb_asked_either_way_finds_the_cumulative_series(fresh_app, fresh_client):
    """The NBS export stores 1-2月 累计 as 2024-02 and 当月 as 2024-01/02: /?period=2024年1-2月 (read as
    2024-01/02) showed the latest 累计 figure (2026年1-2月) under the title 2024年1-2月 and an empty ranking."""
    from tests.web.fixtures import _batch

    def series(code: str, measure: str) -> dict:
        sid = f"test:iva.{measure}.{code}.TOTAL"
        return {"series_id": sid, "indicator": "iva", "measure": measure, "region": code, "industry": "TOTAL",
                "category": "", "frequency": "M", "unit": "%", "source": "nbs", "original_name": sid}

    meta, obs = [], []
    for code, v in (("100000", 7.0), ("440000", 6.1), ("320000", 8.2)):
        meta.append(series(code, "ytd_yoy"))
        obs += [{"series_id": meta[-1]["series_id"], "period": "2024-02", "value": v},
                {"series_id": meta[-1]["series_id"], "period": "2024-12", "value": v - 1}]
    with fresh_app.state.yacang.warehouse() as wh:
        wh.write_batch(_batch("ytd.csv", meta, obs))
    login(fresh_client, "admin")
    for asked in ("2024年1-2月", "2024-01/02", "2024-02"):
        r = fresh_client.get(f"/?period={asked}")
        assert r.status_code == 200
        assert "2024年1-2月" in _heading(r.text)
        assert "7.0" in _card(r.text, "规上工业增加值累计增速") and "2024年1-2月" in _card(r.text, "规上工业增加值累计增速")
        assert 'id="ranking"' in r.text and "江苏省" in r.text, asked
