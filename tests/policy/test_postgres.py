"""The policy registry on PostgreSQL (the server deployment's app database)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from tests.harness import postgres_server, require_postgres
from tests.policy.helpers import APRIL_POST, NOTICE_SEED, PINYIN_SEED
from yacang.appdb import create_all, session_scope
from yacang.policy import registry
from yacang.policy.models import PolicyDocument, PolicyMeasure

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_engine():
    require_postgres()
    with postgres_server("yacang_policy") as url:
        engine = create_engine(url)
        create_all(engine)
        yield engine
        engine.dispose()


def test_registry_on_postgres(pg_engine, seeds):
    with session_scope(pg_engine) as s:
        for name in (NOTICE_SEED, PINYIN_SEED, APRIL_POST, NOTICE_SEED):
            registry.ingest_file(s, seeds / name)
    with session_scope(pg_engine) as s:
        notice = s.scalar(select(PolicyDocument).where(PolicyDocument.source_file.endswith(NOTICE_SEED)))
        assert notice.doc_number == "工信部联运行〔2022〕160号" and notice.n_measures == 17
        assert len(s.scalars(select(PolicyMeasure)).all()) == 17
        m = registry.get_measure(s, 2)
        assert m.targets == ["2.0升及以下"]  # JSON column round trip
        registry.add_progress_note(s, 2, region="浙江", officer="赵六", status="推进中", note="家电下乡")
    with session_scope(pg_engine) as s:
        assert registry.measure_status(s, registry.get_measure(s, 2).id) == "推进中"
        assert len(registry.facts_frame(s)) == 9
