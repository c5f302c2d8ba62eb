"""Compose a bulletin from a :class:`~yacang.report.inputs.BulletinInput`: sections 一…六, 附表, charts.

The same composer serves the nation (filled from national series by :mod:`yacang.report.national`)
and a province or city with sub-regions (filled from microdata measures and alerts through
:class:`~yacang.report.inputs.RegionalSource`). It only arranges and words what it is given; it
computes nothing but shares and differences of the figures it prints.
"""

from __future__ import annotations

import datetime as dt

from yacang import formatting as fmt
from yacang.alerts.materials import LEVEL_WORDS, STOPPED_WORDS
from yacang.catalog.regions import NATION
from yacang.measures.growth import two_year_shown
from yacang.periods import Period
from yacang.report import narrative as nv
from yacang.report.inputs import AlertRow, BulletinInput, Efficiency, EnterpriseRow, IndustryRow, SubRegionRow
from yacang.report.model import LIGHTS, Bulletin, Chart, Column, Section, Table, section_number

DEFAULT_ISSUER = "（发文机关）"  # neutral placeholder; the office is set in yacang.toml [bulletin] (report.issue)
SEVERITY_ZH = {"red": "红色", "yellow": "黄色", "blue": "蓝色", "orange": "橙色"}
SEVERITY_ORDER = {"red": 0, "orange": 1, "yellow": 2, "blue": 3}
LEVEL_NAME = {"province": "省（区、市）", "prefecture": "市（州）", "county": "县（市、区）"}
NOT_WARNED = {"stopped": STOPPED_WORDS}  # a material that cannot be assessed for the period: not 正常
UNIT_NOT_STATED = "未注明"  # a price whose source states no unit (Mysteel's, iFinD's indices): not left blank
MATERIAL_LEVEL_ZH = {"red": LEVEL_WORDS[3], "yellow": LEVEL_WORDS[2], "blue": LEVEL_WORDS[1]}


def material_level_zh(level: str) -> str:
    """A 红黄蓝 row's level in words: 红色/黄色/蓝色, 数据停更, else 正常."""
    return MATERIAL_LEVEL_ZH.get(level, NOT_WARNED.get(level, LEVEL_WORDS[0]))


def compose(
    inp: BulletinInput,
    *,
    issuer: str = DEFAULT_ISSUER,
    issue_date: dt.date | None = None,
    doc_number: str = "",
) -> Bulletin:
    """The bulletin for ``inp``: sections in the order officials expect, empty ones explained."""
    builders = [_overall, _regions, _industries, _efficiency, _warnings, _enterprises, _dispatch]
    sections: list[Section] = []
    for build in builders:
        sec = build(inp)
        if sec is not None:
            sec.number = section_number(len(sections))
            sections.append(sec)
    sections[0].notes.extend(_omitted_notes(inp))
    r = inp.region
    title = f"{r.name}{inp.period.label_zh(cumulative=True)}工业经济运行情况通报"
    shown = {"ytd": r.ytd, "ytd_prev": r.ytd_prev, "month": r.month, "month_prev": r.month_prev}
    if two_year_shown(inp.period.year, inp.two_year_base_years):  # 两年平均 only where NBS printed it
        shown |= {"two_year_ytd": r.two_year_ytd, "two_year_month": r.two_year_month}
    facts = {k: v for k, v in shown.items() if v is not None}
    b = Bulletin(
        title=title, region_code=r.code, region_name=r.name, period=inp.period, issuer=issuer,
        issue_date=issue_date or dt.date.today(), sections=sections, doc_number=doc_number,
        subtitle=f"（{inp.period.label_zh(cumulative=True)}）", sources=bulletin_sources(inp), facts=facts,
    )
    b.appendix = [t for t in b.all_tables()]
    if inp.alerts:
        b.appendix.append(alerts_appendix(inp.alerts))
    return b


def bulletin_sources(inp: BulletinInput) -> list[str]:
    """The 数据来源 lines: the provider's (the series its figures were read from), then the publishers of the
    data each other table shows, as its rows carry them (a 红黄蓝 price from 世界银行, a light from Wind); a
    material whose data stopped shows none of them (数据停更)."""
    out = list(inp.sources)
    shown = [m for m in inp.materials if m.level not in NOT_WARNED]
    for rows, what in ((shown, "大宗原材料价格、开工率和库存（红黄蓝预警）"), (inp.lights, "景气预警信号灯")):
        named = [w for r in rows for w in r.source.split("、") if w]
        if named:
            out.append(f"{what}：{'、'.join(dict.fromkeys(named))}")
    return out


def _omitted_notes(inp: BulletinInput) -> list[str]:
    """Say which parts of the notice's 生产、效益、投资、比重 are left out for want of data (never zeros)."""
    out = []
    e = inp.efficiency
    if e is None or (e.profit is None and e.revenue is None and e.loss_share is None):
        out.append("数据仓库中暂无本期工业企业利润总额、营业收入数据，通报未列效益情况。")
    if inp.investment is None:
        out.append("数据仓库中暂无工业投资、制造业投资数据，通报未列投资情况。")
    if inp.structure is None:
        out.append("数据仓库中暂无制造业增加值占GDP比重数据，通报未列比重情况。")
    if not (inp.alerts or inp.alerts_evaluated or inp.has_microdata or inp.materials or inp.lights or _hints(inp)):
        out.append("本期未接入预警规则引擎结果，主要指标亦无需提示的情况，通报未列预警提示。")
    return out


