"""A run's id names what it computed: runs that differ in an option that changes scores (``--month-yoy``)
are both kept and listed, each with its own scores; a rerun with identical inputs changes nothing."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from tests.evaluation.test_cli import run
from yacang.evaluation.real_data import province_input
from yacang.evaluation.runs import province_run, run_id
from yacang.evaluation.system import load_system
from yacang.warehouse import evaluation as tables

BEIJING = "110000"
# 北京 2022 当月同比, Feb–Dec (province_iva_yoy_monthly_2015_2024.csv; 北京 publishes no 累计 there):
# 3.1 8.1 −31.1 −39.6 −25.4 −21.8 −22.8 −21.0 −12.4 −16.4 −13.9, Σ = −193.2, mean −193.2 / 11
BEIJING_ESTIMATE = -193.2 / 11


def _iva(wh, rid: str, region: str) -> dict:
    it = tables.items(wh, rid, region)
    return it[it["indicator"] == "iva_ytd"].iloc[0].to_dict()


def test_the_id_changes_with_what_changes_the_scores(shared_data):
    s = load_system("wenzengzhang")
    est = province_input(2022, shared_data, national_iva=3.6)
    gap = province_input(2022, shared_data, national_iva=3.6, month_yoy="gap")
    opts = {"method": "wsum", "data_kind": "real", "draws": 0, "spread": 0.2, "seed": 2022}
    a = run_id(s, est, **opts)
    assert a.startswith("wenzengzhang|wsum|province|2022|real|")
    assert run_id(s, province_input(2022, shared_data, national_iva=3.6), **opts) == a  # same inputs, same id
    assert run_id(s, gap, **opts) != a  # 6 provinces' values are gaps instead of estimates
    assert run_id(s, est, **{**opts, "method": "topsis"}) != a
    assert run_id(s, est, **{**opts, "draws": 300}) != a  # rank intervals stored with the scores
    assert run_id(s, province_input(2022, shared_data, national_iva=4.6), **opts) != a  # thresholds moved
    heavier = replace(s, indicators=(replace(s.indicators[0], weight=(s.indicators[0].weight or 0.5) * 2),
                                     *s.indicators[1:]))
    assert run_id(heavier, est, **opts) != a
    assert run_id(replace(s, source_path="/elsewhere/wenzengzhang.yaml"), est, **opts) == a  # the file's place


def test_rerunning_the_same_inputs_changes_nothing(wh, shared_data):
    first = province_run(wh, 2022, shared_data, draws=0, month_yoy="gap")
    before = (wh.count("eval_runs"), wh.count("eval_scores"), wh.count("eval_items"))
    again = province_run(wh, 2022, shared_data, draws=0, month_yoy="gap")
    assert again.run_id == first.run_id
    assert (wh.count("eval_runs"), wh.count("eval_scores"), wh.count("eval_items")) == before == (1, 31, 31 * 5)


def test_two_month_yoy_options_are_both_kept_with_their_own_scores(yacang_home, shared_data):
    r1 = run("evaluate", "run", "--year", "2022", "--data", str(shared_data), "--draws", "0")
    r2 = run("evaluate", "run", "--year", "2022", "--data", str(shared_data), "--draws", "0", "--month-yoy", "gap")
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    from yacang.cli.common import open_warehouse

    with open_warehouse(read_only=True) as wh:
        runs = tables.runs(wh)
        assert len(runs) == 2
        by_source = {("缺值" in s): rid for s, rid in zip(runs["source"], runs["run_id"], strict=True)}
        est, gap = _iva(wh, by_source[False], BEIJING), _iva(wh, by_source[True], BEIJING)
    assert est["value"] == pytest.approx(BEIJING_ESTIMATE) and not est["imputed"]
    assert pd.isna(gap["value"]) and gap["imputed"]  # a gap, filled by the system's policy for scoring
    listed = run("evaluate", "list")
    assert listed.exit_code == 0 and all(rid in listed.output for rid in by_source.values())
    e = run("evaluate", "explain", "--region", "北京", "--year", "2022", "--run", by_source[True])
    assert e.exit_code == 0 and "缺值" in e.output, e.output
