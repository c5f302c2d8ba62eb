"""Authorization of every /api/evaluation route × role, with exact statuses and no out-of-scope data.

Two calls exist: 广东's (issuer 440000; 广州 and 深圳 submitted) and 江苏's (issuer 320000; 南京 submitted),
both scored, plus the 2022 real-data province ranking. Users: admin; 广东 reviewer; 广州 and 深圳 city
officers; a 广州 analyst; 江苏's reviewer and 南京 officer; an enterprise. A refusal is 403 (may see, may not
act) or 404 (may not even know it exists); an allowed answer must not contain the markers of regions
outside the caller's subtree. Every route of the area is also refused without credentials (401).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.evaluation.test_workflow import values

PASSWORD = "correct-horse-9"
USERS = {  # name: (role, region, uscc)
    "admin": ("admin", "100000", None),
    "gd": ("officer", "440000", None),
    "gz": ("officer", "440100", None),
    "sz": ("officer", "440300", None),
    "gz_an": ("analyst", "440100", None),
    "js": ("officer", "320000", None),
    "nj": ("officer", "320100", None),
    "ent": ("enterprise", "440106", "91440106MA59ABC018"),
}
MARKERS = {  # what each user must never receive
    "gd": ["320000", "320100", "南京", "江苏"],
    "gz": ["440300", "深圳", "320100", "南京", "江苏"],
    "sz": ["440100", "广州", "320100", "南京", "江苏"],
    "gz_an": ["440300", "深圳", "320100", "南京", "江苏"],
    "js": ["440000", "440100", "440300", "广州", "深圳", "广东"],
    "nj": ["440000", "440100", "440300", "广州", "深圳", "广东", "320500"],
    "ent": ["440100", "广州", "320100"],
    "admin": [],
}
RUN = "{real_run}"  # the stored real-data run (its id names what it computed: filled in by _url)


@pytest.fixture(scope="module")
def world(tmp_path_factory, shared_data):
    from sqlalchemy.orm import Session

    from yacang.auth import service
    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope
    from yacang.evaluation import workflow as wf
    from yacang.evaluation.real_data import province_input
    from yacang.evaluation.runs import call_run_id, evaluate
    from yacang.evaluation.system import load_system
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    home = tmp_path_factory.mktemp("authz") / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        from yacang.appdb.base import get_engine
        from yacang.settings import reset_settings

        mp.setenv("YACANG_HOME", str(home))
        mp.delenv("YACANG_APP_DB_URL", raising=False)
        reset_settings()
        get_engine.cache_clear()
        wh = Warehouse.memory()
        real = evaluate(wh, load_system("wenzengzhang"), province_input(2022, shared_data, national_iva=3.6),
                        data_kind="real", draws=0)
        app = create_app(warehouse=wh, app_db_url=f"sqlite:///{home / 'app.sqlite'}")
        ids = {}
        with Session(app.state.yacang.engine, expire_on_commit=False) as s:
            for name, (role, region, uscc) in USERS.items():
                service.add_user(s, name, PASSWORD, role, region=region, uscc=uscc)
            sc = {n: Scope(Role(r), reg, u, username=n) for n, (r, reg, u) in USERS.items()}
            for issuer, cities in (("gd", ("gz", "sz")), ("js", ("nj",))):
                call = wf.create_call(s, sc[issuer], year=2022, quota=1)
                subs = [wf.submit(s, sc[c], call.id, values=values(i + 1), narrative=f"{c} 申报")
                        for i, c in enumerate(cities)]
                att = wf.attach(s, sc[cities[0]], subs[0].id, "材料.pdf", b"%PDF-1.4")
                if issuer == "js":  # a second 江苏 city so that the call can be scored
                    s.add(wf.EvalSubmission(call_id=call.id, region="320500", region_name="苏州市",
                                            status="submitted", values=values(0)))
                    s.flush()
                wf.score_call(s, sc[issuer], call.id, national={"iva_ytd": 3.6}, wh=wh)
                ids[issuer] = {"call": call.id, "sub": subs[0].id, "att": att.id, "run": call_run_id(wh, call),
                               "subs": {c: x.id for c, x in zip(cities, subs, strict=True)}}
            ids["real_run"] = real.run_id
            toks = {n: service.create_token(s, service.get_user(s, n), "t") for n in USERS}
            s.commit()
        with TestClient(app) as client:
            yield client, toks, ids
        app.state.yacang.close()
        reset_settings()
        get_engine.cache_clear()


def _get(world, user, url):
    client, toks, _ = world
    return client.get(url, headers={"Authorization": f"Bearer {toks[user]}"})


def _send(world, user, method, url, **kw):
    client, toks, _ = world
    return client.request(method, url, headers={"Authorization": f"Bearer {toks[user]}"}, **kw)


def _clean(user, r):
    body = r.content.decode("utf-8", errors="replace")
    for m in MARKERS[user]:
        assert m not in body, f"{user} received {m!r} from {r.request.url}"


READS = [
    # (url template, {user: status})
    ("/api/evaluation/runs", {"admin": 200, "gd": 200, "gz": 200, "sz": 200, "gz_an": 200, "js": 200, "nj": 200,
                              "ent": 403}),
    (f"/api/evaluation/runs/{RUN}/scores", {"admin": 200, "gd": 200, "gz": 200, "sz": 200, "gz_an": 200, "js": 200,
                                            "nj": 200, "ent": 403}),
    (f"/api/evaluation/runs/{RUN}/regions/440000", {"admin": 200, "gd": 200, "gz": 404, "sz": 404, "gz_an": 404,
                                                    "js": 404, "nj": 404, "ent": 403}),
    ("/api/evaluation/runs/{gd_run}/scores",
     {"admin": 200, "gd": 200, "gz": 404, "sz": 404, "gz_an": 404, "js": 404, "nj": 404, "ent": 403}),
    ("/api/evaluation/calls", {u: 200 for u in USERS}),
    ("/api/evaluation/calls/{gd_call}", {"admin": 200, "gd": 200, "gz": 200, "sz": 200, "gz_an": 200, "js": 404,
                                         "nj": 404, "ent": 404}),
    ("/api/evaluation/submissions/{gd_sub}/checks", {"admin": 200, "gd": 200, "gz": 200, "sz": 404, "gz_an": 200,
                                                     "js": 404, "nj": 404, "ent": 404}),
    ("/api/evaluation/submissions/{gd_sub}/attachments/{gd_att}",
     {"admin": 200, "gd": 200, "gz": 200, "sz": 404, "gz_an": 200, "js": 404, "nj": 404, "ent": 404}),
    ("/api/evaluation/calls/{gd_call}/export.xlsx", {"admin": 200, "gd": 200, "gz": 403, "sz": 403, "gz_an": 403,
                                                     "js": 404, "nj": 404, "ent": 404}),
]


def _url(world, template: str) -> str:
    ids = world[2]
    return template.format(gd_call=ids["gd"]["call"], gd_sub=ids["gd"]["sub"], gd_att=ids["gd"]["att"],
                           js_call=ids["js"]["call"], sz_sub=ids["gd"]["subs"]["sz"], gd_run=ids["gd"]["run"],
                           real_run=ids["real_run"])


@pytest.mark.parametrize(("template", "expected"), READS, ids=[r[0] for r in READS])
def test_reads(world, template, expected):
    url = _url(world, template)
    for user, status in expected.items():
        r = _get(world, user, url)
        assert r.status_code == status, f"{user} GET {url}: {r.status_code} {r.text[:200]}"
        if status == 200:
            _clean(user, r)
        else:
            assert set(r.json()) == {"detail"}


def test_lists_are_cut_to_the_scope(world):
    runs = _get(world, "gz", "/api/evaluation/runs").json()
    run = _url(world, RUN)
    assert [r["run_id"] for r in runs] == [run]  # the calls' runs are the issuers' only
    assert _get(world, "gd", f"/api/evaluation/runs/{run}/scores").json()["scores"][0]["region"] == "440000"
    assert _get(world, "gz", f"/api/evaluation/runs/{run}/scores").json()["scores"] == []  # no province in 广州
    assert [c["issuer_region"] for c in _get(world, "nj", "/api/evaluation/calls").json()] == ["320000"]
    assert _get(world, "ent", "/api/evaluation/calls").json() == []
    detail = _get(world, "gz", _url(world, "/api/evaluation/calls/{gd_call}")).json()
    assert [s["region"] for s in detail["submissions"]] == ["440100"]


WRITES = [
    # (method, url template, kwargs, {user: status}) — each write is refused here except where noted;
    # the allowed paths run in test_api / test_workflow (fresh calls), so these calls stay unchanged
    ("POST", "/api/evaluation/calls", {"json": {"year": 2022, "quota": 0}},
     {"gz_an": 422, "ent": 422}),  # body validation first (quota ≥ 1): no write reaches the scope check
    ("POST", "/api/evaluation/calls", {"json": {"year": 2022, "quota": 1}}, {"gz_an": 403, "ent": 403}),
    ("PUT", "/api/evaluation/calls/{gd_call}/submission", {"json": {"values": {"iva_ytd": 5}}},
     {"gd": 403, "gz_an": 403, "js": 404, "nj": 404, "ent": 404, "admin": 403}),
    ("POST", "/api/evaluation/submissions/{gd_sub}/attachments", {"files": {"file": ("a.pdf", b"%PDF")}},
     {"gd": 403, "sz": 404, "gz_an": 403, "js": 404, "nj": 404, "ent": 404, "admin": 403}),
    ("POST", "/api/evaluation/calls/{gd_call}/check", {}, {"gz": 403, "sz": 403, "gz_an": 403, "js": 404, "nj": 404,
                                                           "ent": 404}),
    ("POST", "/api/evaluation/submissions/{gd_sub}/vetoes", {"json": {"vetoes": ["safety"]}},
     {"gz": 403, "sz": 404, "gz_an": 403, "js": 404, "nj": 404, "ent": 404}),
    ("POST", "/api/evaluation/calls/{gd_call}/score", {}, {"gz": 403, "sz": 403, "gz_an": 403, "js": 404, "nj": 404,
                                                           "ent": 404}),
    ("POST", "/api/evaluation/calls/{gd_call}/shortlist", {"json": {}}, {"gz": 403, "sz": 403, "gz_an": 403,
                                                                         "js": 404, "nj": 404, "ent": 404}),
    ("POST", "/api/evaluation/calls/{gd_call}/publish", {}, {"gz": 403, "sz": 403, "gz_an": 403, "js": 404,
                                                             "nj": 404, "ent": 404}),
]


@pytest.mark.parametrize(("method", "template", "kw", "expected"), WRITES, ids=[f"{w[0]} {w[1]}" for w in WRITES])
def test_writes_refused(world, method, template, kw, expected):
    url = _url(world, template)
    for user, status in expected.items():
        r = _send(world, user, method, url, **kw)
        assert r.status_code == status, f"{user} {method} {url}: {r.status_code} {r.text[:200]}"
        assert set(r.json()) >= {"detail"}
    # nothing changed: 广东's call is still scored, unpublished, 广州's submission untouched
    d = _get(world, "gd", _url(world, "/api/evaluation/calls/{gd_call}")).json()
    assert d["status"] == "scored" and d["published"] == []
    gz = next(s for s in d["submissions"] if s["region"] == "440100")
    assert gz["vetoes"] == [] and gz["values"]["iva_ytd"] == values(1)["iva_ytd"]


def test_every_route_refuses_anonymous_callers(world):
    client = world[0]
    paths = client.app.openapi()["paths"]
    routes = [(m.upper(), p) for p, ops in paths.items() if p.startswith("/api/evaluation") for m in ops]
    assert len(routes) >= 16
    for method, path in routes:
        url = _url(world, path.replace("{call_id}", "{gd_call}").replace("{sub_id}", "{gd_sub}")
                   .replace("{att_id}", "{gd_att}").replace("{run_id}", RUN).replace("{region}", "440000")
                   .replace("{fmt}", "xlsx"))
        assert client.request(method, url).status_code == 401, f"{method} {url}"


def test_pages_cut_to_the_scope(world):
    gz = _get(world, "gz", "/evaluation")
    assert gz.status_code == 200 and 'id="eval-none"' in gz.text and "共 31 个地区参评" in gz.text
    gd = _get(world, "gd", "/evaluation")
    assert gd.status_code == 200 and 'data-region="440000"' in gd.text and 'data-region="320000"' not in gd.text
    page = _get(world, "gz", _url(world, "/evaluation/calls/{gd_call}"))
    assert page.status_code == 200 and "深圳" not in page.text and "下载评分表" not in page.text
    assert _get(world, "nj", _url(world, "/evaluation/calls/{gd_call}")).status_code == 404