MIN_TREND_POINTS = 3  # fewer months draw empty axes across half a page; the key table has them


# 一、总体情况 ----------------------------------------------------------------------------------
def _overall(inp: BulletinInput) -> Section:
    r, p = inp.region, inp.period
    sec = Section("", "总体情况")
    if r.ytd is not None and (r.parent_ytd is not None or r.rank is not None):
        sec.paragraphs.append(nv.ranking_sentence(
            r.scope, p, r.ytd, r.parent_ytd, r.parent_name or "上级", r.rank, r.prev_rank, r.parent_name or ""))
        sec.paragraphs.append(nv.iva_headline(r.scope, p, None, None, r.month, r.month_prev))
    else:
        sec.paragraphs.append(nv.iva_headline(r.scope, p, r.ytd, r.ytd_prev, r.month, r.month_prev))
    sec.paragraphs = [x for x in sec.paragraphs if x]
    two = []
    show_two = two_year_shown(p.year, inp.two_year_base_years)
    if r.two_year_ytd is not None and show_two:
        two.append(f"{nv.ytd_label(p)}{nv.two_year_phrase(r.two_year_ytd)}")
    if r.two_year_month is not None and p.end > 2 and show_two:
        two.append(f"{nv.month_label(p)}{nv.two_year_phrase(r.two_year_month)}")
    if two:
        sec.paragraphs.append(nv.clauses(*two))
    if r.target is not None and r.ytd is not None:
        light = (f"（{LIGHTS[r.target_light][0]}：{r.target_state}）" if r.target_light and r.target_state
                 else (f"（{LIGHTS[r.target_light][0]}）" if r.target_light else ""))
        sec.paragraphs.append(nv.sentence(
            f"对照年度目标，{nv.ytd_label(p)}增速" + nv.target_phrase(r.ytd, r.target, r.target_needed) + light))
    pr = inp.prices
    if pr is not None:
        if pr.ppi is not None:
            parts = [f"{p.end}月份，工业生产者出厂价格（PPI）同比{nv.growth(pr.ppi, price=True)}"]
            if pr.ppi_prev is not None:
                parts.append(nv.pp_change(pr.ppi, pr.ppi_prev, "上月", price=True))
            if pr.ppi_mom is not None:
                parts.append(f"环比{nv.growth(pr.ppi_mom, price=True)}")
            sec.paragraphs.append(nv.sentence(*parts))
        if pr.pmi is not None:
            tail = (f"，连续{pr.pmi_below_50_months}个月处于收缩区间" if pr.pmi_below_50_months >= 2 else "")
            sec.paragraphs.append(nv.sentence(f"{p.end}月份，" + nv.pmi_phrase(pr.pmi, pr.pmi_prev) + tail))
    sec.tables.append(_key_table(inp))
    if len(r.history or ()) >= MIN_TREND_POINTS:
        hl = []
        if r.target is not None:
            hl.append({"name": f"年度目标 {nv.fmt1(r.target)}%", "value": r.target})
        if r.parent_ytd is not None:
            hl.append({"name": f"{r.parent_name}累计 {nv.fmt1(r.parent_ytd)}%", "value": r.parent_ytd})
        sec.charts.append(Chart(
            "trend", f"{r.name}规模以上工业增加值增速", "line",
            {"x": [h[0] for h in r.history],
             "series": _trend_series(r.history),
             "hlines": hl, "unit": "%"},
            caption="单位：%。1-2月为合并数据。"))
    return sec


def _trend_series(history: list) -> list[dict]:
    """当月同比 and 累计同比 lines of the trend chart; a line without any figure is left out, not drawn as an
    empty legend entry (a province publishing 累计 only, as 江苏 in the province panel)."""
    lines = [{"name": "当月同比", "kind": "month", "values": [h[1] for h in history]},
             {"name": "累计同比", "kind": "ytd", "values": [h[2] for h in history]}]
    return [line for line in lines if any(v is not None and v == v for v in line["values"])]


def _key_table(inp: BulletinInput) -> Table:
    """主要指标. In 1-2月 the 当月 column is February's: filled by monthly series (PPI, PMI) only, since the
    merged series (增加值, 出口交货值) have one 1-2月 figure, shown under 1-2月 and never as a 2月 当月."""
    r, p, rows = inp.region, inp.period, []

    def add(name: str, unit: str, month: float | None, ytd: float | None, prev: float | None = None,
            merged: bool = True) -> None:
        if month is None and ytd is None:
            return
        if merged and p.is_merged_jan_feb:  # the 1-2月 figure of a merged series is its 累计
            month, ytd = None, ytd if ytd is not None else month
        change = None if ytd is None or prev is None else float(fmt.diff(ytd, prev))
        rows.append({"name": name, "unit": unit, "month": month, "ytd": ytd, "change": change})

    add("规模以上工业增加值增速", "%", r.month, r.ytd, r.ytd_prev)
    if two_year_shown(p.year, inp.two_year_base_years):
        add("  两年平均增速", "%", r.two_year_month, r.two_year_ytd)
    for g in inp.groupings:
        add(f"{g.name}增加值增速", "%", g.month, g.ytd, g.ytd_prev)
    if inp.prices is not None:
        add("工业生产者出厂价格（PPI）涨幅", "%", inp.prices.ppi, inp.prices.ppi_ytd, merged=False)
        add("制造业采购经理指数（PMI）", "%", inp.prices.pmi, None, merged=False)
    e = inp.efficiency
    if e is not None:
        add("出口交货值增速", "%", e.export_yoy, e.export_ytd_yoy)
        add("营业收入增速", "%", None, e.revenue_yoy)
        add("利润总额增速", "%", None, e.profit_yoy)
    iv = inp.investment
    if iv is not None and iv.period == p:
        add("工业投资增速", "%", None, iv.industry_yoy, iv.industry_yoy_prev)
        add("制造业投资增速", "%", None, iv.manufacturing_yoy, iv.manufacturing_yoy_prev)
    cols = [Column("name", "指标"), Column("unit", "单位"), Column("month", f"{p.end}月", "", "0.0"),
            Column("ytd", nv.ytd_label(p), "", "0.0"),
            Column("change", f"累计比{nv.previous_ytd_ref(p)}变动", "百分点", "0.0")]
    cols = [c for c in cols if c.key not in ("month", "change") or any(row[c.key] is not None for row in rows)]
    return Table("key", f"{r.name}工业经济主要指标（{p.label_zh(cumulative=True)}）", cols, rows,
                 notes=[_key_note(rows, p)])


