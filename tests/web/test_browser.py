"""Browser tests: Playwright drives Debian's chromium (headless) against uvicorn on 127.0.0.1.

Screenshots go to tests/web/screenshots/ (git-ignored).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import chromium, offline_context, served
from tests.web.fixtures import PASSWORD, USCC_A

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def server(web_app) -> Iterator[str]:
    with served(web_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture()
def page(browser, server):
    ctx = offline_context(browser, server)  # the intranet has no internet: only the loopback server answers
    pg = ctx.new_page()
    yield pg
    ctx.close()


def login(page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url, page.inner_text("main")


def test_login_and_map_coloured_by_growth(page):
    SHOTS.mkdir(exist_ok=True)
    page.goto("/")
    assert "/login" in page.url
    login(page, "admin")
    page.goto("/?indicator=gdp&measure=yoy")
    page.wait_for_selector("#map[data-rendered=map]", timeout=20000)
    colours = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('map'));
        const data = chart.getModel().getSeriesByIndex(0).getData();
        const out = {};
        for (let i = 0; i < data.count(); i++) {
            const v = data.getItemVisual(i, 'style');
            out[data.getName(i)] = [data.get('value', i), v && v.fill];
        }
        return out;
    }""")
    coloured = {name: fill for name, (value, fill) in colours.items()
                if isinstance(value, int | float) and value == value}  # NaN: no data (港澳台, 南海诸岛)
    assert len(coloured) == 31 and "广东省" in coloured and "台湾省" not in coloured
    assert len(set(coloured.values())) >= 10  # a continuous scale: many distinct colours
    assert all(f and f.lower() != "#eeeeee" for f in coloured.values())
    page.screenshot(path=str(SHOTS / "overview_map.png"), full_page=True)


def test_drill_down_to_a_prefecture(page):
    login(page, "gd_officer")
    page.goto("/?indicator=gdp&measure=yoy")
    assert "广东省" in page.inner_text("h1")
    page.wait_for_selector("#map[data-rendered=bar]", timeout=20000)  # no prefecture boundaries: bars
    with page.expect_navigation():
        page.click("#ranking >> text=深圳市")
    assert "/regions/440300?indicator=gdp&measure=yoy" in page.url
    assert "总览 · 深圳市" in page.inner_text("h1")
    first = page.inner_text(".kpi >> nth=0")
    assert "地区生产总值同比" in first and "6.0" in first
    assert "广东省" in page.inner_text(".crumbs")
    page.screenshot(path=str(SHOTS / "drill_prefecture.png"), full_page=True)


def test_upload_invalid_file_shows_row_errors(page, tmp_path):
    login(page, "gd_officer")
    bad = tmp_path / "月报_有错.csv"
    bad.write_text("统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,计量单位\n"
                   f"{USCC_A},A,2022年2月,1000,,千元\n", encoding="utf-8")
    page.goto("/data")
    page.set_input_files("input[type=file]", str(bad))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#row-errors")
    text = page.inner_text("#row-errors")
    assert "第2行" in text and "报告期" in text and "工业总产值上年同期" in text
    page.screenshot(path=str(SHOTS / "upload_errors.png"), full_page=True)


def test_enterprise_submits_and_officer_sees_it(page):
    login(page, "ent_a")
    assert "/report" in page.url
    page.fill("input[name=period]", "2022-06")
    page.fill("input[name=output_value]", "15000")
    page.fill("input[name=output_value_prev]", "14000")
    page.fill("input[name=sales_value]", "7000")
    page.click("button[value=check]")
    page.wait_for_selector("#report-error-count")
    assert "工业销售产值" in page.inner_text("label.bad")
    page.fill("input[name=sales_value]", "14800")
    page.click("button[value=submit]")
    page.wait_for_selector("#report-done")
    page.screenshot(path=str(SHOTS / "enterprise_report.png"), full_page=True)
    with page.expect_navigation():
        page.click("form.me button")
    login(page, "gz_officer")
    page.goto("/report")
    row = page.locator("#review-table tr", has_text="2022年6月")
    assert row.count() == 1 and "已报送" in row.inner_text() and "广州天河精密制造有限公司" in row.inner_text()


def test_phone_width_has_no_horizontal_scroll(browser, server):
    ctx = offline_context(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = ctx.new_page()
    login(pg, "gd_officer")
    pg.goto("/?indicator=gdp&measure=yoy")
    pg.wait_for_selector("#map[data-rendered]", timeout=20000)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.screenshot(path=str(SHOTS / "phone_overview.png"), full_page=True)
    ctx.close()


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_every_page_of_the_navigation_loads_small_at_both_sizes(browser, server, size):
    """Each page an officer's navigation offers answers, stays under 2 MB, and on a phone the document
    is no wider than the screen (wide tables scroll inside their card or turn into cards)."""
    width, height = size
    ctx = offline_context(browser, server, viewport={"width": width, "height": height}, is_mobile=width < 600)
    pg = ctx.new_page()
    login(pg, "gd_officer")
    links = pg.eval_on_selector_all("header nav a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) >= 8
    timings = []
    for href in links:
        t0 = time.monotonic()
        resp = pg.goto(href)
        pg.wait_for_load_state("networkidle")
        timings.append((href, round(time.monotonic() - t0, 2)))
        assert resp is not None and resp.ok, (href, resp and resp.status)
        assert len(pg.content().encode("utf-8")) < 2 * 1024 * 1024, href
        assert "Traceback" not in pg.content()
        if width < 600:
            assert pg.evaluate("document.documentElement.scrollWidth") <= width + 1, href
        pg.screenshot(path=str(SHOTS / f"nav_{width}{href.replace('/', '_') or '_root'}.png"))
    print("page load (s):", timings)  # reported, never asserted
    ctx.close()
