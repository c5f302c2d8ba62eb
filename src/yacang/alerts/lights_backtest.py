"""Backtest of the signal lights against lights that NBS / CEMAC / CAS / 中经网 described publicly, cited.

What is compared with what (one kind per row, counted separately — :data:`KINDS`):

* **综合** — NBS's 宏观经济预警指数 (ten members: 工业生产, 固定资产投资, 消费品零售, 进出口, 财政收入,
  工业企业利润, 城镇居民收入, 贷款, M2, CPI) against our composite of the three members the shared data has
  (:data:`~yacang.alerts.lights.NBS_MEMBERS`: 工业生产, 利润, 进出口 ≈ 出口交货值); the CAS portal's ten-indicator
  综合警情指数 likewise against 工业增加值, 销售收入, 进出口 (:data:`SYSTEM_MEMBERS`). A plausibility check: in
  2007 H2 NBS's heat came from 财政收入 (红), CPI and 居民收入 (黄) while its own 利润 and 进出口 were 绿; in
  2008-11 it stayed 绿 (85.3) on investment, credit, M2 and CPI while all three industrial members were cold
  (工业生产 蓝, 利润 蓝, 进出口 浅蓝 — published). The 成员 column shows which member drives each row.
* **综合（区间）** — a fact about a span: NBS's 2008-12 浅蓝 was the first since 2002-06, so 2002-07…2008-10
  were never 浅蓝 or 蓝 (76 months, one table row, counted month by month).
* **十指标替换** — months where NBS published the light of all ten members: its composite with our lights
  put in for the three members we compute, the other seven as published (same bands). Summing the
  published ten lights by our formula (100·Σ/30) gives the published index within 1.5 points, which
  checks the formula; the swap then tests our members inside NBS's own composite.
* **工业综合** — CEMAC's quarterly 中经工业预警指数 (industrial, ten indicators incl. 销售收入, 利润, 出口,
  投资, 税收, 从业人数) against our composite of all industrial indicators (PPI and 营业收入 included), the
  quarter's 预警指数 being the mean of its three monthly values.
* **子集综合** — months where a source gives the light of every member we share: those published lights
  combined with our bands, against our composite of the same indicators (like for like).
* **单项指标** — the published light of one member against ours.

Why a composite row disagrees (:func:`disagreements`, one Chinese line per episode, printed by
``yacang lights --backtest``): NBS's published 预警指数 with the three shared members' published lights
swapped for ours where both are known (2008-11/12: the swap keeps NBS's light, so the whole gap is the
seven members we lack), else the lights NBS published for those seven (:data:`OTHER_MEMBER_SPANS`) and
how many points they must add. The critical points were not changed for these months.

``verified=False`` marks a row shown but never counted: the issue's 2020-02…04 蓝 (no NBS/CEMAC text in the
stored pages: the 2020 Q1 中经产业景气指数 release gives 工业景气指数 92.2, −9.6, but no light), and a CEMAC
quarter whose year the page does not state. Nothing is inferred between the months a text names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yacang.alerts.lights import NBS_MEMBERS, ZONES, Lights, official_light

COMPOSITE, RANGE, TEN, INDUSTRY, SUBSET, MEMBER = "综合", "综合（区间）", "十指标替换", "工业综合", "子集综合", "单项指标"
KINDS = (COMPOSITE, RANGE, TEN, INDUSTRY, SUBSET, MEMBER)
NBS, PORTAL, CEMAC, CEI, ISSUE = "统计局", "门户网", "景气中心", "中经网", "议题"

NBS_0705 = ("第一财经日报 2007-05-30（新浪财经）据国家统计局：4月预警指数与上月持平，仍处平稳可控区间；工业增长指数和城镇居民"
            "可支配收入已连续数月表现为趋热 http://finance.sina.com.cn/g/20070530/04303642221.shtml")
NBS_0711 = ("中国日报网 2007-11-07（北京晨报）据国家统计局：9月预警指数121.3，较上月升4.00点，8月突破趋热黄灯区下线；财政收入、"
            "工业生产指数红灯，城镇居民收入、CPI黄灯，投资、消费品零售、贷款、工业企业利润、海关进出口、M2绿灯 "
            "http://healinghandsltd.com/hqcj/2007-11/07/content_6237763.htm")
NBS_0804 = ("新华网 2008-04-30（新浪财经转载）据国家统计局最近12个月预警信号图：预警指数2007年9月至12月“黄灯”，2008年1月起"
            "连续三个月“绿灯”；3月工业生产、投资、进出口、工业企业利润、居民收入、贷款、M2绿灯，消费品零售、CPI黄灯，"
            "财政收入红灯；CPI自2007年9月至2008年3月连续7个月黄灯，财政收入连续11个月红灯 "
            "http://finance.sina.com.cn/china/hgjj/20080430/15354822619.shtml")
NBS_0805 = ("新华社 2008-05-29 据国家统计局（预警指数十指标）：2007年9月至12月偏热“黄灯区”；2008年1月以来连续四个月"
            "“绿灯区”，3月113.3、4月110.7；4月CPI、消费品零售、财政收入黄灯，其他各项（工业生产、投资、进出口、贷款等）"
            "绿灯 https://lemofix.com/gnyw/2008-05/30/content_99708.htm")
NBS_0805B = ("新京报 2008-05-30（新浪财经转载）据国家统计局：4月预警指数110.7，连续4个月绿灯；工业生产指数、进出口总额、"
             "工业企业利润等均处于稳定的绿灯状态；CPI自2007年9月至2008年4月黄灯，消费品零售自2007年11月起连续6个月黄灯，"
             "财政收入由连续11个月红灯转为黄灯 http://finance.sina.com.cn/china/hgjj/20080530/02264926896.shtml")
NBS_0807 = ("2008-07-02（中国网镜像）据国家统计局预警信号图：5月预警指数113.3，连续五个月“绿灯区”；CPI、消费品零售黄灯，"
            "财政收入红灯，其他各项（工业生产、投资、进出口、贷款等）绿灯 "
            "http://010baizhang.com/economics/2008-07/02/content_15919818.htm")
NBS_0808 = ("北京晨报 2008-08-27（新浪财经页面镜像）据国家统计局：7月预警指数114.7，与上月持平，仍处于“绿灯区” "
            "http://whmsebhyy.com/china/hgjj/20080827/07135240621.shtml")
NBS_0902 = ("国家统计局 2009-02-06（中国饮料工业协会 2009-02-09 转载）：12月预警指数78.7，比11月85.3下降，2002年6月以来"
            "首次由“绿灯”转为“浅蓝灯”；工业生产、工业企业利润延续11月份的“蓝灯”，进出口总额由“浅蓝灯”变成“蓝灯” "
            "http://chinabeverage.org/news.php?id=2048 ；另见 http://010baizhang.com/economics/2009-02/07/content_17239992.htm")
CAS_0811 = ("中国发展门户网 2008-11-06 经济景气监测预警（综合警情指数十指标）：9月综合警情指数在绿灯区继续回落；"
            "工业增加值、进出口总额位于绿灯区，工业企业销售收入处于红灯区 "
            "http://cn.chinagate.cn/economics/2008-11/06/content_16719794.htm")
CAS_0904 = ("中国发展门户网 2009-04-08 景气监测：2月综合警情指数进入浅蓝灯区中部；工业增加值、进出口总额、工业企业"
            "销售收入等处于过冷区间 http://cn.chinagate.cn/economics/2009-04/08/content_17571442_2.htm")
CAS_1007 = ("中国发展门户网 2010-07-02（中国台湾网转载）经济景气监测：5月综合警情指数91，比4月回落2个点，连续6个月在红灯区；"
            "十个警情指标中财政收入、发电量、工业增加值、进出口总额、工业企业销售收入等七个处于过热的红灯区，投资、贷款黄灯区，"
            "CPI绿灯区 http://www.taiwan.cn:8080/jm/hgjj/201007/t20100702_1438352_1.htm")
CEMAC_1204 = ("广州日报 2012-04-19（新华社，央视网）中经工业景气指数首次发布：2012年一季度中经工业预警指数86.7，比2011年四季度"
              "回落13.3点，继续在“绿灯区”运行 http://big5.cctv.com/gate/big5/news.cntv.cn/20120419/114899.shtml")
CEMAC_1210 = ("人民日报 2012-10-31：2012年三季度中经产业景气指数，工业及重点行业的预警指数处于偏冷的“浅蓝灯区” "
              "http://103.249.53.35/jm/cjfx/qtt/201210/t20121031_3251805.htm")
CEMAC_1301 = ("2012年四季度中经工业景气指数95.5；工业及多数重点产业的预警指数处于偏冷的浅蓝灯区 "
              "http://hqgcjxw.com/news/show.php?itemid=19645")
CEMAC_Q13 = ("中经工业景气指数95.5（与上季度基本持平，连续三个季度平稳）；二季度中经工业预警指数76.7，比一季度回升3.4点，继续处于"
             "浅蓝灯区——原文未写年份（按景气指数序列推为2013年），不计入 http://www.iincn.com/plus/view.php?aid=133327")
CEI_2110 = ("中经网 2021-12-02 [2021年10月]综合评述（国家信息中心经济监测预警系统，十指标）：宏观预警指数17，位于蓝灯区；"
            "工业增加值指数蓝灯，工业生产者出厂价格指数红灯，进出口额（美元）绿灯 "
            "https://www.cei.cn/defaultsite/s/article/2021/12/02/4b4ff607-7d35bd97-017d-7a458949-08b1_2021.html")
ISSUE_2020 = ("议题 #18 所列（新冠疫情冲击）；存储网页中未找到国家统计局/中国经济景气监测中心的灯号原文（2020年一季度中经工业"
              "景气指数92.2、比上季度降9.6点，未给灯号 https://news.china.com/focus/aqfg/13003576/20200430/38162693.html），"
              "未核实，不计入一致率")

TARGET_NAMES = {"iva_yoy": "工业生产", "ppi_yoy": "PPI", "profit_ytd_yoy": "利润", "revenue_ytd_yoy": "销售收入",
                "export_yoy": "进出口≈出口交货值"}
"""Published member → ours: 工业生产 ↔ 规上工业增加值, 工业企业利润 ↔ 利润总额, 工业企业销售收入 ↔ 营业收入,
海关进出口总额 ≈ 出口交货值 (an approximation)."""
NOT_COLD = ("绿", "黄", "红")
SYSTEM_MEMBERS = {NBS: NBS_MEMBERS, ISSUE: NBS_MEMBERS, PORTAL: ("iva_yoy", "revenue_ytd_yoy", "export_yoy"),
                  CEI: ("iva_yoy", "ppi_yoy", "export_yoy")}
"""A system's composite is compared with ours of the members both have: NBS 工业生产/利润/进出口; the CAS portal's
综合警情指数 工业增加值/工业企业销售收入/进出口; 中经网 工业增加值/PPI/进出口."""


@dataclass(frozen=True)
class Episode:
    """A publicly described light: months (``YYYY-MM``) or quarters (``YYYYQn``), light, target, system, source.

    ``allowed`` makes it a span fact: any of those lights agrees (e.g. :data:`NOT_COLD`).
    """

    start: str
    end: str
    light: str
    target: str  # COMPOSITE, INDUSTRY or an indicator code
    system: str
    source: str
    verified: bool = True
    allowed: tuple[str, ...] = ()


EPISODES: list[Episode] = [
    Episode("2002-07", "2008-10", "非冷", COMPOSITE, NBS, NBS_0902, allowed=NOT_COLD),
    Episode("2007-08", "2007-09", "黄", COMPOSITE, NBS, NBS_0711),
    Episode("2007-10", "2007-12", "黄", COMPOSITE, NBS, NBS_0805),
    Episode("2008-01", "2008-04", "绿", COMPOSITE, NBS, NBS_0805),
    Episode("2008-05", "2008-05", "绿", COMPOSITE, NBS, NBS_0807),
    Episode("2008-06", "2008-07", "绿", COMPOSITE, NBS, NBS_0808),
    Episode("2008-09", "2008-09", "绿", COMPOSITE, PORTAL, CAS_0811),
    Episode("2008-11", "2008-11", "绿", COMPOSITE, NBS, NBS_0902),
    Episode("2008-12", "2008-12", "浅蓝", COMPOSITE, NBS, NBS_0902),
    Episode("2009-02", "2009-02", "浅蓝", COMPOSITE, PORTAL, CAS_0904),
    Episode("2009-12", "2010-05", "红", COMPOSITE, PORTAL, CAS_1007),
    Episode("2020-02", "2020-04", "蓝", COMPOSITE, ISSUE, ISSUE_2020, verified=False),
    Episode("2011Q4", "2012Q1", "绿", INDUSTRY, CEMAC, CEMAC_1204),
    Episode("2012Q3", "2012Q3", "浅蓝", INDUSTRY, CEMAC, CEMAC_1210),
    Episode("2012Q4", "2012Q4", "浅蓝", INDUSTRY, CEMAC, CEMAC_1301),
    Episode("2013Q1", "2013Q2", "浅蓝", INDUSTRY, CEMAC, CEMAC_Q13, verified=False),
    Episode("2007-04", "2007-04", "黄", "iva_yoy", NBS, NBS_0705),
    Episode("2007-09", "2007-09", "红", "iva_yoy", NBS, NBS_0711),
    Episode("2008-03", "2008-03", "绿", "iva_yoy", NBS, NBS_0804),
    Episode("2008-04", "2008-04", "绿", "iva_yoy", NBS, NBS_0805),
    Episode("2008-05", "2008-05", "绿", "iva_yoy", NBS, NBS_0807),
    Episode("2008-09", "2008-09", "绿", "iva_yoy", PORTAL, CAS_0811),
    Episode("2008-11", "2008-12", "蓝", "iva_yoy", NBS, NBS_0902),
    Episode("2009-02", "2009-02", "蓝", "iva_yoy", PORTAL, CAS_0904),
    Episode("2010-05", "2010-05", "红", "iva_yoy", PORTAL, CAS_1007),
    Episode("2021-10", "2021-10", "蓝", "iva_yoy", CEI, CEI_2110),
    Episode("2021-10", "2021-10", "红", "ppi_yoy", CEI, CEI_2110),
    Episode("2007-09", "2007-09", "绿", "profit_ytd_yoy", NBS, NBS_0711),
    Episode("2008-03", "2008-03", "绿", "profit_ytd_yoy", NBS, NBS_0804),
    Episode("2008-04", "2008-04", "绿", "profit_ytd_yoy", NBS, NBS_0805B),
    Episode("2008-11", "2008-12", "蓝", "profit_ytd_yoy", NBS, NBS_0902),
    Episode("2008-09", "2008-09", "红", "revenue_ytd_yoy", PORTAL, CAS_0811),
    Episode("2009-02", "2009-02", "蓝", "revenue_ytd_yoy", PORTAL, CAS_0904),
    Episode("2010-05", "2010-05", "红", "revenue_ytd_yoy", PORTAL, CAS_1007),
    Episode("2007-09", "2007-09", "绿", "export_yoy", NBS, NBS_0711),
    Episode("2008-03", "2008-03", "绿", "export_yoy", NBS, NBS_0804),
    Episode("2008-04", "2008-04", "绿", "export_yoy", NBS, NBS_0805),
    Episode("2008-05", "2008-05", "绿", "export_yoy", NBS, NBS_0807),
    Episode("2008-09", "2008-09", "绿", "export_yoy", PORTAL, CAS_0811),
    Episode("2008-11", "2008-11", "浅蓝", "export_yoy", NBS, NBS_0902),
    Episode("2008-12", "2008-12", "蓝", "export_yoy", NBS, NBS_0902),
    Episode("2009-02", "2009-02", "蓝", "export_yoy", PORTAL, CAS_0904),
    Episode("2010-05", "2010-05", "红", "export_yoy", PORTAL, CAS_1007),
    Episode("2021-10", "2021-10", "绿", "export_yoy", CEI, CEI_2110),
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
    MemberLights("2008-05", {"iva_yoy": "绿", "profit_ytd_yoy": "绿", "export_yoy": "绿"}, NBS, NBS_0807),
    MemberLights("2008-09", {"iva_yoy": "绿", "revenue_ytd_yoy": "红", "export_yoy": "绿"}, PORTAL, CAS_0811),
    MemberLights("2008-11", {"iva_yoy": "蓝", "profit_ytd_yoy": "蓝", "export_yoy": "浅蓝"}, NBS, NBS_0902),
    MemberLights("2008-12", {"iva_yoy": "蓝", "profit_ytd_yoy": "蓝", "export_yoy": "蓝"}, NBS, NBS_0902),
    MemberLights("2009-02", {"iva_yoy": "蓝", "revenue_ytd_yoy": "蓝", "export_yoy": "蓝"}, PORTAL, CAS_0904),
    MemberLights("2010-05", {"iva_yoy": "红", "revenue_ytd_yoy": "红", "export_yoy": "红"}, PORTAL, CAS_1007),
    MemberLights("2021-10", {"iva_yoy": "蓝", "ppi_yoy": "红", "export_yoy": "绿"}, CEI, CEI_2110),
]
"""Months where the sources give the light of every shared member (2008-05: "其他各项…绿灯" names 利润 among
the ten)."""

NBS_TEN = ("工业生产", "固定资产投资", "消费品零售", "进出口", "财政收入", "工业企业利润", "城镇居民收入", "贷款", "M2", "CPI")
OURS_IN_TEN = {"工业生产": "iva_yoy", "工业企业利润": "profit_ytd_yoy", "进出口": "export_yoy"}


@dataclass(frozen=True)
class TenLights:
    """A month where NBS published the light of all ten members of its 预警指数, and the index."""

    month: str
    index: float
    lights: dict[str, str] = field(default_factory=dict)  # NBS member name → light (all of NBS_TEN)
    source: str = ""


def _ten(**hot: str) -> dict[str, str]:
    return {name: hot.get(name, "绿") for name in NBS_TEN}


TEN_MEMBER_MONTHS: list[TenLights] = [
    TenLights("2007-09", 121.3, _ten(财政收入="红", 工业生产="红", 城镇居民收入="黄", CPI="黄"), NBS_0711),
    TenLights("2008-03", 113.3, _ten(财政收入="红", 消费品零售="黄", CPI="黄"), NBS_0804 + " ；指数见 " + NBS_0805),
    TenLights("2008-04", 110.7, _ten(财政收入="黄", 消费品零售="黄", CPI="黄"), NBS_0805),
    TenLights("2008-05", 113.3, _ten(财政收入="红", 消费品零售="黄", CPI="黄"), NBS_0807),
]
"""The ten published lights (the members a text lists as 绿 by name or as "其他各项…绿灯")."""


def subset_light(scores: list[float]) -> tuple[str, float]:
    """Light and 预警指数 of a set of scores, by the official bands."""
    total, n = pd.Series([float(sum(scores))]), pd.Series([len(scores)])
    return str(official_light(total, n).iloc[0]), 100 * float(sum(scores)) / (3 * len(scores))


def score_of(light: str) -> int:
    """红 5 … 蓝 1."""
    return ZONES.index(light) + 1


def agreement(published: str, ours: str | None, allowed: tuple[str, ...] = ()) -> str:
    """是 (same light or one of ``allowed``), 相差一档 (adjacent zones), 否, or 无数据."""
    if ours is None:
        return "无数据"
    gap = min(abs(ZONES.index(p) - ZONES.index(ours)) for p in (allowed or (published,)))
    return "是" if gap == 0 else ("相差一档" if gap == 1 else "否")


def _label(p: pd.Period) -> str:
    return f"{p.year}年{p.quarter}季度" if p.freqstr.startswith("Q") else f"{p.year}年{p.month}月"


def _score(lights: Lights, code: str, p: pd.Period) -> float:
    if code not in lights.scores or p not in lights.scores.index:
        return np.nan
    return float(lights.scores.loc[p, code])


def _members(lights: Lights, codes, months: list[pd.Period]) -> str:
    """E.g. ``工业生产红5 利润绿3``; a quarter shows each member's mean score."""
    parts = []
    for c in codes:
        vals = [_score(lights, c, m) for m in months]
        if any(np.isnan(vals)):
            parts.append(f"{TARGET_NAMES[c].split('≈')[0]}–")
            continue
        mean = float(np.mean(vals))
        name = ZONES[round(mean) - 1]
        parts.append(f"{TARGET_NAMES[c].split('≈')[0]}{name}{mean:g}" if len(months) == 1
                     else f"{TARGET_NAMES[c].split('≈')[0]}{mean:.1f}")
    return " ".join(parts)


