"""A web app for the evaluation API and browser tests: the web fixtures' real national and province data,
the 2022 province ranking on real data stored in the warehouse, and city/province users of 广东."""

from __future__ import annotations

from pathlib import Path

from tests.web.fixtures import PASSWORD

USERS = {
    # username: (role, region)
    "gd_reviewer": ("officer", "440000"),
    "gz_city": ("officer", "440100"),
    "sz_city": ("officer", "440300"),
    "zh_city": ("officer", "440400"),
    "gz_viewer": ("analyst", "440100"),
    "js_city": ("officer", "320100"),
}


def make_app(home: Path, shared_data: Path):
    from sqlalchemy.orm import Session

    from tests.web.conftest import make_app as make_web_app
    from yacang.auth import service
    from yacang.evaluation.runs import province_run

    app = make_web_app(home, shared_data)
    with app.state.yacang.warehouse() as wh:
        province_run(wh, 2022, shared_data, draws=200)
    with Session(app.state.yacang.engine) as s:
        for name, (role, region) in USERS.items():
            service.add_user(s, name, PASSWORD, role, region=region, display_name=name)
        s.commit()
    return app


def tokens(app) -> dict[str, str]:
    from sqlalchemy.orm import Session

    from yacang.auth import service

    with Session(app.state.yacang.engine) as s:
        out = {n: service.create_token(s, service.get_user(s, n), "tests") for n in (*USERS, "admin", "gd_officer")}
        s.commit()
    return out


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
