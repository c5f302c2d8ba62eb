"""The 起草通报 page on a desktop: a long alert message wraps inside its card instead of running off it
(found on the demo, where an industry alert lists several industries in one message)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG = ("全国共3个行业触发：全国皮革、毛皮、羽毛及其制品和制鞋业2022年3月增加值同比下降11.7%，已连续下降；"
        "全国纺织服装、服饰业2022年3月增加值同比下降8.2%，已连续下降；全国家具制造业2022年3月增加值同比下降6.5%，已连续下降")


def _add_long_alert(app) -> None:
    from yacang.alerts.engine import HISTORY_COLUMNS
    from yacang.alerts.store import save_history

    row = {"rule_id": "below_parent", "rule_name": "增速低于上级", "scope": "region", "key": "440100",
           "parent": "440000", "period": "2022-03", "state": "firing", "severity": "红", "value": 1.0,
           "fingerprint": "fp-long-2203", "muted": False, "silenced": False, "silence_id": "", "message": LONG}
    with app.state.yacang.warehouse() as wh:
        save_history(wh, pd.DataFrame([row])[[*HISTORY_COLUMNS, "message"]], now=dt.datetime(2022, 4, 16))


def test_long_alert_message_wraps_inside_the_card(fresh_app):
    from tests.harness import chromium, offline_context, served
    from tests.web.test_browser import login

    _add_long_alert(fresh_app)
    with served(fresh_app) as url, chromium() as browser:
        ctx = offline_context(browser, url, viewport={"width": 1440, "height": 900})
        pg = ctx.new_page()
        login(pg, "gd_officer")
        resp = pg.goto("/bulletins/draft?region=440000&period=2022-03")
        assert resp is not None and resp.status == 200
        assert "已连续下降" in pg.inner_text("#draft-alerts")
        table, card = pg.evaluate("""() => {
            const t = document.getElementById('draft-alerts');
            return [t.getBoundingClientRect().width, t.closest('.card').clientWidth];
        }""")
        assert table <= card, f"the table is {table:.0f}px wide in a card of {card}px: the message runs off it"
        ctx.close()