def _ours(lights: Lights, ep: Episode, p: pd.Period) -> tuple[str | None, float | None, str]:
    """Our light, 预警指数 or value, and the members behind it."""
    if ep.target == COMPOSITE:
        codes = SYSTEM_MEMBERS[ep.system]
        if any(c not in lights.scores for c in codes):
            return None, None, ""
        comp = lights.composite_of(codes)
        if p not in comp.index:
            return None, None, ""
        return str(comp.loc[p, "light"]), float(comp.loc[p, "index"]), _members(lights, codes, [p])
    if ep.target == INDUSTRY:
        months = list(pd.period_range(p.asfreq("M", "s"), p.asfreq("M", "e"), freq="M"))
        idx = lights.composite["index"].reindex(months)
        if idx.isna().any():
            return None, None, ""
        mean = float(idx.mean())
        light = official_light(pd.Series([mean * 3 / 100]), pd.Series([1])).iloc[0]
        return str(light), mean, _members(lights, [i.code for i in lights.indicators], months)
    score = _score(lights, ep.target, p)
    value = lights.values.loc[p, ep.target] if ep.target in lights.values and p in lights.values.index else np.nan
    return (None if np.isnan(score) else ZONES[int(score) - 1]), (None if pd.isna(value) else float(value)), ""


