"""Cross-check of the posts' facts against the NBS national IVA 累计同比 in the warehouse."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from tests.policy.helpers import APRIL_POST, XIAO_POST, load_nbs_iva, nbs_ytd
from yacang.policy.clean import read_document
from yacang.policy.crosscheck import AGREE, DIFFER, NO_DATA, check_facts
from yacang.policy.facts import extract_facts
from yacang.warehouse import Warehouse


@pytest.fixture(scope="module")
def nbs_wh(shared_data):
    """A warehouse holding the NBS export of national 规上工业增加值 (当月 and 累计同比)."""
    w = Warehouse.memory()
    load_nbs_iva(w, shared_data)
    yield w
    w.close()


def _checked(wh, seeds):
    facts = []
    for name in (XIAO_POST, APRIL_POST):
        doc = read_document(seeds / name)
        facts += extract_facts(doc.text, doc.date)
    return {(f.subject, f.measure, f.period, f.value): c for f, c in zip(facts, check_facts(wh, facts), strict=True)}, facts


def test_published_iva_growth_agrees_with_nbs(nbs_wh, seeds, shared_data):
    wh = nbs_wh
    assert nbs_ytd(shared_data, "2021-12") == 9.6 and nbs_ytd(shared_data, "2022-03") == 6.5
    checks, _ = _checked(wh, seeds)
    full_year = checks[("规模以上工业增加值", "ytd_yoy", "2021-12", 9.6)]
    assert full_year.status == AGREE and full_year.data_value == 9.6
    assert full_year.series_id == "nbs:iva.ytd_yoy.100000.TOTAL"
    q1 = checks[("规模以上工业增加值", "ytd_yoy", "2022-03", 6.5)]
    assert q1.status == AGREE and q1.data_value == 6.5


def test_derived_statements_are_recomputed(nbs_wh, seeds, shared_data):
    wh = nbs_wh
    g21, g20 = nbs_ytd(shared_data, "2021-12"), nbs_ytd(shared_data, "2020-12")  # 9.6 and 2.8
    checks, _ = _checked(wh, seeds)
    two_year = checks[("规模以上工业增加值", "two_year_avg", "2021-12", 6.1)]
    by_hand = (math.sqrt((1 + g21 / 100) * (1 + g20 / 100)) - 1) * 100  # 6.15
    assert two_year.status == AGREE and abs(two_year.data_value - by_hand) < 0.01
    change = checks[("规模以上工业增加值", "diff_pp", "2021", 6.8)]  # 比2020年提高6.8个百分点
    assert change.status == AGREE and abs(change.data_value - (g21 - g20)) < 1e-9


def test_statements_without_data_and_differences(nbs_wh, seeds):
    wh = nbs_wh
    checks, facts = _checked(wh, seeds)
    assert checks[("规模以上中小工业企业增加值", "ytd_yoy", "2022-03", 7.8)].status == NO_DATA
    assert checks[("制造业增加值规模", "value", "2021", 31.4)].status == NO_DATA
    assert checks[("规模以上工业增加值", "diff_pp", "2022Q1", 2.6)].status == NO_DATA  # needs 2021Q4 当季
    wrong = replace(next(f for f in facts if f.value == 9.6 and f.measure == "ytd_yoy"), value=9.8)
    (c,) = check_facts(wh, [wrong])
    assert c.status == DIFFER and c.data_value == 9.6


def test_empty_warehouse_has_no_data(wh, seeds):
    checks, _ = _checked(wh, seeds)
    assert {c.status for c in checks.values()} == {NO_DATA}


def _wind_value(shared_data, file: str, code: str, month: str) -> float:
    import csv

    with (shared_data / "national_industry_monthly_wind" / file).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["series_id"] == code and row["date"] == month:
                return float(row["value"])
    raise KeyError((code, month))


@pytest.mark.slow
def test_manufacturing_and_export_growth_agree_with_wind(seeds, shared_data):
    """制造业 9.8% (2021) and 出口交货值 14.4% (2022 一季度) against Wind's 累计同比 (IVA024, EXD075)."""
    from yacang.warehouse.load import load_file

    assert _wind_value(shared_data, "iva_monthly.csv", "IVA024", "2021-12") == 9.8
    assert _wind_value(shared_data, "export_delivery_value_monthly.csv", "EXD075", "2022-03") == 14.4
    w = Warehouse.memory()
    try:
        for name in ("iva_monthly.csv", "export_delivery_value_monthly.csv"):
            load_file(w, shared_data / "national_industry_monthly_wind" / name)
        checks, _ = _checked(w, seeds)
    finally:
        w.close()
    mfg = checks[("制造业增加值", "ytd_yoy", "2021-12", 9.8)]
    assert mfg.status == AGREE and mfg.data_value == 9.8 and mfg.series_id.startswith("wind:iva.ytd_yoy.100000.C")
    exd = checks[("规模以上工业企业出口交货值", "ytd_yoy", "2022-03", 14.4)]
    assert exd.status == AGREE and exd.data_value == 14.4
