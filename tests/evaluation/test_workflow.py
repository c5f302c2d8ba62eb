"""The 申报 workflow: scope (a city sees its own submission, the province its cities), checks against the
warehouse, vetoes, quota, publish, audit."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from yacang.auth.models import AuditEvent
from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.evaluation import workflow as wf
from yacang.evaluation.errors import EvaluationError, EvaluationForbidden, EvaluationNotFound
from yacang.evaluation.system import load_system

PROVINCE = Scope(Role.OFFICER, "330000", username="zj")
HANGZHOU = Scope(Role.OFFICER, "330100", username="hz")
NINGBO = Scope(Role.OFFICER, "330200", username="nb")
WENZHOU = Scope(Role.OFFICER, "330300", username="wz")
HZ_ANALYST = Scope(Role.ANALYST, "330100", username="hz_analyst")
GUANGDONG = Scope(Role.OFFICER, "440000", username="gd")
GUANGZHOU = Scope(Role.OFFICER, "440100", username="gz")
ENTERPRISE = Scope(Role.ENTERPRISE, "330106", "91330106MA2AAAAA1X", username="ent")


@pytest.fixture()
def session():
    from yacang.appdb.base import create_all

    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s


def values(level: float) -> dict[str, float]:
    """A full set of the 制造业高质量发展 indicators; higher ``level`` is better on every one."""
    system = load_system("zhizao_gaozhiliang")
    out = {}
    for ind in system.indicators:
        if ind.code == "debt_ratio":
            out[ind.code] = 55.0 if level >= 2 else 70.0 - level
        elif ind.direction == "cost":
            out[ind.code] = 1.0 - 0.1 * level
        else:
            out[ind.code] = 2.0 + level
    return out


def city_warehouse():
    """An in-memory warehouse with 杭州's 2022 规上工业增加值 累计增速 = 5.0 (hand-made, source 'test')."""
    from yacang.ingest.batch import SERIES_COLUMNS, Batch
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    sid = "test:iva.ytd_yoy.330100.TOTAL"
    s = pd.DataFrame([{"series_id": sid, "indicator": "iva", "measure": "ytd_yoy", "region": "330100",
                       "industry": "TOTAL", "category": "", "frequency": "M", "unit": "%", "source": "test",
                       "original_name": "杭州:规上工业增加值:累计同比"}])
    for c in SERIES_COLUMNS:
        if c not in s:
            s[c] = ""
    o = pd.DataFrame([{"series_id": sid, "period": "2022-12", "value": 5.0, "flags": "", "source_row": 2,
                       "source_col": ""}])
    sha = hashlib.sha256(b"hz-2022").hexdigest()
    wh.write_batch(Batch("hz.csv", "test", sha, s[SERIES_COLUMNS], o))
    return wh


