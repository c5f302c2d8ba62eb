"""Authorization matrix, second part: the areas the main matrix leaves to their own cases — the job queue
(/api/jobs), 产业链 (/api/chains and the /chains pages) and 地区评价 (/api/evaluation) — for the same users
(see fixtures.USERS) plus ``cli``: the local command line, which holds the server's job token and no
user token.

Cases are in the main matrix's format (route, user, method, url, kwargs, expected statuses) with exact
statuses here: allowed reads 200, allowed writes 200/201, refusals 403 (may see it, may not act) or 404
(may not know it exists), a validation failure 422 — never a set mixing success and refusal (the main
matrix's chains cases, counted by the guard, use {403, 404} for a refusal). Write cases act
on a fresh record made by a ``prepare`` step. Allowed answers must not contain markers of data outside
the caller's scope (the main matrix's FORBIDDEN list). The guard at the end holds every route of these
areas (from the OpenAPI schema; the pages from the app's routes) to: a case for every role, a refused
case for every non-admin role, and for every write an allowed and a refused case — counting the main
matrix's chains cases too.

Who may do what, as the code's docstrings state it (expected statuses are derived from these rules):
- jobs: submitting needs the job token (every user token → 403); the list and a job's output are for
  the local CLI and administrators (others → 403, before any lookup);
- chains: statistics readers read, cut to their subtree; enterprise accounts → 403; a scenario run needs a
  writer whose subtree holds the stopped region/enterprises; a material shortage scenario is admin-only;
- evaluation (yacang.evaluation.workflow): a call is issued by an officer for the level below; it is seen
  by the issuer's subtree and the regions below; a submission by an officer of that level in the
  issuer's subtree; reviewing (check, veto, score, shortlist, publish, export) by the issuer's officers or
  an admin; what one may not see is 404.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.conftest import bearer
from tests.web.fixtures import USCC_A, USCC_B, USERS
from tests.web.test_authorization_matrix import CASES as MATRIX_CASES
from tests.web.test_authorization_matrix import FORBIDDEN, _scope, _session

OK, CREATED, REFUSED, HIDDEN, INVALID = {200}, {201}, {403}, {404}, {422}
JOB_TOKEN = "matrix-job-token"
ROLES = (*USERS, "cli")
AREAS = ("/api/jobs", "/api/chains", "/api/evaluation")
PAGE_AREAS = ("/chains",)
EVAL = "/api/evaluation"


def _real_run() -> str:
    """The id of the 2022 real-data run the fixture stores (an id names what the run computed)."""
    from pathlib import Path

    from yacang.evaluation.real_data import province_input
    from yacang.evaluation.runs import run_id
    from yacang.evaluation.system import load_system

    data = Path(__file__).resolve().parents[3] / "shared" / "data"
    return run_id(load_system("wenzengzhang"), province_input(2022, data, national_iva=3.6), method="wsum",
                  data_kind="real", draws=0, spread=0.2, seed=2022)


RUN = _real_run()
CASES: list[tuple[str, str, str, str, dict, set[int]]] = []


def case(route: str, user: str, method: str, url: str, expected: set[int], **kw) -> None:
    CASES.append((route, user, method, url, kw, expected))


# jobs ----------------------------------------------------------------------------------------------
def queued_job(app, url, kw):
    job = app.state.yacang.jobs.submit(["catalog", "--help"], "matrix")
    return url.replace("{id}", job.id), kw


for u in USERS:  # a user token never submits a job, whatever the role
    case("POST /api/jobs", u, "POST", "/api/jobs", REFUSED, json={"argv": ["version"]})
    case("GET /api/jobs", u, "GET", "/api/jobs", OK if u == "admin" else REFUSED)
    case("GET /api/jobs/{job_id}", u, "GET", "/api/jobs/{id}", OK if u == "admin" else REFUSED, prepare=queued_job)
    case("GET /api/jobs/{job_id}", u, "GET", "/api/jobs/000000000000", HIDDEN if u == "admin" else REFUSED)
case("POST /api/jobs", "cli", "POST", "/api/jobs", OK, json={"argv": ["catalog", "--help"]})
case("POST /api/jobs", "cli", "POST", "/api/jobs", INVALID, json={"argv": ["serve"]})  # not a job
case("GET /api/jobs", "cli", "GET", "/api/jobs", OK)
case("GET /api/jobs/{job_id}", "cli", "GET", "/api/jobs/{id}", OK, prepare=queued_job)


# chains: what the main matrix does not ask ----------------------------------------------------------
def scenario_of_a(app, url, kw):
    """A stored scenario stopping enterprise A (广州天河) for 30 days."""
    from yacang.chains.shocks import Scenario, run_scenario

    with app.state.yacang.warehouse() as wh:
        sid, _, _ = run_scenario(wh, Scenario("enterprise", dt.date(2022, 4, 1), 30, 44, usccs=(USCC_A,)))
    return url.replace("{id}", sid), kw


SC = "GET /api/chains/scenarios/{scenario_id}"
for u in USERS:
    reader = not u.startswith("ent")
    # 江苏 may not open a 广州 scenario by id: what its list hides is not found (404), never shown
    case(SC, u, "GET", "/api/chains/scenarios/{id}", (HIDDEN if u == "js_officer" else OK) if reader else REFUSED,
         prepare=scenario_of_a)
    writer = u in ("admin", "gd_officer", "gz_officer", "js_officer")
    material = {"kind": "material", "start": "2022-04-01", "days": 30, "material": "crude_oil", "level": "红"}
    # a shortage reaches every region's enterprises: administrators only. The fixture's two enterprises are
    # on no segment that uses a 红黄蓝 material, so the admin passes the check and the engine answers 422
    case("POST /api/chains/scenarios", u, "POST", "/api/chains/scenarios", INVALID if u == "admin" else REFUSED,
         json=material)
    stop_b = {"kind": "enterprise", "start": "2022-04-01", "days": 30, "usccs": [USCC_B]}
    case("POST /api/chains/scenarios", u, "POST", "/api/chains/scenarios",
         CREATED if u in ("admin", "js_officer") else REFUSED, json=stop_b)
    own = {"gd_officer": "440100", "gz_officer": "440106", "js_officer": "320100", "admin": "320000"}.get(u)
    if writer and own:
        case("POST /api/chains/scenarios", u, "POST", "/api/chains/scenarios", CREATED,
             json={"kind": "region", "start": "2022-04-01", "days": 30, "region": own})
    # pages: the same readers; enterprise accounts refused; an unknown chain is not found
    for path in ("/chains", "/chains/nev", "/chains/nev/report"):
        route = "GET /chains" if path == "/chains" else f"GET /chains/{{chain}}{path.removeprefix('/chains/nev')}"
        case(route, u, "GET", path, OK if reader else REFUSED)
    case("GET /chains/{chain}", u, "GET", "/chains/no_such_chain", HIDDEN if reader else REFUSED)
    case("GET /chains/{chain}/report", u, "GET", "/chains/no_such_chain/report", HIDDEN if reader else REFUSED)


# evaluation ----------------------------------------------------------------------------------------
# 广东's call (issuer gd_officer, 440000; prefecture level): 广州 (gz_officer) submits; 深圳 (440300) too,
# recorded directly (no matrix user is a 深圳 officer). Sees the call: admin, gd_officer, gd_analyst (440000
# subtree), gz_officer (a region below the issuer); not js_officer, not enterprises. Reviews: admin,
# gd_officer. Submits: gz_officer only (an officer of the call's level inside 广东).
def values(level: float) -> dict[str, float]:
    from tests.evaluation.test_workflow import values as full_set

    return full_set(level)


def _officer(region: str, name: str):
    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope

    return Scope(Role.OFFICER, region, None, name)


def gd_call(stage: str = "open"):
    """A fresh 广东 call at ``stage``: open (广州 submitted with an attachment), two (and 深圳 submitted with an
    attachment), scored (stored run: the score table exists), shortlisted. URL keys: {call}, {sub} (广州's),
    {att} (广州's attachment), {sz_sub}, {sz_att}."""
    def prepare(app, url, kw):
        from yacang.evaluation import workflow as wf

        with _session(app) as s:
            call = wf.create_call(s, _scope("gd_officer"), year=2022, quota=1)
            gz = wf.submit(s, _scope("gz_officer"), call.id, values=values(2), narrative="广州申报")
            ids = {"{call}": call.id, "{sub}": gz.id, "{att}": wf.attach(s, _scope("gz_officer"), gz.id, "材料.pdf",
                                                                         b"%PDF-1.4").id}
            if stage != "open":
                sz = wf.submit(s, _officer("440300", "sz"), call.id, values=values(1), narrative="深圳申报")
                ids["{sz_att}"] = wf.attach(s, _officer("440300", "sz"), sz.id, "材料.pdf", b"%PDF-1.4").id
                ids["{sz_sub}"] = sz.id
            if stage in ("scored", "shortlisted"):
                with app.state.yacang.warehouse() as wh:
                    wf.score_call(s, _scope("gd_officer"), call.id, national={"iva_ytd": 3.6}, wh=wh)
            if stage == "shortlisted":
                wf.shortlist(s, _scope("gd_officer"), call.id)
            s.commit()
        for key, value in ids.items():
            url = url.replace(key, str(value))
        return url, kw
    return prepare


def js_call(app, url, kw):
    """A fresh 江苏 call (issuer js_officer, 320000), open, with 南京's submission and attachment ({sub}, {att})."""
    from yacang.evaluation import workflow as wf

    nj = _officer("320100", "nj")
    with _session(app) as s:
        call = wf.create_call(s, _scope("js_officer"), year=2022, quota=1)
        sub = wf.submit(s, nj, call.id, values=values(1), narrative="南京申报")
        att = wf.attach(s, nj, sub.id, "材料.pdf", b"%PDF-1.4")
        s.commit()
        return url.replace("{call}", str(call.id)).replace("{sub}", str(sub.id)).replace("{att}", str(att.id)), kw


READERS_OF_CALL = {"admin", "gd_officer", "gz_officer", "gd_analyst"}
REVIEWERS = {"admin", "gd_officer"}


def _refusal(u: str) -> set[int]:
    return REFUSED if u in READERS_OF_CALL else HIDDEN


for u in USERS:
    reader = not u.startswith("ent")
    case(f"GET {EVAL}/runs", u, "GET", f"{EVAL}/runs", OK if reader else REFUSED)
    case(f"GET {EVAL}/runs/{{run_id}}/scores", u, "GET", f"{EVAL}/runs/{RUN}/scores", OK if reader else REFUSED)
    case(f"GET {EVAL}/runs/{{run_id}}/scores", u, "GET", f"{EVAL}/runs/no|such|run/scores",
         HIDDEN if reader else REFUSED)
    sees_gd = u in ("admin", "gd_officer", "gd_analyst")  # the province itself is in their subtree
    case(f"GET {EVAL}/runs/{{run_id}}/regions/{{region}}", u, "GET", f"{EVAL}/runs/{RUN}/regions/440000",
         (OK if sees_gd else HIDDEN) if reader else REFUSED)
    case(f"GET {EVAL}/runs/{{run_id}}/regions/{{region}}", u, "GET", f"{EVAL}/runs/{RUN}/regions/320000",
         (OK if u in ("admin", "js_officer") else HIDDEN) if reader else REFUSED)
    case(f"GET {EVAL}/calls", u, "GET", f"{EVAL}/calls", OK, prepare=gd_call())  # the list is cut to the scope
    case(f"GET {EVAL}/calls/{{call_id}}", u, "GET", f"{EVAL}/calls/{{call}}",
         OK if u in READERS_OF_CALL else HIDDEN, prepare=gd_call())
    case(f"GET {EVAL}/calls/{{call_id}}", u, "GET", f"{EVAL}/calls/{{call}}",
         OK if u in ("admin", "js_officer") else HIDDEN, prepare=js_call)
    for route, path in ((f"GET {EVAL}/submissions/{{sub_id}}/checks", "submissions/{sub}/checks"),
                        (f"GET {EVAL}/submissions/{{sub_id}}/attachments/{{att_id}}", "submissions/{sub}/attachments/{att}")):
        case(route, u, "GET", f"{EVAL}/{path}", OK if u in READERS_OF_CALL else HIDDEN, prepare=gd_call())
        case(route, u, "GET", f"{EVAL}/{path}", OK if u in ("admin", "js_officer") else HIDDEN, prepare=js_call)
        # 深圳's submission: the issuer's subtree sees it, 广州 does not
        sz_path = path.replace("{sub}", "{sz_sub}").replace("{att}", "{sz_att}")
        case(route, u, "GET", f"{EVAL}/{sz_path}", OK if u in READERS_OF_CALL - {"gz_officer"} else HIDDEN,
             prepare=gd_call("two"))
    case(f"GET {EVAL}/calls/{{call_id}}/export.{{fmt}}", u, "GET", f"{EVAL}/calls/{{call}}/export.xlsx",
         OK if u in REVIEWERS else _refusal(u), prepare=gd_call("scored"))
    # 江苏's open call: only its reviewers get past the scope check (and are told it is not scored yet)
    case(f"GET {EVAL}/calls/{{call_id}}/export.{{fmt}}", u, "GET", f"{EVAL}/calls/{{call}}/export.docx",
         INVALID if u in ("admin", "js_officer") else HIDDEN, prepare=js_call)
    # writes
    issuer = u in ("gd_officer", "gz_officer", "js_officer")  # an officer issues for the level below
    case(f"POST {EVAL}/calls", u, "POST", f"{EVAL}/calls", CREATED if issuer else REFUSED if u != "admin" else INVALID,
         json={"year": 2022, "quota": 1})  # admin: the default system has no province level → 422
    if u == "admin":
        case(f"POST {EVAL}/calls", u, "POST", f"{EVAL}/calls", CREATED,
             json={"year": 2022, "quota": 1, "system": "wenzengzhang"})
    case(f"PUT {EVAL}/calls/{{call_id}}/submission", u, "PUT", f"{EVAL}/calls/{{call}}/submission",
         OK if u == "gz_officer" else _refusal(u), json={"values": values(3)}, prepare=gd_call())
    case(f"PUT {EVAL}/calls/{{call_id}}/submission", u, "PUT", f"{EVAL}/calls/{{call}}/submission",
         REFUSED if u in ("admin", "js_officer") else HIDDEN, json={"values": values(3)}, prepare=js_call)
    case(f"POST {EVAL}/submissions/{{sub_id}}/attachments", u, "POST", f"{EVAL}/submissions/{{sub}}/attachments",
         CREATED if u == "gz_officer" else _refusal(u), files={"file": ("说明.pdf", b"%PDF-1.4")}, prepare=gd_call())
    case(f"POST {EVAL}/submissions/{{sub_id}}/attachments", u, "POST", f"{EVAL}/submissions/{{sz_sub}}/attachments",
         REFUSED if u in READERS_OF_CALL - {"gz_officer"} else HIDDEN, files={"file": ("说明.pdf", b"%PDF-1.4")},
         prepare=gd_call("two"))
    for step, stage, kw in (("calls/{call}/check", "two", {}), ("submissions/{sub}/vetoes", "two", {"json": {"vetoes": []}}),
                            ("calls/{call}/score", "two", {}), ("calls/{call}/shortlist", "scored", {"json": {}}),
                            ("calls/{call}/publish", "shortlisted", {})):
        route = f"POST {EVAL}/" + step.replace("{call}", "{call_id}").replace("{sub}", "{sub_id}")
        case(route, u, "POST", f"{EVAL}/{step}", OK if u in REVIEWERS else _refusal(u), prepare=gd_call(stage), **kw)
        # 江苏's open call with one submission: 江苏's reviewers pass the scope check; checking and vetoes work,
        # scoring needs two submissions and the later steps a score (422); everyone else does not see it
        js_ok = OK if step in ("calls/{call}/check", "submissions/{sub}/vetoes") else INVALID
        case(route, u, "POST", f"{EVAL}/{step}", js_ok if u in ("admin", "js_officer") else HIDDEN, prepare=js_call, **kw)


# run ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module", autouse=True)
def _area_records(web_app, shared_data):
    """The job token of a served app, and the 2022 real-data province ranking stored in the warehouse."""
    from yacang.evaluation.real_data import province_input
    from yacang.evaluation.runs import evaluate
    from yacang.evaluation.system import load_system

    web_app.state.yacang.job_token = JOB_TOKEN
    with web_app.state.yacang.warehouse() as wh:
        evaluate(wh, load_system("wenzengzhang"), province_input(2022, shared_data, national_iva=3.6),
                 data_kind="real", draws=0)
    yield
    web_app.state.yacang.job_token = None


def headers_of(user: str, tokens: dict[str, str]) -> dict[str, str]:
    from yacang.service.client import TOKEN_HEADER

    return {TOKEN_HEADER: JOB_TOKEN} if user == "cli" else bearer(tokens[user])


@pytest.mark.parametrize(("route", "user", "method", "url", "kw", "expected"), CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[3]}|{i}" for i, c in enumerate(CASES)])
def test_route_role(web_app, client, tokens, route, user, method, url, kw, expected):
    kw = dict(kw)
    prepare = kw.pop("prepare", None)
    if prepare is not None:
        url, kw = prepare(web_app, url, kw)
    r = client.request(method, url, headers=headers_of(user, tokens), **kw)
    assert r.status_code in expected, f"{user} {method} {url}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        if r.headers.get("content-type", "").startswith("application/json"):
            assert set(r.json()) == {"detail"}
        return
    body = r.content.decode("utf-8", errors="replace")
    for marker in FORBIDDEN.get(user, []):
        assert marker not in body, f"{user} received out-of-scope data {marker!r} from {url}"


def _routes(web_app) -> set[str]:
    paths = web_app.openapi()["paths"]
    api = {f"{m.upper()} {p}" for p, ops in paths.items() if p.startswith(AREAS) for m in ops}
    from yacang.web import chains_pages  # mounted without a prefix (the cases above request its pages)

    pages = {f"{m} {r.path}" for r in chains_pages.router.routes for m in r.methods if m != "HEAD"}
    assert all(p.split(" ", 1)[1].startswith(PAGE_AREAS) for p in pages)
    return api | pages


def test_every_route_of_these_areas_has_cases_for_every_role(web_app, capsys):
    routes = _routes(web_app)
    assert any(r.startswith("POST /api/jobs") for r in routes) and any(r.startswith("PUT /api/evaluation") for r in routes)
    assert {"GET /chains", "GET /chains/{chain}", "GET /chains/{chain}/report"} <= routes, "chains pages not found"
    cases = CASES + [c for c in MATRIX_CASES if c[0] in routes]
    with capsys.disabled():
        print(f"\nauthorization matrix (jobs, chains, evaluation): {len(routes)} routes "
              f"({sum(not r.split(' ', 1)[1].startswith('/api') for r in routes)} pages) × {len(USERS)} roles, "
              f"{len(CASES)} cases here + {len(cases) - len(CASES)} chains cases of the main matrix")
    for route in sorted(routes):
        users = {c[1] for c in cases if c[0] == route}
        assert set(USERS) <= users, f"{route}: no case for {set(USERS) - users}"
        for user in set(USERS) - {"admin"}:
            statuses = [c[5] for c in cases if c[0] == route and c[1] == user]
            row_cut = route in (f"GET {EVAL}/calls", f"GET {EVAL}/runs", "GET /api/chains", "GET /api/chains/scenarios",
                                "GET /chains")
            for_itself = route == f"POST {EVAL}/calls" and USERS[user][0] == "officer"  # issues for its own region
            assert row_cut or for_itself or any(s <= {403, 404} for s in statuses), f"{route}: no refused case for {user}"
        statuses = [c[5] for c in cases if c[0] == route]
        assert any(s & {200, 201} for s in statuses), f"{route}: no allowed case"
        assert not any(s & {200, 201} and s - {200, 201} for s in statuses), f"{route}: a case mixes success and error"


def test_refused_writes_change_nothing(web_app, client, tokens):
    """A refused review leaves the call as it was (the refusal happens before any change)."""
    from yacang.evaluation import workflow as wf

    url, _ = gd_call("two")(web_app, f"{EVAL}/calls/{{call}}/score", {})
    for u in USERS:
        if u not in REVIEWERS:
            assert client.post(url, headers=bearer(tokens[u])).status_code in _refusal(u)
    call_id = int(url.split("/")[4])
    with _session(web_app) as s:
        call = wf.get_call(s, _scope("admin"), call_id)
        assert call.status == "open"
        assert all(sub.rank is None and sub.score is None for sub in wf.submissions(s, _scope("admin"), call))


def test_a_calls_scores_are_listed_only_to_the_issuers_subtree(web_app, client, tokens):
    """GET /api/evaluation/runs is cut, not refused: 广东's call run is listed to admin, 广东's officer and
    analyst (the issuer's subtree), not to 广州 (a submitter), 江苏 or enterprises (403 for them anyway)."""
    url, _ = gd_call("scored")(web_app, "{call}", {})
    run_kind = f"call{url}"
    listed = {}
    for u in USERS:
        r = client.get(f"{EVAL}/runs", headers=bearer(tokens[u]))
        listed[u] = r.status_code if r.status_code != 200 else any(x["data_kind"] == run_kind for x in r.json())
    assert listed == {"admin": True, "gd_officer": True, "gd_analyst": True, "gz_officer": False,
                      "js_officer": False, "ent_a": 403, "ent_b": 403}


def test_a_later_warehouse_is_readied_even_at_a_reused_address():
    """The chain tables' readiness is kept per warehouse object (weakly), not per id(): a warehouse created
    after another was freed can have the same id, and went without the shipped maps (``没有产业链 nev`` in a
    full test run)."""
    import gc

    from yacang.warehouse import Warehouse
    from yacang.web.api import chains as api

    before = len(api._READY)
    first = Warehouse.memory()
    api._READY.add(first)
    assert len(api._READY) == before + 1
    del first
    gc.collect()
    assert len(api._READY) == before  # a freed warehouse leaves no mark another could inherit
    assert Warehouse.memory() not in api._READY
