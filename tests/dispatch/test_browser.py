"""Browser test (Playwright + Debian chromium): an enterprise files an appeal, the officer assigns and
resolves it, the enterprise rates it, the officer closes it, and the case timeline shows every step.

Screenshots go to tests/dispatch/screenshots/ (look at them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.dispatch.conftest import ENT_A
from tests.dispatch.webapp import PASSWORD, make_app
from tests.harness import chromium, served, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture()
def server(yacang_home) -> Iterator[str]:
    from yacang.auth import passwords

    saved = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    app = make_app(yacang_home)
    with served(app) as url:
        yield url
    app.state.yacang.close()
    passwords._HASHER = saved


@pytest.fixture()
def browser():
    with chromium() as b:
        yield b


def as_user(browser, server, username: str):
    return signed_in(browser, server, username, PASSWORD)


def submit(page, selector: str) -> None:
    """Click a form's submit button and wait for the page it leads to (POST → 303 → GET)."""
    with page.expect_navigation(wait_until="load", timeout=60000):
        page.click(selector)


def test_appeal_filed_handled_rated_closed_with_full_timeline(browser, server):
    SHOTS.mkdir(exist_ok=True)
    # 1. the enterprise files
    ctx, page = as_user(browser, server, "ent_a")
    page.goto("/dispatch/appeals")
    page.select_option("select[name=appeal_type]", "缺柜")
    page.select_option("select[name=urgency]", "紧急")
    page.fill("input[name=title]", "出口订单缺集装箱")
    page.fill("textarea[name=description]", "本月出口订单集中交付，宁波港空箱紧张，请求协调舱位")
    page.set_input_files("input[name=attachments]", files=[{"name": "出口合同.pdf", "mimeType": "application/pdf",
                                                             "buffer": b"%PDF-1.4 contract"}])
    submit(page, "#file-appeal button[type=submit]")
    page.wait_for_selector("#timeline")
    code = page.url.rstrip("/").split("/")[-1].split("?")[0]
    assert code.startswith("SQ")
    assert page.inner_text("#status") == "已提交"
    assert page.inner_text("#attachments") == "附件：出口合同.pdf"
    page.screenshot(path=str(SHOTS / "1_filed.png"), full_page=True)
    ctx.close()

    # 2. the 杭州 officer assigns, responds, plans and resolves
    ctx, page = as_user(browser, server, "hz")
    page.goto("/dispatch/appeals")
    assert code in page.inner_text("#appeals-table")
    page.goto(f"/dispatch/appeals/{code}")
    with page.expect_download() as dl:
        page.click("#attachments a")
    assert Path(dl.value.path()).read_bytes() == b"%PDF-1.4 contract"
    page.fill("#assign-form input[name=department]", "商务局外贸科")
    submit(page, "#assign-form button")
    page.fill("#respond-form input[name=note]", "已电话联系企业")
    submit(page, "#respond-form button")
    page.fill("#plan-form input[name=note]", "协调船公司调拨空箱200个")
    submit(page, "#plan-form button")
    submit(page, "#resolve-form button")  # without a note: refused with a clear error
    assert "办结必须填写办理结果说明" in page.inner_text("#form-error")
    page.fill("#resolve-form input[name=note]", "已调拨空箱，订单按期出运")
    submit(page, "#resolve-form button")
    page.wait_for_selector("#close-form")
    assert page.inner_text("#status") == "已办结"
    submit(page, "#close-form button")  # not rated yet: refused
    assert "企业尚未评价满意度" in page.inner_text("#form-error")
    ctx.close()

    # 3. the enterprise rates
    ctx, page = as_user(browser, server, "ent_a")
    page.goto(f"/dispatch/appeals/{code}")
    page.select_option("#rate-form select[name=score]", "4")
    page.fill("#rate-form input[name=comment]", "响应及时")
    submit(page, "#rate-form button")
    page.wait_for_selector("#msg")
    assert page.inner_text("#rating") == "4"
    ctx.close()

    # 4. the officer calls back and closes; the timeline shows every step
    ctx, page = as_user(browser, server, "hz")
    page.goto(f"/dispatch/appeals/{code}")
    page.fill("#close-form input[name=note]", "电话回访，企业认可")
    submit(page, "#close-form button")
    page.wait_for_selector("#timeline")
    assert page.inner_text("#status") == "已结案"
    steps = page.eval_on_selector_all("#timeline tbody tr", "rows => rows.map(r => r.dataset.action)")
    assert steps == ["file", "assign", "respond", "plan", "resolve", "rate", "close"]
    text = page.inner_text("#timeline")
    for word in ("提交诉求", "分派", "商务局外贸科", "响应", "制定方案", "办结", "满意度 4 分", "回访结案"):
        assert word in text, word
    page.screenshot(path=str(SHOTS / "2_closed_timeline.png"), full_page=True)
    ctx.close()

    # 5. another enterprise cannot open the case
    ctx, page = as_user(browser, server, "ent_b")
    resp = page.goto(f"/dispatch/appeals/{code}")
    assert resp.status == 404 and ENT_A[1] not in page.content()
    ctx.close()
