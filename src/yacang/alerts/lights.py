"""景气预警信号灯 (business-climate signal lights), the NBS / 国家信息中心 style.

Each indicator has four thresholds that cut its range into five zones, scored::

    红 过热 5 · 黄 趋热 4 · 绿 正常 3 · 浅蓝 趋冷 2 · 蓝 过冷 1

The composite is the sum of the scores of the indicators available that month (at least three),
mapped to a light with cut-offs scaled to the number of indicators n: by default the average score
rounded to the nearest zone, i.e. sum ≥ 4.5n 红, ≥ 3.5n 黄, ≥ 2.5n 绿, ≥ 1.5n 浅蓝, else 蓝
(equal-width bands centred on each zone's score; configurable).

Default thresholds (documented method, no look-ahead): for each month, the 10th, 25th, 75th and 90th
percentiles of the indicator's own values over the previous ten years (at least three years; with a
shorter history, all of it). A trailing window follows the slow decline of Chinese growth rates, so
"normal" means normal for the decade, not for the 2000s. Fixed thresholds can be given instead.

Months: NBS publishes January and February together (1-2月) since 2013; the merged figure stands for
both months, so the lights have a value every month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from yacang.periods import parse_period

ZONES = ("蓝", "浅蓝", "绿", "黄", "红")  # score 1..5
ZONE_COLORS = {"蓝": "#1f4e9e", "浅蓝": "#7fb8e6", "绿": "#3a9d3a", "黄": "#f2c200", "红": "#d62728"}
ZONE_MEANING = {"蓝": "过冷", "浅蓝": "趋冷", "绿": "正常", "黄": "趋热", "红": "过热"}
DEFAULT_QUANTILES = (0.10, 0.25, 0.75, 0.90)
DEFAULT_CUTS = (1.5, 2.5, 3.5, 4.5)  # average score per indicator: nearest zone


class LightsError(ValueError):
    """Bad signal-light configuration (names the indicator and what is wrong)."""


@dataclass
class Indicator:
    """One signal-light indicator."""

    code: str
    name: str
    thresholds: tuple[float, float, float, float] | None = None  # fixed; else from history
    inverse: bool = False  # higher is colder (e.g. 库存, 亏损面)
    quantiles: tuple[float, float, float, float] = DEFAULT_QUANTILES
    window_years: int = 10
    min_years: int = 3

    def __post_init__(self) -> None:
        for what, v in (("thresholds", self.thresholds), ("quantiles", self.quantiles)):
            if v is not None and not (len(v) == 4 and all(a < b for a, b in pairwise(v))):
                raise LightsError(f"信号灯指标 {self.name}（{self.code}）字段 {what!r}：应为四个递增的数，现为 {v}")


# (indicator, measure) of the warehouse → light indicator (national defaults)
NATIONAL_INDICATORS: list[tuple[str, str, Indicator]] = [
    ("iva", "yoy", Indicator("iva_yoy", "规上工业增加值当月同比")),
    ("ppi", "yoy", Indicator("ppi_yoy", "PPI当月同比")),
    ("pmi", "level", Indicator("pmi", "制造业PMI")),
    ("profit", "ytd_yoy", Indicator("profit_ytd_yoy", "利润总额累计同比")),
    ("export_delivery", "yoy", Indicator("export_yoy", "出口交货值当月同比")),
]


def to_monthly(values: pd.Series) -> pd.Series:
    """Period-code indexed values → one value per calendar month (``pd.Period`` index).

    A merged 1-2月 value stands for January and February; a missing January takes February's value
    (NBS releases January and February together: since 2013 always, and for IVA in most earlier
    years; 累计 series carry 1-2月 at February). Days, quarters and other spans are ignored.
    """
    out: dict[pd.Period, float] = {}
    jan_from_feb: set[int] = set()
    for code, v in values.dropna().items():
        p = parse_period(str(code))
        if p.kind == "month":
            out[pd.Period(year=p.year, month=p.end, freq="M")] = float(v)
            if p.end == 2:
                jan_from_feb.add(p.year)
        elif p.kind == "jan_feb":
            for m in (1, 2):
                out[pd.Period(year=p.year, month=m, freq="M")] = float(v)
    for y in jan_from_feb:
        jan = pd.Period(year=y, month=1, freq="M")
        if jan not in out:
            out[jan] = out[pd.Period(year=y, month=2, freq="M")]
    s = pd.Series(out, dtype=float).sort_index()
    if len(s):
        s = s.reindex(pd.period_range(s.index.min(), s.index.max(), freq="M"))
    return s


def rolling_thresholds(s: pd.Series, ind: Indicator) -> pd.DataFrame:
    """Thresholds t1..t4 per month from the previous ``window_years`` years (trailing, no look-ahead)."""
    if ind.thresholds is not None:
        return pd.DataFrame([ind.thresholds] * len(s), index=s.index, columns=["t1", "t2", "t3", "t4"])
    w = 12 * ind.window_years
    vals = s.to_numpy(dtype=float)
    rows = np.full((len(s), 4), np.nan)
    full = s.dropna().to_numpy()
    for i in range(len(s)):
        past = vals[max(0, i - w): i]
        past = past[~np.isnan(past)]
        src = past if len(past) >= 12 * ind.min_years else full
        rows[i] = np.quantile(src, ind.quantiles)
    return pd.DataFrame(rows, index=s.index, columns=["t1", "t2", "t3", "t4"])


def zone_scores(s: pd.Series, th: pd.DataFrame, *, inverse: bool = False) -> pd.Series:
    """Score 1..5 of each value against its four thresholds (NaN where the value is missing)."""
    v = s.to_numpy(dtype=float)
    t = th.to_numpy(dtype=float)
    score = 1 + (v[:, None] > t).sum(axis=1).astype(float)
    if inverse:
        score = 6 - score
    score[np.isnan(v)] = np.nan
    return pd.Series(score, index=s.index)


def composite_light(total: pd.Series, n: pd.Series, cuts: tuple[float, ...] = DEFAULT_CUTS) -> pd.Series:
    """Composite light name from the score sum and the number of indicators behind it."""
    avg = total / n
    idx = (avg.to_numpy()[:, None] >= np.asarray(cuts)).sum(axis=1)
    out = pd.Series(np.array(ZONES, dtype=object)[idx], index=total.index)
    return out.where(n > 0)


@dataclass
class Lights:
    """Signal lights by month: per-indicator values, scores and zones, and the composite."""

    values: pd.DataFrame
    scores: pd.DataFrame
    thresholds: dict[str, pd.DataFrame]
    composite: pd.DataFrame  # total, n, light
    indicators: list[Indicator] = field(default_factory=list)

    def table(self, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Chinese table: 月份, each indicator's value and zone, 总分, 信号灯."""
        rows = self.composite.loc[_p(start, self.composite.index.min()): _p(end, self.composite.index.max())]
        out = pd.DataFrame({"月份": [f"{p.year}年{p.month}月" for p in rows.index]})
        for ind in self.indicators:
            sc = self.scores[ind.code].reindex(rows.index)
            out[ind.name] = self.values[ind.code].reindex(rows.index).round(1).to_numpy()
            out[f"{ind.name}灯"] = [ZONES[int(x) - 1] if not np.isnan(x) else "" for x in sc]
        out["总分"] = rows["total"].to_numpy()
        out["指标数"] = rows["n"].to_numpy()
        out["信号灯"] = rows["light"].fillna("").to_numpy()
        return out


