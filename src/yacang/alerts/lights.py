"""景气预警信号灯 (business-climate signal lights), the NBS / 中国经济景气监测中心 method.

Each indicator has four **critical points** that cut its range into five zones, scored::

    红 过热 5 · 黄 趋热 4 · 绿 正常 3 · 浅蓝 趋冷 2 · 蓝 过冷 1

**Official method (default).** Critical points are fixed per indicator, derived once from a stated
history window by a stated method and versioned (``lights_points.yaml``: a version for 2000–2012 and
one for the 新常态 from 2013). A file of the same layout overrides them: ``--points`` for one run, or
``$YACANG_HOME/lights_points.yaml`` for an installation (:func:`points_file`). The composite 预警指数 is
100 × (sum of scores) / (3 × n) (100 = every indicator 绿) and its light comes from fixed bands
symmetric about 100, as NBS / CEMAC published them: 绿 83.3–116.7 (both lines 绿), 黄 above 116.7 up to
133.3, 红 above 133.3, 浅蓝 66.7 up to 83.3, 蓝 below 66.7. The published values pin them: 117.3 and 121.3
黄 but 114.7, 113.3, 110.7 绿 (NBS 2007–08); 85.3 绿, 78.7 浅蓝 (NBS 2008-11/12); CEMAC's 中经 indices:
装备制造 116.7 "接近黄灯区和绿灯区临界线" (not yet 黄), 水泥 83.3 "降至绿灯区的下临界线", 钢铁 66.7
"浅蓝灯区…接近蓝灯区临界点" (:data:`BAND_EVIDENCE`). With fewer indicators the same bands apply to the
average score, so the bands scale with the number of indicators available.
**Membership**: NBS's 预警指数 has ten members (工业生产, 固定资产投资, 消费品零售, 进出口, 财政收入,
工业企业利润, 城镇居民收入, 贷款, M2, CPI); the shared data has three of them (:data:`NBS_MEMBERS`:
工业生产 ↔ 规上工业增加值, 利润 ↔ 利润总额, 进出口 ≈ 出口交货值). PPI and 营业收入 are industrial
additions (:data:`INDUSTRIAL_ADDITIONS`); the composite of every indicator is the industrial composite,
:func:`subset_composite` gives the composite of NBS's members alone.
**Base effects**: in years whose base was distorted (2021, after 2020) growth indicators enter as
两年平均 √((1+g)(1+g₋₁)) − 1, as NBS published them then; prices (PPI) are not averaged.

**Indicators** (:data:`NATIONAL_INDICATORS`): like NBS's 预警指数, whose ten members are all growth
rates or a price index, the composite uses the industrial growth and price rates the shared data has:
规上工业增加值, PPI, 利润总额, 营业收入 (主营业务收入 before 2017), 出口交货值. PMI, a diffusion index of
month-on-month change that belongs to the 先行 indicators, is optional (:data:`PMI_INDICATOR`).
Indicators published only some months (利润/收入 quarterly and 出口交货值 without quarter-end months
in 2006–2008) keep their latest published value for up to ``carry_months`` months — what an analyst
had in hand — so the number of indicators behind the composite does not jump month to month.

**Trailing percentiles (option).** For each month, the 10th/25th/75th/90th percentiles of the
indicator's own values over the previous ten years; composite by nearest average score.

Months: every series goes through :mod:`yacang.measures.calendar` — 1-2月 merged since 2013 stands for
January and February; before 2013 a February figure published alone is not put in January.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from yacang.measures.calendar import calendar_view, monthly_grid
from yacang.periods import parse_period, period_label

ZONES = ("蓝", "浅蓝", "绿", "黄", "红")  # score 1..5
ZONE_COLORS = {"蓝": "#1f4e9e", "浅蓝": "#7fb8e6", "绿": "#3a9d3a", "黄": "#f2c200", "红": "#d62728"}
ZONE_MEANING = {"蓝": "过冷", "浅蓝": "趋冷", "绿": "正常", "黄": "趋热", "红": "过热"}
DEFAULT_QUANTILES = (0.10, 0.25, 0.75, 0.90)
DEFAULT_CUTS = (1.5, 2.5, 3.5, 4.5)  # average score per indicator: nearest zone (percentile option)
OFFICIAL_CUTS = (2.0, 2.5, 3.5, 4.0)  # average score = 预警指数 66.7 / 83.3 / 116.7 / 133.3 (NBS bands)
BAND_EVIDENCE = (
    "国家统计局：2007年8月预警指数117.3（9月121.3较上月升4.00点）“突破趋热黄灯区下线”；2008年7月114.7、3月113.3、"
    "4月110.7“绿灯区”；2008年11月85.3绿灯、12月78.7浅蓝灯（出处见 lights_backtest）",
    "中经产业景气指数（经济日报社与国家统计局中国经济景气监测中心）：2010年二季度装备制造业预警指数116.7“接近黄灯区和"
    "绿灯区临界线” https://news.sohu.com/20100721/n273666595.shtml ；2014年三季度水泥83.3“降至绿灯区的下临界线” "
    "http://www.hoppecoke.com/news/show-24390.html ；钢铁一季度66.7“进入浅蓝灯区…接近过冷的蓝灯区临界点” "
    "http://www.xawfggc.com/news_show.asp?id=2220",
)
"""The published values that fix the band lines: 116.7 and 83.3 are 绿, 66.7 is 浅蓝 (so 133.3 is 黄 by symmetry)."""
NBS_MEMBERS = ("iva_yoy", "profit_ytd_yoy", "export_yoy")
"""The members of NBS's ten-indicator 预警指数 that the shared data has (进出口 approximated by 出口交货值)."""
INDUSTRIAL_ADDITIONS = ("ppi_yoy", "revenue_ytd_yoy")
"""Industrial indicators outside NBS's 预警指数, scored and reported separately (the industrial composite)."""
BASE_EFFECT_YEARS = (2021,)
POINTS_FILE = Path(__file__).with_name("lights_points.yaml")