def _row(kind, when, target, system, published, ours, number, agree, members, source) -> dict:
    return {"类别": kind, "月份": when, "对象": target, "体系": system, "公开灯": published, "本系统": ours or "无数据",
            "预警指数/值": None if number is None else round(number, 1), "一致": agree, "成员": members, "出处": source}


def _periods(ep: Episode) -> pd.PeriodIndex:
    freq = "Q" if "Q" in ep.start else "M"
    return pd.period_range(pd.Period(ep.start, freq), pd.Period(ep.end, freq), freq=freq)


def _episode_rows(lights: Lights, ep: Episode) -> list[dict]:
    kind = RANGE if ep.allowed else (INDUSTRY if ep.target == INDUSTRY else
                                     COMPOSITE if ep.target == COMPOSITE else MEMBER)
    target = {COMPOSITE: "综合（共有成员）", INDUSTRY: "工业综合"}.get(ep.target, TARGET_NAMES.get(ep.target, ep.target))
    rows = []
    for p in _periods(ep):
        ours, number, members = _ours(lights, ep, p)
        agree = agreement(ep.light, ours, ep.allowed) if ep.verified else "未核实"
        rows.append(_row(kind, _label(p), target, ep.system, ep.light, ours, number, agree, members, ep.source))
    return rows


