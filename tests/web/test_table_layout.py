"""Tables with long alert messages fit their card on a 1366×768 laptop (起草通报, 预警): found on the demo, where an
industry alert lists several industries in one message and the 预警 page's 静默 button sat off the card."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.web.fixtures import USCC_A

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG = ("全国共3个行业触发：全国皮革、毛皮、羽毛及其制品和制鞋业2022年3月增加值同比下降11.7%，已连续下降；"
        "全国纺织服装、服饰业2022年3月增加值同比下降8.2%，已连续下降；全国家具制造业2022年3月增加值同比下降6.5%，已连续下降")


def _add_long_alert(app) -> None:
    """An industry alert firing since 1-2月, named and worded as the demo's (the widest row seen there)."""
    from yacang.alerts.engine import HISTORY_COLUMNS
    from yacang.alerts.store import save_history

    rows = [{"rule_id": "industry_negative", "rule_name": "行业大类连续负增长", "scope": "industry",
             "key": "440000/19", "name": "广东省皮革、毛皮、羽毛及其制品和制鞋业", "parent": "440000",
             "period": period, "state": "firing", "severity": "红", "value": -11.7,
             "fingerprint": "fp-long", "muted": False, "silenced": False, "silence_id": "", "message": LONG}
            for period in ("2022-01/02", "2022-03")]
    rows += [{**r, "key": "650000/19", "name": "新疆维吾尔自治区皮革、毛皮、羽毛及其制品和制鞋业", "parent": "650000",
              "fingerprint": "fp-long-xj"} for r in rows]
    rows += [{**r, "rule_id": "key_enterprise_drag", "rule_name": "重点企业拖累地区增速", "scope": "enterprise",
              "key": USCC_A, "name": "广州天河精密制造有限公司（示例）", "parent": "440106", "fingerprint": "fp-ent",
              "message": "广州天河精密制造有限公司（示例）2022年3月下拉所在地区工业增速1.1个百分点"} for r in rows[:2]]
    with app.state.yacang.warehouse() as wh:
        save_history(wh, pd.DataFrame(rows)[[*HISTORY_COLUMNS, "name", "message"]], now=dt.datetime(2022, 4, 16))


@pytest.mark.parametrize(("user", "path", "table"), [
    ("gd_officer", "/bulletins/draft?region=440000&period=2022-03", "#draft-alerts"),
    ("admin", "/alerts", "table.alerts-table")])
def test_long_alert_message_wraps_inside_the_card(fresh_app, user: str, path: str, table: str):
    from tests.harness import chromium, offline_context, served
    from tests.web.test_browser import login

    _add_long_alert(fresh_app)
    with served(fresh_app) as url, chromium() as browser:
        ctx = offline_context(browser, url, viewport={"width": 1366, "height": 768})
        pg = ctx.new_page()
        login(pg, user)
        resp = pg.goto(path)
        assert resp is not None and resp.status == 200
        assert "已连续下降" in pg.inner_text(table)
        width, card = pg.evaluate("""(sel) => {
            const t = document.querySelector(sel);
            return [t.getBoundingClientRect().width, t.closest('.card').clientWidth];
        }""", table)
        assert width <= card, f"the table is {width:.0f}px wide in a card of {card}px: it runs off the card"
        ctx.close()
