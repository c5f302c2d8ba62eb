"""The 申报 tables on PostgreSQL: Alembic upgrades an empty database (0004 creates them), and a call runs to publication."""

from __future__ import annotations

import pytest

from tests.evaluation.test_workflow import HANGZHOU, NINGBO, PROVINCE, WENZHOU, values
from tests.harness import postgres_server, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_call_on_postgresql():
    require_postgres()
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.orm import Session

    from yacang.appdb.migrate import head_revision, upgrade
    from yacang.evaluation import workflow as wf

    with postgres_server("yacang_evaluation") as url:
        assert upgrade(url) == head_revision()
        engine = create_engine(url)
        try:
            assert {"eval_calls", "eval_submissions", "eval_checks", "eval_attachments"} <= set(
                inspect(engine).get_table_names())
            with Session(engine, expire_on_commit=False) as s:
                call = wf.create_call(s, PROVINCE, year=2022, quota=2)
                for scope, level in ((HANGZHOU, 3), (NINGBO, 2), (WENZHOU, 1)):
                    sub = wf.submit(s, scope, call.id, values=values(level), narrative="说明")
                wf.attach(s, WENZHOU, sub.id, "材料.pdf", b"%PDF-1.4")
                s.commit()
            with Session(engine, expire_on_commit=False) as s:
                wf.score_call(s, PROVINCE, call.id, national={"iva_ytd": 3.6})
                assert [x.region for x in wf.shortlist(s, PROVINCE, call.id)] == ["330100", "330200"]
                wf.publish(s, PROVINCE, call.id)
                s.commit()
            with Session(engine) as s:
                call = wf.get_call(s, NINGBO, call.id)
                assert [x.region for x in wf.published_list(s, call)] == ["330100", "330200"]
                assert bytes(wf.attachments(s, WENZHOU, sub.id)[0].data) == b"%PDF-1.4"
        finally:
            engine.dispose()