def _subset_rows(lights: Lights, sets: list[MemberLights]) -> list[dict]:
    rows = []
    for ms in sets:
        p = pd.Period(ms.month, "M")
        published, _ = subset_light([score_of(v) for v in ms.lights.values()])
        scores = [_score(lights, c, p) for c in ms.lights]
        ours, idx = (None, None) if any(np.isnan(scores)) else subset_light(scores)
        names = "+".join(TARGET_NAMES[c].split("≈")[0] for c in ms.lights)
        rows.append(_row(SUBSET, _label(p), f"子集（{names}）", ms.system, published, ours, idx,
                         agreement(published, ours), _members(lights, list(ms.lights), [p]), ms.source))
    return rows


def ten_member_index(lights: dict[str, str]) -> float:
    """NBS's composite recomputed from its ten published lights: 100 · Σ scores / 30."""
    return 100 * sum(score_of(v) for v in lights.values()) / (3 * len(lights))


def _ten_rows(lights: Lights, months: list[TenLights]) -> list[dict]:
    rows = []
    for tm in months:
        p = pd.Period(tm.month, "M")
        published = official_light(pd.Series([tm.index * 3 / 100]), pd.Series([1])).iloc[0]
        ours_scores = {name: _score(lights, code, p) for name, code in OURS_IN_TEN.items()}
        if any(np.isnan(list(ours_scores.values()))):
            ours, idx = None, None
        else:
            swapped = [ours_scores.get(name, score_of(light)) for name, light in tm.lights.items()]
            ours, idx = subset_light(swapped)
        others = "".join(f"{n}{v}" for n, v in tm.lights.items() if n not in OURS_IN_TEN and v != "绿")
        note = (f"公布{tm.index}；按公布十灯重算{ten_member_index(tm.lights):.1f}；其余七项非绿：{others or '无'}；"
                + _members(lights, NBS_MEMBERS, [p]))
        rows.append(_row(TEN, _label(p), "十指标（三项用本系统）", NBS, str(published), ours, idx,
                         agreement(str(published), ours), note, tm.source))
    return rows


