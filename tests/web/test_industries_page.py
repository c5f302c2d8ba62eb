"""The 行业 page ranks industries of one period: on the real warehouse 金属制品、机械和设备修理业 (1-11月, 21.7%)
headed a table of 1-12月 values, the page's title naming no period at all."""

from __future__ import annotations

import re

from tests.web.fixtures import _batch
from tests.web.test_pages import login


def _industry(code: str, period: str, value: float) -> tuple[dict, dict]:
    sid = f"test:iva.ytd_yoy.100000.{code}"
    return ({"series_id": sid, "indicator": "iva", "measure": "ytd_yoy", "region": "100000", "industry": code,
             "category": "", "frequency": "M", "unit": "%", "source": "nbs", "original_name": sid},
            {"series_id": sid, "period": period, "value": value})


def test_industries_of_an_older_period_are_listed_apart(fresh_app, fresh_client):
    rows = [_industry("36", "2023-12", 11.5), _industry("37", "2023-12", 14.0), _industry("43", "2023-11", 21.7)]
    with fresh_app.state.yacang.warehouse() as wh:
        wh.write_batch(_batch("industries.csv", [s for s, _ in rows], [o for _, o in rows]))
    login(fresh_client, "admin")
    r = fresh_client.get("/industries")
    assert r.status_code == 200
    assert "2023年1-12月" in re.search(r"<h1>(.*?)</h1>", r.text, re.S).group(1)
    ranked, older = r.text.split('id="older-industries"')
    names = re.findall(r"<tr><td>([^<]+)</td><td>\d\d</td>", ranked)
    assert names == ["铁路、船舶、航空航天和其他运输设备制造业", "汽车制造业"]
    assert "金属制品、机械和设备修理业" in older and "2023年1-11月" in older and "21.7" in older
