"""What a bulletin needs to know, as plain records: the interface between providers and the composer.

A provider (the national series in :mod:`yacang.report.national`, the microdata measures and alerts of a
province or city through :class:`RegionalSource`) fills a :class:`BulletinInput`; the composer in
:mod:`yacang.report.regional` turns it into a :class:`~yacang.report.model.Bulletin`. All growth rates
are in %, pulls in 百分点, amounts in 亿元 unless a field says otherwise. ``None`` means "no data":
the composer leaves the sentence or column out instead of printing a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from yacang.dispatch.rows import DispatchInput
from yacang.periods import Period


@dataclass
class RegionFigures:
    """The region's own headline figures (一、总体情况)."""

    code: str
    name: str  # 广东省
    scope: str  # how the text names it: 全国 / 全省 / 全市
    ytd: float | None  # 累计同比 (%)
    ytd_prev: float | None  # previous 累计 (1-2月 for 1-3月)
    month: float | None  # 当月同比
    month_prev: float | None
    two_year_ytd: float | None = None
    two_year_month: float | None = None
    parent_name: str | None = None  # 全国 for a province
    parent_ytd: float | None = None
    parent_month: float | None = None
    rank: int | None = None  # among the parent's children, by 累计
    prev_rank: int | None = None
    n_siblings: int | None = None
    target: float | None = None  # annual growth target (%)
    target_needed: float | None = None  # average growth needed in the remaining months (%)
    target_light: str | None = None  # green / yellow / red (see model.LIGHTS)
    target_state: str | None = None  # 超进度 / 符合进度 / 滞后 / 严重滞后 (measures.targets.STATE_ZH)
    history: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    # (period label, 当月, 累计) for the trend chart, oldest first


@dataclass
class SubRegionRow:
    """One row of 二、分地区情况: a child region of the bulletin's region."""

    code: str
    name: str
    ytd: float | None
    month: float | None = None
    rank: int | None = None  # 1 = fastest 累计 growth; ties share a rank
    prev_rank: int | None = None
    target: float | None = None
    target_light: str | None = None  # green / yellow / red
    target_state: str | None = None  # 超进度 / 符合进度 / 滞后 / 严重滞后


@dataclass
class IndustryRow:
    """A 门类, division or grouping with its growth, and its pull where microdata give one."""

    code: str
    name: str
    ytd: float | None
    month: float | None = None
    ytd_prev: float | None = None
    pull: float | None = None  # 拉动 (百分点) of the region's 累计 growth
    ppi: float | None = None  # PPI 当月同比 of the division (%)


@dataclass
class Breadth:
    """增长面: how many units grow (by 当月 growth unless ``basis`` says otherwise)."""

    n_up: int
    n_total: int
    unit_word: str = "大类行业"
    basis: str = "当月"


@dataclass
class PriceFigures:
    """PPI and PMI (national series, or the region's where it publishes them)."""

    ppi: float | None = None  # 当月同比
    ppi_prev: float | None = None
    ppi_mom: float | None = None
    ppi_ytd: float | None = None
    pmi: float | None = None
    pmi_prev: float | None = None
    pmi_below_50_months: int = 0  # consecutive months below 50 up to this one


@dataclass
class Efficiency:
    """四、效益与出口. ``period`` is the latest period the figures refer to (profits lag a month)."""

    period: Period | None = None
    revenue: float | None = None  # 亿元, 累计
    revenue_yoy: float | None = None
    profit: float | None = None
    profit_yoy: float | None = None
    profit_margin: float | None = None  # %
    loss_count: float | None = None
    enterprise_count: float | None = None
    loss_depth: float | None = None  # 亏损企业亏损额 / 盈利企业利润 (%)
    export_period: Period | None = None
    export_value: float | None = None  # 当月, 亿元
    export_yoy: float | None = None
    export_ytd_yoy: float | None = None

    @property
    def loss_share(self) -> float | None:
        """亏损面 = 亏损企业单位数 / 企业单位数 × 100."""
        if self.loss_count is None or not self.enterprise_count:
            return None
        return 100.0 * self.loss_count / self.enterprise_count


@dataclass
class Investment:
    """工业投资 and 制造业投资 (固定资产投资, 累计同比 %), when loaded."""

    period: Period
    industry_yoy: float | None = None  # 工业投资 累计同比
    manufacturing_yoy: float | None = None  # 制造业投资 累计同比
    industry_yoy_prev: float | None = None  # previous 累计
    manufacturing_yoy_prev: float | None = None


@dataclass
class Structure:
    """制造业增加值占GDP比重 (%), latest published period (usually a year), with the year before."""

    period: Period
    manufacturing_share: float
    manufacturing_share_prev: float | None = None


@dataclass
class AlertRow:
    """A firing alert (issue 4's rule engine), grouped by region in the bulletin."""

    region_code: str
    region_name: str
    rule: str  # Chinese rule name
    severity: str  # red / yellow / blue (red alerts are quoted in the text, the rest go to an 附表)
    message: str
    since: str = ""  # period label it has been firing since


@dataclass
class MaterialRow:
    """红黄蓝 raw-material supply warning."""

    material: str
    level: str  # red / yellow / blue / none / stopped (its data stopped before the period: not assessed)
    price: float | None = None
    unit: str = ""
    change: float | None = None  # % against the 1-year norm or the last reading
    note: str = ""
    source: str = ""  # who published the series the row read (世界银行, 同花顺iFinD、Wind …): named in 数据来源


@dataclass
class LightRow:
    """景气预警信号灯 of one indicator (or the composite) over recent periods."""

    name: str
    lights: list[str]  # red / yellow / green / lightblue / blue, one per column
    source: str = ""  # who published the series the light read: named in 数据来源


@dataclass
class EnterpriseRow:
    """六、重点企业: an enterprise that drags or lifts its region (点对点 follow-up)."""

    name: str
    region_name: str
    industry_name: str
    ytd: float | None  # its own 累计 growth (%)
    pull: float  # 拉动 of the region's growth (百分点); negative = drag
    note: str = ""


@dataclass
class BulletinInput:
    """Everything a bulletin says, for one region and period."""

    period: Period
    region: RegionFigures
    subregions: list[SubRegionRow] = field(default_factory=list)
    subregion_level: str = "province"  # province / prefecture / county
    missing_subregions: list[str] = field(default_factory=list)  # names of children with no figure this period
    sections: list[IndustryRow] = field(default_factory=list)  # 三大门类
    divisions: list[IndustryRow] = field(default_factory=list)  # 大类
    groupings: list[IndustryRow] = field(default_factory=list)  # 高技术制造业, 装备制造业
    breadth: Breadth | None = None
    prices: PriceFigures | None = None
    efficiency: Efficiency | None = None
    investment: Investment | None = None
    structure: Structure | None = None
    alerts: list[AlertRow] = field(default_factory=list)
    materials: list[MaterialRow] = field(default_factory=list)
    lights: list[LightRow] = field(default_factory=list)
    light_columns: list[str] = field(default_factory=list)
    drags: list[EnterpriseRow] = field(default_factory=list)
    gains: list[EnterpriseRow] = field(default_factory=list)
    dispatch: DispatchInput | None = None
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # caveats on how figures were obtained
    has_microdata: bool = False
    alerts_evaluated: bool = False  # the rule engine ran for this bulletin (no alerts = none firing)
    two_year_base_years: tuple[int, ...] | None = None  # 两年平均 printed when year−1 is one (None: default)


class RegionalSource(Protocol):
    """What the measures/alerts side provides for a region (wired by ``yacang run``)."""

    def bulletin_input(self, region: str, period: Period) -> BulletinInput: ...
