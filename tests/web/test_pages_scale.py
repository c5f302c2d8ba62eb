"""List pages at demo scale: paged and filtered on the server, every page small, exports complete."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.web.conftest import bearer

LIMIT = 2 * 1024 * 1024  # every page under 2 MB


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, shared_data):
    import os

    from yacang.catalog.imports import import_regions
    from yacang.demo import DemoSpec, run_demo
    from yacang.settings import reset_settings
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    home = tmp_path_factory.mktemp("scale") / "home"
    before = os.environ.get("YACANG_HOME")
    os.environ["YACANG_HOME"] = str(home)  # the app reads the imported code list from its home
    reset_settings()
    import_regions(shared_data / "admin_divisions_gbt2260" / "codes_by_year_2010_2024.csv", 2024, home)
    wh = Warehouse.memory()
    run_demo(wh, DemoSpec(enterprises=3000, seed=11))
    app = create_app(warehouse=wh, app_db_url=f"sqlite:///{home.parent / 'app.sqlite'}")
    from sqlalchemy.orm import Session

    from yacang.auth import service

    with Session(app.state.yacang.engine) as s:
        admin = service.add_user(s, "scale_admin", "a-long-enough-password-1", "admin")
        gd = service.add_user(s, "scale_gd", "a-long-enough-password-1", "officer", region="440000")
        tokens = {"admin": service.create_token(s, admin, "t"), "gd": service.create_token(s, gd, "t")}
        s.commit()
    app.state.test_tokens = tokens
    yield app, wh
    app.state.yacang.close()
    if before is None:
        os.environ.pop("YACANG_HOME", None)
    else:
        os.environ["YACANG_HOME"] = before
    reset_settings()


@pytest.mark.slow
def test_enterprise_and_report_lists_are_paged_filtered_and_small(demo_app):
    from fastapi.testclient import TestClient

    app, wh = demo_app
    client = TestClient(app)
    h = bearer(app.state.test_tokens["admin"])
    latest = wh.db.execute("SELECT period FROM reports GROUP BY period ORDER BY max(vintage) DESC, period DESC "
                           "LIMIT 1").fetchall()[0][0]
    n_latest = wh.scalar("SELECT count(*) FROM reports WHERE period = ?", [latest])
    for path in ("/enterprises", "/report"):
        r = client.get(path, headers=h)
        assert r.status_code == 200 and len(r.content) < LIMIT, (path, len(r.content))
        assert f"共 {n_latest} 条" in r.text  # the default period is the latest with data
        assert r.text.count("<tr>") <= 51  # header + one page of 50
        r2 = client.get(f"{path}?page=2&size=20&period={latest}", headers=h)
        assert "第 21–40 条" in r2.text
    # search by a name fragment and by region name: counts as SQL computes them independently
    name = wh.db.execute("SELECT name FROM enterprises ORDER BY uscc LIMIT 1").fetchall()[0][0]
    frag = name[2:6]
    n_frag = wh.scalar("SELECT count(*) FROM reports r JOIN enterprises e USING (uscc) WHERE r.period = ? AND "
                       "(e.name LIKE ? OR r.uscc LIKE ?)", [latest, f"%{frag}%", f"%{frag}%"])
    assert f"共 {n_frag} 条" in client.get(f"/enterprises?q={frag}", headers=h).text
    n_gd = wh.scalar("SELECT count(*) FROM reports r JOIN enterprises e USING (uscc) WHERE r.period = ? AND "
                     "e.region LIKE '44%'", [latest])
    page = client.get("/enterprises?region=广东", headers=h).text
    import re

    assert f"共 {n_gd} 条" in page and "区（44" in page, re.findall(r"共 \d+ 条", page)  # county names with codes
    # the export holds the whole filtered table, text neutralised, numbers as numbers
    x = client.get("/enterprises?region=440000&format=xlsx", headers=h)
    assert x.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    assert ws.max_row - 1 == n_gd and ws.cell(1, 1).value == "企业名称"
    assert isinstance(ws.cell(2, 5).value, int | float)


@pytest.mark.slow
def test_an_officer_cannot_page_outside_the_region(demo_app):
    from fastapi.testclient import TestClient

    app, _wh = demo_app
    client = TestClient(app)
    gd = bearer(app.state.test_tokens["gd"])
    assert client.get("/enterprises?region=北京", headers=gd).status_code == 403
    page = client.get("/enterprises?size=200", headers=gd).text
    assert "北京市（11" not in page and "（44" in page


@pytest.mark.slow
def test_alerts_page_is_paged_with_chinese_states(demo_app):
    from fastapi.testclient import TestClient

    from yacang.alerts.evaluate import evaluate_alerts
    from yacang.jobs.period import resolve_period

    app, wh = demo_app
    evaluate_alerts(wh, resolve_period(wh, "latest"))
    app.state.yacang.changed()
    client = TestClient(app)
    r = client.get("/alerts?size=20", headers=bearer(app.state.test_tokens["admin"]))
    assert r.status_code == 200 and len(r.content) < LIMIT
    import re

    visible = re.sub(r"<[^>]+>", " ", r.text)  # what the official reads, not URLs or form values
    assert "firing" not in visible and "pending" not in visible and "resolved" not in visible
    assert "触发中" in visible and "共 " in visible


@pytest.mark.slow
def test_pages_and_bulletin_say_the_data_are_the_demo(demo_app):
    from fastapi.testclient import TestClient

    from yacang import api

    app, wh = demo_app
    page = TestClient(app).get("/enterprises", headers=bearer(app.state.test_tokens["admin"])).text
    assert "示例数据" in page and "不是真实统计数据" in page
    doc = api.bulletin(wh, "2022-06")
    assert any("示例数据" in n for n in doc.sections[0].notes)