def _collapse_ranges(rows: list[dict]) -> list[dict]:
    """One display row per span fact (the month rows stay in :func:`backtest`'s ``months`` output)."""
    out, span = [], [r for r in rows if r["类别"] == RANGE]
    if span:
        off = [r["月份"] + r["本系统"] for r in span if r["一致"] != "是"]
        first = span[0]
        out.append(_row(RANGE, f"{span[0]['月份']}至{span[-1]['月份']}", first["对象"], first["体系"], first["公开灯"],
                        f"符合{len(span) - len(off)}/{len(span)}个月", None,
                        "是" if not off else f"不符{len(off)}个月", "不符：" + "、".join(off) if off else "",
                        first["出处"]))
    return out + [r for r in rows if r["类别"] != RANGE]


def backtest(lights: Lights, episodes: list[Episode] = EPISODES, member_sets: list[MemberLights] = MEMBER_SETS,
             ten_months: list[TenLights] = TEN_MEMBER_MONTHS, *, collapse: bool = False) -> pd.DataFrame:
    """One row per episode month or quarter, per like-for-like subset and per ten-member month.

    ``collapse``: span facts shown as one row (for printing); :func:`summary` needs the month rows.
    """
    rows = [r for ep in episodes for r in _episode_rows(lights, ep)]
    rows += _ten_rows(lights, ten_months) + _subset_rows(lights, member_sets)
    return pd.DataFrame(_collapse_ranges(rows) if collapse else rows)


