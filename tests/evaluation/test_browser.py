"""Browser test (Playwright + Debian chromium) of the 申报 flow: the province reviewer issues a call, two
city users fill and submit it (one with an attachment), the reviewer checks, scores, shortlists and
publishes; a city then sees the published list and only its own submission. The real-data ranking page
shows the map and a region's breakdown. Screenshots go to tests/evaluation/screenshots/ (look at them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.evaluation.test_workflow import values
from tests.evaluation.webapp import make_app
from tests.harness import chromium, served, signed_in
from tests.web.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture()
def server(yacang_home, shared_data) -> Iterator[str]:
    app = make_app(yacang_home, shared_data)
    with served(app) as url:
        yield url
    app.state.yacang.close()


@pytest.fixture()
def browser():
    with chromium() as b:
        yield b


def as_user(browser, server, username: str):
    return signed_in(browser, server, username, PASSWORD)


def submit_as_city(browser, server, user: str, call_url: str, level: float, tmp_path: Path | None = None) -> None:
    ctx, page = as_user(browser, server, user)
    page.goto("/evaluation")
    page.click(f"a[href='{call_url}']")
    for code, v in values(level).items():
        page.fill(f"input[name=v_{code}]", str(v))
    page.fill("textarea[name=narrative]", f"{user}：技改投资快速增长，先进制造业集群培育成效明显。")
    if tmp_path is not None:
        f = tmp_path / "申报材料.pdf"
        f.write_bytes(b"%PDF-1.4\n% test\n")
        page.set_input_files("input[name=attachment]", str(f))
        page.check("input[name=bonuses][value=cluster]")
    page.click("#submit-button")
    page.wait_for_selector("#form-msg")
    assert page.inner_text("#form-msg") == "已提交申报"
    rows = page.locator("#subs-table > tbody > tr")
    assert rows.count() == 1  # a city sees its own submission only
    if tmp_path is not None:
        assert "申报材料.pdf" in page.inner_text("#subs-table")
        page.screenshot(path=str(SHOTS / "city_submitted.png"), full_page=True)
    ctx.close()


def test_call_flow_in_browser(server, browser, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    ctx, page = as_user(browser, server, "admin")
    page.goto("/evaluation")
    assert "地区评价" in page.inner_text("header nav")
    page.wait_for_selector("#eval-map[data-rendered=map]", timeout=30000)
    page.wait_for_selector("#eval-map[data-detail]", timeout=30000)
    assert page.locator("#eval-table tbody tr").count() == 31
    assert "真实数据" in page.inner_text("#eval-runs") and "国家统计局" in page.inner_text("#eval-runs")
    page.click("a.eval-region[data-region='220000']")
    page.wait_for_selector("#eval-map[data-detail='220000']")
    page.wait_for_function("document.getElementById('eval-detail-title').textContent.startsWith('吉林省')")
    # the figures behind the charts, in their units: 吉林 2022 −6.4% is below the 不允许值 0.6% → 60.0
    page.wait_for_function("document.getElementById('eval-items').textContent.includes('-6.4%')")
    first = [c.strip() for c in page.locator("#eval-items tbody tr").first.inner_text().split("\t")]
    assert first[:3] == ["规上工业增加值增速", "-6.4%", "60.0"]
    assert "其他结果" not in page.inner_text("#eval-runs")  # one stored run: no empty list of others
    page.screenshot(path=str(SHOTS / "ranking_2022.png"), full_page=True)
    ctx.close()

    ctx, page = as_user(browser, server, "gd_reviewer")
    page.goto("/evaluation")
    assert page.locator("#eval-table tbody tr").count() == 1  # 广东 sees its own row, not other provinces'
    assert "广东省" in page.inner_text("#eval-table") and "共 31 个地区参评" in page.inner_text("#eval-runs")
    page.fill("#call-form input[name=quota]", "1")
    page.click("#call-form button[type=submit]")
    page.wait_for_selector("#form-msg")
    call_url = page.url.split("?")[0].replace(server, "")
    assert call_url.startswith("/evaluation/calls/")
    assert page.locator("#submit-card").count() == 0  # the province does not apply to itself

    submit_as_city(browser, server, "gz_city", call_url, 3, tmp_path)
    submit_as_city(browser, server, "sz_city", call_url, 1)

    page.goto(call_url)
    assert page.locator("#subs-table > tbody > tr").count() == 2
    for action in ("check", "score", "shortlist"):
        page.click(f"#btn-{action}")
        page.wait_for_selector("#form-msg")
    table = page.inner_text("#subs-table")
    assert "1 项仓库中没有该地区数据，未核对" in table  # no prefecture 规上工业 series in the test warehouse
    gz = page.inner_text("#subs-table > tbody > tr[data-region='440100']")
    assert "入围" in gz and "\t1\t" in gz
    page.click("#btn-publish")
    page.wait_for_selector("#published")
    assert page.inner_text("#call-status") == "已公布"
    page.screenshot(path=str(SHOTS / "reviewer_published.png"), full_page=True)
    ctx.close()

    ctx, page = as_user(browser, server, "sz_city")
    page.goto(call_url)
    assert "广州市" in page.inner_text("#published")
    assert page.locator("#subs-table > tbody > tr").count() == 1
    assert page.locator("#review-buttons").count() == 0
    ctx.close()


def test_two_runs_of_a_year_are_told_apart(yacang_home, shared_data, browser):
    """The same year computed twice (当月-only provinces estimated, then left as gaps): the page lists the
    other run with when it was computed and, on hover, the data it was built from."""
    from yacang.evaluation.real_data import month_yoy_words
    from yacang.evaluation.runs import province_run

    app = make_app(yacang_home, shared_data)
    with app.state.yacang.warehouse() as wh:
        province_run(wh, 2022, shared_data, draws=50, month_yoy="gap")
    try:
        with served(app) as url:
            ctx, page = as_user(browser, url, "admin")
            page.goto("/evaluation")
            page.wait_for_selector("#eval-map[data-rendered=map]", timeout=30000)
            others = page.locator("#eval-runs p.crumbs a")
            assert others.count() == 1 and "计算于" in others.first.inner_text()
            shown = page.inner_text("#eval-runs h2")
            assert "计算于" in shown
            # one run shown (its 数据来源 line), the other named with its own source: between them both treatments
            texts = page.inner_text("#eval-runs") + (others.first.get_attribute("title") or "")
            assert month_yoy_words("estimate", 6) in texts and month_yoy_words("gap", 6) in texts
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / "two_runs_2022.png"))
            ctx.close()
    finally:
        app.state.yacang.close()
