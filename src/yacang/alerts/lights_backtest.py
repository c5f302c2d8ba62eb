"""Backtest of the signal lights against lights that NBS / CAS described publicly, with the sources.

Two kinds of published facts are compared:

* **composite** lights (综合): NBS's 宏观经济预警指数 (ten macro indicators: 工业生产, 固定资产投资, 消费品零售,
  进出口, 财政收入, 工业企业利润, 城镇居民收入, 贷款, M2, CPI) and the CAS/中国发展门户网 综合警情指数 (ten
  indicators incl. 工业增加值, 发电量, 销售收入, M1). Ours is built from industrial indicators only, so the
  composite comparison is a plausibility check: NBS stayed 绿 in 2008-11 on investment, credit and M2
  while every industrial indicator was cold.
* **indicator** lights: the light NBS/CAS gave one of its members that we also score (工业生产 ↔ 规上工业
  增加值, 工业企业利润 ↔ 利润总额, 工业企业销售收入 ↔ 营业收入; 进出口总额 ↔ 出口交货值 is an
  approximation, labelled as such). These are like-for-like.

``verified=False`` marks a period named in the issue for which no NBS text was found in the stored
pages (2020-02…04 蓝): it is shown, never counted. The issue's "2008-11…2009-03 蓝" is not what NBS
published for its composite (2008-11 85.3 绿, 2008-12 78.7 浅蓝, the first 浅蓝 since 2002-06); 蓝 was the
light of its industrial members (工业生产, 利润, 进出口), which is what the member rows test.

Why the first version agreed in 3 of 14 months: (1) 利润 was published quarterly and 出口交货值 lacked
quarter-end months in 2006–2008, so 3 to 5 indicators entered month by month and the composite jumped
(2007-09 红 144.4, 2007-10 绿 108.3); (2) PMI, a month-on-month diffusion index, was scored like a
growth rate (2008-03 58.4 红; the 2020-03 rebound to 52.0 turned the composite 绿); (3) 2009-02 was read
as February alone (+11.0 %) instead of 1-2月 (+3.8 %); (4) six of NBS's ten members are not industrial:
its 2007 H2 heat came from 财政收入 (红), CPI and 居民收入 (黄) while its own 利润 and 进出口 lights were 绿.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.alerts.lights import OFFICIAL_CUTS, ZONES, Lights, composite_light

COMPOSITE = "综合"

NBS_0805 = ("新华社 2008-05-29 据国家统计局（预警指数十指标）：2007年9月至12月偏热“黄灯区”；2008年1月以来连续四个月"
            "“绿灯区”，3月113.3、4月110.7；4月工业生产、进出口总额标为“绿灯” "
            "https://lemofix.com/gnyw/2008-05/30/content_99708.htm")
NBS_0711 = ("中国日报网 2007-11-07（北京晨报）据国家统计局：9月预警指数121.3，较上月升4.00点，8月突破趋热黄灯区下线；"
            "工业生产指数处红灯区，工业企业利润、海关进出口处绿灯区 "
            "http://healinghandsltd.com/hqcj/2007-11/07/content_6237763.htm")
NBS_0902 = ("国家统计局 2009-02-06（中国饮料工业协会 2009-02-09 转载）：12月预警指数78.7，比11月85.3下降，2002年6月以来"
            "首次由“绿灯”转为“浅蓝灯”；工业生产、工业企业利润延续11月份的“蓝灯”，进出口总额由“浅蓝灯”变成“蓝灯” "
            "http://chinabeverage.org/news.php?id=2048 ；另见 http://010baizhang.com/economics/2009-02/07/content_17239992.htm")
NBS_0804 = ("新华网 2008-04-30（新浪财经转载）据国家统计局最近12个月预警信号图：预警指数2007年9月至12月“黄灯”，2008年1月起"
            "连续三个月“绿灯”；当前（3月）工业生产、进出口、工业企业利润等为“绿灯” "
            "http://finance.sina.com.cn/china/hgjj/20080430/15354822619.shtml")
NBS_0805B = ("新京报 2008-05-30（新浪财经转载）据国家统计局：4月预警指数110.7，连续4个月绿灯；工业生产指数、进出口总额、"
             "工业企业利润等均处于稳定的绿灯状态 http://finance.sina.com.cn/china/hgjj/20080530/02264926896.shtml")
NBS_0808 = ("北京晨报 2008-08-27（新浪财经页面镜像）据国家统计局：7月预警指数114.7，与上月持平，仍处于“绿灯区” "
            "http://whmsebhyy.com/china/hgjj/20080827/07135240621.shtml")
CAS_0811 = ("中国发展门户网 2008-11-06 经济景气监测预警（综合警情指数十指标）：9月综合警情指数在绿灯区继续回落；"
            "工业增加值、进出口总额位于绿灯区，工业企业销售收入处于红灯区 "
            "http://cn.chinagate.cn/economics/2008-11/06/content_16719794.htm")
CAS_0904 = ("中国发展门户网 2009-04-08 景气监测：2月综合警情指数进入浅蓝灯区中部；工业增加值、进出口总额、工业企业"
            "销售收入等处于过冷区间 http://cn.chinagate.cn/economics/2009-04/08/content_17571442_2.htm")
ISSUE_2020 = "议题 #18 所列（新冠疫情冲击）；存储网页中未找到国家统计局/中国经济景气监测中心原文，未核实，不计入一致率"

TARGET_NAMES = {COMPOSITE: "综合", "iva_yoy": "工业生产", "profit_ytd_yoy": "利润",
                "revenue_ytd_yoy": "销售收入", "export_yoy": "进出口≈出口交货值"}
"""Published member → ours: 工业生产 ↔ 规上工业增加值, 工业企业利润 ↔ 利润总额, 工业企业销售收入 ↔ 营业收入,
海关进出口总额 ≈ 出口交货值 (an approximation)."""
NBS, PORTAL, ISSUE = "统计局", "门户网", "议题"


@dataclass(frozen=True)
class Episode:
    """A publicly described light: months, light, what it is the light of, which system, the source."""

    start: str
    end: str
    light: str
    target: str  # COMPOSITE or an indicator code
    system: str  # NBS 预警指数 / PORTAL (中国发展门户网 综合警情指数) / ISSUE
    source: str
    verified: bool = True


EPISODES: list[Episode] = [
    Episode("2007-08", "2007-09", "黄", COMPOSITE, NBS, NBS_0711),
    Episode("2007-10", "2007-12", "黄", COMPOSITE, NBS, NBS_0805),
    Episode("2008-01", "2008-04", "绿", COMPOSITE, NBS, NBS_0805),
    Episode("2008-06", "2008-07", "绿", COMPOSITE, NBS, NBS_0808),
    Episode("2008-09", "2008-09", "绿", COMPOSITE, PORTAL, CAS_0811),
    Episode("2008-11", "2008-11", "绿", COMPOSITE, NBS, NBS_0902),
    Episode("2008-12", "2008-12", "浅蓝", COMPOSITE, NBS, NBS_0902),
    Episode("2009-02", "2009-02", "浅蓝", COMPOSITE, PORTAL, CAS_0904),
    Episode("2020-02", "2020-04", "蓝", COMPOSITE, ISSUE, ISSUE_2020, verified=False),
    Episode("2007-09", "2007-09", "红", "iva_yoy", NBS, NBS_0711),
    Episode("2008-03", "2008-03", "绿", "iva_yoy", NBS, NBS_0804),
    Episode("2008-04", "2008-04", "绿", "iva_yoy", NBS, NBS_0805),
    Episode("2008-09", "2008-09", "绿", "iva_yoy", PORTAL, CAS_0811),
    Episode("2008-11", "2008-12", "蓝", "iva_yoy", NBS, NBS_0902),
    Episode("2009-02", "2009-02", "蓝", "iva_yoy", PORTAL, CAS_0904),
    Episode("2007-09", "2007-09", "绿", "profit_ytd_yoy", NBS, NBS_0711),
    Episode("2008-03", "2008-03", "绿", "profit_ytd_yoy", NBS, NBS_0804),
    Episode("2008-04", "2008-04", "绿", "profit_ytd_yoy", NBS, NBS_0805B),
    Episode("2008-11", "2008-12", "蓝", "profit_ytd_yoy", NBS, NBS_0902),
    Episode("2008-09", "2008-09", "红", "revenue_ytd_yoy", PORTAL, CAS_0811),
    Episode("2009-02", "2009-02", "蓝", "revenue_ytd_yoy", PORTAL, CAS_0904),
    Episode("2007-09", "2007-09", "绿", "export_yoy", NBS, NBS_0711),
    Episode("2008-03", "2008-03", "绿", "export_yoy", NBS, NBS_0804),
    Episode("2008-04", "2008-04", "绿", "export_yoy", NBS, NBS_0805),
    Episode("2008-09", "2008-09", "绿", "export_yoy", PORTAL, CAS_0811),
    Episode("2008-11", "2008-11", "浅蓝", "export_yoy", NBS, NBS_0902),
    Episode("2008-12", "2008-12", "蓝", "export_yoy", NBS, NBS_0902),
    Episode("2009-02", "2009-02", "蓝", "export_yoy", PORTAL, CAS_0904),
]
"""Published lights, each cited. Months are those the text names; nothing is inferred between them."""


@dataclass(frozen=True)
class MemberLights:
    """The published lights of the members we share, in one month: a like-for-like composite."""

    month: str
    lights: dict[str, str]  # our indicator code → the light published for its counterpart
    system: str
    source: str


MEMBER_SETS: list[MemberLights] = [
    MemberLights("2007-09", {"iva_yoy": "红", "profit_ytd_yoy": "绿", "export_yoy": "绿"}, NBS, NBS_0711),
    MemberLights("2008-03", {"iva_yoy": "绿", "profit_ytd_yoy": "绿", "export_yoy": "绿"}, NBS, NBS_0804),
    MemberLights("2008-04", {"iva_yoy": "绿", "profit_ytd_yoy": "绿", "export_yoy": "绿"}, NBS, NBS_0805B),
    MemberLights("2008-09", {"iva_yoy": "绿", "revenue_ytd_yoy": "红", "export_yoy": "绿"}, PORTAL, CAS_0811),
    MemberLights("2008-11", {"iva_yoy": "蓝", "profit_ytd_yoy": "蓝", "export_yoy": "浅蓝"}, NBS, NBS_0902),
    MemberLights("2008-12", {"iva_yoy": "蓝", "profit_ytd_yoy": "蓝", "export_yoy": "蓝"}, NBS, NBS_0902),
    MemberLights("2009-02", {"iva_yoy": "蓝", "revenue_ytd_yoy": "蓝", "export_yoy": "蓝"}, PORTAL, CAS_0904),
]
"""Months where the sources give the light of every shared member: the published lights of those members
are combined with the same bands as ours (预警指数 of the subset) and compared with our composite of the
same indicators. This is the composite comparison that does not depend on the members we lack."""

SUBSET = "子集综合"


def subset_light(scores: list[float]) -> tuple[str, float]:
    """Light and 预警指数 of a set of scores, by the official bands."""
    total, n = pd.Series([float(sum(scores))]), pd.Series([len(scores)])
    return str(composite_light(total, n, OFFICIAL_CUTS).iloc[0]), 100 * float(sum(scores)) / (3 * len(scores))


def _subset_rows(lights: Lights, sets: list[MemberLights]) -> list[dict]:
    rows = []
    for ms in sets:
        p = pd.Period(ms.month, "M")
        published, _ = subset_light([ZONES.index(v) + 1 for v in ms.lights.values()])
        ours_scores = [lights.scores.loc[p, c] if c in lights.scores and p in lights.scores.index else np.nan
                       for c in ms.lights]
        ours, idx = (None, None) if any(pd.isna(x) for x in ours_scores) else subset_light(ours_scores)
        names = "+".join(TARGET_NAMES[c].split("≈")[0] for c in ms.lights)
        rows.append({"月份": f"{p.year}年{p.month}月", "对象": f"{SUBSET}（{names}）", "体系": ms.system,
                     "公开灯": published, "本系统": ours or "无数据",
                     "预警指数/值": None if idx is None else round(idx, 1),
                     "一致": agreement(published, ours), "出处": ms.source})
    return rows


def _ours(lights: Lights, target: str, p: pd.Period) -> tuple[str | None, float | None]:
    if target == COMPOSITE:
        light = lights.composite["light"].get(p)
        idx = lights.composite["index"].get(p)
        return (light if isinstance(light, str) else None), (None if idx is None or pd.isna(idx) else float(idx))
    if target not in lights.scores or p not in lights.scores.index:
        return None, None
    score = lights.scores.loc[p, target]
    value = lights.values.loc[p, target] if target in lights.values else np.nan
    return (None if pd.isna(score) else ZONES[int(score) - 1]), (None if pd.isna(value) else float(value))


def agreement(published: str, ours: str | None) -> str:
    """是 (same light), 相差一档 (adjacent zones), 否, or 无数据."""
    if ours is None:
        return "无数据"
    gap = abs(ZONES.index(published) - ZONES.index(ours))
    return "是" if gap == 0 else ("相差一档" if gap == 1 else "否")


def backtest(lights: Lights, episodes: list[Episode] = EPISODES,
             member_sets: list[MemberLights] = MEMBER_SETS) -> pd.DataFrame:
    """One row per episode month (then per like-for-like subset month): what was published, our light,
    预警指数 (composite) or value, agreement."""
    rows = []
    for ep in episodes:
        for p in pd.period_range(ep.start, ep.end, freq="M"):
            ours, number = _ours(lights, ep.target, p)
            rows.append({"月份": f"{p.year}年{p.month}月", "对象": TARGET_NAMES.get(ep.target, ep.target),
                         "体系": ep.system, "公开灯": ep.light, "本系统": ours or "无数据",
                         "预警指数/值": None if number is None else round(number, 1),
                         "一致": agreement(ep.light, ours) if ep.verified else "未核实",
                         "出处": ep.source})
    return pd.DataFrame(rows + _subset_rows(lights, member_sets))


def kind_of(target: str) -> str:
    """综合 / 同口径子集综合 / 单项指标 for a row's 对象."""
    return "综合" if target == "综合" else ("同口径子集综合" if target.startswith(SUBSET) else "单项指标")


def summary(table: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    """Per kind (综合 / 同口径子集综合 / 单项指标): (same light, same or adjacent, months); unverified excluded."""
    counted = table[table["一致"] != "未核实"]
    kinds = counted["对象"].map(kind_of)
    out = {}
    for kind in ("综合", "同口径子集综合", "单项指标"):
        part = counted[kinds == kind]
        same = int((part["一致"] == "是").sum())
        out[kind] = (same, same + int((part["一致"] == "相差一档").sum()), len(part))
    return out