class LightsError(ValueError):
    """Bad signal-light configuration (names the indicator and what is wrong)."""


class NoLightSeries(LightsError):
    """No series of any signal-light indicator to score: there is nothing to show, which is not an error."""


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
    growth: bool = False  # a volume/value growth rate: 两年平均 in base-effect years
    carry_months: int = 0  # keep the latest published value this many months (gaps inside the series)

    def __post_init__(self) -> None:
        for what, v in (("thresholds", self.thresholds), ("quantiles", self.quantiles)):
            if v is not None and not (len(v) == 4 and all(a < b for a, b in pairwise(v))):
                raise LightsError(f"信号灯指标 {self.name}（{self.code}）字段 {what!r}：应为四个递增的数，现为 {v}")


# (indicator, measure) of the warehouse → light indicator (national defaults)
NATIONAL_INDICATORS: list[tuple[str, str, Indicator]] = [
    ("iva", "yoy", Indicator("iva_yoy", "规上工业增加值当月同比", growth=True)),
    ("ppi", "yoy", Indicator("ppi_yoy", "PPI当月同比")),
    ("profit", "ytd_yoy", Indicator("profit_ytd_yoy", "利润总额累计同比", growth=True, carry_months=2)),
    ("revenue", "ytd_yoy", Indicator("revenue_ytd_yoy", "营业收入累计同比", growth=True, carry_months=2)),
    ("export_delivery", "yoy", Indicator("export_yoy", "出口交货值当月同比", growth=True, carry_months=2)),
]
PMI_INDICATOR: tuple[str, str, Indicator] = ("pmi", "level", Indicator("pmi", "制造业PMI"))
"""Optional (``yacang lights --pmi``): a 先行 diffusion index, not a growth rate like the others."""


def to_monthly(values: pd.Series, ytd: pd.Series | None = None) -> pd.Series:
    """Period-code indexed values → one value per calendar month (``pd.Period`` index).

    Through the one monthly calendar (:func:`yacang.measures.calendar.monthly_grid`): a merged 1-2月
    stands for January and February; before 2013 a February figure published alone is kept in
    February only when January was published too, never moved into January. ``ytd`` (the 累计 series)
    tells a pre-2013 February figure from the 1-2月 one. Days, quarters and other spans are ignored.
    """
    clean = values.dropna()
    keep = [c for c in clean.index if parse_period(str(c)).kind in ("month", "jan_feb")]
    if not keep:
        return pd.Series(dtype=float)
    return monthly_grid(calendar_view(clean[keep], ytd))["value"]


