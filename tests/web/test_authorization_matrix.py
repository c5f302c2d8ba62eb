"""Authorization matrix: every API route × every role, allowed and forbidden cases.

Users (see fixtures.USERS): admin; officers of 广东 (440000), 广州 (440100) and 江苏 (320000); an analyst
of 广东; enterprises A (广州天河) and B (南京玄武). For each case the status is asserted, and the
response body (JSON or CSV export) must not contain any marker of data outside the caller's scope:
region codes and names of other regions, the other enterprise's USCC.

Every case expects exactly one set of statuses: allowed reads 200, allowed writes 200/201, refusals
403/404 (a record outside the caller's reach is "not found"). Write cases (every POST/PUT/DELETE ×
role × in-scope/out-of-scope) that act on a record get a fresh one from a ``prepare`` step, so the
outcome does not depend on the order the cases run in. The coverage guard reads the OpenAPI schema
and fails for any route without a case per role (dispatch included); it prints the route count.
"""

from __future__ import annotations

import importlib
from pathlib import Path

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
CREATED = {201}
DENIED = {403, 404}
FORBIDDEN_403 = {403}
NOT_FOUND = {404}
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


# (route, user, method, url, request kwargs, expected statuses); kwargs may hold "prepare":
# prepare(app, url, kwargs) -> (url, kwargs) makes the record a write case acts on
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


# prepare steps: each write case gets its own record ---------------------------------------------
def _session(app):
    from sqlalchemy.orm import Session

    return Session(app.state.yacang.engine, expire_on_commit=False)


def token_of(owner: str):
    def prepare(app, url, kw):
        from yacang.auth import service

        with _session(app) as s:
            service.create_token(s, service.get_user(s, owner), "matrix")
            s.commit()
            tid = max(t.id for t, _ in service.list_tokens(s))
        return url.replace("{id}", str(tid)), kw
    return prepare


def throwaway_user(app, url, kw):
    import uuid

    from yacang.auth import service

    name = "tmp_" + uuid.uuid4().hex[:8]
    with _session(app) as s:
        service.add_user(s, name, "long-enough-1", "analyst", region="440000")
        s.commit()
    return url.replace("{name}", name), kw


def accepted_report(app, url, kw):
    from yacang.microdata.store import MicrodataStore

    uscc = url.split("/")[3]
    with app.state.yacang.warehouse() as wh:
        MicrodataStore(wh).set_status(uscc, "2022-03", "accepted", by="matrix")
    return url, kw


SCOPE_OF = {"admin": ("admin", "100000", None), "seed": ("admin", "100000", None)}
ENT_OF = {"A": (USCC_A, "440106"), "B": (USCC_B, "320102")}


def _scope(name: str):
    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope

    role, region, uscc = USERS.get(name, SCOPE_OF.get(name, ("admin", "100000", None)))
    return Scope(Role(role), region, uscc, name)


def fresh_appeal(which: str):
    """A new case filed by the enterprise itself (distinct text, so never a duplicate)."""
    def prepare(app, url, kw):
        import uuid

        from yacang.dispatch import appeals as ap

        uscc, region = ENT_OF[which]
        with _session(app) as s:
            a = ap.file_appeal(s, _scope("ent_a" if which == "A" else "ent_b"), uscc=uscc, enterprise_name=which,
                               region=region, appeal_type="缺芯", description=f"芯片断供 {uuid.uuid4().hex}")
            s.commit()
            return url.replace("{ref}", a.code), kw
    return prepare


def _category(s) -> str:
    import uuid

    from yacang.dispatch import whitelists as wl

    code = "c" + uuid.uuid4().hex[:10]
    wl.add_category(s, _scope("admin"), code, "类别" + code)
    return code


def fresh_category(app, url, kw):
    with _session(app) as s:
        code = _category(s)
        s.commit()
    return url, {**kw, "json": {**kw["json"], "category": code}}