def _key_note(rows: list[dict], p: Period) -> str:
    """What the key table's figures are, for the rows it has (NBS: 增加值 real, the rest at current prices)."""
    names = {row["name"] for row in rows}
    parts = ["工业增加值增速按可比价格计算"]
    if p.is_merged_jan_feb:
        parts.append("1-2月数据合并发布，无2月当月数")
    nominal = [w for w, row in (("出口交货值", "出口交货值增速"), ("营业收入", "营业收入增速"),
                                ("利润总额", "利润总额增速"), ("投资", "工业投资增速")) if row in names]
    if nominal:
        parts.append(f"{'、'.join(nominal)}增速按现价计算")
    if any(row["name"] == "工业生产者出厂价格（PPI）涨幅" and row["ytd"] is not None for row in rows):
        parts.append("PPI 累计为年初以来各月同比涨幅的平均")
    if "制造业采购经理指数（PMI）" in names:
        parts.append("PMI 为当月指数，50% 为荣枯线")
    return "；".join(parts) + "。"


# 二、分地区情况 --------------------------------------------------------------------------------
def _regions(inp: BulletinInput) -> Section | None:
    r, p = inp.region, inp.period
    level = LEVEL_NAME.get(inp.subregion_level, "地区")
    rows = [s for s in inp.subregions if s.ytd is not None]
    if not rows:
        if inp.subregion_level == "province" and r.code == "100000":
            return Section("", "分地区情况", notes=[
                "数据仓库中暂无本期各省（区、市）规模以上工业增加值数据；导入后自动生成分地区排名和地图。"])
        return None
    sec = Section("", "分地区情况")
    rows.sort(key=lambda s: (s.rank if s.rank is not None else 10**6, -(s.ytd or 0)))
    ref = r.ytd
    sec.paragraphs.append(nv.sentence(f"{nv.ytd_label(p)}，" + _versus_parent(rows, ref, level, r.scope)))
    top = _head_with_ties(rows, 3, lambda s: nv.round1(s.ytd))
    bottom = [s for s in reversed(_head_with_ties(rows[::-1], 3, lambda s: nv.round1(s.ytd))) if s not in top]
    sec.paragraphs.append(nv.clauses(
        "增速居前的是" + nv.item_growths((s.name, s.ytd) for s in top),
        "增速居后的是" + nv.item_growths((s.name, s.ytd) for s in bottom) if bottom else None))
    moved = [s for s in rows if s.rank is not None and s.prev_rank is not None and s.prev_rank != s.rank]
    if moved:
        up = sorted((s for s in moved if s.prev_rank > s.rank), key=lambda s: s.rank - s.prev_rank)
        down = sorted((s for s in moved if s.prev_rank < s.rank), key=lambda s: s.prev_rank - s.rank)
        parts = [f"位次{word}较多的有{said}" for group, word in ((up, "提升"), (down, "下降"))
                 if (said := _movers(group, word))]
        if parts:
            sec.paragraphs.append(nv.clauses(*parts))
    far = [s.name for s in rows if s.target_light == "red"]
    behind = [s.name for s in rows if s.target_light == "yellow"]
    if far or behind:
        sec.paragraphs.append(nv.sentence(
            "对照年度目标，" + "，".join(x for x in (
                f"{nv.list_names(far, limit=8)}进度严重滞后" if far else "",
                f"{nv.list_names(behind, limit=8)}进度滞后" if behind else "") if x) + "，需加快追赶"))
    has_target = any(s.target is not None for s in rows)
    cols = [Column("rank", "位次", "", "0"), Column("name", "地区"),
            Column("month", "当月增速", "%", "0.0"), Column("ytd", "累计增速", "%", "0.0"),
            Column("vs_parent", f"比{r.scope}", "百分点", "0.0"), Column("rank_change", "位次变化", "", "rank_change")]
    if has_target:
        cols += [Column("target", "年度目标", "%", "0.0"), Column("light", "信号灯", "", "light"),
                 Column("state", "目标进度")]
    table_rows = [{
        "rank": s.rank, "name": s.name, "month": s.month, "ytd": s.ytd,
        "vs_parent": None if ref is None else float(fmt.diff(s.ytd, ref)),
        "rank_change": None if s.rank is None or s.prev_rank is None else s.prev_rank - s.rank,
        "target": s.target, "light": s.target_light, "state": s.target_state} for s in rows]
    cols = [c for c in cols if _column_shown(c.key, table_rows, p)]
    notes = ["位次按累计增速由高到低排列，增速相同者位次相同。"]
    month_only = [x for x in inp.subregions if x.ytd is None and x.month is not None]
    if month_only:  # published in another measure: said, never ranked against 累计
        notes.append("、".join(x.name for x in month_only) + "只公布当月增速，未参与累计位次排列（"
                     + "；".join(f"{x.name}{nv.month_label(p)}同比{fmt.growth(x.month)}" for x in month_only) + "）。")
    if inp.missing_subregions:  # named, so a reader sees who is absent and why
        notes.append(f"{'、'.join(inp.missing_subregions)}暂无本期规模以上工业增加值增速数据，未列入本表。")
    sec.tables.append(Table("regions", f"各{level}规模以上工业增加值增速及位次（{p.label_zh(cumulative=True)}）",
                            cols, table_rows, notes=notes))
    sec.charts.append(Chart(
        "region_map", f"各{level}规模以上工业增加值累计增速", "map",
        {"values": {s.code: s.ytd for s in rows}, "names": {s.code: s.name for s in rows},
         "level": inp.subregion_level, "parent": r.code, "unit": "%", "reference": ref}))
    hl = [{"name": f"{r.scope} {fmt.fmt(ref)}%", "value": ref}] if ref is not None else []
    if r.target is not None:
        hl.append({"name": f"目标 {fmt.fmt(r.target)}%", "value": r.target})
    sec.charts.append(Chart(
        "region_bar", f"各{level}累计增速排名", "bar",
        {"categories": [s.name for s in rows], "values": [s.ytd for s in rows], "hlines": hl, "unit": "%"}))
    return sec