def two_year_average(s: pd.Series, years: tuple[int, ...] = BASE_EFFECT_YEARS) -> pd.Series:
    """Growth rates (%) of ``years`` replaced by the 两年平均 √((1+g)(1+g₋₁₂)) − 1 (monthly index).

    A month of ``years`` whose base-year month is not in the series becomes NaN (not scored): its own
    rate carries the base effect (2021-03: +14.1 % on −1.1 %) and would light red for it.
    """
    from yacang.measures.growth import two_year_average as average

    out = s.copy()
    for p in s.index:
        if p.year in years:
            prev = s.get(p - 12)
            out[p] = average(s[p], prev) if prev is not None and pd.notna(prev) else np.nan
    return out


def carry_forward(s: pd.Series, months: int) -> pd.Series:
    """Monthly series with gaps inside it filled by the latest value, at most ``months`` months on.

    Never past the last published month (the series end is not extended).
    """
    if s.empty:
        return s
    idx = pd.period_range(s.index.min(), s.index.max(), freq="M")
    full = s.reindex(idx)
    return full.ffill(limit=months) if months > 0 else full


def jan_feb_from_ytd(s: pd.Series, ytd: pd.Series | None) -> pd.Series:
    """January and February both set to the 1-2月 累计 growth wherever it is known (every year).

    The Spring Festival moves output between January and February (2009: January −2.9 %, February
    +11.0 %, 1-2月 +3.8 %), which is why NBS releases 1-2月 jointly since 2013; the lights read the
    joint figure in all years so that a holiday shift is never scored as heat or cold.
    """
    if ytd is None or s.empty:
        return s
    out = s.copy()
    for code, v in ytd.dropna().items():
        p = parse_period(str(code))
        if p.kind == "jan_feb" or (p.kind == "month" and p.end == 2):
            for m in (1, 2):
                key = pd.Period(year=p.year, month=m, freq="M")
                if key in out.index:
                    out[key] = float(v)
    return out


def prepare(values: pd.Series, ind: Indicator, *, ytd: pd.Series | None = None, method: str = "official",
            base_effect_years: tuple[int, ...] = BASE_EFFECT_YEARS) -> pd.Series:
    """The monthly series that is scored: calendar months, 1-2月 joint, carried gaps, 两年平均 (official)."""
    s = to_monthly(values, ytd)
    if ind.growth:  # flows (not prices, published monthly without holiday shifts)
        s = jan_feb_from_ytd(s, ytd)
    s = carry_forward(s, ind.carry_months)
    if method == "official" and ind.growth:
        s = two_year_average(s, base_effect_years)
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


def composite_light(total: pd.Series, n: pd.Series, cuts: tuple[float, ...] = DEFAULT_CUTS, *,
                    symmetric: bool = False) -> pd.Series:
    """Composite light name from the score sum and the number of indicators behind it.

    ``symmetric`` (the official bands): a line below the 绿 centre (3) belongs to the zone above it, a
    line above the centre to the zone below it — 83.3 and 116.7 are 绿, 66.7 浅蓝, 133.3 黄 (:data:`BAND_EVIDENCE`).
    Otherwise every line belongs to the zone above it (nearest-zone rounding of the percentile option).
    """
    avg = (total / n).to_numpy(dtype=float)[:, None]
    c = np.asarray(cuts, dtype=float)
    above = (avg >= c) if not symmetric else np.where(c < 3.0, avg >= c, avg > c)
    idx = above.sum(axis=1)
    out = pd.Series(np.array(ZONES, dtype=object)[idx], index=total.index)
    return out.where(n > 0)


def official_light(total: pd.Series, n: pd.Series) -> pd.Series:
    """The official light of score sums (NBS bands, symmetric lines)."""
    return composite_light(total, n, OFFICIAL_CUTS, symmetric=True)


