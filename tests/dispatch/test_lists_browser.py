"""The dispatch lists in a browser on the demo (with its 调度 set), at desktop and phone size: every page
answers, stays under 2 MB, fits the phone's width, and is filtered and paged on the server. Load times
are printed (never asserted). Screenshots: tests/dispatch/screenshots/lists_*.png (look at them)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import served, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "Yacang-lists-2022"
PAGES = ("/dispatch/appeals", "/dispatch/whitelist", "/dispatch/projects")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, shared_data) -> Iterator[str]:
    from argon2 import PasswordHasher
    from sqlalchemy.orm import Session

    from yacang.auth import passwords, service
    from yacang.catalog.imports import import_regions
    from yacang.demo import DemoSpec, run_demo
    from yacang.settings import reset_settings
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    home = tmp_path_factory.mktemp("dispatch-lists") / "home"
    saved = passwords._HASHER
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YACANG_HOME", str(home))  # the demo writes its 调度 set into the app DB under the home
        reset_settings()
        passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
        import_regions(shared_data / "admin_divisions_gbt2260" / "codes_by_year_2010_2024.csv", 2024, home)
        wh = Warehouse.memory()
        run_demo(wh, DemoSpec(enterprises=3000, seed=11))
        app = create_app(warehouse=wh, app_db_url=f"sqlite:///{home / 'app.sqlite'}")
        with Session(app.state.yacang.engine) as s:
            service.add_user(s, "lists_admin", PASSWORD, "admin")
            s.commit()
        with served(app) as url:
            yield url
        app.state.yacang.close()
        passwords._HASHER = saved
    reset_settings()


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_dispatch_lists_small_and_paged_at_both_sizes(browser, demo_server, size):
    SHOTS.mkdir(exist_ok=True)
    width, height = size
    ctx, page = signed_in(browser, demo_server, "lists_admin", PASSWORD,
                          viewport={"width": width, "height": height}, is_mobile=width < 600)
    timings = []
    for path in PAGES:
        t0 = time.monotonic()
        resp = page.goto(f"{path}?size=20")
        page.wait_for_load_state("networkidle")
        timings.append((path, round(time.monotonic() - t0, 2)))
        assert resp is not None and resp.ok, (path, resp and resp.status)
        html = page.content()
        assert len(html.encode("utf-8")) < 2 * 1024 * 1024 and "Traceback" not in html
        assert page.locator("nav.pager").count() == 1 and "共 " in page.inner_text("nav.pager")
        rows = page.locator("table.cards-on-phone tbody tr").count()
        assert rows <= 20
        if width < 600:
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
        page.screenshot(path=str(SHOTS / f"lists_{width}{path.replace('/', '_')}.png"), full_page=width >= 600)
    # a filter through the form: the status select narrows the appeals on the server
    page.goto("/dispatch/appeals?size=20")
    total = int(page.inner_text("nav.pager").split("共 ")[1].split(" 条")[0])
    page.select_option("form.filters select[name=status]", "filed")
    with page.expect_navigation():
        page.click("form.filters button")
    assert "status=filed" in page.url
    shown = page.locator("#appeals-table tbody tr")
    assert all(shown.nth(i).locator("td[data-label=状态]").inner_text().startswith("已提交")
               for i in range(shown.count()))
    assert int(page.inner_text("nav.pager").split("共 ")[1].split(" 条")[0]) <= total
    print(f"{width}×{height} page load (s):", timings, "machine load", os.getloadavg()[0])  # reported only
    ctx.close()
