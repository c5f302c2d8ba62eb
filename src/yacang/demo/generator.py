"""Seeded, calibrated demo panel of industrial enterprises and their monthly 规上 reports.

How the panel is built (all arrays are enterprise × year × report period, 11 periods a year with the
merged 1-2月):

1. Enterprises are spread over the 31 provinces (roughly as the real 规上 counts), their prefectures and
   counties (:mod:`yacang.demo.regions`) and the 41 divisions (roughly as the divisions' value-added
   shares), with a log-normal size, births, deaths and idiosyncratic yearly growth, so that the 规上 set
   (main-business revenue of the previous year ≥ 2000 万元) changes each January.
2. Real output = size × monthly profile (with the Spring Festival effect of the base year) × the
   national path × division and province premia × shocks (湖北 2020, 上海/吉林 April 2022, 汽车缺芯
   2021) × noise. Current-price output = real output × the division's PPI chain.
3. **Calibration**: year by year, each report period's current-price output of every enterprise is
   multiplied by one factor so that the 同口径 real growth of the 规上 set (deflated by division PPI,
   weighted by 增加值率, against the same enterprises' 上年同期) equals the published national
   规上工业增加值 当月同比. Provinces and divisions keep their differences (the lockdowns stay visible).
   Because the next year's 上年同期 are this year's calibrated values, the chain stays consistent.
4. Sales, exports, revenue, profit (with loss-makers), electricity and employment follow from output;
   规上 status in a year follows the previous year's reported 营业收入 exactly.
5. In the last period about 2% of 规上 enterprises have not reported yet (催报) and about 5% of the
   reports are still 已报送 (not yet 审核通过); that period is calibrated on the reports received.

:func:`generate` is pure (config → frames); :func:`write_demo` writes them to the warehouse.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yacang.catalog.industries import HIGH_TECH, division_codes
from yacang.catalog.regions import RegionCatalog, ancestor_at, mainland_provinces
from yacang.demo import calibration as cal
from yacang.demo.growth import growth_by, report_rows
from yacang.demo.ppi import period_ppi_index
from yacang.demo.regions import DemoRegions, build_regions
from yacang.periods import PeriodError, parse_period

THRESHOLD = 2000.0  # 规上 threshold: main-business revenue 2000 万元 a year (since 2011)
K = len(cal.PERIOD_SUFFIXES)
DEMO_SOURCE_FILE = "yacang demo"
DEMO_ORG_PREFIX = "DM"  # characters 9-10 of every demo USCC (how the demo finds its own rows)
MONEY_COLUMNS = ("output_value", "sales_value", "export_delivery", "revenue", "profit", "electricity", "employment")
REVISED_COLUMNS = ("output_value", "sales_value", "export_delivery", "revenue", "profit")  # 上年同期核实


class DemoError(ValueError):
    """A demo request that cannot be met (the message says what to change, in Chinese)."""


@dataclass(frozen=True)
class DemoSpec:
    """What to generate.

    Default 20,000 enterprises × 36 months ending 2022-12: the window holds the 2020 drop, the 2021
    rebound and the 2022 lockdowns; 20,000 enterprises (about 5% of the real 规上 count) give every
    province at least a few dozen 规上 enterprises (广东 about 2,900, 西藏 a handful) and ~330 prefectures
    with enough enterprises to rank, while the whole run (generate, write about 570,000 report rows,
    store about 1,250 series) takes 7–14 seconds on a shared 2-core machine with a peak of about
    0.8 GB. 100,000 enterprises take about 25 seconds to generate and 1.6 GB.
    """

    enterprises: int = 20_000
    months: int = 36
    end: str = "2022-12"
    seed: int = 2022
    late_share: float = 0.02  # 规上 enterprises that have not yet reported the last period (催报)
    pending_share: float = 0.05  # last-period reports still 已报送 (submitted), not yet 审核通过

    def report_periods(self) -> list[tuple[int, int]]:
        """(year, k) of the report periods covering the window, in order."""
        if self.enterprises < 100:
            raise DemoError(f"企业数至少为100（当前 {self.enterprises}）")
        if self.months < 1:
            raise DemoError(f"月份数至少为1（当前 {self.months}）")
        try:
            p = parse_period(self.end)
        except PeriodError as exc:
            raise DemoError(f"截止月份“{self.end}”无法识别：{exc}（应如 2022-12）") from None
        if p.kind not in ("month", "jan_feb"):
            raise DemoError(f"截止月份应为月份（如 2022-12），而不是 {p.code}")
        if p.kind == "month" and p.end == 1:
            raise DemoError(f"1月不单独发布（1-2月合并），请将截止月份改为 {p.year}-02 或 {p.year}-01/02")
        end_idx = p.year * 12 + p.end - 1
        start_idx = end_idx - self.months + 1
        out = []
        for y in range(start_idx // 12, p.year + 1):
            for k in range(K):
                first, last = (1, 2) if k == 0 else (k + 2, k + 2)
                if y * 12 + last - 1 >= start_idx and y * 12 + first - 1 <= end_idx:
                    out.append((y, k))
        years = {y for y, _ in out}
        if min(years) < cal.FIRST_REPORT_YEAR or max(years) > cal.LAST_REPORT_YEAR:
            raise DemoError(
                f"示例数据只能覆盖 {cal.FIRST_REPORT_YEAR}年1-2月 至 {cal.LAST_REPORT_YEAR}年12月"
                f"（校准所用的全国公布数据范围）；当前窗口为 {min(years)}–{max(years)} 年，请调整 --end 或 --months"
            )
        return out


@dataclass
class DemoData:
    """The generated frames, in the layout of the microdata tables."""

    config: DemoSpec
    regions: DemoRegions
    enterprises: pd.DataFrame
    enterprise_years: pd.DataFrame
    reports: pd.DataFrame
    division_params: pd.DataFrame
    division_ppi: pd.DataFrame
    targets: pd.DataFrame
    periods: list[str]
    shocks: list[cal.Shock] = field(default_factory=list)
    base_revisions: pd.DataFrame | None = None  # period, factor: 上年同期核实 of the money 上年同期 columns

    @property
    def years(self) -> list[int]:
        return sorted({int(p[:4]) for p in self.periods})


# ---------------------------------------------------------------------------------------------
# small pure pieces


def _org_checks(bodies: list[str]) -> np.ndarray:
    """GB 11714 check characters of 8-character organisation code bodies (digits and capitals): Σ value ×
    weight (3, 7, 9, 10, 5, 8, 4, 2), value = the digit or A=10 … Z=35; check 11 − Σ mod 11, 10 → X, 11 → 0."""
    raw = "".join(bodies).encode("ascii")
    if len(raw) != 8 * len(bodies):
        raise DemoError("组织机构代码本体应为8位")
    b = np.frombuffer(raw, dtype=np.uint8).reshape(len(bodies), 8).astype(np.int64)
    value = np.where(b <= ord("9"), b - ord("0"), b - 55)
    c = 11 - (value @ np.array([3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return np.where(c == 10, "X", np.where(c == 11, "0", c.astype(str)))


def make_usccs(counties: np.ndarray, serials: np.ndarray) -> list[str]:
    """Demo 统一社会信用代码: 9 (市场监管) 1 (企业), county code, organisation code ``DM`` + 6 digits + check."""
    from yacang.microdata.uscc import make_uscc

    bodies = [f"{DEMO_ORG_PREFIX}{int(s):06d}" for s in serials]
    return [make_uscc(str(county), body + check)
            for county, body, check in zip(counties, bodies, _org_checks(bodies), strict=True)]


def spring_festival_profile(year: int) -> np.ndarray:
    """Share of a year's output in each report period (1-2月 merged), with the Spring Festival dip.

    Working intensity by month (slightly rising through the year) times calendar days, minus the
    production lost around 春节: 10% in the week before, 70% in the holiday week, 25% in the two weeks
    after (return to work). A late festival pushes part of the loss into March.
    """
    base = np.array([0.90, 0.90, 0.98, 0.99, 1.0, 1.01, 0.98, 0.98, 1.02, 1.01, 1.04, 1.08])
    days = np.array([(dt.date(year + (m == 12), m % 12 + 1, 1) - dt.date(year, m, 1)).days for m in range(1, 13)])
    lost = np.zeros(12)
    sf = cal.SPRING_FESTIVAL[year]
    for offset in range(-7, 21):
        d = sf + dt.timedelta(days=offset)
        share = 0.10 if offset < -1 else 0.70 if offset <= 6 else 0.25
        if d.year == year:
            lost[d.month - 1] += share
    monthly = base * (days - lost)
    periods = np.concatenate([[monthly[0] + monthly[1]], monthly[2:]])
    return periods / periods.sum()


# ---------------------------------------------------------------------------------------------
# generation


def generate(config: DemoSpec | None = None, catalog: RegionCatalog | None = None) -> DemoData:
    """Build the demo panel (pure: same config and catalog → identical frames)."""
    config = config or DemoSpec()
    window = config.report_periods()
    ss = np.random.SeedSequence(config.seed)
    r_reg, r_firm, r_path, r_noise, r_attr, r_tgt = (np.random.default_rng(s) for s in ss.spawn(6))

    years = sorted({y for y, _ in window})
    yb = years[0] - 1  # base year: levels only, the 上年同期 of the first report year
    all_years = list(range(yb, years[-1] + 1))
    ny = len(all_years)
    divs = division_codes()
    nd = len(divs)
    provs = [p.code for p in mainland_provinces()]
    prov_region = {p.code: p.nbs_region for p in mainland_provinces()}

    regions = build_regions(r_reg, catalog)

    # --- candidate enterprises -----------------------------------------------------------
    n_cand = int(config.enterprises * 1.6) + 200
    pw = np.array([cal.PROVINCE_ENTERPRISES[p] for p in provs])
    prov_idx = r_firm.choice(len(provs), size=n_cand, p=pw / pw.sum())
    prov_idx[: 8 * len(provs)] = np.repeat(np.arange(len(provs)), 8)  # every province has candidates
    counties = regions.counties
    county_code = np.empty(n_cand, dtype=object)
    for i, p in enumerate(provs):
        sel = np.flatnonzero(prov_idx == i)
        cs = counties[counties["province"] == p]
        w = cs["weight"].to_numpy()
        county_code[sel] = cs["code"].to_numpy()[r_firm.choice(len(cs), size=len(sel), p=w / w.sum())]
    # divisions: counts ∝ VA share / (增加值率 × typical size), tilted per province
    va_w = np.array([cal.DIVISION_VA_WEIGHTS[d] for d in divs])
    va_rate = np.array([cal.DIVISION_VA_RATES[d] for d in divs])
    size_d = np.array([cal.DIVISION_SIZE.get(d, 1.0) for d in divs])
    base_p = va_w / (va_rate * size_d)
    div_idx = np.empty(n_cand, dtype=int)
    for i in range(len(provs)):
        sel = np.flatnonzero(prov_idx == i)
        p = base_p * r_firm.lognormal(0.0, 0.6, nd)
        div_idx[sel] = r_firm.choice(nd, size=len(sel), p=p / p.sum())

    # births (first year of output), deaths (first year without output)
    born_in_window = r_firm.random(n_cand) < 0.05 * ny
    birth = np.where(born_in_window, r_firm.integers(yb, years[-1] + 1, n_cand), yb - 10)
    hazard = r_firm.random((n_cand, ny)) < 0.03
    hazard[:, 0] = False
    first_death = np.where(hazard.any(axis=1), hazard.argmax(axis=1), ny + 5)
    death = np.where(hazard.any(axis=1), yb + first_death, 9999)
    death = np.where(death <= birth, 9999, death)
    yrs = np.array(all_years)
    alive = (yrs[None, :] >= birth[:, None]) & (yrs[None, :] < death[:, None])

    # annual real size (万元 at base-year prices), idiosyncratic growth
    a0 = np.where(
        born_in_window,
        r_firm.lognormal(math.log(2200.0), 0.5, n_cand) * np.sqrt(size_d[div_idx]),
        r_firm.lognormal(math.log(6000.0), 1.25, n_cand) * size_d[div_idx],
    )
    g = r_firm.normal(0.0, 0.13, (n_cand, ny + 1))
    young = (yrs[None, :] - birth[:, None]) == 1
    g[:, 1:] += np.where(young, 0.25, 0.0)
    size = a0[:, None] * np.exp(np.cumsum(g[:, 1:], axis=1) - g[:, 1:2])  # size[:, 0] = a0 (base year)
    size_before = a0 * np.exp(-g[:, 1])  # the year before the base year
    rev_ratio = r_attr.uniform(1.00, 1.08, n_cand) * 0.975  # revenue / output

    # --- paths -----------------------------------------------------------------------------
    prof = spring_festival_profile(yb)
    nat = np.ones((ny, K))
    for j, y in enumerate(all_years[1:], start=1):
        nat[j] = nat[j - 1] * np.array([1 + cal.NATIONAL_IVA_YOY[cal.period_code(y, k)] / 100 for k in range(K)])
    dprem = np.array([cal.DIVISION_PREMIUM.get(d, 0.0) for d in divs])
    dfac = np.ones((nd, ny, K))
    for j in range(1, ny):
        step = dprem[:, None] + r_path.normal(0, 1.5, (nd, 1)) + r_path.normal(0, 1.5, (nd, K))
        dfac[:, j] = dfac[:, j - 1] * (1 + step / 100)
    pprem = np.array([cal.REGION_PREMIUM[prov_region[p]] for p in provs]) + r_path.normal(0, 1.0, len(provs))
    pfac = np.ones((len(provs), ny, K))
    for j in range(1, ny):
        step = pprem[:, None] + r_path.normal(0, 0.8, (len(provs), 1)) + r_path.normal(0, 0.8, (len(provs), K))
        pfac[:, j] = pfac[:, j - 1] * (1 + step / 100)
    shocks = [s for s in cal.SHOCKS if int(s.period[:4]) in all_years]
    shock_p = np.ones((len(provs), ny, K))
    shock_d = np.ones((nd, ny, K))
    for s in shocks:
        j = all_years.index(int(s.period[:4]))
        k = cal.PERIOD_SUFFIXES.index(s.period[5:])
        if s.region is not None:
            shock_p[provs.index(s.region), j, k] *= s.factor
        if s.division is not None:
            shock_d[divs.index(s.division), j, k] *= s.factor
    # PPI chain (base year = 1) and the period PPI (上年同月=100)
    ppi = np.full((nd, ny, K), 100.0)
    for di, d in enumerate(divs):
        for j, y in enumerate(all_years[1:], start=1):
            ppi[di, j] = [period_ppi_index(d, y, k) for k in range(K)]
    price = np.cumprod(np.concatenate([np.ones((nd, 1, K)), ppi[:, 1:] / 100.0], axis=1), axis=1)

    eps = r_noise.lognormal(0.0, 0.07, (n_cand, ny, K))
    real = (
        size[:, :, None] * prof[None, None, :] * nat[None] * dfac[div_idx] * pfac[prov_idx]
        * shock_p[prov_idx] * shock_d[div_idx] * eps * alive[:, :, None]
    )
    nominal = real * price[div_idx]

    # --- the registry: N enterprises that are 规上 in at least one year of the panel ---------
    status = _above_scale(nominal, rev_ratio, alive, size_before * rev_ratio * (birth < yb))
    ever = status.any(axis=1)  # 规上 in the base year or a report year (base-year exits show up too)
    eligible = np.flatnonzero(ever)
    if len(eligible) < config.enterprises:
        raise DemoError("候选企业不足，请减少 --enterprises 或增加 --months")
    perm = r_attr.permutation(eligible)
    first = pd.Series(prov_idx[perm]).groupby(prov_idx[perm]).cumcount().to_numpy() < 3  # ≥3 per province
    keep = np.sort(np.concatenate([perm[first], perm[~first]])[: config.enterprises])
    sub = {
        "prov": prov_idx[keep], "div": div_idx[keep], "county": county_code[keep], "alive": alive[keep],
        "rev_ratio": rev_ratio[keep], "before": size_before[keep] * rev_ratio[keep] * (birth[keep] < yb),
        "real": real[keep], "nominal": nominal[keep],
    }
    n = len(keep)

    # --- calibration, year by year ---------------------------------------------------------
    ppi_e = ppi[sub["div"]]
    va_e = va_rate[sub["div"]]
    nominal, real = sub["nominal"], sub["real"]
    # sales/output and revenue/output ratios are drawn first, so that 规上 status follows the reported
    # revenue exactly: 规上 in a year ⇔ alive and last year's 营业收入 ≥ 2000 万元
    sales_ratio = np.clip(r_attr.normal(0.975, 0.012, n)[:, None, None] + r_attr.normal(0, 0.01, nominal.shape),
                          0.85, 1.02)
    revenue_ratio = sales_ratio * (sub["rev_ratio"] / 0.975)[:, None, None]
    u_late, u_pending = r_attr.random(n), r_attr.random(n)
    last_y, last_k = window[-1]
    late = np.zeros(n, dtype=bool)
    status = np.zeros((n, ny), dtype=bool)
    revision = np.ones((ny, K))  # 上年同期核实 factor of each year's report periods (see cal.base_revisions)
    status[:, 0] = sub["alive"][:, 0] & (sub["before"] >= THRESHOLD)
    for j in range(1, ny):
        prev_rev = (nominal[:, j - 1] * revenue_ratio[:, j - 1]).sum(axis=1)
        status[:, j] = sub["alive"][:, j] & (prev_rev >= THRESHOLD)
        s = status[:, j]
        if all_years[j] == last_y:
            late = s & (u_late < config.late_share)
        # the last period is calibrated on the reports received so far
        masks = [s & ~late if (all_years[j], k) == (last_y, last_k) else s for k in range(K)]
        dens = np.array([(nominal[m, j - 1, k] * va_e[m]).sum() for k, m in enumerate(masks)])
        codes = [cal.period_code(all_years[j], k) for k in range(K)]
        revision[j] = cal.base_revisions(dens, [cal.NATIONAL_IVA_YOY[c] for c in codes],
                                         [cal.NATIONAL_IVA_YTD_YOY.get(c) for c in codes])
        for k, m in enumerate(masks):
            num = (nominal[m, j, k] * 100.0 / ppi_e[m, j, k] * va_e[m]).sum()
            target = 1 + cal.NATIONAL_IVA_YOY[codes[k]] / 100
            c = target * dens[k] * revision[j, k] / num
            nominal[:, j, k] *= c
            real[:, j, k] *= c

    # --- other variables ----------------------------------------------------------------------
    div_codes = np.array(divs)[sub["div"]]
    values = _derived(r_attr, nominal, real, sales_ratio, revenue_ratio, div_codes, ppi_e, shock_p[sub["prov"]])

    # --- frames -------------------------------------------------------------------------------
    enterprises = _registry(r_attr, sub, div_codes, regions, values, status, all_years, provs)
    usccs = enterprises["uscc"].to_numpy()
    ey = pd.DataFrame({
        "uscc": np.repeat(usccs, ny),
        "year": np.tile(np.array(all_years, dtype=np.int32), n),
        "above_scale": status.reshape(-1),
    })
    reports = _reports(usccs, values, status, all_years, window, late, u_pending < config.pending_share, revision)
    periods = [cal.period_code(y, k) for y, k in window]
    division_params = pd.DataFrame(
        [(y, d, cal.DIVISION_VA_RATES[d]) for y in all_years for d in divs], columns=["year", "division", "va_rate"]
    )
    division_params["year"] = division_params["year"].astype(np.int32)
    division_ppi = pd.DataFrame(
        [(cal.period_code(y, k), d, period_ppi_index(d, y, k)) for y in all_years[1:] for k in range(K) for d in divs],
        columns=["period", "division", "index_yoy"],
    )
    targets = _targets(r_tgt, regions, provs, pprem, years)
    revisions = pd.DataFrame([(cal.period_code(y, k), float(revision[all_years.index(y), k])) for y, k in window],
                             columns=["period", "factor"])
    return DemoData(config, regions, enterprises, ey, reports, division_params, division_ppi, targets, periods,
                    shocks, revisions)


def _above_scale(nominal: np.ndarray, rev_ratio: np.ndarray, alive: np.ndarray, rev_before: np.ndarray) -> np.ndarray:
    """规上 status by year from the previous year's revenue (uncalibrated pass, to pick the registry)."""
    rev = nominal.sum(axis=2) * rev_ratio[:, None]
    prev = np.concatenate([rev_before[:, None], rev[:, :-1]], axis=1)
    return alive & (prev >= THRESHOLD)


