"""Signal-light backtest against published NBS / 中国发展门户网 lights: agreement rules by hand, and the
real national series (loaded as ``yacang ingest`` does) measured against the cited episodes."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from tests.alerts.test_lights import load_national
from yacang.alerts.lights import ZONES, Lights, lights_from_warehouse
from yacang.alerts.lights_backtest import (
    EPISODES,
    MEMBER_SETS,
    Episode,
    agreement,
    backtest,
    subset_light,
    summary,
)


def test_agreement_by_hand():
    assert agreement("黄", "黄") == "是"
    assert agreement("黄", "绿") == "相差一档" and agreement("蓝", "浅蓝") == "相差一档"
    assert agreement("黄", "浅蓝") == "否" and agreement("红", "蓝") == "否"
    assert agreement("绿", None) == "无数据"


def test_subset_light_by_hand():
    # NBS 2007-09: 工业生产 红5 + 利润 绿3 + 进出口 绿3 = 11 of 3 → 预警指数 100·11/9 = 122.2 → 黄 (≥116.7)
    light, idx = subset_light([5, 3, 3])
    assert light == "黄" and round(idx, 1) == 122.2
    # NBS 2008-11: 蓝1 + 蓝1 + 浅蓝2 = 4 → 44.4 → 蓝 (< 66.7)
    assert subset_light([1, 1, 2]) == ("蓝", pytest.approx(400 / 9))
    # 2008-04: 绿 + 绿 → 100 → 绿
    assert subset_light([3, 3])[0] == "绿"


def test_every_counted_episode_is_cited():
    for ep in EPISODES:
        assert ep.light in ZONES and ep.start <= ep.end
        assert ("http" in ep.source) or not ep.verified, ep
    for ms in MEMBER_SETS:
        assert "http" in ms.source and all(v in ZONES for v in ms.lights.values())
    assert {ep.start for ep in EPISODES if not ep.verified} == {"2020-02"}  # the unsourced one, never counted


def _synthetic() -> Lights:
    idx = pd.period_range("2008-01", "2008-03", freq="M")
    scores = pd.DataFrame({"iva_yoy": [5.0, 3.0, 1.0], "export_yoy": [3.0, 3.0, np.nan]}, index=idx)
    comp = pd.DataFrame({"total": [8.0, 6.0, 1.0], "n": [2, 2, 1], "index": [133.3, 100.0, 33.3],
                         "light": ["红", "绿", "蓝"]}, index=idx)
    return Lights(scores.copy(), scores, {}, comp)


def test_backtest_rows_by_hand():
    eps = [Episode("2008-01", "2008-02", "黄", "综合", "统计局", "s"),
           Episode("2008-03", "2008-03", "蓝", "iva_yoy", "统计局", "s"),
           Episode("2008-03", "2008-03", "蓝", "export_yoy", "统计局", "s"),
           Episode("2008-01", "2008-01", "绿", "综合", "议题", "s", verified=False)]
    table = backtest(_synthetic(), eps, member_sets=[])
    assert table["本系统"].tolist() == ["红", "绿", "蓝", "无数据", "红"]
    assert table["一致"].tolist() == ["相差一档", "相差一档", "是", "无数据", "未核实"]
    assert summary(table) == {"综合": (0, 2, 2), "同口径子集综合": (0, 0, 0), "单项指标": (1, 1, 2)}


def acceptable(table: pd.DataFrame) -> list[str]:
    """What fails the acceptance on the published episodes (empty list = accepted).

    * like-for-like composites (published lights of the shared members, combined with the same bands):
      the same light in every month but one;
    * the members' own lights: the same light in at least 2 of 3 months, never more than one zone off
      except in one month;
    * NBS's ten-indicator composite (we lack six of its members): within one zone in every month, and on
      the right side of 绿 — never cold in 2007-08…2008-07, never warm in 2008-11…2009-02.
    """
    counts = summary(table)
    problems = []
    same, _, n = counts["同口径子集综合"]
    if n != len(MEMBER_SETS) or same < n - 1:
        problems.append(f"子集综合 {same}/{n}")
    same, near, n = counts["单项指标"]
    if 3 * same < 2 * n or near < n - 1:
        problems.append(f"单项指标 {same}/{near}/{n}")
    same, near, n = counts["综合"]
    if near < n:
        problems.append(f"综合相差超过一档 {n - near}")
    comp = table[table["对象"] == "综合"].set_index("月份")["本系统"]
    warm = ["2007年8月", "2007年9月", "2007年10月", "2007年11月", "2007年12月", "2008年1月", "2008年2月",
            "2008年3月", "2008年4月", "2008年6月", "2008年7月"]
    if any(comp[m] in ("浅蓝", "蓝", "无数据") for m in warm):
        problems.append("2007-08…2008-04 偏冷")
    if any(comp[m] in ("黄", "红", "无数据") for m in ("2008年11月", "2008年12月", "2009年2月")):
        problems.append("2008-11…2009-02 偏热")
    return problems


@pytest.fixture(scope="module")
def national(shared_data) -> Lights:
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    try:
        load_national(wh, shared_data)
        return lights_from_warehouse(wh)
    finally:
        wh.close()


@pytest.mark.slow
def test_real_backtest_agrees_with_published_episodes(national):
    table = backtest(national)
    assert acceptable(table) == [], table.drop(columns=["出处"]).to_string()
    got = {(r.对象, r.月份): r.本系统 for r in table.itertuples()}
    # the like-for-like facts NBS published (工业生产 红 in 2007-09 at 18.9 %; 蓝 in 2008-11/12 at 5.4/5.7 %)
    assert got[("工业生产", "2007年9月")] == "红" and got[("工业生产", "2008年4月")] == "绿"
    assert got[("利润", "2008年3月")] == "绿" and got[("利润", "2008年4月")] == "绿"
    assert got[("工业生产", "2008年11月")] == "蓝" and got[("工业生产", "2008年12月")] == "蓝"
    assert got[("工业生产", "2009年2月")] == "蓝"  # 1-2月 +3.8 %, not February alone (+11.0 %)
    # NBS 2008-01/02/04 绿 and the portal's 2008-09 绿
    for m in ("2008年1月", "2008年2月", "2008年4月", "2008年9月"):
        assert got[("综合", m)] == "绿", m
    # the unsourced 2020 months are shown, cold, and not counted
    rows2020 = table[table["月份"].str.startswith("2020")]
    assert set(rows2020["一致"]) == {"未核实"} and set(rows2020["本系统"]) <= {"蓝", "浅蓝"}


def _replace(lights: Lights, scores: pd.DataFrame, light: pd.Series) -> Lights:
    out = copy.copy(lights)
    out.scores = scores
    comp = lights.composite.copy()
    comp["light"] = light.reindex(comp.index)
    comp["index"] = 100 * scores.reindex(comp.index).mean(axis=1) / 3
    out.composite = comp
    return out


@pytest.mark.slow
def test_backtest_fails_for_uninformative_lights(national):
    """The acceptance cannot be met by all-绿, all-蓝 or year-late lights."""
    idx = national.composite.index
    flat = pd.DataFrame(3.0, index=national.scores.index, columns=national.scores.columns)
    all_green = _replace(national, flat, pd.Series("绿", index=idx))
    all_blue = _replace(national, flat - 2, pd.Series("蓝", index=idx))
    late = _replace(national, national.scores.shift(12), national.composite["light"].shift(12))
    for fake in (all_green, all_blue, late):
        assert acceptable(backtest(fake)) != []


@pytest.mark.slow
def test_cli_lights_backtest(yacang_home, shared_data):
    from typer.testing import CliRunner

    from yacang.cli import app
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse

    settings = get_settings()
    settings.ensure_home()
    wh = Warehouse.open(settings.warehouse_path)
    try:
        load_national(wh, shared_data)
    finally:
        wh.close()
    result = CliRunner().invoke(app, ["lights", "--backtest"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "回测" in result.output and "2008年12月" in result.output and "2020年2月" in result.output
    # published subsets by hand: 2007-09 黄, 2008-03/04 绿, 2008-11/12 蓝, 2009-02 蓝 agree; 2008-09 (portal) 黄 vs 绿
    assert "同口径子集综合一致 6/7" in result.output
    for url in ("lemofix.com", "chinabeverage.org", "chinagate.cn", "healinghandsltd.com"):
        assert url in result.output, url
    assert "2007–2009年各指标均有数据" in result.output
    with_pmi = CliRunner().invoke(app, ["lights", "--pmi", "--from", "2008-10", "--to", "2008-12"], env={"COLUMNS": "200"})
    assert with_pmi.exit_code == 0 and "制造业PMI" in with_pmi.output, with_pmi.output
    bad = CliRunner().invoke(app, ["lights", "--points", str(yacang_home / "missing.yaml")])
    assert bad.exit_code != 0 and "无法读取" in bad.output