@dataclass
class Lights:
    """Signal lights by month: per-indicator values, scores and zones, and the composite."""

    values: pd.DataFrame
    scores: pd.DataFrame
    thresholds: dict[str, pd.DataFrame]
    composite: pd.DataFrame  # total, n, index (预警指数), light
    indicators: list[Indicator] = field(default_factory=list)
    method: str = "official"

    def composite_of(self, codes: tuple[str, ...] | list[str]) -> pd.DataFrame:
        """The composite of some indicators only (see :func:`subset_composite`), with this run's bands."""
        return subset_composite(self.scores, codes, official=self.method == "official")

    def table(self, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Chinese table: 月份, each indicator's value and zone, 总分, 信号灯."""
        rows = self.composite.loc[as_month(start, self.composite.index.min()): as_month(end, self.composite.index.max())]
        out = pd.DataFrame({"月份": [f"{p.year}年{p.month}月" for p in rows.index]})
        for ind in self.indicators:
            sc = self.scores[ind.code].reindex(rows.index)
            out[ind.name] = self.values[ind.code].reindex(rows.index).round(1).to_numpy()
            out[f"{ind.name}灯"] = [ZONES[int(x) - 1] if not np.isnan(x) else "" for x in sc]
        out["总分"] = rows["total"].to_numpy()
        out["指标数"] = rows["n"].to_numpy()
        out["信号灯"] = rows["light"].fillna("").to_numpy()
        return out


def subset_composite(scores: pd.DataFrame, codes: tuple[str, ...] | list[str], *, official: bool = True) -> pd.DataFrame:
    """Total, n, 预警指数 and light of the months where every one of ``codes`` is scored.

    E.g. ``NBS_MEMBERS``: the composite of the members of NBS's 预警指数 that the shared data has.
    """
    missing = [c for c in codes if c not in scores]
    if missing:
        raise LightsError(f"没有指标 {'、'.join(missing)} 的信号灯分数，无法计算其综合灯")
    part = scores[list(codes)].dropna()
    total = part.sum(axis=1)
    n = pd.Series(len(codes), index=part.index)
    light = official_light(total, n) if official else composite_light(total, n, DEFAULT_CUTS)
    return pd.DataFrame({"total": total, "n": n, "index": 100 * total / (3 * n), "light": light})


def method_words(method: str, versions: list[PointsVersion] | None = None) -> str:
    """How the lights were set, in Chinese, for every output that shows them (CLI, chart page)."""
    if method != "official":
        return "方法：近十年滚动分位数（10/25/75/90），综合灯按平均分就近归区"
    kept = "；".join(f"{v.version} 自{period_label(v.effective_from)}起，{_window_zh(v.window)}，{v.method}"
                    for v in versions or ())
    return ("方法：固定临界点" + (f"（{kept}）" if kept else "") + "；2021年增长率取两年平均；预警指数=100×总分/(3×指标数)，"
            "绿83.3–116.7（两条线均属绿灯）、黄116.7以上至133.3、红133.3以上、浅蓝66.7至83.3、蓝66.7以下"
            "（线的归属按国家统计局与中国经济景气监测中心公布的指数值）")


def _window_zh(window: tuple[str, str]) -> str:
    """``("2000-01", "2012-12")`` → ``2000年1月至2012年12月``."""
    return f"{period_label(window[0])}至{period_label(window[1])}"


def as_month(text: str | None, default: pd.Period) -> pd.Period:
    """A --from/--to month as a pandas month, or ``default`` when it is not given."""
    if text is None:
        return default
    p = parse_period(text)
    return pd.Period(year=p.year, month=p.end, freq="M")


@dataclass(frozen=True)
class PointsVersion:
    """One version of the fixed critical points: where they apply, how they were derived."""

    version: str
    effective_from: str  # first month (YYYY-MM) the version applies to
    window: tuple[str, str]  # history window the points were derived from
    method: str
    points: dict[str, tuple[float, float, float, float]]


def points_file() -> Path:
    """The critical-point file in force: ``$YACANG_HOME/lights_points.yaml`` when an installation has
    one (configuration: it then applies to the CLI, the web page and the bulletin), else the package's."""
    from yacang.settings import get_settings

    local = get_settings().home / POINTS_FILE.name
    return local if local.is_file() else POINTS_FILE


def load_points(path: Path | None = None) -> list[PointsVersion]:
    """The versioned critical points (default: :func:`points_file`), oldest first.

    Raises :class:`LightsError` naming the file, the version and the field for a bad file.
    """
    import yaml

    path = path or points_file()
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise LightsError(f"信号灯临界点文件 {path} 不是 UTF-8 文本（应为 YAML，格式同内置 lights_points.yaml）") from None
    except OSError as exc:
        why = ("不存在" if isinstance(exc, FileNotFoundError) else "是目录，不是文件" if isinstance(exc, IsADirectoryError)
               else "没有读取权限" if isinstance(exc, PermissionError) else "无法读取")
        raise LightsError(f"信号灯临界点文件 {path} {why}：请检查路径（格式同内置 lights_points.yaml）") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LightsError(f"信号灯临界点文件 {path} 第 {mark.line + 1 if mark else 1} 行 YAML 格式错误，"
                          "请检查缩进和冒号（格式同内置 lights_points.yaml）") from None
    versions = []
    for i, v in enumerate((doc or {}).get("versions") or []):
        where = f"{path} 第{i + 1}个版本"
        try:
            pts = {str(k): tuple(float(x) for x in t) for k, t in (v.get("points") or {}).items()}
            pv = PointsVersion(str(v["version"]), str(v["effective_from"]), tuple(v["window"]),
                               str(v["method"]), pts)  # type: ignore[arg-type]
            parse_period(pv.effective_from)
        except (KeyError, TypeError, ValueError) as exc:
            raise LightsError(f"{where}：字段缺失或格式不对（{exc}）；应有 version、effective_from、window、method、points") from exc
        for code, t in pts.items():
            if not (len(t) == 4 and all(np.isfinite(t)) and all(a < b for a, b in pairwise(t))):
                raise LightsError(f"{where}（{pv.version}）指标 {code}：临界点应为四个递增的有限数，现为 {t}")
        versions.append(pv)
    if not versions:
        raise LightsError(f"信号灯临界点文件 {path} 没有任何版本（versions）")
    return sorted(versions, key=lambda v: v.effective_from)


def derive_points(s: pd.Series, window: tuple[str, str], quantiles=DEFAULT_QUANTILES) -> tuple[float, ...]:
    """Critical points of a monthly series: its ``quantiles`` over ``window``, rounded to 0.1.

    The documented method of ``lights_points.yaml`` (10th/25th/75th/90th percentiles of the monthly
    values in the window, growth rates of base-effect years as 两年平均).
    """
    part = s.loc[pd.Period(window[0], "M"): pd.Period(window[1], "M")].dropna()
    if len(part) < 24:
        raise LightsError(f"推导临界点至少需要 24 个月的数据，窗口 {_window_zh(window)} 内只有 {len(part)} 个")
    return tuple(round(float(q), 1) for q in np.quantile(part.to_numpy(), quantiles))


def fixed_thresholds(s: pd.Series, code: str, versions: list[PointsVersion]) -> pd.DataFrame:
    """Per month, the critical points of the version in force (NaN where no version covers it)."""
    rows = np.full((len(s), 4), np.nan)
    for v in versions:
        if code not in v.points:
            continue
        start = pd.Period(v.effective_from, "M")
        mask = np.asarray(s.index >= start)
        rows[mask] = v.points[code]
    return pd.DataFrame(rows, index=s.index, columns=["t1", "t2", "t3", "t4"])


def compute_lights(series: dict[str, pd.Series], indicators: list[Indicator], *, min_indicators: int = 3,
                   cuts: tuple[float, ...] | None = None, method: str = "official",
                   points: list[PointsVersion] | None = None, ytd: dict[str, pd.Series] | None = None,
                   base_effect_years: tuple[int, ...] = BASE_EFFECT_YEARS) -> Lights:
    """Lights from period-code indexed series keyed by indicator code.

    ``method="official"``: fixed versioned critical points (``points``, default the package file),
    两年平均 for growth indicators in ``base_effect_years``, NBS bands (:data:`OFFICIAL_CUTS`).
    ``method="percentile"``: trailing ten-year percentiles, nearest-zone bands (:data:`DEFAULT_CUTS`).
    """
    if method not in ("official", "percentile"):
        raise LightsError(f"未知的信号灯方法 {method!r}，应为 official 或 percentile")
    ytd = ytd or {}
    monthly = {ind.code: prepare(series[ind.code], ind, ytd=ytd.get(ind.code), method=method,
                                 base_effect_years=base_effect_years)
               for ind in indicators if ind.code in series}
    monthly = {k: v for k, v in monthly.items() if not v.dropna().empty}
    if not monthly:
        raise NoLightSeries("没有可用于信号灯的指标序列")
    used = [ind for ind in indicators if ind.code in monthly]
    if method == "official":
        points = points if points is not None else load_points()
        missing = [ind.name for ind in used if not any(ind.code in v.points for v in points)]
        if missing:
            raise LightsError(f"临界点文件中没有指标 {'、'.join(missing)} 的临界点；请在临界点文件中补充，或改用 --method percentile")
    idx = pd.period_range(min(s.index.min() for s in monthly.values()),
                          max(s.index.max() for s in monthly.values()), freq="M")
    values = pd.DataFrame({k: s.reindex(idx) for k, s in monthly.items()})
    ths, scores = {}, {}
    for ind in used:
        s = monthly[ind.code]
        th = fixed_thresholds(s, ind.code, points or []) if method == "official" else rolling_thresholds(s, ind)
        ths[ind.code] = th.reindex(idx)
        sc = zone_scores(s, th, inverse=ind.inverse)
        sc[th.isna().any(axis=1).to_numpy()] = np.nan  # no critical points in force: no score
        scores[ind.code] = sc.reindex(idx)
    scores_df = pd.DataFrame(scores)
    n = scores_df.notna().sum(axis=1)
    total = scores_df.sum(axis=1, min_count=1)
    ok = n >= min(min_indicators, len(used))
    comp = pd.DataFrame({"total": total.where(ok), "n": n.where(ok, 0)})
    comp["index"] = 100 * comp["total"] / (3 * comp["n"].where(comp["n"] > 0))
    official = method == "official"
    comp["light"] = composite_light(comp["total"], comp["n"], cuts or (OFFICIAL_CUTS if official else DEFAULT_CUTS),
                                    symmetric=official)
    comp = comp[ok]
    return Lights(values, scores_df, ths, comp, used, method=method)


def concept_values(wh, indicator: str, measure: str, region: str, industry: str) -> pd.Series | None:
    """The best series of a concept, extended back in time with its other variants.

    E.g. Wind's merged 1-2月 IVA series starts in 2012; earlier months come from the 1-2月拆分 variant.
    Only periods ending before the best series' first period are borrowed.
    """
    best = wh.find_series(indicator, measure, region=region, industry=industry)
    if best is None:  # e.g. only NBS's PPI index (上年同月=100) is stored: the rate is index − 100
        return wh.rate_values(indicator, measure, region, industry)
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
    return _fill_from_index(wh, values, indicator, measure, region, industry)


def _fill_from_index(wh, values: pd.Series, indicator: str, measure: str, region: str, industry: str) -> pd.Series:
    """``values`` with the months it lacks taken from the published index − 100 (PPI 上年同月=100).

    Wind's PPI export has no 2019年6月 (NBS: 100.0, i.e. 持平) and ends before NBS's own export does;
    without this the light left that month's PPI blank and stopped scoring PPI at Wind's last month.
    """
    from yacang.catalog.indicators import INDEX_OF_RATE

    index = INDEX_OF_RATE.get(measure)
    sid = wh.find_series(indicator, index, region, industry) if index else None
    if sid is None or values.empty:
        return values
    alt = wh.values(sid).dropna()
    have = {parse_period(p).end_date for p in values.index}
    extra = [p for p in alt.index if parse_period(p).kind == "month" and parse_period(p).end_date not in have]
    if not extra:
        return values
    out = pd.concat([values, (alt[extra] - 100.0).round(6)])
    return out.iloc[np.argsort([parse_period(p).end_date for p in out.index], kind="stable")].rename(values.name)


def warehouse_series(wh, region: str = "100000", indicators=None
                     ) -> tuple[dict[str, pd.Series], list[Indicator], dict[str, pd.Series]]:
    """The raw series (period-code indexed), the indicators found and the 累计 series of each ``yoy`` one."""
    from yacang.catalog.industries import TOTAL

    series, used, ytd = {}, [], {}
    for indicator, measure, ind in indicators or NATIONAL_INDICATORS:
        values = concept_values(wh, indicator, measure, region, TOTAL)
        if values is None and indicator == "pmi":
            values = concept_values(wh, indicator, measure, region, "C")
        if values is None or values.dropna().empty:
            continue
        series[ind.code] = values
        used.append(ind)
        if measure == "yoy":  # the 累计 tells a pre-2013 February figure from the 1-2月 one
            cum = concept_values(wh, indicator, "ytd_yoy", region, TOTAL)
            if cum is not None and not cum.dropna().empty:
                ytd[ind.code] = cum
    return series, used, ytd


def lights_from_warehouse(wh, region: str = "100000", indicators=None, **kw) -> Lights:
    """Lights for a region from the warehouse's series of each default indicator."""
    series, used, ytd = warehouse_series(wh, region, indicators)
    if not used:
        raise NoLightSeries(f"仓库中没有地区 {region} 的信号灯指标（工业增加值、PPI、利润、营业收入、出口交货值），请先导入数据")
    return compute_lights(series, used, ytd=ytd, **kw)
