"""Industries: the 41 divisions, sections, NBS groupings, imported classes."""

from pathlib import Path

from yacang.catalog.imports import import_industries
from yacang.catalog.industries import (
    EQUIPMENT,
    HIGH_TECH,
    IndustryCatalog,
    divisions,
    in_grouping,
    section_of,
)


def test_41_divisions_by_section() -> None:
    ds = divisions()
    assert len(ds) == 41
    assert next(d.code for d in ds) == "06" and [d.code for d in ds][-1] == "46"
    by_section = {s: sum(d.parent == s for d in ds) for s in "BCD"}
    assert by_section == {"B": 7, "C": 31, "D": 3}
    assert section_of("3612") == "C"


def test_groupings() -> None:
    assert in_grouping("36", EQUIPMENT) and not in_grouping("31", EQUIPMENT)
    assert in_grouping("2710", HIGH_TECH) and in_grouping("3741", HIGH_TECH)
    assert not in_grouping("3611", HIGH_TECH)
    assert HIGH_TECH.source.startswith("《高技术产业（制造业）分类（2017）》")


def test_find_tolerates_wind_name_variants() -> None:
    cat = IndustryCatalog()
    assert cat.find("化学原料及化学制品制造业").code == "26"
    assert cat.find("电气机械及器材制造业").code == "38"


def test_import_gbt4754(shared_data: Path, yacang_home: Path) -> None:
    s = import_industries(shared_data / "industry_classification_gbt4754_2017/gbt4754_2017.csv")
    # PROVENANCE: 20 门类, 97 大类, 473 中类, 1,381 小类 after its stated fixes
    assert s.by_level == {"section": 20, "division": 97, "group": 473, "class": 1381}
    cat = IndustryCatalog.load()
    assert cat.name("3612") == "新能源车整车制造"
    assert [i.code for i in cat.ancestors("3612")] == ["361", "36", "C", "TOTAL"]


def test_the_non_industrial_divisions_projects_use_have_their_names(shared_data: Path) -> None:
    """65 软件和信息技术服务业 (a 重大项目's industry) has its GB/T 4754-2017 name, as the standard's own list
    gives it, without becoming one of the 41 industrial divisions."""
    import csv

    from yacang.catalog.industries import IndustryError, division_codes

    path = shared_data / "industry_classification_gbt4754_2017/gbt4754_2017.csv"
    standard = {r["code"]: r["name"] for r in csv.DictReader(path.open(encoding="utf-8")) if r["level_name"] == "大类"}
    cat = IndustryCatalog()
    for code in ("63", "64", "65", "73", "75"):
        assert cat.name(code) == standard[code], code
    assert cat.name("65") == "软件和信息技术服务业"
    assert "65" not in division_codes() and len(division_codes()) == 41
    assert [i.code for i in cat.by_level("division")] == division_codes()
    import pytest

    with pytest.raises(IndustryError):
        section_of("6510")  # not industrial: no 门类 B/C/D


def test_industry_labels() -> None:
    cat = IndustryCatalog()
    assert cat.label("65") == "软件和信息技术服务业（65）"
    assert cat.label("39") == "计算机、通信和其他电子设备制造业（39）"
    assert cat.label("3612") == "3612（属汽车制造业）"  # a class not imported: its division says what it is
    assert cat.label("99") == "99" and cat.label("") == ""
