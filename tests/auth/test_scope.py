"""Scoping by GB/T 2260 code prefix: subtree, ancestors, siblings, enterprises."""

import pytest

from yacang.auth.roles import Role
from yacang.auth.scope import Scope, ancestors_of, region_prefix


@pytest.mark.parametrize(("code", "prefix"), [("100000", ""), ("440000", "44"), ("440100", "4401"),
                                              ("440106", "440106")])
def test_region_prefix(code, prefix):
    assert region_prefix(code) == prefix


def test_ancestors_by_pattern():
    assert ancestors_of("440106") == ["440100", "440000", "100000"]
    assert ancestors_of("440100") == ["440000", "100000"]
    assert ancestors_of("100000") == []


def test_province_officer_covers_subtree_not_siblings():
    s = Scope(Role.OFFICER, "440000")
    assert s.covers("440000") and s.covers("440300") and s.covers("440106")
    assert not s.covers("320000") and not s.covers("320102") and not s.covers("100000")
    assert s.reads_region("100000")  # the national aggregate (parent comparison)
    assert not s.reads_region("450000")


def test_prefecture_officer_reads_ancestors_but_not_cousins():
    s = Scope(Role.OFFICER, "440100")
    assert s.covers("440106") and not s.covers("440300") and not s.covers("440000")
    assert s.reads_region("440000") and s.reads_region("100000")
    assert not s.reads_region("440300") and not s.reads_region("440304")


def test_analyst_reads_but_does_not_write():
    s = Scope(Role.ANALYST, "440000")
    assert s.reads_statistics and not s.writes and s.covers("440100")


def test_enterprise_sees_only_itself():
    s = Scope(Role.ENTERPRISE, "440106", uscc="91440106MA59ABC018")
    assert not s.reads_statistics and not s.reads_region("440106") and not s.covers("440106")
    assert s.reads_enterprise("91440106MA59ABC018", "440106")
    assert not s.reads_enterprise("91320102MA59XYW02X", "440106")


def test_region_user_sees_enterprises_located_in_subtree():
    s = Scope(Role.OFFICER, "440100")
    assert s.reads_enterprise("any", "440106")
    assert not s.reads_enterprise("any", "320102")
    assert not s.reads_enterprise("any", None)


def test_admin_sees_everything():
    s = Scope(Role.ADMIN)
    assert s.covers("320102") and s.reads_region("650000") and s.reads_enterprise("x", None)
    assert s.sql_region_filter() == ("TRUE", [])
    assert Scope(Role.OFFICER, "440100").sql_region_filter("e.region") == ("starts_with(e.region, ?)", ["4401"])