def _column_shown(key: str, rows: list[dict], p: Period) -> bool:
    """A 当月 or 位次变化 column with no figure in it is left out (no column of dashes); so is 当月 in 1-2月,
    where it would repeat the merged 1-2月 figure."""
    if key == "month" and p.is_merged_jan_feb:
        return False
    return key not in ("month", "rank_change") or any(row[key] is not None for row in rows)


def _versus_parent(rows: list[SubRegionRow], ref: float | None, level: str, scope: str) -> str:
    """``25个省（区、市）中，20个增速高于全国平均水平，1个与全国平均水平持平，4个低于全国平均水平``
    (compared on the printed figures; every row is counted once)."""
    head = f"{len(rows)}个{level}中"
    if ref is None:
        return f"{head}，各地累计增速见下表"
    d = [nv.diff1(s.ytd, ref) for s in rows]
    counts = [(sum(1 for x in d if x > 0), f"高于{scope}平均水平"),
              (sum(1 for x in d if x == 0), f"与{scope}平均水平持平"),
              (sum(1 for x in d if x < 0), f"低于{scope}平均水平")]
    said = [f"{n}个{'' if i else '增速'}{what}" for i, (n, what) in enumerate(c for c in counts if c[0])]
    return "，".join([head, *said])


def _movers(rows: list[SubRegionRow], word: str) -> str:
    """``宁夏（提升7位）、安徽、山东（均提升3位）``: the three largest moves (``rows`` largest first) and any tied
    with the third; a move of one place is not "较多" (empty when no move is larger)."""
    def move(s: SubRegionRow) -> int:
        return abs((s.prev_rank or 0) - (s.rank or 0))

    picked = _head_with_ties([s for s in rows if move(s) > 1], 3, move)
    groups: list[list[SubRegionRow]] = []
    for s in picked:
        if groups and move(groups[-1][0]) == move(s):
            groups[-1].append(s)
        else:
            groups.append([s])
    return "、".join("、".join(x.name for x in g) + f"（{'均' if len(g) > 1 else ''}{word}{move(g[0])}位）" for g in groups)


def _head_with_ties(items: list, n: int, key) -> list:
    """The first ``n`` items and those after them that tie with the n-th (no tie is cut in two)."""
    if len(items) <= n:
        return list(items)
    last = key(items[n - 1])
    out = list(items[:n])
    for item in items[n:]:
        if key(item) != last:
            break
        out.append(item)
    return out