def summary(table: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    """Per kind: (same light, same or adjacent, rows counted); 未核实 rows are not counted, 无数据 counts as a miss."""
    counted = table[~table["一致"].isin(["未核实"])]
    out = {}
    for kind in KINDS:
        part = counted[counted["类别"] == kind]
        same = int((part["一致"] == "是").sum())
        out[kind] = (same, same + int((part["一致"] == "相差一档").sum()), len(part))
    return out


# -- why a composite row disagrees ------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberSpan:
    """A published light of a member we do not compute, over the months a text names (cited)."""

    member: str
    start: str
    end: str
    light: str
    source: str


OTHER_MEMBER_SPANS: list[MemberSpan] = [
    MemberSpan("财政收入", "2007-05", "2008-03", "红", NBS_0804),  # 连续11个月红灯 to 2008-03
    MemberSpan("财政收入", "2008-04", "2008-04", "黄", NBS_0805B),
    MemberSpan("CPI", "2007-09", "2008-04", "黄", NBS_0805B),
    MemberSpan("消费品零售", "2007-11", "2008-04", "黄", NBS_0805B),
]
"""Lights NBS published for members of its 预警指数 the shared data lacks, outside the ten-light months."""

PUBLISHED_INDEX: dict[str, float] = {"2007-08": 117.3, "2007-09": 121.3, "2008-03": 113.3, "2008-04": 110.7,
                                     "2008-05": 113.3, "2008-07": 114.7, "2008-11": 85.3, "2008-12": 78.7}
"""NBS's published 预警指数 by month (sources: :data:`NBS_0711` — 8月 117.3 is 121.3 less 4.00 — :data:`NBS_0805`,
:data:`NBS_0807`, :data:`NBS_0808`, :data:`NBS_0902`; the bands' evidence in :data:`yacang.alerts.lights.BAND_EVIDENCE`)."""

LACKING = {NBS: "、".join(n for n in NBS_TEN if n not in OURS_IN_TEN),
           PORTAL: "财政收入、发电量、投资、贷款、CPI及两项未列名指标"}
"""The seven members of each ten-indicator system the shared data lacks (the CAS portal names eight of its
ten, :data:`CAS_1007`)."""


def published_others(month: str) -> dict[str, str]:
    """Published lights of the members we lack in ``month``: all seven in a ten-light month, else the spans."""
    for tm in TEN_MEMBER_MONTHS:
        if tm.month == month:
            return {k: v for k, v in tm.lights.items() if k not in OURS_IN_TEN}
    return {sp.member: sp.light for sp in OTHER_MEMBER_SPANS if sp.start <= month <= sp.end}


def _ten_light(total: float) -> str:
    return str(official_light(pd.Series([total]), pd.Series([10])).iloc[0])


def _points_for(light: str, total: float) -> int:
    """Points a ten-member total of ``total`` must gain (> 0) or lose (< 0) to show ``light`` (0: it does)."""
    totals = [t for t in range(10, 51) if _ten_light(t) == light]
    if total < totals[0]:
        return int(np.ceil(totals[0] - total))
    if total > totals[-1]:
        return -int(np.ceil(total - totals[-1]))
    return 0


def explain_month(lights: Lights, system: str, month: str, published: str) -> str:
    """Why our composite of the shared members differs from ``system``'s published light in ``month``.

    In order of strength: (1) NBS's published 预警指数 with the published lights of the three shared
    members replaced by ours (exact: the rest of the index is unchanged); (2) the published lights of the
    shared members against ours; (3) the lights published for the members we lack, the rest counted 绿,
    and how many points the lacking members must add for the published light. Every figure is
    computed from the cited tables above.
    """
    p = pd.Period(month, "M")
    codes = SYSTEM_MEMBERS[system]
    scores = {c: _score(lights, c, p) for c in codes}
    absent = [TARGET_NAMES[c].split("≈")[0] for c, v in scores.items() if np.isnan(v)]
    if absent:
        return f"本系统缺少{'、'.join(absent)}当月的数据，无法计算共有成员的综合灯"
    ours = float(sum(scores.values()))
    lacking = LACKING.get(system, "其余成员")
    parts = [f"本系统三项 {_members(lights, codes, [p])} 合计{ours:g}分" + _on_the_line(lights, codes, p)]
    shared = next((ms.lights for ms in MEMBER_SETS if ms.month == month and ms.system == system), None)
    if shared is not None:
        pub = float(sum(score_of(v) for v in shared.values()))
        words = "、".join(f"{TARGET_NAMES[c].split('≈')[0]}{v}" for c, v in shared.items())
        parts.append(f"{system}公布的这三项为{words}（合计{pub:g}分）")
        if system == NBS and month in PUBLISHED_INDEX:
            index = PUBLISHED_INDEX[month]
            swapped = index + 100 * (ours - pub) / 30
            rest = index * 30 / 100 - pub
            parts.append(f"把公布指数{index:g}中的三项换成本系统的为{swapped:.1f}（{_ten_light(swapped * 30 / 100)}）；"
                         f"{published}灯来自本系统没有的七项（{lacking}，合计约{rest:.1f}分，平均{rest / 7:.1f}）")
            return "；".join(parts)
        same = "相同" if pub == ours else ("更冷" if ours < pub else "更热")
        parts.append(f"本系统三项合计与公布{same}，{published}灯的差别来自本系统没有的七项（{lacking}）")
        return "；".join(parts)
    known = published_others(month) if system == NBS else {}
    bound = ours + sum(score_of(v) for v in known.values()) + 3 * (7 - len(known))
    if known:
        hot = "、".join(f"{k}{v}" for k, v in known.items() if v != "绿")
        parts.append(f"本系统没有的七项中公布为非绿的：{hot or '无'}；其余{7 - len(known)}项按绿计")
    else:
        parts.append(f"本系统没有的七项（{lacking}）未公布当月灯号，按绿计")
    tail = f"十项合计{bound:g}分（指数{100 * bound / 30:.1f}，{_ten_light(bound)}）"
    need = _points_for(published, bound)
    if need:
        tail += (f"，须再多{need}分（未公布灯号的成员升档）才为{published}" if need > 0
                 else f"，须再少{-need}分（未公布灯号的成员降档）才为{published}")
    parts.append(tail)
    if system == NBS and month in PUBLISHED_INDEX:
        rest = PUBLISHED_INDEX[month] * 30 / 100 - ours
        parts.append(f"按公布指数{PUBLISHED_INDEX[month]:g}（十项约{rest + ours:.1f}分），若三项与统计局相同，"
                     f"本系统没有的七项合计约{rest:.1f}分（平均{rest / 7:.1f}）")
    return "；".join(parts)


def _on_the_line(lights: Lights, codes, p: pd.Period) -> str:
    """A note for each member whose value sits on one of its critical points (a value equal to a point
    takes the lower zone), e.g. ``（工业生产17.9恰在临界点17.9上，按≤计入下一档）``; '' when none does."""
    notes = []
    for c in codes:
        th = lights.thresholds.get(c)
        if th is None or p not in th.index or c not in lights.values or p not in lights.values.index:
            continue
        value = float(lights.values.loc[p, c])
        on = [float(t) for t in th.loc[p] if abs(value - float(t)) < 0.05]
        if on:
            notes.append(f"{TARGET_NAMES[c].split('≈')[0]}{value:.1f}恰在临界点{on[0]:g}上，按≤计入下一档")
    return f"（{'；'.join(notes)}）" if notes else ""


def disagreements(lights: Lights, table: pd.DataFrame | None = None) -> list[str]:
    """One Chinese line per disagreeing composite episode: consecutive off months of one system whose
    published light, computed light and :func:`explain_month` are the same, then the months, the two
    lights and the explanation (the span fact's off months read as "at least 绿")."""
    table = backtest(lights) if table is None else table
    off = table[table["类别"].isin([COMPOSITE, RANGE]) & ~table["一致"].isin(["是", "未核实"])]
    groups: list[tuple[tuple[str, ...], list[pd.Period]]] = []
    for row in off.to_dict("records"):
        p = _period_of(row["月份"])
        published = "绿" if row["类别"] == RANGE else row["公开灯"]  # the span fact: 非冷, i.e. at least 绿
        key = (row["体系"], row["公开灯"], row["本系统"], explain_month(lights, row["体系"], str(p), published))
        if groups and groups[-1][0] == key and groups[-1][1][-1] + 1 == p:
            groups[-1][1].append(p)
        else:
            groups.append((key, [p]))
    lines = []
    for (system, published, ours, why), months in groups:
        first, last = months[0], months[-1]
        end = f"{last.month}月" if last.year == first.year else _label(last)
        when = _label(first) if first == last else f"{_label(first)}至{end}"
        lines.append(f"{when}：{system}{published}、本系统{ours}——{why}。")
    return lines


def _period_of(label: str) -> pd.Period:
    year, month = label.removesuffix("月").split("年")
    return pd.Period(year=int(year), month=int(month), freq="M")