def fresh_entry(which: str, reviewed: bool):
    """A new whitelist application by 'seed' (and reviewed by 'seed2'), so no matrix user applied or reviewed it."""
    def prepare(app, url, kw):
        import datetime as dt

        from yacang.dispatch import whitelists as wl

        uscc, region = ENT_OF[which]
        with _session(app) as s:
            e = wl.apply(s, _scope("seed"), category_ref=_category(s), uscc=uscc, enterprise_name=which, region=region,
                         reason="链主配套", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2022, 12, 31))
            if reviewed:
                wl.review(s, _scope("seed2"), e.id)
            s.commit()
            return url.replace("{id}", str(e.id)), kw
    return prepare


def fresh_project(which: str):
    def prepare(app, url, kw):
        import datetime as dt
        import uuid

        from yacang.dispatch import projects as pj

        with _session(app) as s:
            p = pj.register_project(s, _scope("admin"), code="P" + uuid.uuid4().hex[:8], name="项目", region=ENT_OF[which][1],
                                    industry="39", planned_investment=100, planned_start=dt.date(2022, 1, 1),
                                    planned_finish=dt.date(2023, 1, 1))
            s.commit()
            return url.replace("{ref}", p.code), kw
    return prepare


def unique_project(region: str):
    def prepare(app, url, kw):
        import uuid

        return url, {**kw, "json": {**kw["json"], "code": "P" + uuid.uuid4().hex[:8], "region": region}}
    return prepare



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
        case(route, u, "GET", path, DENIED if u.startswith("ent") else OK)
    case(route, "gd_officer", "GET", path + "?region=440000", OK)

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
        case(B, u, "POST", "/api/bulletins", OK, json={"period": "2022-03", "region": ok_region, "formats": ["html"]})
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
    case("POST /api/tokens", u, "POST", "/api/tokens", {403}, json={"name": "script"})  # tokens cannot mint tokens
    case("GET /api/tokens", u, "GET", "/api/tokens", OK)
    case("DELETE /api/tokens/{token_id}", u, "DELETE", "/api/tokens/{id}", OK, prepare=token_of(u))
    case("DELETE /api/tokens/{token_id}", u, "DELETE", "/api/tokens/{id}", OK if ok else {404},
         prepare=token_of("gd_analyst" if u == "admin" else "admin"))
    case("POST /api/me/password", u, "POST", "/api/me/password", {403},  # never with a token
         json={"old_password": "correct-horse-9", "new_password": "another-pass-1"})
    case("POST /api/users/{username}/password", u, "POST", "/api/users/{name}/password", OK if ok else {403},
         json={"new_password": "reset-pass-123"}, prepare=throwaway_user)
    rr = "POST /api/reports/{uscc}/revision-request"
    case(rr, u, "POST", f"/api/reports/{USCC_A if u != 'ent_b' else USCC_B}/revision-request",
         OK if u.startswith("ent") else {403}, json={"period": "2022-03", "reason": "漏报"}, prepare=accepted_report)
    case(rr, u, "POST", f"/api/reports/{USCC_B if u != 'ent_b' else USCC_A}/revision-request", {403},
         json={"period": "2022-03", "reason": "漏报"})
case("POST /api/users/{username}/disable", "admin", "POST", "/api/users/nobody/disable", {404})
# 产业链 (issue 19): lists and chain pages cut to the caller's subtree; ?region= outside it is refused
OWN_BAD = {"admin": ("320000", None), "gd_officer": ("440000", "320000"), "gz_officer": ("440100", "440300"),
           "gd_analyst": ("440000", "320100"), "js_officer": ("320000", "440000"), "ent_a": (None, "440106"),
           "ent_b": (None, "320102")}
for u, (own, bad) in OWN_BAD.items():
    for route, path in (("GET /api/chains", "/api/chains"), ("GET /api/chains/scenarios", "/api/chains/scenarios"),
                        ("GET /api/chains/{chain}", "/api/chains/nev")):
        if own:
            case(route, u, "GET", f"{path}?region={own}", OK)
        if bad:
            case(route, u, "GET", f"{path}?region={bad}", DENIED)
    case("GET /api/chains/{chain}", u, "GET", "/api/chains/no_such_chain", {403} if u.startswith("ent") else {404})
    case("GET /api/chains/scenarios/{scenario_id}", u, "GET", "/api/chains/scenarios/000000000000",
         {403} if u.startswith("ent") else {404})
    stop_a = {"kind": "enterprise", "start": "2022-04-01", "days": 30, "usccs": [USCC_A]}
    writer_a = u in ("admin", "gd_officer", "gz_officer")  # officers whose subtree holds enterprise A
    case("POST /api/chains/scenarios", u, "POST", "/api/chains/scenarios", {201} if writer_a else {403}, json=stop_a)
    if u != "admin":
        case("POST /api/chains/scenarios", u, "POST", "/api/chains/scenarios", {403},
             json={"kind": "region", "start": "2022-04-01", "days": 30, "region": bad or "320000"})