# 三、分行业情况 --------------------------------------------------------------------------------
def _industries(inp: BulletinInput) -> Section | None:
    p, r = inp.period, inp.region
    if not (inp.sections or inp.divisions or inp.groupings):
        return None
    sec = Section("", "分行业情况")
    basis = "month" if p.end > 2 and any(s.month is not None for s in inp.sections) else "ytd"
    label = nv.month_label(p) if basis == "month" else nv.ytd_label(p)
    secs = [(s.name, getattr(s, basis)) for s in inp.sections if getattr(s, basis) is not None]
    if secs:
        sec.paragraphs.append(nv.sentence(f"分三大门类看，{label}，" + nv.item_growths(secs)))
    if inp.breadth is not None and inp.breadth.n_total:
        b = inp.breadth
        blabel = nv.month_label(p) if b.basis == "当月" else nv.ytd_label(p)
        sec.paragraphs.append(nv.sentence(f"分行业看，{blabel}，" + nv.breadth_phrase(b.n_up, b.n_total, b.unit_word)))
    divs = [d for d in inp.divisions if d.ytd is not None]
    if any(d.pull is not None for d in divs):
        pulls = sorted((d for d in divs if d.pull is not None), key=lambda d: -d.pull)
        gains = [d for d in pulls if fmt.sign(d.pull) > 0][:3]
        drags = [d for d in reversed(pulls) if fmt.sign(d.pull) < 0][:3]
        parts = []
        if gains:
            parts.append(f"{nv.ytd_label(p)}，拉动作用较大的行业有" + "，".join(
                f"{d.name}累计{nv.growth(d.ytd)}、{fmt.pull(d.pull, r.scope)}" for d in gains))
        if drags:
            parts.append(("" if gains else f"{nv.ytd_label(p)}，") + "下拉作用较大的行业有" + "，".join(
                f"{d.name}累计{nv.growth(d.ytd)}、{fmt.pull(d.pull)}" for d in drags))
        if parts:
            sec.paragraphs.append(nv.clauses(*parts))
    elif len(divs) >= 6:
        ranked = sorted(divs, key=lambda d: -d.ytd)
        fast = _head_with_ties(ranked, 3, lambda d: nv.round1(d.ytd))
        slow = [d for d in reversed(_head_with_ties(ranked[::-1], 3, lambda d: nv.round1(d.ytd))) if d not in fast]
        sec.paragraphs.append(nv.clauses(
            f"{nv.ytd_label(p)}，增速较快的行业有" + nv.item_growths((d.name, d.ytd) for d in fast),
            "增速较低的行业有" + nv.item_growths((d.name, d.ytd) for d in slow)))
    for g in inp.groupings:
        if g.ytd is None:
            continue
        parts = [f"{nv.ytd_label(p)}，{g.name}增加值同比{nv.growth(g.ytd)}"]
        if r.ytd is not None:
            parts.append(nv.compare_to(g.ytd, r.ytd, f"{r.scope}规模以上工业"))
        if g.pull is not None and fmt.pull(g.pull, r.scope):
            parts.append(fmt.pull(g.pull, r.scope))
        if g.month is not None and p.end > 2:
            parts.append(f"{nv.month_label(p)}{nv.growth(g.month)}")
        sec.paragraphs.append(nv.sentence(*parts))
    rows = [*inp.sections, *inp.groupings, *inp.divisions]
    has_pull = any(d.pull is not None for d in rows)
    has_ppi = any(d.ppi is not None for d in rows)
    cols = [Column("code", "代码"), Column("name", "行业"), Column("month", "当月增速", "%", "0.0"),
            Column("ytd", "累计增速", "%", "0.0"), Column("change", f"累计比{nv.previous_ytd_ref(p)}", "百分点", "0.0")]
    if has_pull:
        cols.append(Column("pull", "拉动", "百分点", "0.0"))
    if has_ppi:
        cols.append(Column("ppi", "PPI当月同比", "%", "0.0"))
    cols = [c for c in cols if c.key != "month" or not p.is_merged_jan_feb]  # 1-2月: one merged figure
    sec.tables.append(Table(
        "industries", f"分行业规模以上工业增加值增速（{p.label_zh(cumulative=True)}）", cols,
        [_industry_row(d) for d in rows],
        notes=["高技术制造业、装备制造业为国家统计局行业分组；行业名称按 GB/T 4754-2017。"]))
    if divs:
        key = "pull" if has_pull else "ytd"
        ranked = sorted((d for d in divs if getattr(d, key) is not None), key=lambda d: getattr(d, key))
        hl = [] if has_pull or r.ytd is None else [{"name": f"{r.scope} {fmt.fmt(r.ytd)}%", "value": r.ytd}]
        sec.charts.append(Chart(
            "industry_bar", "各行业" + ("对增长的拉动（百分点）" if has_pull else "累计增速（%）"), "bar",
            {"categories": [d.name for d in ranked], "values": [getattr(d, key) for d in ranked],
             "hlines": hl, "unit": "百分点" if has_pull else "%", "horizontal": True}))
    return sec


def _industry_row(d: IndustryRow) -> dict[str, object]:
    change = None if d.ytd is None or d.ytd_prev is None else float(fmt.diff(d.ytd, d.ytd_prev))
    return {"code": d.code, "name": d.name, "month": d.month, "ytd": d.ytd, "change": change,
            "pull": d.pull, "ppi": d.ppi}


