"""The nowcast names the indicators each model used and those it lacked (with the reason), on a small
warehouse loaded from the shared NBS/Wind files with one month's PPI or PMI left out; its period
goes through the one period parser."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yacang.analysis.nowcast import WorkdayBridgeNowcaster, default_combination, information_set, nowcast
from yacang.cli import app
from yacang.periods import PeriodError

WIND = "national_industry_monthly_wind"
IVA = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"


def _without(shared_data: Path, folder: Path, name: str, drop: dict[str, str]) -> Path:
    """A copy of a shared Wind file (with its catalogue) without the rows ``series_id → date`` in ``drop``."""
    folder.mkdir(exist_ok=True)
    shutil.copy(shared_data / WIND / "series_catalog.csv", folder / "series_catalog.csv")
    frame = pd.read_csv(shared_data / WIND / name, dtype=str)
    gone = pd.Series(False, index=frame.index)
    for series_id, date in drop.items():
        gone |= (frame["series_id"] == series_id) & (frame["date"] == date)
    assert gone.sum() == len(drop)  # each dropped row existed
    frame[~gone].to_csv(folder / name, index=False)
    return folder / name


def _ingest(*files: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", *map(str, files)])
    assert result.exit_code == 0, result.output


@pytest.fixture()
def no_december_ppi(yacang_home: Path, shared_data: Path, tmp_path: Path) -> Path:
    """NBS 工业增加值 (to 2026-02), Wind PMI (to 2025-12) and Wind PPI without 2025-12."""
    ppi = _without(shared_data, tmp_path / "ppi", "ppi_ppirm_monthly.csv", {"PPI001": "2025-12"})
    _ingest(shared_data / IVA, shared_data / WIND / "pmi_and_sales_output_ratio_monthly.csv", ppi)
    return yacang_home


def test_missing_ppi_is_named_with_the_models_that_read_it(no_december_ppi: Path) -> None:
    from yacang.analysis.data import inputs_from_warehouse
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse

    with Warehouse.open(get_settings().warehouse_path, read_only=True) as wh:
        inputs = inputs_from_warehouse(wh)
    p = pd.Period("2025-12", "M")
    assert pd.isna(inputs.indicators.loc[p, "ppi"]) and inputs.indicators.loc[p - 1, "ppi"] == pytest.approx(-2.2)
    models = [WorkdayBridgeNowcaster(), *default_combination()]  # only the first reads PPI
    res = nowcast(inputs, "2025-12", models, as_of=dt.date(2026, 1, 5))
    by_key = {s.key: s for s in res.indicators}
    assert list(by_key) == ["pmi_output", "ppi"]
    ppi = by_key["ppi"]
    # PPI of December comes out around 10 January (NBS calendar): on 5 January it is not out yet
    assert (ppi.state, ppi.month, ppi.due, ppi.models) == ("unpublished", p, dt.date(2026, 1, 10), ("工作日同比变动桥接",))
    assert ppi.reason == "2025年12月的PPI当月同比按发布日历约2026年1月10日发布，尚未发布"
    pmi = by_key["pmi_output"]
    assert pmi.used and pmi.models == ("工作日同比变动桥接", "Δ同比桥接(PMI生产环比变动)", "Δ同比桥接(PMI生产同比变动)")
    assert res.used == ["PMI:生产"] and res.missing == ["PPI当月同比"]
    assert res.model_indicators("工作日同比变动桥接") == (["PMI:生产"], [ppi])
    assert res.model_words("AR(1)") == "无（只用历史同比）"
    assert res.model_words("工作日同比变动桥接") == "PMI:生产（缺：" + ppi.reason + "）"
    # the bridge really ran without PPI: the same as the bridge that never reads it
    alone = WorkdayBridgeNowcaster(columns=("pmi_output",)).nowcast(information_set(inputs, p), p)
    assert res.by_model["工作日同比变动桥接"] == pytest.approx(alone, abs=1e-9)
    # after the 10th the same gap is data not loaded, not a release still to come
    late = nowcast(inputs, "2025-12", models, as_of=dt.date(2026, 1, 20))
    assert late.indicators[1].state == "missing"
    assert late.indicators[1].reason == "2025年12月的PPI当月同比按发布日历应已于约2026年1月10日发布，数据中尚无，请导入最新数据"
    # November has every value: nothing absent
    full = nowcast(inputs, "2025-11", models, as_of=dt.date(2026, 1, 5))
    assert [s.state for s in full.indicators] == ["used", "used"] and full.absent == []


def test_the_cli_prints_and_writes_what_each_model_lacked(yacang_home: Path, shared_data: Path, tmp_path: Path) -> None:
    """Without December's PMI 生产 the JSON and the CSV name it, with the two bridges that read it."""
    pmi = _without(shared_data, tmp_path / "pmi", "pmi_and_sales_output_ratio_monthly.csv", {"PMI002": "2025-12"})
    _ingest(shared_data / IVA, pmi)
    runner = CliRunner(env={"COLUMNS": "200"})
    r = runner.invoke(app, ["analysis", "nowcast", "--period", "2025-12", "--json"])
    assert r.exit_code == 0, r.output
    alert = json.loads(r.output)
    (status,) = alert["indicators"]
    assert status["label"] == "PMI:生产" and status["month"] == "2025-12" and status["due"] == "2025-12-31"
    assert status["models"] == ["Δ同比桥接(PMI生产环比变动)", "Δ同比桥接(PMI生产同比变动)"]
    assert status["state"] == "missing"  # today is after 31 December 2025
    assert "PMI:生产" in alert["warning"]
    out = tmp_path / "out"
    r = runner.invoke(app, ["analysis", "nowcast", "--no-bands", "--period", "2025-12", "--out", str(out)])
    assert r.exit_code == 0, r.output
    with (out / "nowcast_indicators.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(row["指标"], row["状态"], row["所需时期"]) for row in rows] == [("PMI:生产", "应已发布但尚无数据", "2025-12")]
    assert rows[0]["使用模型"] == "Δ同比桥接(PMI生产环比变动)、Δ同比桥接(PMI生产同比变动)"
    assert "所用先行指标：无（2025年12月的PMI:生产按发布日历应已于约2025年12月31日发布" in r.output


@pytest.mark.parametrize(("text", "code"), [("2025-12", "2025-12"), ("2025年12月", "2025-12"), ("202512", "2025-12"),
                                            ("2025-01", "2025-02"), ("2025-02", "2025-02"), ("2025-01/02", "2025-02"),
                                            ("2025年1-2月", "2025-02"), ("2012-01", "2012-01")])
def test_release_period_by_the_one_parser(text: str, code: str) -> None:
    from yacang.analysis.nowcast import release_period

    period, note = release_period(text)
    assert period == pd.Period(code, "M")
    assert (note is not None) == (text in ("2025-01", "2025-02"))  # the 1-2月 rule says what it did


@pytest.mark.parametrize(("text", "words"), [("2025-13", "应为月份"), ("2025Q1", "是2025年一季度"),
                                             ("2025", "是2025年"), ("2025-03-04", "是2025年3月4日"),
                                             ("下个月", "应为月份")])
def test_bad_periods_are_refused_in_chinese(text: str, words: str) -> None:
    from yacang.analysis.nowcast import release_period

    with pytest.raises(PeriodError, match=words):
        release_period(text)


def test_the_cli_refuses_a_bad_period_and_reads_jan_feb(yacang_home: Path, shared_data: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["analysis", "nowcast", "--period", "2025Q1"])
    assert r.exit_code == 1 and "--period 无效：现时预测按月进行，“2025Q1”是2025年一季度；请给出月份，如 2025-03" in r.output
    _ingest(shared_data / IVA, shared_data / WIND / "pmi_and_sales_output_ratio_monthly.csv")
    for text in ("2025-01", "2025年1-2月"):
        r = runner.invoke(app, ["analysis", "nowcast", "--period", text, "--json"])
        assert r.exit_code == 0, r.output
        alert = json.loads(r.output)
        assert alert["period"] == "2025-01/02" and alert["message"].startswith("回溯（2025年1-2月已发布）")
        assert alert["actual"] == 5.9  # NBS: 1-2月份规模以上工业增加值同比增长5.9%
        assert alert["change"] == pytest.approx(round(alert["value"] - 6.2, 1), abs=0.11)  # 2024-12: 6.2 %


def test_a_value_without_enough_history_is_named_unused() -> None:
    """A loaded indicator whose value is there but whose history is too short for an equation: the bridge
    that reads it says it left it out, and the status is 'unused' when no model could use it."""
    import numpy as np

    from yacang.analysis.nowcast import AR1, BridgeNowcaster, NowcastInputs

    rng = np.random.default_rng(3)
    idx = pd.period_range("2004-01", "2012-12", freq="M")
    pmi = pd.Series(50 + rng.normal(0, 1.5, len(idx)), index=idx)
    level = np.cumsum(0.006 + 0.01 * (pmi.to_numpy() - 50))
    yoy = pd.Series(100 * np.expm1(level[12:] - level[:-12]), index=idx[12:])
    short = pd.Series(rng.normal(0, 1, 12), index=idx[-12:])  # one year: fewer than the 36 releases needed
    inputs = NowcastInputs.build(yoy, {"pmi": pmi, "hf": short}, {"pmi": "制造业PMI", "hf": "高频开工率"},
                                 merge_all_jan_feb=False)
    bridge = BridgeNowcaster()
    res = nowcast(inputs, "2012-12", [bridge, AR1()], as_of=dt.date(2013, 1, 20))
    assert set(bridge.last) == {"pmi"}  # the equation of hf was not estimated
    pmi_s, hf_s = res.indicators
    assert (pmi_s.state, hf_s.state, hf_s.skipped_by) == ("used", "unused", ("桥接回归",))
    assert hf_s.reason == "2012年12月的高频开工率已有，但历史数据不足，无法估计其方程，未用"
    assert res.used == ["制造业PMI"] and res.missing == [] and res.warning == ""
    assert res.model_words("桥接回归").startswith("制造业PMI（缺：2012年12月的高频开工率已有，但历史数据不足")
