"""通报发文 pages: draft (choose alerts, write 下一步工作建议), issue as a new version, register scoped by
region subtree, archived downloads, 公文 metadata from the server's configuration, audit."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import pytest

from tests.web.test_pages import csrf_of, login

CONFIG = """[bulletin]
issuer = "测试省工业和信息化厅"
doc_number = "测工信运〔{year}〕{seq}号"
"""
MSG_GZ = "当月增速低于全省2.0个百分点"  # stored as "广州市当月…": the bulletin row names the region
MSG_SZ = "累计增速低于全省1.5个百分点"


def _add_alerts(app) -> None:
    from yacang.alerts.engine import HISTORY_COLUMNS
    from yacang.alerts.store import save_history

    rows = [{"rule_id": "below_parent", "rule_name": "增速低于上级", "scope": "region", "key": key, "parent": "440000",
             "period": "2022-03", "state": "firing", "severity": sev, "value": 1.0, "fingerprint": f"fp-{key}-2203",
             "muted": False, "silenced": False, "silence_id": "", "message": msg}
            for key, sev, msg in (("440100", "红", "广州市" + MSG_GZ), ("440300", "黄", "深圳市" + MSG_SZ))]
    with app.state.yacang.warehouse() as wh:
        save_history(wh, pd.DataFrame(rows)[[*HISTORY_COLUMNS, "message"]], now=dt.datetime(2022, 4, 16))


@pytest.fixture()
def issuing(fresh_app, fresh_client, yacang_home):
    (yacang_home.parent / "yacang.toml").write_text(CONFIG, "utf-8")  # the server's working directory
    _add_alerts(fresh_app)
    return fresh_client


def _docx_text(content: bytes) -> list[str]:
    import docx

    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def _issue(client, **fields):
    page = client.get("/bulletins/draft?region=440000&period=2022-03")
    assert page.status_code == 200, page.text[:300]
    data = {"csrf_token": csrf_of(page.text), "region": "440000", "period": "2022-03", "formats": "docx", **fields}
    return page, client.post("/bulletins/issue", data=data, follow_redirects=False)


def test_draft_issue_versions_and_downloads(issuing):
    from sqlalchemy import select

    from yacang.appdb.base import get_engine, session_scope
    from yacang.auth.models import AuditEvent

    login(issuing, "gd_officer")
    page, r = _issue(issuing, alerts="增速低于上级|440100", issue_date="2022-04-18", signer="李四",
                     advice="（一）加强运行调度。密切跟踪重点企业。\n抓好重大项目建设。", issuer="伪造机关")
    assert MSG_GZ in page.text and MSG_SZ in page.text and "测试省工业和信息化厅" in page.text
    assert r.status_code == 303 and r.headers["location"].startswith("/bulletins/issued"), r.headers
    _, r2 = _issue(issuing, alerts=["增速低于上级|440100", "增速低于上级|440300"], issue_date="2022-04-20",
                   doc_number="测工信运〔2022〕9号")
    assert r2.status_code == 303 and "error" not in r2.headers["location"]

    listing = issuing.get("/bulletins/issued")
    assert listing.status_code == 200
    assert "第2版（最新）" in listing.text and "第1版" in listing.text and "广东省（440000）" in listing.text
    assert "测工信运〔2022〕1号" in listing.text and "测工信运〔2022〕9号" in listing.text
    links = re.findall(r'href="(/bulletins/issued/(\d+)/[^"]+\.docx)"', listing.text)
    assert len(links) == 2
    by_id = {int(i): url for url, i in links}
    v1 = _docx_text(issuing.get(by_id[min(by_id)]).content)
    v2 = _docx_text(issuing.get(by_id[max(by_id)]).content)
    assert v1[0] == "测试省工业和信息化厅" and "伪造机关" not in "".join(v1)  # 发文机关 is the server's
    assert any(t.startswith("测工信运〔2022〕1号") and "李四" in t for t in v1)
    assert "2022年4月18日" in v1 and "2022年4月20日" in v2  # each version keeps its own 成文日期
    heading = next(t for t in v1 if t.endswith("下一步工作建议"))
    i = v1.index(heading)
    assert v1[i + 1] == "（一）加强运行调度。密切跟踪重点企业。" and v1[i + 2] == "抓好重大项目建设。"
    assert MSG_SZ not in "".join(v1)  # left out on the draft page
    assert not any(t.endswith("下一步工作建议") for t in v2)
    with session_scope(get_engine()) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action.in_(["bulletin", "export"]))).all()
        targets = sorted(e.target for e in events)
    assert "440000:2022-03:v1" in targets and "440000:2022-03:v2" in targets
    assert sum(t.startswith("bulletin:440000/2022-03/v") for t in targets) == 2  # both downloads audited


def test_register_is_scoped_and_refusals(issuing):
    login(issuing, "gd_officer")
    _, r = _issue(issuing, alerts="", issue_date="2022-04-18")
    assert r.status_code == 303 and "error" not in r.headers["location"]
    (link,) = re.findall(r'href="(/bulletins/issued/\d+/[^"]+)"', issuing.get("/bulletins/issued").text)
    _, bad = _issue(issuing, issue_date="2022-02-30")
    assert bad.status_code == 303 and "error=" in bad.headers["location"]
    shown = issuing.get(bad.headers["location"])
    assert "成文日期" in shown.text and "无法识别" in shown.text
    assert issuing.get("/bulletins/issued").text.count("issue-row") == 1  # the refused issue added nothing
    page = issuing.get("/bulletins/draft?region=440000&period=2022-03")
    nocsrf = issuing.post("/bulletins/issue", data={"region": "440000", "period": "2022-03", "formats": "docx"})
    assert nocsrf.status_code == 403 and page.status_code == 200
    issuing.post("/logout", data={"csrf_token": csrf_of(page.text)})

    for user in ("js_officer", "gz_officer"):  # another province, a city below: neither sees the province's
        issuing.cookies.clear()
        login(issuing, user)
        listing = issuing.get("/bulletins/issued")
        assert listing.status_code == 200 and "issue-row" not in listing.text
        assert issuing.get(link).status_code == 404
    assert issuing.get("/bulletins/draft?region=440000&period=2022-03").status_code == 403  # gz: not its province
    issuing.cookies.clear()
    login(issuing, "js_officer")
    page = issuing.get("/bulletins/draft?region=320000&period=2022-03")
    assert page.status_code == 200  # its own province
    denied = issuing.post("/bulletins/issue", data={"csrf_token": csrf_of(page.text), "region": "440000",
                                                    "period": "2022-03", "formats": "docx"}, follow_redirects=False)
    assert denied.status_code == 403
    assert issuing.get("/bulletins/draft?region=440000&period=2022-03").status_code == 403

    issuing.cookies.clear()
    login(issuing, "gd_analyst")  # read-only: sees the register, cannot draft or issue
    assert "issue-row" in issuing.get("/bulletins/issued").text
    assert issuing.get(link).status_code == 200
    assert issuing.get("/bulletins/draft").status_code == 403


@pytest.mark.browser
@pytest.mark.slow
def test_draft_and_register_in_a_browser(issuing, fresh_app):
    """An officer unticks an alert, writes advice and issues on the draft page; the register shows the
    version; both pages fit a phone's width. Screenshots in tests/web/screenshots/."""
    from pathlib import Path

    from tests.harness import chromium, offline_context, served
    from tests.web.test_browser import login as browser_login

    shots = Path(__file__).parent / "screenshots"
    shots.mkdir(exist_ok=True)
    with served(fresh_app) as url, chromium() as browser:
        for width, height in ((1440, 900), (390, 844)):
            ctx = offline_context(browser, url, viewport={"width": width, "height": height}, is_mobile=width < 600)
            pg = ctx.new_page()
            browser_login(pg, "gd_officer")
            pg.goto("/bulletins/draft?region=440000&period=2022-03")
            assert pg.locator("#draft-alerts input[name=alerts]").count() == 2
            assert pg.evaluate("document.documentElement.scrollWidth") <= width
            pg.screenshot(path=str(shots / f"bulletin_draft_{width}.png"), full_page=True)
            if width > 600:
                pg.uncheck("input[value='增速低于上级|440300']")
                pg.fill("textarea[name=advice]", "（一）加强运行调度。密切跟踪重点企业。")
                pg.fill("input[name=issue_date]", "2022-04-18")
                for f in ("html", "pdf", "xlsx"):
                    pg.uncheck(f"input[name=formats][value={f}]")
                with pg.expect_navigation(timeout=120000):
                    pg.click("#issue-button")
                assert "/bulletins/issued" in pg.url, pg.inner_text("main")[:300]
                assert "第1版（最新）" in pg.inner_text("main") and "测工信运〔2022〕1号" in pg.inner_text("main")
            else:
                pg.goto("/bulletins/issued")
                assert pg.locator("tr.issue-row").count() == 1
                assert pg.evaluate("document.documentElement.scrollWidth") <= width
            pg.screenshot(path=str(shots / f"bulletin_issued_{width}.png"), full_page=True)
            ctx.close()