def _derived(rng: np.random.Generator, nominal: np.ndarray, real: np.ndarray, sales_ratio: np.ndarray,
             revenue_ratio: np.ndarray, div_codes: np.ndarray, ppi_e: np.ndarray,
             shock_e: np.ndarray) -> dict[str, np.ndarray]:
    """Sales, exports, revenue, profit, electricity and employment from output (万元, 万千瓦时, 人)."""
    n = nominal.shape[0]
    sales = nominal * sales_ratio
    heavy = np.isin(div_codes, list(cal.EXPORT_HEAVY))
    exporter = rng.random(n) < np.where(heavy, 0.45, 0.15)
    share = rng.beta(2.0, 4.0, n) * np.where(heavy, 0.9, 0.5) * exporter
    export = sales * np.clip(share[:, None, None] * rng.lognormal(0, 0.12, nominal.shape), 0.0, 1.0)
    revenue = nominal * revenue_ratio
    upstream = np.isin(div_codes, ["06", "07", "08", "09", "10", "25", "26", "28", "31", "32"])
    margin = (
        rng.normal(0.065, 0.045, n)[:, None, None]
        + np.where(upstream, 0.004, -0.0015)[:, None, None] * (ppi_e - 100.0)
        + rng.normal(0, 0.03, nominal.shape)
        - 0.02 * (np.arange(K) == 0)[None, None, :]
        - 0.08 * (1.0 - shock_e)
    )
    profit = revenue * margin
    intensity = np.array([cal.DIVISION_POWER_INTENSITY.get(d, 0.03) for d in div_codes])
    electricity = real * (intensity * rng.lognormal(0, 0.3, n))[:, None, None] * rng.lognormal(0, 0.04, nominal.shape)
    productivity = rng.lognormal(math.log(90.0), 0.4, n)  # 万元 of output per person a year
    heads = real.sum(axis=2) / productivity[:, None]
    season = np.where(np.arange(K) == 0, 0.97, 1.0)
    employment = heads[:, :, None] * season[None, None, :] * shock_e ** 0.3 * rng.lognormal(0, 0.01, nominal.shape)
    employment = np.where(nominal > 0, np.maximum(np.round(employment), 1.0), 0.0)
    r1 = np.round
    return {
        "output_value": r1(nominal, 1), "sales_value": r1(sales, 1), "export_delivery": r1(export, 1),
        "revenue": r1(revenue, 1), "profit": r1(profit, 1), "electricity": r1(electricity, 2),
        "employment": employment,
    }


