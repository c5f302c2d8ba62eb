"""API and pages: scoping (a prefecture officer sees only its enterprises' nodes and links), roles, audit."""

from __future__ import annotations

import pytest

from tests.chains.conftest import ENTS, U

PASSWORD = "Yacang-test-2022"
USERS = {  # name: (role, region, uscc)
    "admin": ("admin", "100000", None),
    "sh": ("officer", "310000", None),
    "js": ("officer", "320000", None),
    "sz": ("officer", "320500", None),      # 苏州: only E3 (320505)
    "zj_analyst": ("analyst", "330000", None),
    "ent5": ("enterprise", "330212", U["E5"]),
}


@pytest.fixture()
def client(chain_wh, tmp_path):
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from yacang.auth import service
    from yacang.web import create_app

    app = create_app(warehouse=chain_wh, app_db_url=f"sqlite:///{tmp_path / 'app.sqlite'}")
    with Session(app.state.yacang.engine) as s:
        for name, (role, region, uscc) in USERS.items():
            service.add_user(s, name, PASSWORD, role, region=region, uscc=uscc, display_name=name)
        s.commit()
        tokens = {n: service.create_token(s, service.get_user(s, n), "tests") for n in USERS}
        s.commit()
    c = TestClient(app)
    c.tokens = tokens
    c.app_ = app
    return c


def get(c, user, url):
    return c.get(url, headers={"Authorization": f"Bearer {c.tokens[user]}"})


def post(c, user, url, body):
    return c.post(url, json=body, headers={"Authorization": f"Bearer {c.tokens[user]}"})


def outside(keys):
    """Markers of enterprises outside a scope: USCC, name, county code."""
    return [m for k in keys for m in (U[k], ENTS[k][2], ENTS[k][0])]


def test_prefecture_officer_sees_only_its_nodes_and_links(client):
    r = get(client, "sz", "/api/chains/nev")
    assert r.status_code == 200
    body = r.json()
    assert [n["id"] for n in body["graph"]["nodes"]] == [U["E3"]]
    assert body["graph"]["links"] == [] and body["members"][0]["uscc"] == U["E3"]
    for marker in outside(["E1", "E2", "E4", "E5", "E6", "E7"]):
        assert marker not in r.text
    # the province sees 苏州 and 南京 members, and no link leaving 江苏
    r = get(client, "js", "/api/chains/battery")
    ids = {n["id"] for n in r.json()["graph"]["nodes"]}
    assert ids == {U["E3"], U["E7"]}  # E3 3824 → 电池包; E7 2613 → 锂盐
    assert all(e["source"] in ids and e["target"] in ids for e in r.json()["graph"]["links"])
    # the administrator sees every nev member and the links among them
    r = get(client, "admin", "/api/chains/nev").json()
    assert {n["id"] for n in r["graph"]["nodes"]} == {U[k] for k in ("E1", "E3", "E4", "E5", "E6")}
    assert {(e["source"], e["target"]) for e in r["graph"]["links"]} == {
        (U["E1"], U["E3"]), (U["E3"], U["E5"]), (U["E4"], U["E5"]), (U["E1"], U["E6"]), (U["E6"], U["E5"])}


def test_region_parameter_narrows_within_scope_only(client):
    assert get(client, "sz", "/api/chains/nev?region=310000").status_code == 403
    assert get(client, "sz", "/api/chains?region=320000").status_code == 403  # the province is above 苏州
    r = get(client, "js", "/api/chains/battery?region=320500")  # 江苏 narrowed to 苏州: E3 only
    assert r.status_code == 200 and [n["id"] for n in r.json()["graph"]["nodes"]] == [U["E3"]]
    assert get(client, "admin", "/api/chains?region=12345").status_code == 422


def test_chain_list_counts_in_scope(client):
    rows = {c["chain"]: c for c in get(client, "sz", "/api/chains").json()}
    assert rows["nev"]["members"] == 1 and rows["battery"]["members"] == 1 and rows["pv"]["members"] == 1
    rows = {c["chain"]: c for c in get(client, "admin", "/api/chains").json()}
    assert rows["nev"]["members"] == 5


def test_roles_and_regions_for_scenarios(client):
    shanghai = {"kind": "region", "start": "2022-04-01", "days": 10, "horizon": 14, "region": "310000"}
    assert get(client, "ent5", "/api/chains/nev").status_code == 403
    assert get(client, "ent5", "/api/chains").status_code == 403
    assert post(client, "sz", "/api/chains/scenarios", shanghai).status_code == 403     # outside 苏州
    assert post(client, "zj_analyst", "/api/chains/scenarios", shanghai).status_code == 403  # read-only role
    assert post(client, "sz", "/api/chains/scenarios",
                {**shanghai, "kind": "enterprise", "region": "", "usccs": [U["E1"]]}).status_code == 403
    assert post(client, "sh", "/api/chains/scenarios",
                {**shanghai, "kind": "material", "material": "lithium_carbonate", "level": "红"}).status_code == 403
    assert post(client, "sh", "/api/chains/scenarios", {**shanghai, "days": 0}).status_code == 422
    r = post(client, "sh", "/api/chains/scenarios", shanghai)
    assert r.status_code == 201
    sid = r.json()["scenario_id"]
    # 苏州 sees its own enterprise's loss (E3: 148.0 万元, by hand in test_shocks) and nothing else
    s = get(client, "sz", f"/api/chains/scenarios/{sid}")
    assert s.status_code == 200
    body = s.json()
    assert [e["uscc"] for e in body["enterprises"]] == [U["E3"]] and body["output_lost_in_scope"] == pytest.approx(148.0)
    assert "daily" not in body and "provinces" not in body
    for marker in outside(["E1", "E2", "E5", "E6"]):
        assert marker not in s.text
    full = get(client, "admin", f"/api/chains/scenarios/{sid}").json()
    assert full["output_lost_in_scope"] == pytest.approx(1702.4) and len(full["daily"]) == 14
    assert get(client, "sz", "/api/chains/scenarios/nope").status_code == 404
    # audited in the app database
    from sqlalchemy.orm import Session

    from yacang.auth.audit import events

    with Session(client.app_.state.yacang.engine) as s:
        ev = events(s, action="chains_shock")
    assert len(ev) == 1 and ev[0].username == "sh" and ev[0].target == f"scenario:{sid}"


def test_pages(client):
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"username": "sz", "password": PASSWORD, "csrf_token": csrf, "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/chains")
    assert page.status_code == 200 and "产业链" in page.text and "新能源汽车" in page.text
    page = client.get("/chains/nev")
    assert page.status_code == 200 and ENTS["E3"][2] in page.text
    for marker in outside(["E1", "E5", "E6"]):
        assert marker not in page.text
    rep = client.get("/chains/nev/report")
    assert rep.status_code == 200 and "一链一策：新能源汽车产业链" in rep.text and "企业月报与申报" in rep.text
    assert client.get("/chains/unknown").status_code == 404


def test_a_chain_without_members_in_scope_says_so_and_names_resolve(client):
    """苏州 has no 集成电路 enterprise: the page says so and how members are attached, instead of an empty
    graph box; the chain's name as the list prints it opens the same page as its code."""
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "sz", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    page = client.get("/chains/ic")
    assert page.status_code == 200
    assert 'id="chain-empty"' in page.text and "尚无集成电路产业链的链上企业" in page.text
    assert 'id="chain-graph"' not in page.text and "yacang chains import" in page.text
    assert "数据来源：无链上企业" in page.text
    named = client.get("/chains/新能源汽车")
    assert named.status_code == 200 and ENTS["E3"][2] in named.text
