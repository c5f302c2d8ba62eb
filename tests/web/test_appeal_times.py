"""诉求 times in Beijing time: the application database stores naive UTC, and the 诉求 list (提交时间, 下一时限),
the case page (时限, 办理时间线) showed those UTC times as they were, 8 hours behind the officials' clock
(the demo's escalation at 22:38 Beijing time read 14:38, beside an audit log at 22:35)."""

from __future__ import annotations

import datetime as dt
import re

from tests.web.fixtures import USCC_A
from tests.web.test_pages import login


def test_appeal_list_and_case_show_beijing_time(fresh_app, fresh_client):
    from sqlalchemy.orm import Session

    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope
    from yacang.dispatch import appeals as ap
    from yacang.dispatch.clock import FixedClock

    filed = dt.datetime(2022, 3, 1, 2, 5)  # UTC: 10:05 in Beijing
    with Session(fresh_app.state.yacang.engine) as s:
        a = ap.file_appeal(s, Scope(Role.ENTERPRISE, "440106", USCC_A, username="ent_a"), uscc=USCC_A,
                           enterprise_name="广州天河精密制造有限公司", region="440106", appeal_type="物流",
                           description="集装箱运力不足，出口订单无法按期交付", title="缺柜", clock=FixedClock(filed))
        code, due = a.code, a.respond_due
        s.commit()
    login(fresh_client, "gd_officer")
    listing = fresh_client.get("/dispatch/appeals")
    assert listing.status_code == 200
    row = listing.text[listing.text.index(code):]
    row = row[:row.index("</tr>")]
    beijing_due = (due + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert f"响应 {beijing_due}" in row and due.strftime("%Y-%m-%d %H:%M") not in row

    case = fresh_client.get(f"/dispatch/appeals/{code}")
    assert case.status_code == 200
    assert f"响应 {beijing_due}" in case.text
    first = re.search(r'<tr data-action="file"[^>]*><td>([^<]*)</td>', case.text)
    assert first and first.group(1) == "2022-03-01 10:05"