_TRADE = tuple("华盛达鑫恒泰宏兴瑞丰源联通新金博创信中远")
_DIV_WORD = {
    "06": "煤业", "07": "油气", "08": "铁矿", "09": "有色矿业", "10": "矿业", "11": "矿山服务", "12": "矿业",
    "13": "食品", "14": "食品", "15": "酒业", "16": "烟草", "17": "纺织", "18": "服饰", "19": "鞋业",
    "20": "木业", "21": "家具", "22": "纸业", "23": "印务", "24": "文体用品", "25": "石化", "26": "化工",
    "27": "制药", "28": "化纤", "29": "塑胶", "30": "建材", "31": "钢铁", "32": "有色金属", "33": "金属制品",
    "34": "机械", "35": "装备", "36": "汽车", "37": "船舶", "38": "电气", "39": "电子", "40": "仪器",
    "41": "制造", "42": "再生资源", "43": "设备维修", "44": "电力", "45": "燃气", "46": "水务",
}
_HT_CLASSES = {d: tuple(c for c in HIGH_TECH.classes if c[:2] == d) for d in ("26", "27", "34", "35", "37", "39", "40")}
_STATE_HEAVY = frozenset({"06", "07", "16", "25", "31", "44", "45", "46"})


def _registry(rng: np.random.Generator, sub: dict, div_codes: np.ndarray, regions: DemoRegions,
              values: dict[str, np.ndarray], status: np.ndarray, all_years: list[int], provs: list[str]) -> pd.DataFrame:
    """The enterprises table: USCC, name, county, industry, park, size, ownership, key flag, frequency."""
    n = len(div_codes)
    serials = rng.permutation(1_000_000)[:n] if n <= 1_000_000 else None
    if serials is None:
        raise DemoError("示例企业数不能超过 1,000,000")
    county = sub["county"].astype(str)
    usccs = make_usccs(county, serials)
    short = {p.code: p.short_name for p in mainland_provinces()}
    prov_codes = np.array(provs)[sub["prov"]]
    a, b = rng.integers(0, len(_TRADE), n), rng.integers(0, len(_TRADE) - 1, n)
    b = np.where(b >= a, b + 1, b)
    names = pd.Series([f"{short[p]}{_TRADE[i]}{_TRADE[j]}{_DIV_WORD[d]}有限公司" for p, i, j, d in
                       zip(prov_codes, a, b, div_codes, strict=True)])
    dup = names.groupby(names).cumcount()
    names = (names.where(dup == 0, names.str.replace("有限公司", "") + (dup + 1).astype(str) + "号有限公司")
             + "（示例）")
    # industry: a high-tech 4-digit class for part of the divisions that hold them
    industry = div_codes.astype(object).copy()
    for d, classes in _HT_CLASSES.items():
        sel = np.flatnonzero(div_codes == d)
        if classes and len(sel):
            share = 0.5 if d in ("27", "39", "40") else 0.15
            pick = sel[rng.random(len(sel)) < share]
            industry[pick] = rng.choice(classes, size=len(pick))
    # park: about 45% of enterprises sit in a park of their prefecture
    uniq, at = np.unique(county, return_inverse=True)  # a few thousand counties
    pref = np.array([ancestor_at(c, "prefecture") for c in uniq])[at]
    parks = regions.parks.groupby("prefecture")["park"].apply(list).to_dict()
    in_park = rng.random(n) < 0.45
    park = np.array([
        (lst[int(u * len(lst))] if (ok and (lst := parks.get(p))) else None)
        for p, ok, u in zip(pref, in_park, rng.random(n), strict=True)
    ], dtype=object)
    # size class (大中小微, NBS industrial criteria) from the first year with output
    j0 = status.argmax(axis=1)
    rows = np.arange(n)
    annual_rev = values["revenue"].sum(axis=2)[rows, j0]
    heads = values["employment"].mean(axis=2)[rows, j0]
    size_class = np.select(
        [(annual_rev >= 40000) & (heads >= 1000), (annual_rev >= 2000) & (heads >= 300), (annual_rev >= 300) & (heads >= 20)],
        ["大型", "中型", "小型"], "微型",
    )
    big = annual_rev >= np.quantile(annual_rev, 0.9)
    p_state = np.where(np.isin(div_codes, list(_STATE_HEAVY)), 0.45, 0.03) + 0.10 * big
    u = rng.random(n)
    ownership = np.select(
        [u < p_state, u < p_state + 0.10, u < p_state + 0.28, u < 0.97], ["国有控股", "外商及港澳台", "股份制", "私营"], "其他"
    )
    # key enterprises: the largest ~4% of each province plus ~1% chosen at random
    rank = pd.Series(annual_rev).groupby(prov_codes).rank(ascending=False, pct=True).to_numpy()
    is_key = (rank <= 0.04) | (rng.random(n) < 0.01)
    frequency = np.where(is_key & (rank <= 0.01), "日", np.where(is_key, "周", "月"))
    return pd.DataFrame({
        "uscc": usccs, "name": names.to_numpy(), "region": county, "industry": industry.astype(str),
        "park": park, "size_class": size_class, "ownership": ownership, "is_key": is_key, "frequency": frequency,
    })