# routes every authenticated user may call on themselves only
SELF_ROUTES = {"GET /api/me", "POST /api/tokens", "POST /api/auth/login", "POST /api/auth/logout", "GET /api/tokens",
               "POST /api/me/password"}


# /api/dispatch/* ---------------------------------------------------------------------------------
# A side: 广州天河 enterprise A; may act: admin, gd_officer, gz_officer; may read: + gd_analyst, ent_a.
# B side: 南京玄武 enterprise B; may act: admin, js_officer; may read: + ent_b.
A_ACTORS, B_ACTORS = ("gd_officer", "gz_officer"), ("admin", "js_officer")
DP = "/api/dispatch"
CUT = {f"GET {DP}/{p}" for p in ("appeals", "stats/appeals", "stats/overdue", "whitelist/categories", "whitelist",
                                "whitelist.xlsx", "whitelist/marks", "key-enterprises", "quick-reports", "projects",
                                "projects-status", "projects-workload", "projects-late")}
for route in sorted(CUT):
    path = route.split(" ", 1)[1]
    query = {"whitelist/marks": f"?uscc={USCC_A}&uscc={USCC_B}", "projects-status": "?period=2022-06",
             "projects-workload": "?period=2022-06"}.get(path.removeprefix(DP + "/"), "")
    for u in USERS:
        case(route, u, "GET", path + query, OK)  # every role reads; rows are cut to the scope (markers checked)

R = f"GET {DP}/appeals/{{ref}}"
for u in USERS:
    a_side = u in (*A_ACTORS, "admin", "gd_analyst", "ent_a")
    b_side = u in (*B_ACTORS, "ent_b")
    case(R, u, "GET", f"{DP}/appeals/{{ref}}", OK if a_side else NOT_FOUND, prepare=fresh_appeal("A"))
    if u != "admin":
        case(R, u, "GET", f"{DP}/appeals/{{ref}}", OK if b_side else NOT_FOUND, prepare=fresh_appeal("B"))

FILE = f"POST {DP}/appeals"
for u, uscc, expected in (("admin", USCC_B, CREATED), ("gd_officer", USCC_A, CREATED), ("gz_officer", USCC_A, CREATED),
                          ("js_officer", USCC_B, CREATED), ("ent_a", None, CREATED), ("ent_b", None, CREATED),
                          ("gz_officer", USCC_B, FORBIDDEN_403), ("js_officer", USCC_A, FORBIDDEN_403),
                          ("gd_officer", USCC_B, FORBIDDEN_403), ("gd_analyst", USCC_A, FORBIDDEN_403)):
    body = {"appeal_type": "缺工", "description": f"{u} 代报：缺工 {uscc}", "region": "440106"}
    case(FILE, u, "POST", f"{DP}/appeals", expected, json={**body, "uscc": uscc} if uscc else body)

ACT = f"POST {DP}/appeals/{{ref}}/{{action}}"
ATT = f"POST {DP}/appeals/{{ref}}/attachments"
GETATT = f"GET {DP}/appeals/{{ref}}/attachments/{{name}}"
for u in USERS:
    for which in ("A", "B"):
        actor = u in (A_ACTORS if which == "A" else B_ACTORS) or u == "admin"
        own = u == ("ent_a" if which == "A" else "ent_b")
        reader = actor or own or (which == "A" and u == "gd_analyst")
        refused = FORBIDDEN_403 if reader else NOT_FOUND
        case(ACT, u, "POST", f"{DP}/appeals/{{ref}}/assign", OK if actor else refused,
             json={"department": "运行监测协调处"}, prepare=fresh_appeal(which))
        case(ATT, u, "POST", f"{DP}/appeals/{{ref}}/attachments", CREATED if (actor or own) else refused,
             files={"file": ("说明.txt", "情况说明".encode())}, prepare=fresh_appeal(which))


