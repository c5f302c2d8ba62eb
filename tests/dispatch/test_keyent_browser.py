"""The 重点企业 page in a browser: 130 key enterprises (80 in 广东, 50 in 江苏) listed 50 a page on the
server, filtered by region (name or code prefix), name and frequency, and cut to the account's scope; at
desktop and phone size. Screenshots: tests/dispatch/screenshots/keyent_*.png (look at them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import served, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "Yacang-keyent-2022"
GD_REGIONS = ("440106", "440305", "440604", "440113")  # 广州天河, 深圳南山, 佛山禅城, 广州番禺: 20 each
JS_REGIONS = ("320102", "320505")  # 南京玄武, 苏州虎丘: 25 each


def _register_all(session) -> None:
    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope
    from yacang.dispatch import key_enterprises as ke
    from yacang.microdata.uscc import make_uscc

    admin = Scope(Role.ADMIN, username="admin")
    for i in range(80):
        region = GD_REGIONS[i % 4]
        ke.register(session, admin, wh=None, uscc=make_uscc(region, f"MA{i:07d}"), name=f"粤企{i:03d}精密制造有限公司",
                    region=region, industry=("39", "3612", "65")[i % 3], frequency=("月", "周", "日", "月")[i % 4])
    for i in range(50):
        region = JS_REGIONS[i % 2]
        ke.register(session, admin, wh=None, uscc=make_uscc(region, f"MB{i:07d}"), name=f"苏企{i:03d}材料有限公司",
                    region=region, industry="26", frequency="月")


@pytest.fixture(scope="module")
def server(tmp_path_factory, shared_data) -> Iterator[str]:
    from argon2 import PasswordHasher
    from sqlalchemy.orm import Session

    from yacang.auth import passwords, service
    from yacang.catalog.imports import import_regions
    from yacang.settings import reset_settings
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    home = tmp_path_factory.mktemp("keyent") / "home"
    saved = passwords._HASHER
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YACANG_HOME", str(home))
        reset_settings()
        passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
        import_regions(shared_data / "admin_divisions_gbt2260" / "codes_by_year_2010_2024.csv", 2024, home)
        app = create_app(warehouse=Warehouse.memory(), app_db_url=f"sqlite:///{home / 'app.sqlite'}")
        with Session(app.state.yacang.engine) as s:
            _register_all(s)
            service.add_user(s, "ke_admin", PASSWORD, "admin")
            service.add_user(s, "ke_gd", PASSWORD, "officer", region="440000")
            s.commit()
        with served(app) as url:
            yield url
        app.state.yacang.close()
        passwords._HASHER = saved
    reset_settings()


def _total(page) -> int:
    return int(page.inner_text("nav.pager").split("共 ")[1].split(" 条")[0])


def _column(page, label: str) -> list[str]:
    cells = page.locator(f"#keyent-table tbody td[data-label={label}]")
    return [cells.nth(i).inner_text() for i in range(cells.count())]


def test_the_key_enterprise_list_is_paged_and_filtered_on_the_server(browser, server):
    SHOTS.mkdir(exist_ok=True)
    ctx, page = signed_in(browser, server, "ke_admin", PASSWORD, viewport={"width": 1440, "height": 900})
    assert page.goto("/dispatch/keyent").ok
    assert _total(page) == 130 and page.locator("#keyent-table tbody tr").count() == 50  # 50 a page by default
    assert "第 1/3 页" in page.inner_text("nav.pager")
    page.screenshot(path=str(SHOTS / "keyent_1440_page1.png"), full_page=True)
    page.goto("/dispatch/keyent?page=3")
    assert page.locator("#keyent-table tbody tr").count() == 30  # 130 = 50 + 50 + 30
    # region by name: 深圳 is 4403, one 广东 enterprise in four
    page.goto("/dispatch/keyent")
    page.fill("form.filters input[name=region]", "深圳")
    with page.expect_navigation():
        page.click("form.filters button")
    assert _total(page) == 20 and set(_column(page, "地区")) == {"南山区（440305）"}
    # region and frequency together: 广东 (prefix 44) 周报 are i % 4 == 1, all in 深圳南山
    page.goto("/dispatch/keyent?region=440000&frequency=周")
    assert _total(page) == 20 and set(_column(page, "频次")) == {"周"}
    # name
    page.goto("/dispatch/keyent?q=苏企01")
    assert _total(page) == 10 and all(n.startswith("苏企01") for n in _column(page, "企业"))
    page.screenshot(path=str(SHOTS / "keyent_1440_filtered.png"), full_page=True)
    ctx.close()


def test_an_officer_sees_only_the_province_and_the_phone_fits(browser, server):
    ctx, page = signed_in(browser, server, "ke_gd", PASSWORD, viewport={"width": 390, "height": 844}, is_mobile=True)
    assert page.goto("/dispatch/keyent").ok
    assert _total(page) == 80 and page.locator("#keyent-table tbody tr").count() == 50
    assert all(r.endswith(("（440106）", "（440305）", "（440604）", "（440113）")) for r in _column(page, "地区"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(SHOTS / "keyent_390_officer.png"), full_page=True)
    outside = page.goto("/dispatch/keyent?region=江苏")
    assert outside is not None and outside.status == 403  # a filter never widens the scope
    ctx.close()