def _reports(usccs: np.ndarray, values: dict[str, np.ndarray], status: np.ndarray, all_years: list[int],
             window: list[tuple[int, int]], late: np.ndarray, pending: np.ndarray,
             revision: np.ndarray) -> pd.DataFrame:
    """One row per 规上 enterprise and report period in the window, with 上年同期 from the year before.

    Money 上年同期 are last year's values times the period's 上年同期核实 factor (``revision``; physical
    quantities — 用电量, 从业人员 — are not revised).

    In the last period the ``late`` enterprises have no row yet and the ``pending`` ones are ``submitted``;
    every other row is ``accepted``.
    """
    rows, where = [], []  # per report period: the enterprises reporting, and (j, k)
    for y, k in window:
        j = all_years.index(y)
        last = (y, k) == window[-1]
        rows.append(np.flatnonzero(status[:, j] & ~late) if last else np.flatnonzero(status[:, j]))
        where.append((j, k))
    sizes = [len(r) for r in rows]
    e = np.concatenate(rows)  # the enterprise of each report row, period by period
    p = np.repeat(np.arange(len(window)), sizes)  # its period (index into window)
    jk = np.array(where, dtype=np.intp).reshape(-1, 2)
    j, k = jk[p, 0], jk[p, 1]
    df = pd.DataFrame({"uscc": pd.array(usccs, dtype="str").take(e),
                       "period": pd.array([cal.period_code(y, k) for y, k in window], dtype="str").take(p)})
    _, ny, nk = values["output_value"].shape
    at = (e * ny + j) * nk + k  # flat position of (enterprise, year, period); the 上年同期 is nk before
    for c in MONEY_COLUMNS:
        flat = values[c].reshape(-1)
        df[c] = flat.take(at)
        prev = flat.take(at - nk)
        if c in REVISED_COLUMNS:  # 上年同期核实: unrounded where the period's factor is exactly 1
            r = revision[j, k]
            prev = np.where(r == 1.0, prev, np.round(prev * r, 1))
        df[f"{c}_prev"] = prev
    n_last = sizes[-1]
    status_codes = np.zeros(len(df), dtype=np.intp)
    status_codes[len(df) - n_last:] = pending[rows[-1]]
    df["status"] = pd.array(["accepted", "submitted"], dtype="str").take(status_codes)
    df["vintage"] = pd.DatetimeIndex([_vintage(y, k) for y, k in window]).take(p)
    df["source_file"] = DEMO_SOURCE_FILE
    df["source_row"] = pd.arrays.IntegerArray(np.zeros(len(df), dtype=np.int32), np.ones(len(df), dtype=bool))
    order = ["uscc", "period"] + [f"{c}{s}" for c in MONEY_COLUMNS for s in ("", "_prev")]
    return df[[*order, "status", "vintage", "source_file", "source_row"]]


