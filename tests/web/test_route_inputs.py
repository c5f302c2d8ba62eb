"""Every route, given values no handler can use, answers 4xx — never a server error.

Walks the app's routes (API and pages, every method) and sends, per parameter, a word, a 20-digit
number and a 3,000-character string: in the query, in the path, in a JSON body (API) or a form
(pages, with the session's CSRF token). A 5xx means a handler met a value it had not checked
(``period=abc`` reaching the period parser, a 20-digit id reaching the database driver). Routes that
end the session (login, logout, password changes) are left out so the walk stays logged in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.conftest import bearer
from tests.web.test_pages import login

pytestmark = pytest.mark.slow

BAD = ("abc", "99999999999999999999", "x" * 3000)
QUERY_NAMES = ("page", "size", "period", "region", "as_of", "start", "end", "month", "on")
FORM_NAMES = ("uscc", "name", "region", "period", "value", "note", "comment", "reason", "days", "score", "title",
              "description", "category", "valid_from", "valid_to", "date", "planned_investment", "planned_start",
              "action", "role", "year", "urgency", "type", "approve", "method", "chain")
SKIP = ("/login", "/logout", "/vendor", "/docs", "password")


def routes(app) -> Iterator[tuple[str, APIRoute]]:
    """(full path, route) of every route, through included routers."""
    def walk(items, prefix: str):
        for r in items:
            if isinstance(r, APIRoute):
                yield prefix + r.path, r
            elif hasattr(r, "original_router"):  # an included router (FastAPI ≥ 0.120)
                yield from walk(r.original_router.routes, prefix + (getattr(r.include_context, "prefix", "") or ""))
    items = [(p, r) for p, r in walk(app.routes, "") if not any(s in p for s in SKIP)]
    assert len(items) > 100, "the walk found too few routes: the router layout changed"
    return iter(items)


def requests(path: str, route: APIRoute) -> Iterator[tuple[str, str, dict]]:
    """(method, url, extra) for each bad value in each place a value can go."""
    method = sorted(route.methods - {"HEAD"})[0]
    names = [p.name for p in route.dependant.path_params]
    queries = {p.name for p in route.dependant.query_params} | set(QUERY_NAMES)
    for bad in BAD:
        for name in names:
            url = path
            for other in names:
                url = url.replace("{" + other + "}", bad if other == name else "1")
            yield method, url, {}
        url = path
        for other in names:
            url = url.replace("{" + other + "}", "1")
        if method == "GET":
            for q in sorted(queries):
                yield method, url, {"params": {q: bad}}
        else:
            yield method, url, {"form": {f: bad for f in FORM_NAMES}}


@pytest.mark.parametrize("user", ["admin", "gd_officer", "ent_a"])
def test_no_route_answers_a_server_error(fresh_app, fresh_tokens, user: str) -> None:
    page_client = TestClient(fresh_app, raise_server_exceptions=False)
    login(page_client, user)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page_client.get("/dispatch/appeals").text).group(1)
    api_client = TestClient(fresh_app, raise_server_exceptions=False)
    failures = []
    for path, route in routes(fresh_app):
        for method, url, extra in requests(path, route):
            if path.startswith("/api"):
                body = extra.get("form")
                r = api_client.request(method, url, params=extra.get("params"), json=body,
                                       headers=bearer(fresh_tokens[user]))
            else:
                form = {**extra["form"], "csrf_token": csrf} if "form" in extra else None
                r = page_client.request(method, url, params=extra.get("params"), data=form, follow_redirects=False)
            if r.status_code >= 500:
                failures.append(f"{method} {url[:80]} {str(extra)[:80]} → {r.status_code}")
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:30])
