"""Region codes are shown with a name: a 直辖市's 市辖区 code (310100), which recent GB/T 2260 lists omit,
reads 上海市 on the pages as in the dispatch lists (the demo's alerts showed “310100（310100）”)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.web.test_pages import login


def test_municipal_district_code_takes_the_municipality_name(web_app):
    from yacang.catalog.regions import region_name

    regions = web_app.state.yacang.regions
    assert "310100" not in regions  # the imported 2024 list has no 市辖区 rows
    assert region_name("310100", regions) == "上海市"
    assert region_name("500100", regions) == "重庆市"
    assert region_name("440300", regions) == "深圳市"
    assert region_name("449900", regions) == "449900"  # nothing names it: the code stays


def test_alerts_page_names_a_municipal_district(fresh_app, fresh_client):
    from yacang.alerts.engine import HISTORY_COLUMNS
    from yacang.alerts.store import save_history

    row = {"rule_id": "ytd_below_target", "rule_name": "增速落后于年度目标", "scope": "region", "key": "310100",
           "parent": "310000", "period": "2022-03", "state": "firing", "severity": "红", "value": 1.0,
           "fingerprint": "fp-310100-2203", "muted": False, "silenced": False, "silence_id": "",
           "message": "规上工业增加值累计增速落后年度目标15.1个百分点"}
    with fresh_app.state.yacang.warehouse() as wh:
        save_history(wh, pd.DataFrame([row])[[*HISTORY_COLUMNS, "message"]], now=dt.datetime(2022, 4, 16))
    login(fresh_client, "admin")
    r = fresh_client.get("/alerts?q=310100")
    assert r.status_code == 200
    assert "上海市（310100）" in r.text and "310100（310100）" not in r.text


def test_refusal_names_the_region(client):
    """A city officer opening a neighbour's page read “无权查看地区 440100 的数据”: the code alone."""
    login(client, "gz_officer")
    r = client.get("/regions/440300")
    assert r.status_code == 403
    assert "无权查看深圳市（440300）的数据" in r.text