def _vintage(y: int, k: int) -> pd.Timestamp:
    """When a report period's reports arrive: the 15th of the next month, 09:00."""
    month = 2 if k == 0 else k + 2
    return pd.Timestamp(y + (month == 12), month % 12 + 1, 15, 9)


def _targets(rng: np.random.Generator, regions: DemoRegions, provs: list[str], pprem: np.ndarray,
             years: list[int]) -> pd.DataFrame:
    """Synthetic annual 规上工业增加值 targets: provinces within 5.0–7.0%, prefectures around them."""
    lo, hi = cal.TARGET_RANGE
    rows = []
    prefs = regions.prefectures.groupby("province", sort=False)["code"].agg(list).to_dict()
    for y in years:
        for i, p in enumerate(provs):
            t = float(np.clip(round((5.8 + 0.4 * pprem[i] + rng.normal(0, 0.4)) * 2) / 2, lo, hi))
            rows.append((p, y, "iva", t))
            for pref in prefs.get(p, []):
                rows.append((pref, y, "iva", float(np.clip(round((t + rng.normal(0, 0.5)) * 2) / 2, lo - 0.5, hi + 1.0))))
    df = pd.DataFrame(rows, columns=["region", "year", "indicator", "growth"])
    df["year"] = df["year"].astype(np.int32)
    return df


