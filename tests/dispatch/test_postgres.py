"""The dispatch tables on PostgreSQL: Alembic upgrades an empty database, and the SLA/escalation flow runs."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.dispatch.conftest import ENT_A, HANGZHOU, T0, file
from tests.harness import postgres_server, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_dispatch_on_postgresql(clock):
    require_postgres()
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.orm import Session

    from yacang.appdb.migrate import head_revision, upgrade
    from yacang.dispatch import appeals as ap
    from yacang.dispatch.stats import appeal_stats

    with postgres_server("yacang_dispatch") as url:
        assert upgrade(url) == head_revision()
        engine = create_engine(url)
        try:
            assert {"dispatch_appeals", "dispatch_projects", "dispatch_whitelist_entries"} <= set(inspect(engine).get_table_names())
            with Session(engine, expire_on_commit=False) as s:
                a = file(s, clock, ENT_A)
                clock.set(T0 + dt.timedelta(hours=2))
                assert [c for c, _ in ap.run_escalation(s, clock)] == [a.code]
                s.commit()
            with Session(engine) as s:
                a = ap.get_appeal(s, HANGZHOU, a.code)
                assert (a.handler_level, a.escalations) == ("prefecture", 1)
                assert [e.action for e in a.events] == ["file", "escalate"]
                total = appeal_stats(s, HANGZHOU, "type", clock=clock).set_index("诉求类型").loc["合计"]
                assert (total["受理"], total["超期在办"]) == (1, 1)
        finally:
            engine.dispose()
