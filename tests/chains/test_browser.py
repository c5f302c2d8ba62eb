"""The chain page in Debian chromium: the ECharts graph draws offline, scoped to the caller's region.

Screenshots go to tests/chains/screenshots/ (look at them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chains.conftest import ENTS, U
from tests.chains.test_api import PASSWORD, USERS
from tests.harness import chromium, served, signed_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture()
def server(chain_wh, tmp_path) -> Iterator[str]:
    from argon2 import PasswordHasher
    from sqlalchemy.orm import Session

    from yacang.auth import passwords, service
    from yacang.web import create_app

    saved = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    app = create_app(warehouse=chain_wh, app_db_url=f"sqlite:///{tmp_path / 'app.sqlite'}")
    with Session(app.state.yacang.engine) as s:
        for name, (role, region, uscc) in USERS.items():
            service.add_user(s, name, PASSWORD, role, region=region, uscc=uscc, display_name=name)
        s.commit()
    with served(app) as url:
        yield url
    passwords._HASHER = saved


@pytest.fixture()
def browser():
    with chromium() as b:
        yield b


def open_as(browser, server, username: str):
    return signed_in(browser, server, username, PASSWORD)


def test_chain_graph_drawn_offline_and_scoped(browser, server, chain_wh, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    from yacang.chains.members import import_members
    from yacang.chains.sheets import write_form

    head = ["产业链代码", "环节代码", "统一社会信用代码", "角色"]  # a 链主 with a long name and segment
    import_members(chain_wh, write_form(tmp_path / "m.xlsx", head, [["nev", "vehicle", U["E5"], "链主"],
                                                                     ["nev", "battery", U["E4"], "关键节点"]]))
    ctx, page = open_as(browser, server, "admin")
    page.goto("/chains")
    assert page.locator("#chain-list").inner_text().count("\n") >= 4  # header + 4 chains
    page.click("text=新能源汽车")
    page.wait_for_selector("#chain-graph[data-nodes]", timeout=30000)
    assert page.get_attribute("#chain-graph", "data-nodes") == "5"
    assert page.locator("#chain-graph canvas").count() >= 1
    page.screenshot(path=str(SHOTS / "1_nev_admin.png"), full_page=True)
    ctx.close()
    # with a long registered name the 链主 table stays inside its card (its 产值同比 column ran off the right edge)
    chain_wh.db.execute("UPDATE enterprises SET name = '宁波经济技术开发区新能源汽车整车制造集团股份有限公司' WHERE uscc = ?",
                        [U["E5"]])
    ctx, page = signed_in(browser, server, "admin", PASSWORD, viewport={"width": 1280, "height": 900})
    page.goto("/chains/nev")
    assert page.evaluate("(() => { const t = document.getElementById('chain-leaders');"
                         " return t.getBoundingClientRect().right <= t.closest('section').getBoundingClientRect().right"
                         " + 0.5; })()")
    ctx.close()
    ctx, page = open_as(browser, server, "sz")
    page.goto("/chains/nev")
    page.wait_for_selector("#chain-graph[data-nodes]", timeout=30000)
    assert page.get_attribute("#chain-graph", "data-nodes") == "1"
    html = page.content()
    assert ENTS["E3"][2] in html and ENTS["E1"][2] not in html and ENTS["E5"][2] not in html
    page.screenshot(path=str(SHOTS / "2_nev_suzhou.png"), full_page=True)
    ctx.close()