def appeal_with_attachment(which: str):
    def prepare(app, url, kw):
        from yacang.dispatch import appeals as ap
        from yacang.dispatch import attachments

        url, kw = fresh_appeal(which)(app, url, kw)
        code = url.split("/")[4]
        with _session(app) as s:
            a = ap.get_appeal(s, _scope("admin"), code)
            attachments.save(app.state.yacang.home, a, "说明.txt", "情况说明".encode())
            s.commit()
        return url, kw
    return prepare


for u in USERS:
    for which in ("A", "B"):
        reader = (u in (A_ACTORS if which == "A" else B_ACTORS) or u == "admin"
                  or u == ("ent_a" if which == "A" else "ent_b") or (which == "A" and u == "gd_analyst"))
        case(GETATT, u, "GET", f"{DP}/appeals/{{ref}}/attachments/说明.txt", OK if reader else NOT_FOUND,
             prepare=appeal_with_attachment(which))

WLA = f"POST {DP}/whitelist"
for u, uscc, expected in (("admin", USCC_B, CREATED), ("gd_officer", USCC_A, CREATED), ("gz_officer", USCC_A, CREATED),
                          ("js_officer", USCC_B, CREATED), ("ent_a", None, CREATED), ("ent_b", None, CREATED),
                          ("gz_officer", USCC_B, FORBIDDEN_403), ("js_officer", USCC_A, FORBIDDEN_403),
                          ("gd_officer", USCC_B, FORBIDDEN_403), ("gd_analyst", USCC_A, FORBIDDEN_403)):
    body = {"category": "", "reason": "链主配套", "valid_from": "2022-01-01", "valid_to": "2022-12-31"}
    case(WLA, u, "POST", f"{DP}/whitelist", expected, json={**body, "uscc": uscc} if uscc else body,
         prepare=fresh_category)

for route, step, reviewed in ((f"POST {DP}/whitelist/{{entry_id}}/review", "review", False),
                              (f"POST {DP}/whitelist/{{entry_id}}/publish", "publish", True)):
    for u in USERS:
        for which in ("A", "B"):
            actor = u in (A_ACTORS if which == "A" else B_ACTORS) or u == "admin"
            reader = actor or u == ("ent_a" if which == "A" else "ent_b") or (which == "A" and u == "gd_analyst")
            case(route, u, "POST", f"{DP}/whitelist/{{id}}/{step}", OK if actor else (FORBIDDEN_403 if reader else NOT_FOUND),
                 json={"approve": True} if step == "review" else None, prepare=fresh_entry(which, reviewed))

KEY = f"POST {DP}/key-enterprises"
for u, uscc, expected in (("admin", USCC_B, CREATED), ("gd_officer", USCC_A, CREATED), ("gz_officer", USCC_A, CREATED),
                          ("js_officer", USCC_B, CREATED), ("gz_officer", USCC_B, FORBIDDEN_403),
                          ("js_officer", USCC_A, FORBIDDEN_403), ("gd_officer", USCC_B, FORBIDDEN_403),
                          ("gd_analyst", USCC_A, FORBIDDEN_403), ("ent_a", USCC_A, FORBIDDEN_403),
                          ("ent_b", USCC_B, FORBIDDEN_403)):
    case(KEY, u, "POST", f"{DP}/key-enterprises", expected, json={"uscc": uscc, "frequency": "周"})

QR = f"POST {DP}/quick-reports"
for u, uscc, expected in (("admin", USCC_B, CREATED), ("gd_officer", USCC_A, CREATED), ("gz_officer", USCC_A, CREATED),
                          ("js_officer", USCC_B, CREATED), ("ent_a", None, CREATED), ("ent_b", None, CREATED),
                          ("gz_officer", USCC_B, NOT_FOUND), ("js_officer", USCC_A, NOT_FOUND),
                          ("gd_officer", USCC_B, NOT_FOUND), ("gd_analyst", USCC_A, FORBIDDEN_403)):
    body = {"day": "2022-06-01", "frequency": "周", "orders": 1200.0, "operating_rate": 85.0}
    case(QR, u, "POST", f"{DP}/quick-reports", expected, json={**body, "uscc": uscc} if uscc else body)

