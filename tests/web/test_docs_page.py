"""/docs works offline: Swagger UI from local npm assets, for signed-in users only."""

from __future__ import annotations

from tests.web.conftest import bearer


def test_api_docs_are_local_and_behind_login(client, tokens):
    r = client.get("/docs", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = client.get("/docs", headers=bearer(tokens["admin"]))
    assert r.status_code == 200
    assert "http://" not in r.text and "https://" not in r.text  # nothing from a CDN
    for src in ("/vendor/swagger-ui/swagger-ui-bundle.js", "/vendor/swagger-ui/swagger-ui.css", "/static/swagger-init.js"):
        assert src in r.text
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src
    assert client.get("/vendor/swagger-ui/../../package.json").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "压舱 yacang API"
