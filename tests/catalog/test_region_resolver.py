"""The one region resolver: codes and names at any level, short forms, candidates for ambiguous names."""

from __future__ import annotations

import pytest

from yacang.catalog.regions import (
    RegionCatalog,
    RegionError,
    is_descendant,
    parent_code,
    province_code,
    resolve_region,
    short_forms,
)


@pytest.fixture()
def imported(yacang_home, shared_data):
    from yacang.catalog.imports import import_regions

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)
    return RegionCatalog.load()


@pytest.mark.parametrize(("text", "code"), [
    ("内蒙古", "150000"), ("内蒙古自治区", "150000"), ("150000", "150000"), ("广西", "450000"),
    ("全国", "100000"), (" 广东省 ", "440000"),
])
def test_provinces_without_an_import(text, code, yacang_home):
    assert resolve_region(text).code == code


@pytest.mark.parametrize(("text", "code"), [
    ("深圳", "440300"), ("深圳市", "440300"), ("延边", "222400"), ("延边朝鲜族自治州", "222400"),
    ("吉林市", "220200"), ("440305", "440305"), ("大兴安岭", "232700"),
])
def test_cities_and_counties_from_the_imported_list(imported, text, code):
    assert imported.resolve(text).code == code


def test_ambiguous_names_list_their_candidates(imported):
    with pytest.raises(RegionError) as exc:
        imported.resolve("朝阳区")
    assert {r.code for r in exc.value.candidates} == {"110105", "220104"}
    assert "朝阳区（110105）" in str(exc.value) and "朝阳区（220104）" in str(exc.value)
    with pytest.raises(RegionError) as exc:
        imported.resolve("吉林")  # 吉林省 or 吉林市
    assert {r.code for r in exc.value.candidates} == {"220000", "220200"}
    # narrowed: within a parent, at a level, or preferring the level of the rest of the table
    assert imported.resolve("朝阳区", within="110000").code == "110105"
    assert imported.resolve("吉林", level="province").code == "220000"
    assert imported.resolve("吉林", prefer_level="prefecture").code == "220200"


def test_unknown_code_and_name(imported):
    with pytest.raises(RegionError, match="代码不存在：999999"):
        imported.resolve("999999")
    with pytest.raises(RegionError, match="6位数字"):
        imported.resolve("12345")
    with pytest.raises(RegionError, match="未知的地区名称：火星"):
        imported.resolve("火星")


def test_short_forms():
    assert short_forms("深圳市") == {"深圳"}
    assert short_forms("黔东南苗族侗族自治州") == {"黔东南"}
    assert short_forms("南山区") == {"南山"}
    assert short_forms("和县") == set()  # a one-character stem is not a name
    assert resolve_region("新疆").code == "650000"  # provinces' short names are the built-in table's


def test_code_arithmetic():
    assert parent_code("440305") == "440300" and parent_code("440300") == "440000" and parent_code("440000") == "100000"
    assert parent_code("100000") is None
    assert province_code("440305") == "440000" and province_code("100000") is None
    assert is_descendant("440305", "440000") and is_descendant("440305", "440300") and is_descendant("440000", "100000")
    assert not is_descendant("440000", "440000") and not is_descendant("450100", "440000")
    assert not is_descendant("440300", "440305")


def test_cli_find_and_regions_by_name(imported):
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["catalog", "find", "深圳"])
    assert ok.exit_code == 0 and "440300 深圳市（地级；上级 广东省）" in ok.output
    amb = runner.invoke(app, ["catalog", "find", "朝阳区"])
    assert amb.exit_code == 1 and "110105" in amb.output and "220104" in amb.output
    assert "110105" in runner.invoke(app, ["catalog", "find", "朝阳区", "--within", "北京"]).output
    kids = runner.invoke(app, ["catalog", "regions", "--parent", "江苏"])
    assert kids.exit_code == 0 and "320100" in kids.output and "南京市" in kids.output