def _p(text: str | None, default: pd.Period) -> pd.Period:
    if text is None:
        return default
    p = parse_period(text)
    return pd.Period(year=p.year, month=p.end, freq="M")


def compute_lights(series: dict[str, pd.Series], indicators: list[Indicator], *, min_indicators: int = 3,
                   cuts: tuple[float, ...] = DEFAULT_CUTS) -> Lights:
    """Lights from period-code indexed series keyed by indicator code."""
    monthly = {ind.code: to_monthly(series[ind.code]) for ind in indicators if ind.code in series}
    if not monthly:
        raise LightsError("没有可用于信号灯的指标序列")
    idx = pd.period_range(min(s.index.min() for s in monthly.values()),
                          max(s.index.max() for s in monthly.values()), freq="M")
    values = pd.DataFrame({k: s.reindex(idx) for k, s in monthly.items()})
    used = [ind for ind in indicators if ind.code in monthly]
    ths, scores = {}, {}
    for ind in used:
        s = monthly[ind.code]
        th = rolling_thresholds(s, ind)
        ths[ind.code] = th.reindex(idx)
        scores[ind.code] = zone_scores(s, th, inverse=ind.inverse).reindex(idx)
    scores_df = pd.DataFrame(scores)
    n = scores_df.notna().sum(axis=1)
    total = scores_df.sum(axis=1, min_count=1)
    ok = n >= min(min_indicators, len(used))
    comp = pd.DataFrame({"total": total.where(ok), "n": n.where(ok, 0)})
    comp["light"] = composite_light(comp["total"], comp["n"], cuts)
    comp = comp[ok]
    return Lights(values, scores_df, ths, comp, used)


def concept_values(wh, indicator: str, measure: str, region: str, industry: str) -> pd.Series | None:
    """The best series of a concept, extended back in time with its other variants.

    E.g. Wind's merged 1-2月 IVA series starts in 2012; earlier months come from the 1-2月拆分 variant.
    Only periods ending before the best series' first period are borrowed.
    """
    best = wh.find_series(indicator, measure, region=region, industry=industry)
    if best is None:
        return None
    values = wh.values(best)
    meta = wh.series(indicator=indicator, measure=measure, region=region, industry=industry, category="")
    for sid in meta["series_id"]:
        if sid == best or values.empty:
            continue
        first = parse_period(values.index[0]).end_date
        other = wh.values(sid)
        older = [p for p in other.index if parse_period(p).end_date < first and parse_period(p).kind != "day"]
        if older:
            values = pd.concat([other[older], values])
    return values


def lights_from_warehouse(wh, region: str = "100000", indicators=None, **kw) -> Lights:
    """Lights for a region from the warehouse's series of each default indicator."""
    from yacang.catalog.industries import TOTAL

    series, used = {}, []
    for indicator, measure, ind in indicators or NATIONAL_INDICATORS:
        values = concept_values(wh, indicator, measure, region, TOTAL)
        if values is None and indicator == "pmi":
            values = concept_values(wh, indicator, measure, region, "C")
        if values is None or values.dropna().empty:
            continue
        series[ind.code] = values
        used.append(ind)
    if not used:
        raise LightsError(f"仓库中没有地区 {region} 的信号灯指标（工业增加值、PPI、PMI、利润、出口交货值），请先导入数据")
    return compute_lights(series, used, **kw)