# 四、效益与出口 --------------------------------------------------------------------------------
def _efficiency(inp: BulletinInput) -> Section | None:
    e, r = inp.efficiency or Efficiency(), inp.region
    sec = Section("", "效益与出口")
    rows: list[dict[str, object]] = []
    if e.period is not None and (e.profit is not None or e.revenue is not None):
        lab = nv.ytd_label(e.period)
        parts = []
        if e.revenue is not None:
            parts.append(f"{lab}，{r.scope}规模以上工业企业实现营业收入{nv.fmt_amount(e.revenue)}"
                         + (f"，同比{nv.growth(e.revenue_yoy)}" if e.revenue_yoy is not None else ""))
        if e.profit is not None:
            parts.append(("" if parts else f"{lab}，{r.scope}规模以上工业企业") + f"实现利润总额{nv.fmt_amount(e.profit)}"
                         + (f"，同比{nv.growth(e.profit_yoy)}" if e.profit_yoy is not None else ""))
        if e.profit_margin is not None:
            parts.append(f"营业收入利润率为{fmt.fmt(e.profit_margin)}%")
        sec.paragraphs.append(nv.clauses(*parts))
        rows += [{"name": "营业收入", "unit": "亿元", "value": e.revenue, "yoy": e.revenue_yoy, "period": lab},
                 {"name": "利润总额", "unit": "亿元", "value": e.profit, "yoy": e.profit_yoy, "period": lab},
                 {"name": "营业收入利润率", "unit": "%", "value": e.profit_margin, "yoy": None, "period": lab}]
        if (e.period.year, e.period.end) != (inp.period.year, inp.period.end):  # 2023-02 is 1-2月: not a lag
            sec.notes.append(f"效益数据为{e.period.label_zh(cumulative=True)}（比生产数据滞后发布）。")
    if e.loss_share is not None and e.period is not None:
        sec.paragraphs.append(nv.sentence(
            f"{e.period.end}月末，亏损企业{fmt.fmt(e.loss_count, 0)}个，亏损面为{fmt.fmt(e.loss_share)}%"
            + (f"，亏损深度为{fmt.fmt(e.loss_depth)}%" if e.loss_depth is not None else "")))
        rows.append({"name": "亏损面", "unit": "%", "value": e.loss_share, "yoy": None,
                     "period": nv.ytd_label(e.period)})
        sec.notes.append("亏损面 = 亏损企业单位数 ÷ 企业单位数 × 100%；亏损深度 = 亏损企业亏损额 ÷ 盈利企业利润总额 × 100%。")
    if e.export_yoy is not None and e.export_period is not None:
        ep = e.export_period
        parts = [f"{nv.month_label(ep)}，{r.scope}规模以上工业企业实现出口交货值"
                 + (nv.fmt_amount(e.export_value) + "，同比" if e.export_value is not None else "同比")
                 + nv.growth(e.export_yoy)]
        if e.export_ytd_yoy is not None and ep.end > 2:
            parts.append(f"{nv.ytd_label(ep)}累计{nv.growth(e.export_ytd_yoy)}")
        sec.paragraphs.append(nv.sentence(*parts))
        rows.append({"name": "出口交货值（当月）", "unit": "亿元", "value": e.export_value, "yoy": e.export_yoy,
                     "period": nv.month_label(ep).replace("月份", "月")})
    rows = [x for x in rows if x["value"] is not None or x["yoy"] is not None]
    if rows:
        sec.tables.append(Table("efficiency", "工业企业效益与出口", [
            Column("name", "指标"), Column("period", "时期"), Column("unit", "单位"),
            Column("value", "数值", "", "#,##0.0"), Column("yoy", "同比增速", "%", "0.0")], rows,
            notes=["营业收入、利润总额为年初至今累计数；营业收入利润率 = 利润总额 ÷ 营业收入 × 100%。"]))
    _investment(inp, sec)
    _structure(inp, sec)
    if not sec.paragraphs:
        return None
    words = [w for w, ok in (("效益与出口" if e.export_yoy is not None else "效益", bool(rows)),
                             ("投资", inp.investment is not None),
                             ("比重", inp.structure is not None)) if ok]
    sec.title = "、".join(words[:-1]) + ("和" if len(words) > 1 else "") + words[-1] if words else sec.title
    return sec


def _investment(inp: BulletinInput, sec: Section) -> None:
    """工业投资 and 制造业投资 (累计同比) with their change from the previous 累计."""
    iv, r = inp.investment, inp.region
    if iv is None or (iv.industry_yoy is None and iv.manufacturing_yoy is None):
        return
    lab, ref = nv.ytd_label(iv.period), nv.previous_ytd_ref(iv.period)
    parts = []
    for name, v, prev in (("工业投资", iv.industry_yoy, iv.industry_yoy_prev),
                          ("制造业投资", iv.manufacturing_yoy, iv.manufacturing_yoy_prev)):
        if v is not None:
            parts.append(f"{name}同比{nv.growth(v)}" + (f"，{nv.pp_change(v, prev, ref)}" if prev is not None else ""))
    sec.paragraphs.append(f"{lab}，{r.scope}" + nv.clauses(*parts))
    sec.tables.append(Table("investment", f"工业投资（{iv.period.label_zh(cumulative=True)}）", [
        Column("name", "指标"), Column("ytd", nv.ytd_label(iv.period) + "累计增速", "%", "0.0"),
        Column("change", f"比{ref}变动", "百分点", "0.0")], [
        {"name": n, "ytd": v, "change": None if v is None or pv is None else float(fmt.diff(v, pv))}
        for n, v, pv in (("工业投资", iv.industry_yoy, iv.industry_yoy_prev),
                         ("制造业投资", iv.manufacturing_yoy, iv.manufacturing_yoy_prev)) if v is not None]))


def _structure(inp: BulletinInput, sec: Section) -> None:
    """制造业增加值占GDP比重 (latest published period)."""
    st, r = inp.structure, inp.region
    if st is None:
        return
    lab = st.period.label_zh()
    text = f"{lab}，{r.scope}制造业增加值占地区生产总值比重为{fmt.fmt(st.manufacturing_share)}%"
    if st.manufacturing_share_prev is not None:
        text += "，" + nv.level_change(st.manufacturing_share, st.manufacturing_share_prev, "上年")
    sec.paragraphs.append(nv.sentence(text))
    sec.tables.append(Table("structure", "制造业增加值占GDP比重", [
        Column("period", "时期"), Column("share", "比重", "%", "0.0"), Column("change", "比上年变动", "百分点", "0.0")],
        [{"period": lab, "share": st.manufacturing_share,
          "change": None if st.manufacturing_share_prev is None
          else float(fmt.diff(st.manufacturing_share, st.manufacturing_share_prev))}]))