PJ = f"POST {DP}/projects"
for u, region, expected in (("admin", "320102", CREATED), ("gd_officer", "440106", CREATED),
                            ("gz_officer", "440106", CREATED), ("js_officer", "320102", CREATED),
                            ("gz_officer", "320102", FORBIDDEN_403), ("js_officer", "440106", FORBIDDEN_403),
                            ("gd_officer", "320102", FORBIDDEN_403), ("gd_analyst", "440106", FORBIDDEN_403), ("ent_a", "440106", FORBIDDEN_403),
                            ("ent_b", "320102", FORBIDDEN_403)):
    case(PJ, u, "POST", f"{DP}/projects", expected, prepare=unique_project(region),
         json={"code": "", "name": "新能源电池项目", "region": region, "industry": "38", "planned_investment": 50,
               "planned_start": "2022-01-01", "planned_finish": "2023-06-30"})

PG = f"POST {DP}/projects/{{ref}}/progress"
for u in USERS:
    for which in ("A", "B"):
        actor = u in (A_ACTORS if which == "A" else B_ACTORS) or u == "admin"
        reader = actor or (which == "A" and u == "gd_analyst")
        case(PG, u, "POST", f"{DP}/projects/{{ref}}/progress", OK if actor else (FORBIDDEN_403 if reader else NOT_FOUND),
             json={"period": "2022-06", "invest_cum": 20.0}, prepare=fresh_project(which))


# areas whose role cases live with the area (tests/<area>/authz_cases.py: a CASES list in this format,
# run here when the file exists; the guard then holds their routes to the same rules); every route of
# every area is also checked for anonymous callers (test_every_route_refuses_anonymous_callers)
OTHER_AREAS = ("/api/analysis", "/api/chains", "/api/evaluation", "/api/jobs")
PROVIDED = tuple(a for a in OTHER_AREAS
                 if (Path(__file__).parents[1] / a.removeprefix("/api/") / "authz_cases.py").is_file())
for _area in PROVIDED:
    CASES.extend(importlib.import_module(f"tests.{_area.removeprefix('/api/')}.authz_cases").CASES)


@pytest.fixture(scope="module", autouse=True)
def _fast_bulletins():
    """Rendering real bulletins takes seconds each; here only who may ask matters (rendering is
    covered by test_api.test_bulletin_generated_and_downloaded_within_scope)."""
    from yacang.web.api import files

    def issue(doc, out_dir, formats, **_kw):
        path = out_dir / "通报.html"
        path.write_text(f"<h1>{doc}</h1>", encoding="utf-8")
        return [path], None

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(files, "build_full_bulletin", lambda wh, period, region: f"{region} {period.code}")
        mp.setattr(files, "issue_bulletin", issue)
        yield


@pytest.fixture(scope="module", autouse=True)
def _dispatch_records(web_app):
    """Both enterprises on their regions' weekly key-enterprise lists; two-person whitelist steps are
    done by 'seed'/'seed2', who are not matrix users."""
    from yacang.dispatch import key_enterprises as ke

    with _session(web_app) as s:
        for which, (uscc, region) in ENT_OF.items():
            ke.register(s, _scope("admin"), wh=None, uscc=uscc, name=f"企业{which}", region=region, industry="39", frequency="周")
        s.commit()


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
                         ids=[f"{c[0]}|{c[1]}|{c[3]}|{i}" for i, c in enumerate(CASES)])
def test_route_role(web_app, client, tokens, bulletin_files, route, user, method, url, kw, expected):
    kw = dict(kw)
    prepare = kw.pop("prepare", None)
    if prepare is not None:
        url, kw = prepare(web_app, url, kw)
    if kw.get("json") is None:
        kw.pop("json", None)
    r = client.request(method, url, headers=bearer(tokens[user]), **kw)
    assert r.status_code in expected, f"{user} {method} {url}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:  # refusals carry a message only (it may echo what the caller asked for)
        assert set(r.json()) == {"detail"}
        return
    body = r.content.decode("utf-8", errors="replace")
    for marker in FORBIDDEN[user]:
        assert marker not in body, f"{user} received out-of-scope data {marker!r} from {url}"


