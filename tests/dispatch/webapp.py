"""A web app with the dispatch routers included, users of every role, for the API and browser tests."""

from __future__ import annotations

from pathlib import Path

from tests.dispatch.conftest import ENT_A, ENT_B, ENT_C

PASSWORD = "Yacang-test-2022"
USERS = {
    # username: (role, region, uscc)
    "admin": ("admin", "100000", None),
    "zj": ("officer", "330000", None),
    "hz": ("officer", "330100", None),
    "nb": ("officer", "330200", None),
    "hz_analyst": ("analyst", "330100", None),
    "ent_a": ("enterprise", ENT_A[2], ENT_A[0]),
    "ent_b": ("enterprise", ENT_B[2], ENT_B[0]),
    "ent_c": ("enterprise", ENT_C[2], ENT_C[0]),
}


def make_app(home: Path):
    """``create_app`` (dispatch routes included) on a fresh SQLite app DB and an empty in-memory warehouse."""
    from sqlalchemy.orm import Session

    from yacang.auth import service
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    home.mkdir(parents=True, exist_ok=True)
    wh = Warehouse.memory()
    register_enterprises(wh)
    app = create_app(warehouse=wh, app_db_url=f"sqlite:///{home / 'app.sqlite'}")
    with Session(app.state.yacang.engine) as s:
        for name, (role, region, uscc) in USERS.items():
            service.add_user(s, name, PASSWORD, role, region=region, uscc=uscc, display_name=name)
        s.commit()
    return app


def register_enterprises(wh) -> None:
    """The three test enterprises in the warehouse's enterprise registry (企业名录): the server's record
    of their names and regions."""
    import pandas as pd

    from yacang.microdata.store import MicrodataStore

    rows = pd.DataFrame([{"uscc": u, "name": n, "region": r, "industry": "39"} for u, n, r in (ENT_A, ENT_B, ENT_C)])
    MicrodataStore(wh).add_enterprises(rows)


def tokens(app) -> dict[str, str]:
    from sqlalchemy.orm import Session

    from yacang.auth import service

    with Session(app.state.yacang.engine) as s:
        out = {n: service.create_token(s, service.get_user(s, n), "tests") for n in USERS}
        s.commit()
    return out


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
