"""The overview's trend chart: one point per period, labelled as officials write periods, ending at the
page's period (found walking the dashboard on the real NBS/Wind warehouse)."""

from __future__ import annotations

import re

from tests.web.conftest import bearer
from tests.web.fixtures import _batch


def _national(measure: str, points: dict[str, float]) -> tuple[dict, list[dict]]:
    sid = f"test:iva.{measure}.100000.TOTAL"
    series = {"series_id": sid, "indicator": "iva", "measure": measure, "region": "100000", "industry": "TOTAL",
              "category": "", "frequency": "M", "unit": "%", "source": "nbs", "original_name": sid}
    return series, [{"series_id": sid, "period": p, "value": v} for p, v in points.items()]


def test_merged_jan_feb_stored_two_ways_is_one_labelled_point():
    """The NBS export stores 1-2月 当月 as 2025-01/02 and 1-2月 累计 as 2025-02: the chart showed both as
    separate categories (each line with a gap) and the axis read 2025-01/02, 2025-02, 2025-03."""
    from yacang.warehouse import Warehouse
    from yacang.web import data

    yoy, yoy_obs = _national("yoy", {"2024-12": 6.2, "2025-01/02": 5.9, "2025-03": 7.7, "2025-04": 6.1})
    ytd, ytd_obs = _national("ytd_yoy", {"2024-12": 5.8, "2025-02": 5.9, "2025-03": 6.5, "2025-04": 6.4})
    wh = Warehouse.memory()
    wh.write_batch(_batch("nbs.csv", [yoy, ytd], yoy_obs + ytd_obs))

    t = data.trend(wh, "100000")
    assert t["periods"] == ["2024-12", "2025-01/02", "2025-03", "2025-04"]
    assert t["labels"] == ["2024年12月", "2025年1-2月", "2025年3月", "2025年4月"]
    values = {s["measure"]: s["values"] for s in t["series"]}
    assert values == {"yoy": [6.2, 5.9, 7.7, 6.1], "ytd_yoy": [5.8, 5.9, 6.5, 6.4]}

    upto = data.trend(wh, "100000", upto="2025-03")  # the page's period: nothing after it
    assert upto["labels"] == ["2024年12月", "2025年1-2月", "2025年3月"]


def test_overview_trend_ends_at_the_chosen_period(client, tokens):
    """The page for 2022年1-6月 drew its trend up to 2023年12月 (the last 24 periods in the warehouse)."""
    r = client.get("/api/overview?period=2022-06", headers=bearer(tokens["admin"]))
    assert r.status_code == 200, r.text
    t = r.json()["trend"]
    assert t["periods"][-1] == "2022-06" and t["labels"][-1] == "2022年6月"
    assert "2022年1-2月" in t["labels"] and not any("-" in label and "年" not in label for label in t["labels"])


def test_overview_page_chart_uses_the_chinese_labels(client, tokens):
    page = client.get("/", headers=bearer(tokens["admin"]))
    assert page.status_code == 200
    js = client.get("/static/overview.js")
    assert js.status_code == 200 and "view.trend.labels" in js.text


def test_alerts_hint_only_when_evaluated_for_another_month(client):
    """The overview of 2023年1-12月 (累计) said its alerts, evaluated to 2023年12月, were of another period:
    the labels differ (1-12月 / 12月) but the month is the same (seen on every officer's demo overview)."""
    from tests.web.test_pages import login

    login(client, "admin")
    same = client.get("/?period=2023-12")
    assert same.status_code == 200 and "评估至2023年12月" in same.text
    assert 'id="alerts-other-period"' not in same.text
    other = client.get("/?period=2023-06")
    assert other.status_code == 200
    assert 'id="alerts-other-period"' in other.text and "与本页数据时期（2023年1-6月）不同" in other.text


def test_borrowed_period_keeps_its_merged_jan_feb_label(fresh_app, fresh_client):
    """On the real warehouse /?indicator=gdp&measure=yoy (no GDP loaded) titled the page 全国 2026年2月: the
    period came from the 累计 card (1-2月 stored as 2026-02) and was labelled as a 当月 February, which NBS
    never publishes. The page now labels the period by the card it came from."""
    from tests.web.test_pages import login

    yoy, yoy_obs = _national("yoy", {"2024-01/02": 7.0})
    ytd, ytd_obs = _national("ytd_yoy", {"2024-02": 7.0})
    with fresh_app.state.yacang.warehouse() as wh:
        wh.write_batch(_batch("nbs_2024.csv", [yoy, ytd], yoy_obs + ytd_obs))
    login(fresh_client, "admin")
    r = fresh_client.get("/?indicator=pmi&measure=level")
    assert r.status_code == 200
    heading = re.search(r"<h1>(.*?)</h1>", r.text, re.S).group(1)
    assert "2024年1-2月" in heading and "2024年2月" not in heading


def test_period_choice_and_newer_national_data_are_offered(fresh_app, fresh_client):
    """The real warehouse's national overview sat at 2024年1-12月 (the provinces' last common month) with the
    nation's figures to 2026年1-2月 unmentioned and no way to choose another month on the page."""
    from tests.web.test_pages import login

    provinces = []
    for code, value in (("440000", 4.1), ("320000", 5.2)):
        sid = f"test:iva.ytd_yoy.{code}.TOTAL"
        provinces.append(({"series_id": sid, "indicator": "iva", "measure": "ytd_yoy", "region": code,
                           "industry": "TOTAL", "category": "", "frequency": "M", "unit": "%", "source": "nbs",
                           "original_name": sid}, [{"series_id": sid, "period": "2023-06", "value": value}]))
    with fresh_app.state.yacang.warehouse() as wh:
        wh.write_batch(_batch("provinces.csv", [s for s, _ in provinces], [o for _, obs in provinces for o in obs]))
    login(fresh_client, "admin")
    r = fresh_client.get("/")
    assert r.status_code == 200
    assert "2023年1-6月" in _h1(r.text)
    hint = re.search(r'<p class="hint" id="newer-data">(.*?)</p>', r.text, re.S)
    assert hint and "全国已有2023年1-12月的数据" in hint.group(1)
    form = re.search(r'<form[^>]*id="period-form"[^>]*>(.*?)</form>', r.text, re.S).group(1)
    assert '<option value="2023-06" selected>2023年1-6月</option>' in form
    assert '<option value="2023-12" >2023年1-12月</option>' in form
    chosen = fresh_client.get("/?period=2023-12")
    assert chosen.status_code == 200 and 'id="newer-data"' not in chosen.text  # the user chose it


def _h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
