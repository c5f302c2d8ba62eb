"""Cross-check by measure and period against the shared national data (NBS export and Wind).

The hand-listed facts of the real NBS and MIIT texts (tests/fixtures/policy/real/*.facts.csv) are
checked: none may be 不一致 except the one figure the source itself misprints.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.policy.helpers import APRIL_POST, XIAO_POST, nbs_ytd
from yacang.policy.clean import read_document
from yacang.policy.crosscheck import AGREE, DIFFER, NO_DATA, Checker, check_facts
from yacang.policy.release_facts import extract_facts
from yacang.warehouse import Warehouse

REAL = Path(__file__).parents[1] / "fixtures" / "policy" / "real"
NBS_FILES = ("98年-26年2月规上工业增加值增长速度.csv", "98年-26年2月工业生产者出厂价格指数.csv")
WIND_FILES = ("iva_monthly.csv", "export_delivery_value_monthly.csv", "industrial_enterprise_finance_monthly.csv",
              "pmi_and_sales_output_ratio_monthly.csv", "ppi_ppirm_monthly.csv")


@dataclass(frozen=True)
class Listed:
    key: str
    region: str
    measure: str
    period: str
    value: float
    reference: str
    fragment: str
    file: str


@pytest.fixture(scope="module")
def national(shared_data):
    """The shared national data: the NBS data-portal exports and the Wind monthly tables."""
    from yacang.warehouse.load import load_file

    w = Warehouse.memory()
    for name in NBS_FILES:
        load_file(w, shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed" / name)
    for name in WIND_FILES:
        load_file(w, shared_data / "national_industry_monthly_wind" / name)
    yield w
    w.close()


def _listed(prefixes=("nbs_", "miit_")) -> list[list[Listed]]:
    docs = []
    with (REAL / "index.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if not r["file"].startswith(prefixes):
                continue
            with (REAL / f"{Path(r['file']).stem}.facts.csv").open(encoding="utf-8") as f:
                docs.append([Listed(x["indicator"], x["region"], x["measure"], x["period"], float(x["value"]),
                                    x["reference"], x["fragment"], r["file"]) for x in csv.DictReader(f)])
    return docs


def test_hand_listed_nbs_facts_give_no_false_differences(national):
    checker = Checker(national)
    verdicts: dict[str, list] = {AGREE: [], DIFFER: [], NO_DATA: []}
    for facts in _listed():
        for f, c in zip(facts, checker.check(facts), strict=True):
            verdicts[c.status].append((f, c))
    # the only 不一致: the MIIT copy misprints 装备制造业 4.7% as 47% ("同比增长47%"); Wind has 4.7
    assert [(f.file, f.key, f.value, c.data_value) for f, c in verdicts[DIFFER]] == [
        ("miit_2020_q3_press.txt", "iva/EQ", 47.0, 4.7)]
    assert len(verdicts[AGREE]) >= 150
    agreed = {(f.key, f.measure, f.period, f.value) for f, _ in verdicts[AGREE]}
    # a few, each checked against the source by hand (NBS export / Wind tables)
    assert ("iva", "ytd_yoy", "2020-01/02", -13.5) in agreed  # 1-2月 累计 kept by NBS at 2020-02
    assert ("iva", "yoy", "2022-04", -2.9) in agreed
    assert ("iva", "ytd_two_year_avg", "2021-12", 6.1) in agreed  # √(1.096×1.028)−1 = 6.15%
    assert ("iva", "vs_2019", "2021-12", 11.9) in agreed  # (1+4.3%)(1+7.3%)−1 = 11.9%
    assert ("iva", "ytd_diff_pp", "2022-04", -2.5) in agreed  # 4.0 − 6.5 (1-3月)
    assert ("sales_ratio", "diff_pp", "2019-07", 0.1) in agreed  # Wind's 同口径 change, not 98.3 − 98.0
    assert ("export_delivery", "value", "2019-05", 9975.0) in agreed  # Wind 9974.9 rounds to the stated 9975
    # 环比 is revised every month: a 2022 figure is not judged by a 2026 revision
    mom = [c for f, c in verdicts[NO_DATA] if f.measure == "mom"]
    assert mom and all("环比" in c.detail for c in mom) and any("修订" in c.detail for c in mom)


def test_two_year_average_and_difference_recomputed(national, shared_data, seeds):
    g21, g20 = nbs_ytd(shared_data, "2021-12"), nbs_ytd(shared_data, "2020-12")  # 9.6 and 2.8
    doc = read_document(seeds / XIAO_POST)
    facts = extract_facts(doc.text, doc.date)
    checks = {(f.key, f.measure): c for f, c in zip(facts, check_facts(national, facts), strict=True)}
    two_year = checks[("iva", "ytd_two_year_avg")]
    assert two_year.status == AGREE
    assert abs(two_year.data_value - (math.sqrt((1 + g21 / 100) * (1 + g20 / 100)) - 1) * 100) < 1e-3
    change = checks[("iva", "ytd_diff_pp")]  # 比2020年提高6.8个百分点
    assert change.status == AGREE and abs(change.data_value - (g21 - g20)) < 1e-9


def test_no_data_and_a_wrong_figure(national, seeds):
    doc = read_document(seeds / APRIL_POST)
    facts = extract_facts(doc.text, doc.date)
    checks = {(f.key, f.measure): c for f, c in zip(facts, check_facts(national, facts), strict=True)}
    assert checks[("iva/sme", "ytd_yoy")].status == NO_DATA
    assert checks[("iva", "ytd_diff_pp")].status == NO_DATA  # 高于去年四季度: no 当季 series
    wrong = replace(next(f for f in facts if f.key == "iva" and f.measure == "ytd_yoy"), value=6.7)
    (c,) = check_facts(national, [wrong])
    assert c.status == DIFFER and c.data_value == 6.5
    local = replace(wrong, region="")
    assert check_facts(national, [local])[0].status == NO_DATA  # a region the text does not name


def test_empty_warehouse_has_no_data(wh, seeds):
    doc = read_document(seeds / XIAO_POST)
    facts = extract_facts(doc.text, doc.date)
    assert {c.status for c in check_facts(wh, facts)} == {NO_DATA}