# ---------------------------------------------------------------------------------------------
# summaries


def national_growth(data: DemoData, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """National 同口径 real growth by period (%), beside the published figure it is calibrated on.

    ``rows``: :func:`yacang.demo.growth.report_rows` of ``data`` (with any further columns) if the caller has them."""
    if rows is None:
        rows = report_rows(data.reports, data.enterprises, data.division_ppi, data.division_params)
    g = growth_by(rows, [])
    g["published"] = g["period"].map(cal.NATIONAL_IVA_YOY)
    g["gap"] = g["yoy"] - g["published"]
    order = {p: i for i, p in enumerate(data.periods)}
    return g.sort_values("period", key=lambda s: s.map(order)).reset_index(drop=True)


def entries_exits(data: DemoData) -> pd.DataFrame:
    """Enterprises entering and leaving the 规上 set each January (year, count, entered, left)."""
    ey = data.enterprise_years.pivot(index="uscc", columns="year", values="above_scale")
    out = []
    for y in data.years:
        cur, prev = ey[y], ey[y - 1]
        out.append((y, int(cur.sum()), int((cur & ~prev).sum()), int((prev & ~cur).sum())))
    return pd.DataFrame(out, columns=["year", "above_scale", "entered", "left"])


def content_sha256(df: pd.DataFrame) -> str:
    """Stable hash of a frame's content (for the observation batch)."""
    h = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()