# 五、预警提示 ----------------------------------------------------------------------------------
# A bulletin is read on paper: beyond these counts alerts are summarised (the full list stays in the
# 预警 page, ``yacang alerts list`` and their XLSX exports), so section 五 and its 附表 stay within 3 pages.
APPENDIX_DETAIL_MAX = 25  # alerts listed one by one in the 附表
RED_DETAIL_MAX = 10  # red alerts quoted one by one in the text


def alerts_appendix(alerts: list[AlertRow]) -> Table:
    """附表: the firing alerts, one row each grouped by region then rule, or, when there are many, one row
    per rule and level with the regions it names."""
    if len(alerts) <= APPENDIX_DETAIL_MAX:
        ordered = sorted(alerts, key=lambda a: (a.region_code, a.rule, SEVERITY_ORDER.get(a.severity, 9)))
        return Table("alerts", "触发中的预警（按地区、规则分组）", [
            Column("region", "地区"), Column("rule", "预警规则"), Column("severity", "级别"),
            Column("message", "提示"), Column("since", "起始时期")],
            [{"region": a.region_name, "rule": a.rule, "severity": SEVERITY_ZH.get(a.severity, a.severity),
              "message": a.message, "since": a.since} for a in ordered])
    groups: dict[tuple[str, str], list[AlertRow]] = {}
    for a in sorted(alerts, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), a.rule, a.region_code)):
        groups.setdefault((a.rule, a.severity), []).append(a)
    return Table("alerts", "触发中的预警（按规则、级别汇总）", [
        Column("rule", "预警规则"), Column("severity", "级别"), Column("n", "地区数", "", "0"),
        Column("regions", "地区")],
        [{"rule": rule, "severity": SEVERITY_ZH.get(sev, sev), "n": len(items),
          "regions": "、".join(dict.fromkeys(a.region_name for a in items))}
         for (rule, sev), items in groups.items()])


def _hints(inp: BulletinInput) -> list[str]:
    """Signs read off the main indicators (used when no rule engine results were given)."""
    pr, r, e = inp.prices, inp.region, inp.efficiency
    hints = []
    if r.month is not None and r.month_prev is not None and fmt.diff(r.month, r.month_prev) <= -1:
        hints.append(f"当月增速{fmt.pp_change(r.month, r.month_prev, nv.previous_month_ref(inp.period))}，需关注生产回落")
    if pr is not None and pr.pmi is not None and fmt.rounded(pr.pmi) < 50:
        hints.append("制造业PMI低于临界点，景气水平下降" + (f"（已连续{pr.pmi_below_50_months}个月）" if pr.pmi_below_50_months >= 2 else ""))
    if e is not None and e.profit_yoy is not None and fmt.sign(e.profit_yoy) < 0:
        hints.append(f"工业企业利润总额同比{fmt.growth(e.profit_yoy)}")
    if e is not None and e.export_yoy is not None and fmt.sign(e.export_yoy) < 0:
        hints.append(f"出口交货值同比{fmt.growth(e.export_yoy)}，外需走弱")
    return hints


def _warnings(inp: BulletinInput) -> Section | None:
    """Red alerts in the text, counts by level, the full list in an 附表; no promise without content."""
    sec = Section("", "预警提示")
    if inp.alerts:
        by_level: dict[str, int] = {}
        for a in inp.alerts:
            by_level[a.severity] = by_level.get(a.severity, 0) + 1
        regions = {a.region_code for a in inp.alerts}
        counts = "、".join(f"{SEVERITY_ZH.get(k, k)}{n}条" for k, n in
                          sorted(by_level.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9)))
        sec.paragraphs.append(nv.sentence(
            f"本期共有{len(inp.alerts)}条预警处于触发状态（{counts}），涉及{len(regions)}个地区"))
        reds = [a for a in inp.alerts if a.severity == "red"]
        by_region: dict[str, list[AlertRow]] = {}
        for a in sorted(reds, key=lambda a: (a.region_code, a.rule)):
            by_region.setdefault(a.region_name, []).append(a)
        if len(reds) <= RED_DETAIL_MAX:
            for region, items in by_region.items():
                sec.paragraphs.append(f"{region}：" + "；".join(f"{a.rule}：{a.message}" for a in items) + "。")
        else:
            by_rule: dict[str, list[str]] = {}
            for a in sorted(reds, key=lambda a: (a.rule, a.region_code)):
                by_rule.setdefault(a.rule, []).append(a.region_name)
            sec.paragraphs.append("红色预警：" + "；".join(
                f"{rule}（{len(names)}个）：{'、'.join(dict.fromkeys(names))}" for rule, names in by_rule.items()) + "。")
        others = len(inp.alerts) - len(reds)
        if len(inp.alerts) > APPENDIX_DETAIL_MAX:
            sec.paragraphs.append(f"全部{len(inp.alerts)}条预警按规则、级别汇总列于附表“触发中的预警”；"
                                  "逐条明细见系统“预警”页面（可导出）。")
        elif others:
            levels = "、".join(SEVERITY_ZH.get(k, k) for k in sorted(by_level, key=lambda k: SEVERITY_ORDER.get(k, 9))
                               if k != "red")
            sec.paragraphs.append(f"其余{others}条{levels}预警按地区、规则分组列于附表“触发中的预警”。")
    elif inp.alerts_evaluated or inp.has_microdata:
        sec.paragraphs.append("本期预警规则均未触发。")
    else:
        hints = _hints(inp)
        if hints:
            sec.paragraphs.append("依据主要指标，提示如下：" + nv.clauses(*hints))
    if inp.materials:
        warned = [m for m in inp.materials if m.level in MATERIAL_LEVEL_ZH]
        if warned:
            sec.paragraphs.append(nv.sentence("大宗原材料供给方面，" + "，".join(
                f"{m.material}处于{material_level_zh(m.level)}预警" for m in warned)))
        sec.tables.append(Table("materials", "大宗原材料供给“红黄蓝”预警", [
            Column("material", "品种"), Column("level", "预警级别"), Column("price", "最新价格", "", "#,##0.0"),
            Column("unit", "价格单位"), Column("change", "较常态偏离", "%", "0.0"), Column("note", "说明")],
            [{"material": m.material, "level": material_level_zh(m.level), "price": m.price,
              "unit": m.unit or (UNIT_NOT_STATED if m.price is not None else ""),
              "change": m.change, "note": m.note} for m in inp.materials]))
    if inp.lights:
        national = "" if inp.region.code == NATION else "全国"  # lights read the national series only
        sec.charts.append(Chart("lights", f"{national}景气预警信号灯", "lights",
                                {"rows": [{"name": x.name, "lights": x.lights} for x in inp.lights],
                                 "columns": inp.light_columns}))
        if not sec.paragraphs:  # a chart under the heading with no word would leave the reader guessing
            sec.paragraphs.append(_lights_sentence(inp, national))
    if not (sec.paragraphs or sec.tables or sec.charts):
        return None
    return sec