ROW_CUT = {"GET /api/reports", "GET /api/alerts", "GET /api/bulletins", *CUT}  # rows cut to the scope, not refused
ENTERPRISE_ACTS_FOR_ITSELF = {f"POST {DP}/appeals", f"POST {DP}/whitelist", f"POST {DP}/quick-reports",
                              "POST /api/reports", "POST /api/reports/check"}  # the request cannot name another


def test_matrix_covers_every_api_route_and_role(web_app, capsys):
    """Every /api route has a case for every role; every non-self route a refused case per non-admin role."""
    paths = web_app.openapi()["paths"]
    routes = {f"{m.upper()} {path}" for path, ops in paths.items() if path.startswith("/api") for m in ops}
    left = tuple(a for a in OTHER_AREAS if a not in PROVIDED)
    mine = {r for r in routes if not (left and r.split(" ", 1)[1].startswith(left))}
    assert any(r.startswith("POST /api/dispatch/") for r in mine), "dispatch routes are not mounted"
    covered = {c[0] for c in CASES} | {"POST /api/auth/login", "POST /api/auth/logout"}
    with capsys.disabled():
        print(f"\nauthorization matrix: {len(mine)} routes ({sum(r.startswith(('POST', 'PUT', 'DELETE')) for r in mine)} "
              f"writes) × {len(USERS)} roles, {len(CASES)} cases; routes left to their areas' cases: "
              f"{len(routes - mine)}")
    assert mine - covered == set(), f"routes without matrix cases: {sorted(mine - covered)}"
    for route in mine - {"POST /api/auth/login", "POST /api/auth/logout"}:
        users = {c[1] for c in CASES if c[0] == route}
        assert users == set(USERS), f"{route}: no case for {set(USERS) - users}"
        if route in SELF_ROUTES or route in ROW_CUT:
            continue
        for user in USERS:
            if user == "admin" or (user.startswith("ent") and route in ENTERPRISE_ACTS_FOR_ITSELF):
                continue
            denied = [c for c in CASES if c[0] == route and c[1] == user and c[5] <= {403, 404}]
            assert denied or (route in ("GET /api/materials", "GET /api/lights") and not user.startswith("ent")), \
                f"{route}: no forbidden case for {user}"
    writes = {r for r in mine if r.startswith(("POST", "PUT", "DELETE"))} - {"POST /api/auth/login", "POST /api/auth/logout"}
    for route in writes - SELF_ROUTES:  # every write route has an allowed and a refused case
        statuses = [c[5] for c in CASES if c[0] == route]
        assert any(s & {200, 201} for s in statuses) and any(s <= {403, 404} for s in statuses), route


def test_every_route_refuses_anonymous_callers(web_app):
    """All routes of the schema, other areas' included: no credentials → 401 (the job queue, which takes
    only the local CLI's job token, → 403); nothing is answered before authentication."""
    import re

    from fastapi.testclient import TestClient

    paths = web_app.openapi()["paths"]
    checked = 0
    with TestClient(web_app) as anon:
        for path, ops in paths.items():
            if not path.startswith("/api") or path == "/api/auth/login":
                continue
            url = re.sub(r"\{[^}]+\}", "1", path)
            for method in ops:
                jobs = (method, path) == ("post", "/api/jobs")
                r = anon.request(method.upper(), url, json={"argv": ["version"]} if jobs else None)
                expected = {403} if jobs else {401}
                assert r.status_code in expected, f"anonymous {method.upper()} {path}: {r.status_code} {r.text[:200]}"
                checked += 1
    assert checked == sum(len(ops) for p, ops in paths.items() if p.startswith("/api")) - 1


def test_anonymous_is_refused_everywhere(client):
    for path in ("/api/series", "/api/overview", "/api/alerts", "/api/reports", "/api/users", "/api/measures?period=2022-03"):
        assert client.get(path).status_code == 401


def test_revoked_or_unknown_token_is_refused(client):
    assert client.get("/api/me", headers=bearer("yct_not-a-real-token")).status_code == 401
