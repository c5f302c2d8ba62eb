"""Regions: the built-in 34 provinces, imported prefectures/counties, hierarchy queries."""

from pathlib import Path

import pytest

from yacang.catalog.imports import CatalogImportError, import_regions
from yacang.catalog.regions import RegionCatalog, RegionError, level_of, mainland_provinces, provinces


def test_builtin_provinces() -> None:
    ps = provinces()
    assert len(ps) == 34
    assert len(mainland_provinces()) == 31
    by_code = {p.code: p for p in ps}
    assert by_code["440000"].short_name == "广东"
    assert by_code["220000"].nbs_region == "东北"
    assert by_code["410000"].nbs_region == "中部"
    assert by_code["510000"].nbs_region == "西部"
    assert {p.nbs_region for p in mainland_provinces()} == {"东部", "中部", "西部", "东北"}
    # NBS: 东部10, 中部6, 西部12, 东北3
    counts = {r: sum(p.nbs_region == r for p in mainland_provinces()) for r in ("东部", "中部", "西部", "东北")}
    assert counts == {"东部": 10, "中部": 6, "西部": 12, "东北": 3}


def test_level_of() -> None:
    assert level_of("440000") == "province"
    assert level_of("440300") == "prefecture"
    assert level_of("440305") == "county"
    with pytest.raises(RegionError):
        level_of("44030")


def test_import_gbt2260_2024(shared_data: Path, yacang_home: Path) -> None:
    summary = import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)
    # PROVENANCE: 2024 has 333 prefecture-level and 2,846 county-level codes
    assert summary.by_level == {"prefecture": 333, "county": 2846}
    cat = RegionCatalog.load()
    assert cat.name("440305") == "南山区"
    assert [r.code for r in cat.ancestors("440305")] == ["440300", "440000", "100000"]
    assert "440300" in {r.code for r in cat.children("440000")}
    assert cat.get("440300").level == "prefecture"
    # municipalities: districts hang directly under the province when no xx0100 code exists that year
    assert cat.get("110101").parent in {"110100", "110000"}
    assert "440305" in cat.subtree_codes("440000")


def test_import_older_year_differs(shared_data: Path, yacang_home: Path) -> None:
    s2010 = import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2010)
    assert s2010.year == 2010
    assert s2010.by_level["county"] != 2846


def test_bad_region_list_names_row(tmp_path: Path, yacang_home: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("code,name\n440100,广州市\n4401X0,坏代码\n", encoding="utf-8")
    with pytest.raises(CatalogImportError) as exc:
        import_regions(f)
    assert "第3行" in str(exc.value) and "4401X0" in str(exc.value)


def test_plain_mca_list_and_gbk(tmp_path: Path, yacang_home: Path) -> None:
    f = tmp_path / "mca.txt"
    f.write_bytes("440000 广东省\n440300 深圳市\n440305 南山区\n".encode("gbk"))
    s = import_regions(f)
    assert s.by_level == {"prefecture": 1, "county": 1}
    assert RegionCatalog.load().get("440305").parent == "440300"


def test_ancestor_at_by_code_pattern() -> None:
    from yacang.catalog.regions import ancestor_at

    assert ancestor_at("330203", "prefecture") == "330200"  # 海曙区 → 宁波市
    assert ancestor_at("330203", "province") == "330000"
    assert ancestor_at("330200", "prefecture") == "330200"
    assert ancestor_at("330000", "prefecture") == "330000"  # not below that level: itself


def test_imported_list_read_once_per_version(tmp_path) -> None:
    import os

    import pandas as pd

    from yacang.catalog.regions import RegionCatalog

    (tmp_path / "catalog").mkdir()
    path = tmp_path / "catalog" / "regions.parquet"
    rows = [("330200", "宁波市", "prefecture", "330000")]
    pd.DataFrame(rows, columns=["code", "name", "level", "parent"]).to_parquet(path)
    first = RegionCatalog.load(tmp_path)
    assert RegionCatalog.load(tmp_path) is first and first.name("330200") == "宁波市"
    rows.append(("330203", "海曙区", "county", "330200"))  # a re-import replaces the file
    pd.DataFrame(rows, columns=["code", "name", "level", "parent"]).to_parquet(path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    again = RegionCatalog.load(tmp_path)
    assert again is not first and again.name("330203") == "海曙区"


def test_one_rule_names_a_municipal_district_code_everywhere() -> None:
    """A 直辖市's 市辖区 code (310100), which the recent GB/T 2260 lists omit, reads 上海市 in the dispatch lists,
    the pages and the alert messages alike (the demo's alerts said “310100 2022年1-12月…”)."""
    import pandas as pd

    from yacang.alerts.fact_table import names_for
    from yacang.catalog.regions import region_name

    assert region_name("310100") == "上海市" and region_name("500100") == "重庆市" and region_name("440000") == "广东省"
    assert region_name("449900") == "449900"  # nothing names it: the code stays
    assert names_for(pd.Series(["310100", "310100/36", "449900/36"])).tolist() == ["上海市", "上海市汽车制造业", "449900/36"]
