"""Key enterprises: lists by region and frequency, quick reports, and their series in the warehouse."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.dispatch.conftest import ENT_A, ENT_B, ENT_C, HANGZHOU, NINGBO, ent_scope
from yacang.dispatch import key_enterprises as ke
from yacang.dispatch.errors import DispatchError, DispatchForbidden, DispatchNotFound


@pytest.fixture()
def keys(session):
    ke.register(session, HANGZHOU, wh=None, uscc=ENT_A[0], name=ENT_A[1], region=ENT_A[2], industry="3971", frequency="周",
                contact_name="王工", contact_phone="0571-0000001")
    ke.register(session, HANGZHOU, wh=None, uscc=ENT_B[0], name=ENT_B[1], region=ENT_B[2], industry="3411", frequency="日")
    ke.register(session, NINGBO, wh=None, uscc=ENT_C[0], name=ENT_C[1], region=ENT_C[2], industry="3130", frequency="月")


def test_lists_by_region_and_frequency(session, keys):
    assert [k.uscc for k in ke.list_key(session, HANGZHOU)] == [ENT_A[0], ENT_B[0]]
    assert [k.uscc for k in ke.list_key(session, NINGBO)] == [ENT_C[0]]
    assert [k.uscc for k in ke.list_key(session, HANGZHOU, frequency="日")] == [ENT_B[0]]
    with pytest.raises(DispatchForbidden):
        ke.register(session, NINGBO, wh=None, uscc=ENT_A[0], name="x", region=ENT_A[2], frequency="周")


def test_weekly_report_is_stored_at_the_week_end(session, keys, clock):
    clock.set(dt.datetime(2022, 3, 20, 10))
    r = ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=dt.date(2022, 3, 16), frequency="周",
                  production=1200, electricity=150, orders=3000, operating_rate=85, problems="芯片短缺", clock=clock)
    assert r.day == dt.date(2022, 3, 20)  # Wednesday 16 March → Sunday 20 March
    # re-sending the same week replaces it
    ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=dt.date(2022, 3, 14), frequency="周", production=1100,
              clock=clock)
    assert len(ke.list_reports(session, HANGZHOU)) == 1
    with pytest.raises(DispatchError, match="监测频次为“周”"):
        ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=dt.date(2022, 3, 16), frequency="日", production=1,
                  clock=clock)
    with pytest.raises(DispatchError, match="开工率超过合理上限 100%"):
        ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=dt.date(2022, 3, 16), frequency="周",
                  operating_rate=120, clock=clock)
    with pytest.raises(DispatchNotFound):  # another enterprise cannot report for A
        ke.submit(session, ent_scope(ENT_B), uscc=ENT_A[0], day=dt.date(2022, 3, 16), frequency="周", production=1,
                  clock=clock)


def test_reports_feed_the_warehouse_at_their_frequency(session, keys, clock, wh):
    clock.set(dt.datetime(2022, 3, 20, 10))
    for d, out in ((dt.date(2022, 3, 17), 500.0), (dt.date(2022, 3, 18), 520.0)):
        ke.submit(session, HANGZHOU, uscc=ENT_B[0], day=d, frequency="日", production=out, electricity=out / 10,
                  clock=clock)
    ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=dt.date(2022, 3, 16), frequency="周", orders=3000.0,
              operating_rate=85.0, clock=clock)
    res = ke.feed_warehouse(session, wh)
    assert res.n_new == 2 * 2 + 2  # B: 2 days × (产量, 用电量); A: 1 week × (订单, 开工率)
    daily = wh.values(f"report:production.value.330108.34.{ENT_B[0]}~D")
    assert daily.to_dict() == {"2022-03-17": 500.0, "2022-03-18": 520.0}
    weekly = wh.values(f"report:operating_rate.value.330106.39.{ENT_A[0]}~W")
    assert weekly.to_dict() == {"2022-03-20": 85.0}
    meta = wh.series(source="report").set_index("series_id")
    assert meta.loc[f"report:orders.value.330106.39.{ENT_A[0]}~W", "frequency"] == "W"
    # idempotent
    assert ke.feed_warehouse(session, wh).n_new == 0


def test_register_takes_name_and_region_from_the_enterprise_registry(session):
    """Every caller of the service gets the records check: the warehouse's 企业名录 decides."""
    from tests.dispatch.webapp import register_enterprises
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    register_enterprises(wh)
    with pytest.raises(DispatchForbidden, match="330106"):  # 宁波 claims 杭州's A for its own county
        ke.register(session, NINGBO, wh=wh, uscc=ENT_A[0], name="假冒名称", region="330203", frequency="周")
    assert ke.list_key(session, NINGBO) == []
    k = ke.register(session, HANGZHOU, wh=wh, uscc=ENT_A[0], name="假冒名称", region="330108", frequency="周")
    assert (k.name, k.region) == (ENT_A[1], ENT_A[2])
    with pytest.raises(DispatchError, match="请填写企业名称和所在地区代码"):
        ke.register(session, HANGZHOU, wh=wh, uscc="91330106MA2ZZZZZ9X", region="330106")
    with pytest.raises(DispatchError, match="联系人过长"):
        ke.register(session, HANGZHOU, wh=wh, uscc=ENT_B[0], contact_name="王" * 33)


def test_an_unknown_enterprise_needs_a_valid_uscc_of_the_claimed_province(session):
    from tests.dispatch.conftest import ADMIN
    from yacang.microdata.uscc import make_uscc

    nanjing = make_uscc("320102", "MA2EEEEE5")  # issued in 江苏, in no record
    with pytest.raises(DispatchForbidden, match="登记管理机关代码为 320102"):
        ke.register(session, HANGZHOU, wh=None, uscc=nanjing, name="异省企业", region="330106")
    with pytest.raises(DispatchError, match="校验位错误"):
        ke.register(session, HANGZHOU, wh=None, uscc=nanjing[:17] + ("1" if nanjing[17] == "0" else "0"),
                    name="错码企业", region="330106")
    assert ke.list_key(session, ADMIN) == []
    k = ke.register(session, ADMIN, wh=None, uscc=nanjing, name="迁入企业", region="330106")  # a move: the admin
    assert (k.name, k.region) == ("迁入企业", "330106")
    local = make_uscc("330108", "MA2FFFFF6")
    assert ke.register(session, HANGZHOU, wh=None, uscc=local, name="新企业", region="330106").region == "330106"


def test_quick_report_refuses_nan_and_counts_values_after_cleaning(session, keys, clock):
    day = dt.date(2022, 2, 28)
    with pytest.raises(DispatchError, match="NaN"):
        ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=day, frequency="周", production=float("nan"),
                  clock=clock)
    with pytest.raises(DispatchError, match="NaN"):
        ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=day, frequency="周", orders="nan", clock=clock)
    with pytest.raises(DispatchError, match="至少填写一项"):  # blank text is no value
        ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=day, frequency="周", production=" ", orders="",
                  clock=clock)
    r = ke.submit(session, ent_scope(ENT_A), uscc=ENT_A[0], day=day, frequency="周", production="1,200", orders="",
                  clock=clock)
    assert (r.production, r.orders) == (1200.0, None)