LIGHT_MEANING = {"red": "过热", "yellow": "偏热", "green": "正常", "lightblue": "偏冷", "blue": "过冷"}


def _lights_sentence(inp: BulletinInput, national: str) -> str:
    """``2022年6月，全国景气预警综合信号灯为蓝灯（过冷），近6个月情况见下图。``"""
    composite = next((x for x in inp.lights if x.name == "综合"), inp.lights[-1])
    last = composite.lights[-1] if composite.lights else ""
    tail = f"近{len(inp.light_columns)}个月情况见下图" if inp.light_columns else "见下图"
    if last not in LIGHT_MEANING:
        return nv.sentence(f"{national}景气预警信号灯{tail}")
    return nv.sentence(f"{inp.period.label_zh()}，{national}景气预警综合信号灯为{LIGHTS[last][0]}（{LIGHT_MEANING[last]}）",
                       tail)


# 六、重点企业 ----------------------------------------------------------------------------------
def _enterprises(inp: BulletinInput) -> Section:
    sec = Section("", "重点企业")
    if not (inp.drags or inp.gains):
        sec.paragraphs.append("本通报依据统计部门公布的汇总数据编制，未使用企业月报数据，暂不列示重点企业名单。"
                              if not inp.has_microdata else "本期无明显拉动或下拉的重点企业。")
        return sec
    r, p = inp.region, inp.period
    if inp.drags:
        sec.paragraphs.append(nv.sentence(
            f"{nv.ytd_label(p)}，下拉{r.scope}增长较多的企业有" + "，".join(
                f"{d.name}（{d.region_name}，{fmt.pull(d.pull)}）" for d in inp.drags[:5] if fmt.sign(d.pull) < 0),
            "请所在地区工信部门开展“点对点”跟踪服务"))
    if inp.gains:
        sec.paragraphs.append(nv.sentence(
            "拉动作用较大的企业有" + "，".join(
                f"{d.name}（{d.region_name}，{fmt.pull(d.pull)}）" for d in inp.gains[:5] if fmt.sign(d.pull) > 0)))
    cols = [Column("kind", "类别"), Column("name", "企业名称"), Column("region", "地区"), Column("industry", "行业"),
            Column("ytd", "累计增速", "%", "0.0"), Column("pull", "拉动", "百分点", "0.0"), Column("note", "备注")]

    def row(kind: str, d: EnterpriseRow) -> dict[str, object]:
        return {"kind": kind, "name": d.name, "region": d.region_name, "industry": d.industry_name,
                "ytd": d.ytd, "pull": d.pull, "note": d.note}

    sec.tables.append(Table("enterprises", "重点企业“点对点”跟踪名单", cols,
                            [row("下拉", d) for d in inp.drags] + [row("拉动", d) for d in inp.gains]))
    return sec


# 七、调度情况 (only with data) ------------------------------------------------------------------
def _dispatch(inp: BulletinInput) -> Section | None:
    d = inp.dispatch
    if d is None or not (d.appeals or d.projects):
        return None
    sec = Section("", "调度情况")
    if d.appeals:
        done = sum(1 for a in d.appeals if str(a.get("status", "")) in ("已办结", "closed", "done"))
        sec.paragraphs.append(nv.sentence(f"本期受理企业诉求{len(d.appeals)}件，已办结{done}件"))
        keys = list(d.appeals[0].keys())
        sec.tables.append(Table("appeals", "企业诉求办理情况", [Column(k, k) for k in keys], list(d.appeals)))
    if d.projects:
        sec.paragraphs.append(nv.sentence(f"纳入调度的重大项目{len(d.projects)}个"))
        keys = list(d.projects[0].keys())
        sec.tables.append(Table("projects", "重大项目调度情况", [Column(k, k) for k in keys], list(d.projects)))
    return sec