def test_full_flow_with_scope_checks_and_audit(session):
    call = wf.create_call(session, PROVINCE, year=2022, quota=1)
    assert call.level == "prefecture" and call.issuer_region == "330000"  # from the account, not the request
    assert [c.id for c in wf.list_calls(session, HANGZHOU)] == [call.id]
    assert wf.list_calls(session, GUANGDONG) == [] and wf.list_calls(session, ENTERPRISE) == []
    with pytest.raises(EvaluationNotFound):
        wf.get_call(session, GUANGZHOU, call.id)  # another province's city does not even see it
    with pytest.raises(EvaluationForbidden):
        wf.submit(session, PROVINCE, call.id, values=values(1))  # the province does not apply to itself
    with pytest.raises(EvaluationForbidden):
        wf.submit(session, HZ_ANALYST, call.id, values=values(1))  # analysts are read-only

    hz_values = {**values(3), "iva_ytd": 5.4}  # warehouse says 5.0: flagged
    hz = wf.submit(session, HANGZHOU, call.id, values=hz_values, narrative="杭州：数字经济引领", bonuses=["cluster"])
    nb = wf.submit(session, NINGBO, call.id, values=values(2), narrative="宁波")
    wz = wf.submit(session, WENZHOU, call.id, values=values(1), narrative="温州", vetoes=["safety"])
    assert hz.region == "330100" and hz.status == "submitted"

    # a city sees only its own submission; the province sees all three
    assert [s.region for s in wf.submissions(session, NINGBO, call)] == ["330200"]
    assert [s.region for s in wf.submissions(session, PROVINCE, call)] == ["330100", "330200", "330300"]
    with pytest.raises(EvaluationNotFound):
        wf.get_submission(session, NINGBO, hz.id)
    with pytest.raises(EvaluationForbidden):
        wf.check_values(session, HANGZHOU, call.id, None)  # cities do not review

    wh = city_warehouse()
    checks = wf.check_values(session, PROVINCE, call.id, wh)
    hz_checks = {c.indicator: c for c in checks if c.submission_id == hz.id}
    assert hz_checks["iva_ytd"].flagged and hz_checks["iva_ytd"].warehouse == 5.0
    assert "相差 +0.4" in hz_checks["iva_ytd"].note
    nb_checks = {c.indicator: c for c in checks if c.submission_id == nb.id}
    assert not nb_checks["iva_ytd"].flagged and "未核对" in nb_checks["iva_ytd"].note  # no 宁波 series

    with pytest.raises(EvaluationError, match="全国数据"):
        wf.score_call(session, PROVINCE, call.id, national={})  # thresholds need the national value
    res = wf.score_call(session, PROVINCE, call.id, national={"iva_ytd": 3.6})
    # 杭州 is at least as good as 宁波 on every indicator and has a bonus; 温州 declared a 安全事故 veto
    assert hz.rank == 1 and nb.rank == 2 and wz.rank == 0
    assert res.vetoed["330300"] == ["发生重大及以上安全生产事故"]

    with pytest.raises(EvaluationError, match="超过名额"):
        wf.shortlist(session, PROVINCE, call.id, ["330100", "330200"])
    with pytest.raises(EvaluationError, match="没有参加排名"):
        wf.shortlist(session, PROVINCE, call.id, ["330300"])
    chosen = wf.shortlist(session, PROVINCE, call.id)
    assert [s.region for s in chosen] == ["330100"]
    assert wf.published_list(session, call) == []  # not public before publishing
    wf.publish(session, PROVINCE, call.id)
    assert [s.region for s in wf.published_list(session, call)] == ["330100"]
    with pytest.raises(EvaluationError, match="截止"):
        wf.submit(session, NINGBO, call.id, values=values(9))

    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["eval_call_create", "eval_submit", "eval_submit", "eval_submit", "eval_check", "eval_score",
                       "eval_shortlist", "eval_publish"]


def test_submitted_values_are_validated(session):
    call = wf.create_call(session, PROVINCE, year=2022, quota=2)
    with pytest.raises(EvaluationError, match="不是数字"):
        wf.submit(session, HANGZHOU, call.id, values={"iva_ytd": "五"})
    with pytest.raises(EvaluationError, match="有限数"):
        wf.submit(session, HANGZHOU, call.id, values={"iva_ytd": float("nan")})
    with pytest.raises(EvaluationError, match="超出合理范围"):
        wf.submit(session, HANGZHOU, call.id, values={"iva_ytd": -150})
    with pytest.raises(EvaluationError, match="没有指标"):
        wf.submit(session, HANGZHOU, call.id, values={"made_up": 1})
    with pytest.raises(EvaluationError, match="代码无效"):
        wf.submit(session, HANGZHOU, call.id, values={"iva_ytd": 1}, vetoes=["decline"])  # rule vetoes are not declared
    with pytest.raises(EvaluationError, match="名额"):
        wf.create_call(session, PROVINCE, year=2022, quota=0)
    with pytest.raises(EvaluationForbidden):
        wf.create_call(session, HZ_ANALYST, year=2022, quota=1)
    with pytest.raises(EvaluationError, match="通知标题过长（201 字），最多 200 字"):  # refused, not cut
        wf.create_call(session, PROVINCE, year=2022, quota=1, title="题" * 201)
    assert wf.create_call(session, PROVINCE, year=2022, quota=1, title="题" * 200).title == "题" * 200


def test_missing_submitted_value_is_a_reported_gap(session):
    call = wf.create_call(session, PROVINCE, year=2022, quota=2)
    gap = values(2)
    del gap["rd_intensity"]
    wf.submit(session, HANGZHOU, call.id, values=gap)
    wf.submit(session, NINGBO, call.id, values=values(1))
    wf.submit(session, WENZHOU, call.id, values=values(3))
    res = wf.score_call(session, PROVINCE, call.id, national={"iva_ytd": 3.6})
    ex = res.explain("330100")
    assert ex["gaps"] == [{"indicator": "R&D经费支出占营业收入比重", "treatment": "以同级地区中位数（标准化后）补齐"}]
