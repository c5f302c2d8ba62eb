"""The dispatch lists at a few hundred records: paged, filtered and exported on the server, scoped by the
caller's records. Expected counts follow from how the records are made (not from the code under test)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.dispatch.conftest import ENT_A, ENT_C, HANGZHOU, NINGBO, ent_scope
from tests.dispatch.webapp import make_app, tokens
from yacang.microdata.uscc import make_uscc

pytestmark = pytest.mark.slow
N_HZ, N_NB = 130, 70  # appeals of 杭州 (ENT_A) and 宁波 (ENT_C); even numbers are 缺芯, odd 缺工
N_WL_HZ, N_WL_NB = 40, 10  # enterprises applying to all three whitelists in 杭州 and 宁波
LIMIT = 2 * 1024 * 1024


def _seed(app) -> None:
    from yacang.dispatch import appeals as ap
    from yacang.dispatch import projects as pj
    from yacang.dispatch import whitelists as wl
    from yacang.dispatch.clock import FixedClock

    with Session(app.state.yacang.engine) as s:
        for ent, n in ((ENT_A, N_HZ), (ENT_C, N_NB)):
            for i in range(n):  # the first half filed in 2022-03, the rest in 2022-04
                clock = FixedClock(dt.datetime(2022, 3 if i < n // 2 else 4, 1 + i % 28, 9, 0))
                ap.file_appeal(s, ent_scope(ent), uscc=ent[0], enterprise_name=ent[1], region=ent[2],
                               appeal_type="缺芯" if i % 2 == 0 else "缺工", description=f"第{i}号诉求", clock=clock)
        for i in range(N_WL_HZ + N_WL_NB):  # synthetic enterprises, one application per list each
            region, scope = ("330106", HANGZHOU) if i < N_WL_HZ else ("330203", NINGBO)
            uscc = make_uscc(region, f"MA2W{i:04d}0")
            for cat in ("supply_chain", "foreign_trade", "raw_materials"):
                wl.apply(s, scope, category_ref=cat, uscc=uscc, enterprise_name=f"白名单企业{i:02d}", region=region,
                         reason="保供", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2022, 12, 31))
        clock = FixedClock(dt.datetime(2022, 7, 1))
        for region, scope, n in (("330106", HANGZHOU, 60), ("330203", NINGBO, 30)):
            for i in range(n):
                code = f"P{region}{i:03d}"
                pj.register_project(s, scope, code=code, name=f"项目{code}", region=region, industry="39",
                                    planned_investment=50, planned_start=dt.date(2022, 1, 1),
                                    planned_finish=dt.date(2023, 1, 1))
                # 180 of 365 days planned = 49.3 %: 20 亿 done = 40 % (9.3 behind, 绿), 10 亿 = 20 % (29.3, 黄),
                # nothing reported = 0 % (49.3, 红)
                if i % 3 < 2:
                    pj.report_progress(s, scope, code, period="2022-06", invest_cum=20 if i % 3 == 0 else 10,
                                       clock=clock)
        s.commit()


@pytest.fixture(scope="module")
def lists(tmp_path_factory, shared_data):
    from fastapi.testclient import TestClient

    from yacang.catalog.imports import import_regions
    from yacang.settings import reset_settings

    home = tmp_path_factory.mktemp("lists") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YACANG_HOME", str(home))  # the app reads the imported code list from its home
        reset_settings()
        # names of prefectures and counties from the real GB/T 2260 list
        import_regions(shared_data / "admin_divisions_gbt2260" / "codes_by_year_2010_2024.csv", 2024, home)
        app = make_app(home)
        _seed(app)
        tok = tokens(app)
        with TestClient(app) as c:
            yield c, {u: {"Authorization": f"Bearer {t}"} for u, t in tok.items()}
        app.state.yacang.close()
    reset_settings()


def _get(c, url, h):
    r = c.get(url, headers=h)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r


def test_appeals_api_pages_filters_and_scope(lists):
    c, h = lists
    r = _get(c, "/api/dispatch/appeals?size=20&page=2", h["hz"])
    assert r.headers["X-Total-Count"] == str(N_HZ) and len(r.json()) == 20
    assert {x["uscc"] for x in r.json()} == {ENT_A[0]}  # 杭州 sees 杭州's cases only
    newest_first = [x["filed_at"] for x in _get(c, "/api/dispatch/appeals?size=200", h["hz"]).json()]
    assert newest_first == sorted(newest_first, reverse=True) and len(newest_first) == N_HZ
    assert _get(c, "/api/dispatch/appeals?type=缺芯", h["hz"]).headers["X-Total-Count"] == str((N_HZ + 1) // 2)
    assert _get(c, "/api/dispatch/appeals?month=2022-03", h["zj"]).headers["X-Total-Count"] == str(N_HZ // 2 + N_NB // 2)
    assert _get(c, "/api/dispatch/appeals?region=宁波", h["zj"]).headers["X-Total-Count"] == str(N_NB)
    assert c.get("/api/dispatch/appeals?region=宁波", headers=h["hz"]).status_code == 403  # outside 杭州
    assert c.get("/api/dispatch/appeals?region=不存在的地方", headers=h["zj"]).status_code == 422
    assert c.get("/api/dispatch/appeals?month=2022-13", headers=h["zj"]).status_code == 422
    one = _get(c, "/api/dispatch/appeals?q=第7号诉求", h["zj"]).json()
    assert sorted(x["uscc"] for x in one) == sorted([ENT_A[0], ENT_C[0]])  # title match; 第17号 is not 第7号
    assert _get(c, "/api/dispatch/appeals", h["ent_a"]).headers["X-Total-Count"] == str(N_HZ)  # its own
    assert _get(c, "/api/dispatch/appeals", h["ent_b"]).json() == []


def test_appeals_page_is_small_and_export_complete(lists):
    c, h = lists
    r = _get(c, "/dispatch/appeals?size=20&page=3&status=filed", h["zj"])
    assert len(r.content) < LIMIT
    assert f"共 {N_HZ + N_NB} 条，第 41–60 条（第 3/10 页）" in r.text
    table = r.text[r.text.index('id="appeals-table"'):r.text.index("</table>", r.text.index('id="appeals-table"'))]
    assert table.count("<tr") == 21  # header + 20
    x = _get(c, "/api/dispatch/appeals?format=xlsx&region=330200", h["zj"])
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "企业名称", "统一社会信用代码", "地区") and len(rows) == 1 + N_NB
    assert {r[2] for r in rows[1:]} == {ENT_C[0]} and {r[7] for r in rows[1:]} == {"已提交"}  # Chinese state
    assert {r[3] for r in rows[1:]} == {"海曙区（330203）"}  # GB/T 2260: 330203 is 宁波 海曙区
    assert all(isinstance(r[11], int) for r in rows[1:])  # 升级督办次数 as a number


def test_whitelist_lists(lists):
    c, h = lists
    total_hz = 3 * N_WL_HZ
    r = _get(c, "/api/dispatch/whitelist?size=50&page=3", h["hz"])
    assert r.headers["X-Total-Count"] == str(total_hz) and len(r.json()) == total_hz - 100
    assert _get(c, "/api/dispatch/whitelist?category=foreign_trade", h["hz"]).headers["X-Total-Count"] == str(N_WL_HZ)
    assert _get(c, "/api/dispatch/whitelist?status=applied", h["zj"]).headers["X-Total-Count"] == str(3 * (N_WL_HZ + N_WL_NB))
    assert _get(c, "/api/dispatch/whitelist?on=2022-06-01", h["zj"]).headers["X-Total-Count"] == "0"  # none published
    page = _get(c, "/dispatch/whitelist?q=白名单企业07&size=20", h["hz"])
    assert "共 3 条" in page.text and page.text.count('data-label="类别"') == 3
    x = _get(c, "/dispatch/whitelist?format=xlsx&region=330100", h["zj"])
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + total_hz and rows[0][:4] == ("类别", "企业名称", "统一社会信用代码", "地区")
    assert {r[5] for r in rows[1:]} == {"已申请"}


def test_projects_lights_filtered_and_paged(lists):
    c, h = lists
    st = _get(c, "/api/dispatch/projects-status?period=2022-06&size=20", h["hz"])
    assert st.headers["X-Total-Count"] == "60" and len(st.json()) == 20
    for light, n in (("green", 20), ("yellow", 20), ("red", 20)):
        got = _get(c, f"/api/dispatch/projects-status?period=2022-06&light={light}&size=200", h["hz"]).json()
        assert len(got) == n and {g["light"] for g in got} == {light}
    red = _get(c, "/api/dispatch/projects-status?period=2022-06&light=red&size=20&page=2", h["zj"])
    assert red.headers["X-Total-Count"] == str(20 + 10) and len(red.json()) == 10
    g = _get(c, "/api/dispatch/projects-status?period=2022-06&q=P330106000", h["hz"]).json()
    assert [(x["planned_pct"], x["actual_pct"], x["lag"], x["light"]) for x in g] == [(49.3, 40.0, 9.3, "green")]
    assert _get(c, "/api/dispatch/projects?region=330200", h["zj"]).headers["X-Total-Count"] == "30"
    page = _get(c, "/dispatch/projects?light=yellow&size=20", h["zj"])  # default period: the latest reported
    assert "2022-06" in page.text and "共 30 条" in page.text and len(page.content) < LIMIT
    x = _get(c, "/dispatch/projects?period=2022-06&format=xlsx&light=green", h["hz"])
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    assert len(rows) == 21 and {r[4] for r in rows[1:]} == {"绿"}
    assert {(r[5], r[6], r[9]) for r in rows[1:]} == {(50, 20, 40)}  # numbers, not text
    assert re.search(r"计算机、通信和其他电子设备制造业（39）", rows[1][3])


def test_projects_thresholds_refused_when_not_finite_or_out_of_order(lists):
    c, h = lists
    for q in ("yellow=inf", "red=nan", "yellow=40&red=30"):
        r = c.get(f"/api/dispatch/projects-status?period=2022-06&{q}", headers=h["hz"])
        assert r.status_code == 422, (q, r.status_code, r.text[:200])
        assert "0 ≤ 黄灯 ≤ 红灯" in r.json()["detail"]
    assert c.get("/api/dispatch/projects-status?period=2022-06&yellow=abc", headers=h["hz"]).status_code == 422
