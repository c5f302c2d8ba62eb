"""Authorization matrix: every API route × every role, allowed and forbidden cases.

Users (see fixtures.USERS): admin; officers of 广东 (440000), 广州 (440100) and 江苏 (320000); an analyst
of 广东; enterprises A (广州天河) and B (南京玄武). For each case the status is asserted, and the
response body (JSON or CSV export) must not contain any marker of data outside the caller's scope:
region codes and names of other regions, the other enterprise's USCC.

Where a route's feature lives in another area that may not be installed yet, an allowed case accepts
503 (with its Chinese message) besides 200; forbidden cases must be 403/404 regardless.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import bearer
from tests.web.fixtures import USCC_A, USCC_B, USERS

ROLES_OF = {u: r for u, (r, _, _) in USERS.items()}
# markers of data each user must never receive
FORBIDDEN = {
    "admin": [],
    "gd_officer": ["320100", "320102", "320000", "南京", "江苏", USCC_B],
    "gd_analyst": ["320100", "320102", "320000", "南京", "江苏", USCC_B],
    "gz_officer": ["440300", "深圳", "440400", "珠海", "320100", "南京", USCC_B],
    "js_officer": ["440100", "440106", "广州", "广东", USCC_A],
    "ent_a": [USCC_B, "南京", "320102"],
    "ent_b": [USCC_A, "广州", "440106"],
}
OK = {200}
OPTIONAL = {200, 503}  # the feature's module may not exist yet
DENIED = {403, 404}
GDP = "indicator=gdp&measure=yoy"


def report_csv(uscc: str, period: str = "2022-05") -> bytes:
    head = "统一社会信用代码,企业名称,报告期,工业总产值(当期价格),工业总产值上年同期,工业销售产值,计量单位\n"
    return (head + f"{uscc},某企业,{period},1000,900,990,千元\n").encode()


def report_body(uscc: str | None, period: str = "2022-04") -> dict:
    body = {"period": period, "values": {"output_value": "12000", "output_value_prev": "11000",
                                         "sales_value": "11800"}}
    if uscc:
        body["uscc"] = uscc
    return body


# (route, user, method, url, request kwargs, expected statuses)
CASES: list[tuple[str, str, str, str, dict, set[int]]] = []


def case(route: str, user: str, method: str, url: str, expected: set[int], **kw) -> None:
    CASES.append((route, user, method, url, kw, expected))


def read_route(route: str, url_for, allowed: dict[str, str | None], denied: dict[str, str]) -> None:
    """Allowed URL per user (None: no allowed case for that role) and denied URL per user."""
    for user in USERS:
        if allowed.get(user):
            case(route, user, "GET", allowed[user], OK)
        if denied.get(user):
            case(route, user, "GET", denied[user], DENIED)


S = "GET /api/series"
for u, ok_region, bad_region in (("admin", "320000", None), ("gd_officer", "440000", "320000"),
                                 ("gz_officer", "440100", "440300"), ("gd_analyst", "440000", "320100"),
                                 ("js_officer", "320000", "440000"), ("ent_a", None, "440106"),
                                 ("ent_b", None, "320102")):
    if ok_region:
        case(S, u, "GET", f"/api/series?region={ok_region}", OK)
    if bad_region:
        case(S, u, "GET", f"/api/series?region={bad_region}", DENIED)
case(S, "gd_officer", "GET", "/api/series", OK)
case(S, "admin", "GET", "/api/series?region=12345", {422})

OBS = "GET /api/series/{series_id}/observations"
for u, ok_sid, bad_sid in (("admin", "test:gdp.yoy.320100.TOTAL", "nbs:no.such.series"),
                           ("gd_officer", "nbs:gdp.yoy.440000.TOTAL", "test:gdp.yoy.320100.TOTAL"),
                           ("gz_officer", "test:gdp.yoy.440100.TOTAL", "test:gdp.yoy.440300.TOTAL"),
                           ("gd_analyst", "wind:iva.yoy.100000.TOTAL", "nbs:gdp.yoy.320000.TOTAL"),
                           ("js_officer", "test:gdp.yoy.320100.TOTAL", "nbs:gdp.yoy.440000.TOTAL"),
                           ("ent_a", None, "wind:iva.yoy.100000.TOTAL"), ("ent_b", None, "nbs:gdp.yoy.320000.TOTAL")):
    if ok_sid:
        case(OBS, u, "GET", f"/api/series/{ok_sid}/observations?as_of=2030-01-01", OK)
        case(OBS, u, "GET", f"/api/series/{ok_sid}/observations?format=csv", OK)
    case(OBS, u, "GET", f"/api/series/{bad_sid}/observations", DENIED)
    case(OBS, u, "GET", f"/api/series/{bad_sid}/observations?format=csv", DENIED)

for route, path in (("GET /api/overview", "/api/overview"), ("GET /api/rankings", "/api/rankings"),
                    ("GET /api/rankings.csv", "/api/rankings.csv")):
    for u, ok_region, bad_region in (("admin", "100000", None), ("gd_officer", "440000", "320000"),
                                     ("gz_officer", "440100", "440300"), ("gd_analyst", "100000", "320000"),
                                     ("js_officer", "320000", "440100"), ("ent_a", None, "440106"),
                                     ("ent_b", None, "100000")):
        if ok_region:
            case(route, u, "GET", f"{path}?region={ok_region}&{GDP}", OK)
        if bad_region:
            case(route, u, "GET", f"{path}?region={bad_region}&{GDP}", DENIED)
    case(route, "gd_officer", "GET", f"{path}?region=100000&{GDP}", OK)  # ancestor: only own child shown

M = "GET /api/measures"
for u, ok_region, bad_region in (("admin", "100000", None), ("gd_officer", "440000", "320000"),
                                 ("gz_officer", "440100", "440000"), ("gd_analyst", "440000", "100000"),
                                 ("js_officer", "320000", "440000"), ("ent_a", None, "440106"),
                                 ("ent_b", None, "320102")):
    if ok_region:
        case(M, u, "GET", f"/api/measures?period=2022-03&region={ok_region}", OK)
    if bad_region:
        case(M, u, "GET", f"/api/measures?period=2022-03&region={bad_region}", DENIED)

for route, path in (("GET /api/alerts", "/api/alerts"), ("GET /api/materials", "/api/materials"),
                    ("GET /api/lights", "/api/lights"), ("GET /api/bulletins", "/api/bulletins")):
    for u in USERS:
        expected = DENIED if u.startswith("ent") else (OPTIONAL if path in ("/api/lights", "/api/materials") else OK)
        case(route, u, "GET", path, expected)
    case(route, "gd_officer", "GET", path + "?region=440000", OPTIONAL if "lights" in path or "materials" in path else OK)

for route, action, body in (("POST /api/alerts/{fingerprint}/ack", "ack", {"comment": "已核实"}),
                            ("POST /api/alerts/{fingerprint}/silence", "silence", {"reason": "已知停产检修", "days": 7})):
    for u, ok_fp, bad_fp in (("admin", "fp-320100", "fp-none"), ("gd_officer", "fp-440100", "fp-320100"),
                             ("gz_officer", "fp-440100", "fp-320100"), ("gd_analyst", None, "fp-440100"),
                             ("js_officer", "fp-320100", "fp-440100"), ("ent_a", None, "fp-440100"),
                             ("ent_b", None, "fp-320100")):
        if ok_fp:
            case(route, u, "POST", f"/api/alerts/{ok_fp}/{action}", OK, json=body)
        case(route, u, "POST", f"/api/alerts/{bad_fp}/{action}", DENIED, json=body)

for route, path in (("POST /api/reports/check", "/api/reports/check"), ("POST /api/reports", "/api/reports")):
    for u, ok_uscc, bad_uscc in (("admin", USCC_B, None), ("gd_officer", USCC_A, USCC_B),
                                 ("gz_officer", USCC_A, USCC_B), ("gd_analyst", None, USCC_A),
                                 ("js_officer", USCC_B, USCC_A), ("ent_a", "", USCC_B), ("ent_b", "", USCC_A)):
        if ok_uscc is not None:
            case(route, u, "POST", path, OK, json=report_body(ok_uscc or None))
        if bad_uscc:
            case(route, u, "POST", path, DENIED, json=report_body(bad_uscc))

case("GET /api/reports", "admin", "GET", "/api/reports", OK)
for u in USERS:
    case("GET /api/reports", u, "GET", "/api/reports?period=2022-03", OK)  # rows are cut to the scope
D = "GET /api/reports/{uscc}"
for u, ok_uscc, bad_uscc in (("admin", USCC_B, "91440106MA59ABC000"), ("gd_officer", USCC_A, USCC_B),
                             ("gz_officer", USCC_A, USCC_B), ("gd_analyst", USCC_A, USCC_B),
                             ("js_officer", USCC_B, USCC_A), ("ent_a", USCC_A, USCC_B), ("ent_b", USCC_B, USCC_A)):
    case(D, u, "GET", f"/api/reports/{ok_uscc}", OK)
    case(D, u, "GET", f"/api/reports/{bad_uscc}", DENIED)
R = "POST /api/reports/{uscc}/review"
for u, ok_uscc, bad_uscc in (("admin", USCC_B, None), ("gd_officer", USCC_A, USCC_B), ("gz_officer", USCC_A, USCC_B),
                             ("gd_analyst", None, USCC_A), ("js_officer", USCC_B, USCC_A), ("ent_a", None, USCC_A),
                             ("ent_b", None, USCC_B)):
    if ok_uscc:
        case(R, u, "POST", f"/api/reports/{ok_uscc}/review", OK, json={"period": "2022-03", "action": "accept"})
    if bad_uscc:
        case(R, u, "POST", f"/api/reports/{bad_uscc}/review", DENIED, json={"period": "2022-03", "action": "accept"})

U = "POST /api/uploads"
for u, ok_uscc, bad_uscc in (("admin", USCC_B, None), ("gd_officer", USCC_A, USCC_B), ("gz_officer", USCC_A, USCC_B),
                             ("gd_analyst", None, USCC_A), ("js_officer", USCC_B, USCC_A), ("ent_a", None, USCC_A),
                             ("ent_b", None, USCC_B)):
    if ok_uscc:
        case(U, u, "POST", "/api/uploads", OK, files={"file": ("月报.csv", report_csv(ok_uscc))}, data={"kind": "reports"})
    if bad_uscc:
        case(U, u, "POST", "/api/uploads", DENIED, files={"file": ("月报.csv", report_csv(bad_uscc))},
             data={"kind": "reports"})

B = "POST /api/bulletins"
for u, ok_region, bad_region in (("admin", "100000", None), ("gd_officer", "440000", "320000"),
                                 ("gz_officer", "440100", "440000"), ("gd_analyst", None, "440000"),
                                 ("js_officer", "320000", "440000"), ("ent_a", None, "440106"), ("ent_b", None, "320102")):
    if ok_region:
        case(B, u, "POST", "/api/bulletins", OPTIONAL, json={"period": "2022-03", "region": ok_region, "formats": ["html"]})
    if bad_region:
        case(B, u, "POST", "/api/bulletins", DENIED, json={"period": "2022-03", "region": bad_region, "formats": ["html"]})

F = "GET /api/bulletins/{region}/{period}/{name}"
for u, ok_region, bad_region in (("admin", "320000", None), ("gd_officer", "440000", "320000"),
                                 ("gz_officer", None, "440000"), ("gd_analyst", "440000", "320000"),
                                 ("js_officer", "320000", "440000"), ("ent_a", None, "440000"), ("ent_b", None, "320000")):
    if ok_region:
        case(F, u, "GET", f"/api/bulletins/{ok_region}/2022-03/通报.html", OK)
    if bad_region:
        case(F, u, "GET", f"/api/bulletins/{bad_region}/2022-03/通报.html", DENIED)
case(F, "admin", "GET", "/api/bulletins/440000/2022-03/..%2F..%2Fapp.sqlite", DENIED)

for u in USERS:
    ok = u == "admin"
    case("GET /api/users", u, "GET", "/api/users", OK if ok else {403})
    case("GET /api/audit", u, "GET", "/api/audit", OK if ok else {403})
    case("POST /api/users", u, "POST", "/api/users", OK if ok else {403},
         json={"username": f"new_{u}", "password": "long-enough-1", "role": "analyst", "region": "440000"})
    case("POST /api/users/{username}/disable", u, "POST", "/api/users/new_admin/disable", OK if ok else {403})
    case("GET /api/me", u, "GET", "/api/me", OK)
    case("POST /api/tokens", u, "POST", "/api/tokens", OK, json={"name": "script"})
case("POST /api/users/{username}/disable", "admin", "POST", "/api/users/nobody/disable", {404})
# routes every authenticated user may call on themselves only
SELF_ROUTES = {"GET /api/me", "POST /api/tokens", "POST /api/auth/login", "POST /api/auth/logout"}


@pytest.fixture(scope="module", autouse=True)
def _fast_bulletins():
    """Rendering real bulletins takes seconds each; here only who may ask matters (rendering is
    covered by test_api.test_bulletin_generated_and_downloaded_within_scope)."""
    from yacang.web import integrations

    def write(doc, out_dir, formats):
        path = out_dir / "通报.html"
        path.write_text(f"<h1>{doc}</h1>", encoding="utf-8")
        return [path]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(integrations, "build_bulletin", lambda wh, period, region, regions: f"{region} {period}")
        mp.setattr(integrations, "write_bulletin", write)
        yield


@pytest.fixture(scope="module")
def bulletin_files(web_app):
    """Two already generated bulletins (one per province) to list and download."""
    root = web_app.state.yacang.output_dir / "web-bulletins"
    for region, text in (("440000", "广东省通报"), ("320000", "江苏省通报")):
        d = root / region / "2022-03"
        d.mkdir(parents=True, exist_ok=True)
        (d / "通报.html").write_text(f"<h1>{text}</h1>", encoding="utf-8")
    return root


@pytest.mark.parametrize(("route", "user", "method", "url", "kw", "expected"), CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[3]}" for c in CASES])
def test_route_role(client, tokens, bulletin_files, route, user, method, url, kw, expected):
    r = client.request(method, url, headers=bearer(tokens[user]), **kw)
    assert r.status_code in expected, f"{user} {method} {url}: {r.status_code} {r.text[:300]}"
    if r.status_code == 503:
        assert "暂不可用" in r.json()["detail"]
    if r.status_code >= 400:  # refusals carry a message only (it may echo what the caller asked for)
        assert set(r.json()) == {"detail"}
        return
    body = r.content.decode("utf-8", errors="replace")
    for marker in FORBIDDEN[user]:
        assert marker not in body, f"{user} received out-of-scope data {marker!r} from {url}"


# /api/dispatch/* (issue 7) has its own scope tests (tests/dispatch/test_access.py, test_api.py)
DISPATCH_PREFIX = "/api/dispatch"


def test_matrix_covers_every_api_route_and_role(web_app):
    """Every /api route has a case for every role; every non-self route has a denied case per non-admin role."""
    # the OpenAPI schema lists every mounted route (FastAPI ≥ 0.165 nests included routers in app.routes)
    paths = web_app.openapi()["paths"]
    routes = {f"{m.upper()} {path}" for path, ops in paths.items()
              if path.startswith("/api") and not path.startswith(DISPATCH_PREFIX) for m in ops}
    assert len(routes) > 20, "the route listing found too few routes: the guard would check nothing"
    covered = {c[0] for c in CASES} | {"POST /api/auth/login", "POST /api/auth/logout"}
    assert routes - covered == set(), f"routes without matrix cases: {sorted(routes - covered)}"
    for route in routes - {"POST /api/auth/login", "POST /api/auth/logout"}:
        users = {c[1] for c in CASES if c[0] == route}
        assert users == set(USERS), f"{route}: no case for {set(USERS) - users}"
        if route in SELF_ROUTES:
            continue
        for user in USERS:
            if user == "admin":
                continue
            denied = [c for c in CASES if c[0] == route and c[1] == user and c[5] <= {403, 404}]
            cut = route in ("GET /api/reports", "GET /api/alerts", "GET /api/bulletins")  # rows cut, not refused
            assert denied or cut or (route in ("GET /api/materials", "GET /api/lights") and not user.startswith("ent")), \
                f"{route}: no forbidden case for {user}"


def test_anonymous_is_refused_everywhere(client):
    for path in ("/api/series", "/api/overview", "/api/alerts", "/api/reports", "/api/users", "/api/measures?period=2022-03"):
        assert client.get(path).status_code == 401


def test_revoked_or_unknown_token_is_refused(client):
    assert client.get("/api/me", headers=bearer("yct_not-a-real-token")).status_code == 401
