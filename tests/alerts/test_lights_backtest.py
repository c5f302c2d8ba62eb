"""Signal-light backtest against published NBS / CEMAC / CAS / 中经网 lights: agreement rules by hand, the
published index values recomputed from the published member lights, and the real national series (loaded
as ``yacang ingest`` does) measured against the cited episodes."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from tests.alerts.test_lights import load_national
from yacang.alerts.lights import ZONES, Lights, lights_from_warehouse, official_light
from yacang.alerts.lights_backtest import (
    COMPOSITE,
    EPISODES,
    INDUSTRY,
    MEMBER,
    MEMBER_SETS,
    NBS,
    NBS_TEN,
    RANGE,
    SUBSET,
    SYSTEM_MEMBERS,
    TEN,
    TEN_MEMBER_MONTHS,
    Episode,
    MemberLights,
    TenLights,
    agreement,
    backtest,
    subset_light,
    summary,
    ten_member_index,
)


def test_agreement_by_hand():
    assert agreement("黄", "黄") == "是"
    assert agreement("黄", "绿") == "相差一档" and agreement("蓝", "浅蓝") == "相差一档"
    assert agreement("黄", "浅蓝") == "否" and agreement("红", "蓝") == "否"
    assert agreement("绿", None) == "无数据"
    # a span fact "not cold": any of 绿/黄/红 agrees; 浅蓝 is one zone from 绿
    assert agreement("非冷", "红", ("绿", "黄", "红")) == "是"
    assert agreement("非冷", "浅蓝", ("绿", "黄", "红")) == "相差一档"


def test_subset_light_by_hand():
    # NBS 2007-09: 工业生产 红5 + 利润 绿3 + 进出口 绿3 = 11 of 3 → 预警指数 100·11/9 = 122.2 → 黄 (> 116.7)
    light, idx = subset_light([5, 3, 3])
    assert light == "黄" and round(idx, 1) == 122.2
    # NBS 2008-11: 蓝1 + 蓝1 + 浅蓝2 = 4 → 44.4 → 蓝 (< 66.7)
    assert subset_light([1, 1, 2]) == ("蓝", pytest.approx(400 / 9))
    # 2008-04: 绿 + 绿 → 100 → 绿; 中经网 2021-10: 蓝1 + 红5 + 绿3 = 9 → 100 → 绿
    assert subset_light([3, 3])[0] == "绿" and subset_light([1, 5, 3])[0] == "绿"


def test_published_member_lights_give_the_published_index():
    """NBS's ten published lights summed by our formula (100·Σ/30) give its published 预警指数 within 1.5 points.

    By hand: 2007-09 红红黄黄 + six 绿 = 5+5+4+4+18 = 36 → 120.0 (published 121.3); 2008-03 红黄黄 + seven 绿 =
    5+4+4+21 = 34 → 113.3 (113.3); 2008-04 黄黄黄 + seven 绿 = 33 → 110.0 (110.7); 2008-05 as 2008-03 → 113.3 (113.3).
    """
    expected = {"2007-09": 120.0, "2008-03": 113.3, "2008-04": 110.0, "2008-05": 113.3}
    for tm in TEN_MEMBER_MONTHS:
        assert sorted(tm.lights) == sorted(NBS_TEN)
        assert round(ten_member_index(tm.lights), 1) == expected[tm.month]
        assert abs(ten_member_index(tm.lights) - tm.index) <= 1.5, tm.month
        # and the light of the recomputed index is the light of the published one
        both = official_light(pd.Series([ten_member_index(tm.lights), tm.index]) * 3 / 100, pd.Series([1, 1]))
        assert both.iloc[0] == both.iloc[1], tm.month


def test_every_counted_episode_is_cited():
    for ep in EPISODES:
        assert (ep.light in ZONES or ep.allowed) and ep.start <= ep.end
        assert ("http" in ep.source) or not ep.verified, ep
    for ms in MEMBER_SETS:
        assert "http" in ms.source and all(v in ZONES for v in ms.lights.values())
    for tm in TEN_MEMBER_MONTHS:
        assert "http" in tm.source
    unverified = {(ep.start, ep.target) for ep in EPISODES if not ep.verified}
    assert unverified == {("2020-02", COMPOSITE), ("2013Q1", INDUSTRY)}  # shown, never counted


def _synthetic() -> Lights:
    idx = pd.period_range("2008-01", "2008-06", freq="M")
    scores = pd.DataFrame({"iva_yoy": [5.0, 3.0, 1.0, 3, 3, 3], "profit_ytd_yoy": [3.0, 3.0, 1.0, 2, 2, 2],
                           "export_yoy": [3.0, 3.0, np.nan, 2, 2, 2]}, index=idx)
    total = scores.sum(axis=1)
    comp = pd.DataFrame({"total": total, "n": scores.notna().sum(axis=1)}, index=idx)
    comp["index"] = 100 * comp["total"] / (3 * comp["n"])
    comp["light"] = official_light(comp["total"], comp["n"])
    return Lights(scores.copy(), scores, {}, comp)


def test_backtest_rows_by_hand():
    eps = [Episode("2008-01", "2008-02", "黄", COMPOSITE, NBS, "s"),
           Episode("2008-03", "2008-03", "蓝", "iva_yoy", NBS, "s"),
           Episode("2008-03", "2008-03", "蓝", "export_yoy", NBS, "s"),
           Episode("2008Q2", "2008Q2", "浅蓝", INDUSTRY, NBS, "s"),
           Episode("2008-01", "2008-03", "非冷", COMPOSITE, NBS, "s", allowed=("绿", "黄", "红")),
           Episode("2008-01", "2008-01", "绿", COMPOSITE, "议题", "s", verified=False)]
    ms = [MemberLights("2008-01", {"iva_yoy": "红", "export_yoy": "绿"}, NBS, "s")]
    ten = [TenLights("2008-02", 120.0, {n: ("黄" if n in ("财政收入", "CPI", "工业生产") else "绿") for n in NBS_TEN}, "s")]
    table = backtest(_synthetic(), eps, member_sets=ms, ten_months=ten)
    # 2008-01 members 5,3,3 → 122.2 黄; 2008-02 3,3,3 → 100 绿; iva 2008-03 蓝; export 2008-03 missing;
    # 2008Q2: three months of (3+2+2)/3 → index 77.8 → 浅蓝; span 2008-01..03: 黄, 绿, 2008-03 (1,1,–) no data;
    # ten-member swap 2008-02: published 财政黄 CPI黄 + ours 3,3,3 + five 绿 → 32 → 106.7 绿 vs published 120 黄
    assert table["本系统"].tolist() == ["黄", "绿", "蓝", "无数据", "浅蓝", "黄", "绿", "无数据", "黄", "绿", "黄"]
    assert table["一致"].tolist() == ["是", "相差一档", "是", "无数据", "是", "是", "是", "无数据", "未核实", "相差一档", "是"]
    assert table.loc[table["类别"] == INDUSTRY, "预警指数/值"].tolist() == [77.8]
    assert summary(table) == {COMPOSITE: (1, 2, 2), RANGE: (2, 2, 3), TEN: (0, 1, 1), INDUSTRY: (1, 1, 1),
                              SUBSET: (1, 1, 1), MEMBER: (1, 1, 2)}
    collapsed = backtest(_synthetic(), eps, member_sets=ms, ten_months=ten, collapse=True)
    span = collapsed[collapsed["类别"] == RANGE].iloc[0]
    assert span["本系统"] == "符合2/3个月" and span["一致"] == "不符1个月" and span["成员"] == "不符：2008年3月无数据"
    assert "2008年1月" in table.iloc[0]["月份"] and table.iloc[0]["成员"] == "工业生产红5 利润绿3 进出口绿3"
    # a member without scores (e.g. a region without 出口交货值): its composite rows say 无数据, nothing raises
    partial = _synthetic()
    partial.scores = partial.scores.drop(columns=["export_yoy"])
    assert set(backtest(partial, eps[:1], member_sets=[], ten_months=[])["本系统"]) == {"无数据"}


OPPOSITE = {"黄": ("浅蓝", "蓝"), "红": ("浅蓝", "蓝"), "浅蓝": ("黄", "红"), "蓝": ("黄", "红")}


def acceptable(table: pd.DataFrame) -> list[str]:
    """What fails the acceptance on the published episodes (empty list = accepted). Rules, fixed in advance:

    * 十指标替换 (NBS's own composite with our three members swapped in): the same light every month;
    * 子集综合 (published lights of the shared members, combined with the same bands): all but one month the same;
    * 单项指标: the same light in at least 2 of 3 rows, more than one zone off in at most 10 %;
    * 工业综合 (CEMAC quarterly): within one zone every quarter;
    * 综合（区间）: not cold in at least 95 % of the months NBS described as not cold;
    * 综合 (ten-indicator macro composites against our composite of the members they share): within one zone in
      at least 80 % of the months and never on the other side of 绿 (cold where published warm, or warm where
      published cold).
    """
    counts = summary(table)
    problems = []
    same, _, n = counts[TEN]
    if n != len(TEN_MEMBER_MONTHS) or same < n:
        problems.append(f"十指标替换 {same}/{n}")
    same, _, n = counts[SUBSET]
    if n != len(MEMBER_SETS) or same < n - 1:
        problems.append(f"子集综合 {same}/{n}")
    same, near, n = counts[MEMBER]
    if 3 * same < 2 * n or 10 * (n - near) > n:
        problems.append(f"单项指标 {same}/{near}/{n}")
    _, near, n = counts[INDUSTRY]
    if n == 0 or near < n:
        problems.append(f"工业综合 {near}/{n}")
    same, _, n = counts[RANGE]
    if n == 0 or 100 * same < 95 * n:
        problems.append(f"区间 {same}/{n}")
    _, near, n = counts[COMPOSITE]
    if n == 0 or 10 * near < 8 * n:
        problems.append(f"综合 {near}/{n}")
    comp = table[(table["类别"] == COMPOSITE) & (table["一致"] != "未核实")]
    wrong_side = [r.月份 for r in comp.itertuples() if r.本系统 in OPPOSITE.get(r.公开灯, ()) or r.本系统 == "无数据"]
    if wrong_side:
        problems.append("综合方向相反：" + "、".join(wrong_side))
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
    got = {(r.类别, r.对象, r.月份): r.本系统 for r in table.itertuples()}
    # like-for-like facts NBS published (工业生产 红 in 2007-09 at 18.9 %; 蓝 in 2008-11/12 at 5.4/5.7 %)
    assert got[(MEMBER, "工业生产", "2007年9月")] == "红" and got[(MEMBER, "工业生产", "2008年4月")] == "绿"
    assert got[(MEMBER, "利润", "2008年3月")] == "绿" and got[(MEMBER, "利润", "2008年4月")] == "绿"
    assert got[(MEMBER, "工业生产", "2008年11月")] == "蓝" and got[(MEMBER, "工业生产", "2008年12月")] == "蓝"
    assert got[(MEMBER, "工业生产", "2009年2月")] == "蓝"  # 1-2月 +3.8 %, not February alone (+11.0 %)
    # 中经网 2021-10: 工业增加值 蓝 (两年平均 5.2 %), PPI 红 (13.5 %)
    assert got[(MEMBER, "工业生产", "2021年10月")] == "蓝" and got[(MEMBER, "PPI", "2021年10月")] == "红"
    # NBS's composite with our three members swapped in: 2007-09 黄 (the heat of 2007 H2), 2008-03…05 绿
    assert [got[(TEN, "十指标（三项用本系统）", f"{m}")] for m in ("2007年9月", "2008年3月", "2008年4月", "2008年5月")] \
        == ["黄", "绿", "绿", "绿"]
    # NBS 2008-01…07 绿 with its three shared members; CEMAC's industrial 2011Q4 绿
    for m in ("2008年1月", "2008年2月", "2008年3月", "2008年4月", "2008年5月", "2008年6月", "2008年7月"):
        assert got[(COMPOSITE, "综合（共有成员）", m)] == "绿", m
    assert got[(INDUSTRY, "工业综合", "2011年4季度")] == "绿"
    # the unsourced 2020 months are shown, cold, and not counted
    rows2020 = table[table["月份"].str.startswith("2020")]
    assert set(rows2020["一致"]) == {"未核实"} and set(rows2020["本系统"]) <= {"蓝", "浅蓝"}


@pytest.mark.slow
def test_composite_rows_show_the_driving_members(national):
    table = backtest(national)
    row = table[(table["类别"] == COMPOSITE) & (table["月份"] == "2008年11月")].iloc[0]
    # NBS stayed 绿 (85.3) on its seven non-industrial members; its three industrial ones were cold, as NBS
    # published them (工业生产 蓝, 利润 蓝, 进出口 浅蓝) and as ours are
    assert row["公开灯"] == "绿" and row["本系统"] == "蓝" and row["成员"] == "工业生产蓝1 利润浅蓝2 进出口蓝1"
    portal = table[(table["类别"] == COMPOSITE) & (table["体系"] == "门户网")].iloc[0]
    assert "销售收入" in portal["成员"] and "利润" not in portal["成员"]  # the portal's own members
    assert SYSTEM_MEMBERS["门户网"] == ("iva_yoy", "revenue_ytd_yoy", "export_yoy")


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
    result = CliRunner().invoke(app, ["lights", "--backtest"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "回测" in result.output and "2008年12月" in result.output and "2020年2月" in result.output
    # by hand (see test_subset_light_by_hand): the ten published subsets agree except 2008-09 (portal 黄 vs ours 绿)
    assert "子集综合 9/10" in result.output and "十指标替换 4/4" in result.output
    assert "2002年7月至2008年10月" in result.output and "工业生产红5 利润绿3 进出口绿3" in result.output
    for url in ("lemofix.com", "chinabeverage.org", "chinagate.cn", "healinghandsltd.com", "cctv.com", "cei.cn"):
        assert url in result.output, url
    assert "2007–2009年各指标均有数据" in result.output and "灯区界线依据" in result.output
    why = result.output[result.output.index("综合灯分歧说明"):]  # one line per disagreeing episode, unwrapped
    assert "\n2008年11月：统计局绿、本系统蓝——本系统三项 工业生产蓝1 利润浅蓝2 进出口蓝1 合计4分；" in why
    assert "\n2007年11月至12月：统计局黄、本系统绿——" in why
    listing = CliRunner().invoke(app, ["lights", "--from", "2008-10", "--to", "2008-12"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0 and "统计局成员综合" in listing.output, listing.output
    with_pmi = CliRunner().invoke(app, ["lights", "--pmi", "--from", "2008-10", "--to", "2008-12"], env={"COLUMNS": "200"})
    assert with_pmi.exit_code == 0 and "制造业PMI" in with_pmi.output, with_pmi.output
    bad = CliRunner().invoke(app, ["lights", "--points", str(yacang_home / "missing.yaml")])
    assert bad.exit_code == 1 and f"信号灯临界点文件 {yacang_home / 'missing.yaml'} 不存在" in bad.output
    assert "Errno" not in bad.output and "No such file" not in bad.output  # not Python's English


def _scored(month: str, **scores: float) -> Lights:
    """A Lights holding only the given member scores in one month (enough for explain_month)."""
    frame = pd.DataFrame(scores, index=pd.PeriodIndex([month], freq="M"))
    return Lights(values=pd.DataFrame(), scores=frame, thresholds={}, composite=pd.DataFrame())


def test_disagreement_explained_by_the_published_index_swap():
    from yacang.alerts.lights_backtest import explain_month

    # NBS 2008-11: 预警指数 85.3 = 25.59 of 30 points; its 工业生产/利润/进出口 were 蓝1/蓝1/浅蓝2 = 4 points.
    # Ours 蓝1/浅蓝2/蓝1 = 4 as well: swapped in, the index stays 85.3 (绿); the other seven hold 25.59 − 4 = 21.6.
    why = explain_month(_scored("2008-11", iva_yoy=1, profit_ytd_yoy=2, export_yoy=1), NBS, "2008-11", "绿")
    assert "把公布指数85.3中的三项换成本系统的为85.3（绿）" in why and "合计约21.6分，平均3.1" in why
    # 2008-12: 78.7, published 蓝 ×3 = 3; ours 4 → 78.7 + 100·(4 − 3)/30 = 82.0, still 浅蓝 (66.7 < 82.0 < 83.3)
    why = explain_month(_scored("2008-12", iva_yoy=1, profit_ytd_yoy=2, export_yoy=1), NBS, "2008-12", "浅蓝")
    assert "换成本系统的为82.0（浅蓝）" in why and "合计约20.6分" in why


def test_disagreement_explained_by_the_lights_of_members_we_lack():
    from yacang.alerts.lights_backtest import explain_month

    ours = {"iva_yoy": 4, "profit_ytd_yoy": 3, "export_yoy": 3}  # 10 points
    # 2007-10: NBS showed 财政收入 红 (11 months to 2008-03) and CPI 黄 (from 2007-09); five others unknown, counted 绿:
    # 10 + 5 + 4 + 5×3 = 34 → 113.3 绿; 黄 needs more than 116.7, i.e. 36 points: 2 more
    why = explain_month(_scored("2007-10", **ours), NBS, "2007-10", "黄")
    assert "公布为非绿的：财政收入红、CPI黄；其余5项按绿计" in why
    assert "十项合计34分（指数113.3，绿），须再多2分" in why
    # 2007-11: 消费品零售 黄 too (from 2007-11): 35 points = 116.7, which is still 绿 (the line belongs to 绿)
    why = explain_month(_scored("2007-11", **ours), NBS, "2007-11", "黄")
    assert "十项合计35分（指数116.7，绿），须再多1分" in why
    # a month with nothing published about the others: all seven counted 绿
    why = explain_month(_scored("2008-10", iva_yoy=1, profit_ytd_yoy=3, export_yoy=2), NBS, "2008-10", "绿")
    assert "未公布当月灯号，按绿计；十项合计27分（指数90.0，绿）" in why and "须再" not in why
    why = explain_month(_scored("2008-10", iva_yoy=1, profit_ytd_yoy=np.nan, export_yoy=2), NBS, "2008-10", "绿")
    assert why == "本系统缺少利润当月的数据，无法计算共有成员的综合灯"


@pytest.mark.slow
def test_every_disagreeing_episode_gets_one_line(national):
    from yacang.alerts.lights_backtest import disagreements

    table = backtest(national)
    lines = disagreements(national, table)
    off = table[table["类别"].isin([COMPOSITE, RANGE]) & ~table["一致"].isin(["是", "未核实"])]
    heads = [line.split("——")[0] for line in lines]
    assert heads == ["2008年10月：统计局非冷、本系统浅蓝", "2007年8月：统计局黄、本系统绿", "2007年10月：统计局黄、本系统绿",
                     "2007年11月至12月：统计局黄、本系统绿", "2008年11月：统计局绿、本系统蓝", "2008年12月：统计局浅蓝、本系统蓝",
                     "2009年2月：门户网浅蓝、本系统蓝", "2009年12月：门户网红、本系统绿", "2010年1月：门户网红、本系统绿"]
    assert len(off) == 10  # the 2007-11/12 pair shares one line
    assert all("本系统三项" in line and line.endswith("。") for line in lines)


def test_a_member_on_its_critical_point_is_named():
    from yacang.alerts.lights_backtest import explain_month

    month = pd.PeriodIndex(["2007-10"], freq="M")
    lights = _scored("2007-10", iva_yoy=4, profit_ytd_yoy=3, export_yoy=3)
    lights.values = pd.DataFrame({"iva_yoy": [17.9], "profit_ytd_yoy": [37.0], "export_yoy": [18.5]}, index=month)
    lights.thresholds = {"iva_yoy": pd.DataFrame([[9.2, 11.4, 16.6, 17.9]], index=month, columns=["t1", "t2", "t3", "t4"])}
    why = explain_month(lights, NBS, "2007-10", "黄")
    # 17.9 ≤ t4 = 17.9 scores 黄 4; a tenth more would be 红 5
    assert "合计10分（工业生产17.9恰在临界点17.9上，按≤计入下一档）；" in why
