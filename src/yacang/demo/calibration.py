"""Published national figures the demo is calibrated on, typed in as facts, and the demo's own parameters.

Facts (国家统计局 monthly releases, checked against the NBS data portal):

* ``NATIONAL_IVA_YOY``: 规模以上工业增加值 当月同比 (%), 1-2月 merged, 2018-01/02 … 2025-12.
* ``NATIONAL_IVA_YTD_YOY``: the same, 累计同比 (%), stored at the end month (1-2月 at ``YYYY-01/02``).
* ``NATIONAL_PPI_YOY``: PPI 全部工业品 当月同比 (%), every month 2018-01 … 2025-12 (January and February
  separately; the demo's merged 1-2月 deflator averages the two).
* ``SPRING_FESTIVAL``: the date of 春节 each year (a calendar fact).

Demo parameters (approximate, **not** official statistics; they only shape the synthetic panel):

* ``DIVISION_VA_WEIGHTS``: share of each division in industrial value added, rounded (about 2020).
* ``DIVISION_PPI_SENSITIVITY``: stylised (β, offset) of each division's PPI 当月同比 against the
  national one; :mod:`yacang.demo.ppi` builds the demo's division PPI paths from them. These are
  **not** published division PPIs.
* ``DIVISION_VA_RATES``: 增加值率 (value added / gross output) by division, rounded values of the
  order seen in input–output tables.
* ``PROVINCE_ENTERPRISES``: approximate number of 规上工业企业 per province (thousands, about 2021),
  used only to spread demo enterprises across provinces.
* ``PREFECTURE_COUNTS``: number of prefecture-level units per province (used when no GB/T 2260 list
  is imported and the demo synthesises its own prefectures).
* ``SHOCKS``: province-wide shocks modelled on 2020 (湖北) and April 2022 (上海, 吉林) lockdowns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIRST_REPORT_YEAR = 2018
LAST_REPORT_YEAR = 2025

# 当月同比, %: for each year the values for 1-2月, 3月, …, 12月 (NBS releases).
_IVA_YOY = {
    2018: (7.2, 6.0, 7.0, 6.8, 6.0, 6.0, 6.1, 5.8, 5.9, 5.4, 5.7),
    2019: (5.3, 8.5, 5.4, 5.0, 6.3, 4.8, 4.4, 5.8, 4.7, 6.2, 6.9),
    2020: (-13.5, -1.1, 3.9, 4.4, 4.8, 4.8, 5.6, 6.9, 6.9, 7.0, 7.3),
    2021: (35.1, 14.1, 9.8, 8.8, 8.3, 6.4, 5.3, 3.1, 3.5, 3.8, 4.3),
    2022: (7.5, 5.0, -2.9, 0.7, 3.9, 3.8, 4.2, 6.3, 5.0, 2.2, 1.3),
    2023: (2.4, 3.9, 5.6, 3.5, 4.4, 3.7, 4.5, 4.5, 4.6, 6.6, 6.8),
    2024: (7.0, 4.5, 6.7, 5.6, 5.3, 5.1, 4.5, 5.4, 5.3, 5.4, 6.2),
    2025: (5.9, 7.7, 6.1, 5.8, 6.8, 5.7, 5.2, 6.5, 4.9, 4.8, 5.2),
}
# 累计同比, %: 1-2月, 1-3月, …, 1-12月.
_IVA_YTD_YOY = {
    2018: (7.2, 6.8, 6.9, 6.9, 6.7, 6.6, 6.5, 6.4, 6.4, 6.3, 6.2),
    2019: (5.3, 6.5, 6.2, 6.0, 6.0, 5.8, 5.6, 5.6, 5.6, 5.6, 5.7),
    2020: (-13.5, -8.4, -4.9, -2.8, -1.3, -0.4, 0.4, 1.2, 1.8, 2.3, 2.8),
    2021: (35.1, 24.5, 20.3, 17.8, 15.9, 14.4, 13.1, 11.8, 10.9, 10.1, 9.6),
    2022: (7.5, 6.5, 4.0, 3.3, 3.4, 3.5, 3.6, 3.9, 4.0, 3.8, 3.6),
    2023: (2.4, 3.0, 3.6, 3.6, 3.8, 3.8, 3.9, 4.0, 4.1, 4.3, 4.6),
    2024: (7.0, 6.1, 6.3, 6.2, 6.0, 5.9, 5.8, 5.8, 5.8, 5.8, 5.8),
    2025: (5.9, 6.5, 6.4, 6.3, 6.4, 6.3, 6.2, 6.2, 6.1, 6.0, 5.9),
}

# PPI 全部工业品 当月同比, %: for each year January … December (NBS releases; index 上年同月=100 minus 100).
_PPI_YOY = {
    2018: (4.3, 3.7, 3.1, 3.4, 4.1, 4.7, 4.6, 4.1, 3.6, 3.3, 2.7, 0.9),
    2019: (0.1, 0.1, 0.4, 0.9, 0.6, 0.0, -0.3, -0.8, -1.2, -1.6, -1.4, -0.5),
    2020: (0.1, -0.4, -1.5, -3.1, -3.7, -3.0, -2.4, -2.0, -2.1, -2.1, -1.5, -0.4),
    2021: (0.3, 1.7, 4.4, 6.8, 9.0, 8.8, 9.0, 9.5, 10.7, 13.5, 12.9, 10.3),
    2022: (9.1, 8.8, 8.3, 8.0, 6.4, 6.1, 4.2, 2.3, 0.9, -1.3, -1.3, -0.7),
    2023: (-0.8, -1.4, -2.5, -3.6, -4.6, -5.4, -4.4, -3.0, -2.5, -2.6, -3.0, -2.7),
    2024: (-2.5, -2.7, -2.8, -2.5, -1.4, -0.8, -0.8, -1.8, -2.8, -2.9, -2.5, -2.3),
    2025: (-2.3, -2.2, -2.5, -2.7, -3.3, -3.6, -3.6, -2.9, -2.3, -2.1, -2.2, -1.9),
}

# Report periods of a year in NBS practice: the merged 1-2月, then March … December.
PERIOD_SUFFIXES = ("01/02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")


def period_code(year: int, k: int) -> str:
    """Code of the ``k``-th report period of ``year`` (0 = 1-2月, 1 = 3月 … 10 = 12月)."""
    return f"{year}-{PERIOD_SUFFIXES[k]}"


def _by_period(table: dict[int, tuple[float, ...]]) -> dict[str, float]:
    return {period_code(y, k): v for y, vals in table.items() for k, v in enumerate(vals)}


NATIONAL_IVA_YOY: dict[str, float] = _by_period(_IVA_YOY)
NATIONAL_IVA_YTD_YOY: dict[str, float] = _by_period(_IVA_YTD_YOY)
NATIONAL_PPI_YOY: dict[str, float] = {f"{y}-{m:02d}": v for y, vals in _PPI_YOY.items() for m, v in enumerate(vals, 1)}

SPRING_FESTIVAL: dict[int, dt.date] = {
    2016: dt.date(2016, 2, 8), 2017: dt.date(2017, 1, 28), 2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5), 2020: dt.date(2020, 1, 25), 2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1), 2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29), 2026: dt.date(2026, 2, 17),
}


# Value-added share of each division in all industry (rounded, about 2020; approximate).
DIVISION_VA_WEIGHTS: dict[str, float] = {
    "06": 0.039, "07": 0.022, "08": 0.011, "09": 0.008, "10": 0.014, "11": 0.003, "12": 0.001,
    "13": 0.044, "14": 0.014, "15": 0.019, "16": 0.023, "17": 0.023, "18": 0.014, "19": 0.010,
    "20": 0.011, "21": 0.007, "22": 0.013, "23": 0.010, "24": 0.011, "25": 0.033, "26": 0.059,
    "27": 0.028, "28": 0.005, "29": 0.028, "30": 0.075, "31": 0.051, "32": 0.039, "33": 0.041,
    "34": 0.040, "35": 0.032, "36": 0.047, "37": 0.010, "38": 0.039, "39": 0.054, "40": 0.008,
    "41": 0.003, "42": 0.026, "43": 0.002, "44": 0.071, "45": 0.006, "46": 0.007,
}

# Division PPI against the national PPI (demo parameters, NOT published figures): 当月同比 of division d
# ≈ offset + β × national 当月同比. Mining and raw materials (06–10, 25, 26, 28, 30–32) swing several times
# as much as the national index; consumer goods, equipment (13–24, 27, 29, 33–43) and utilities (44–46)
# much less. Offsets (pp) give a division its own trend: electronics and cars cheaper every year, liquor,
# tobacco and water dearer. :mod:`yacang.demo.ppi` rescales β and offsets so that their VA-weighted
# means are 1 and 0 (the divisions then average back to the national path) and adds seeded noise.
DIVISION_PPI_SENSITIVITY: dict[str, tuple[float, float]] = {
    "06": (3.0, 0.5), "07": (4.0, 0.0), "08": (3.0, 0.0), "09": (2.0, 1.0), "10": (1.2, 1.0),
    "11": (1.0, 0.0), "12": (1.0, 0.0),
    "13": (0.6, 0.5), "14": (0.3, 0.8), "15": (0.2, 1.0), "16": (0.1, 0.8), "17": (0.5, 0.0),
    "18": (0.2, 0.5), "19": (0.2, 0.5), "20": (0.4, 0.0), "21": (0.2, 0.3), "22": (0.6, -0.5),
    "23": (0.2, 0.0), "24": (0.4, 0.3),
    "25": (2.5, 0.0), "26": (1.8, -0.5), "27": (0.1, 0.3), "28": (1.5, -1.0), "29": (0.5, -0.5),
    "30": (1.2, 0.5), "31": (2.5, -0.5), "32": (2.0, 1.5),
    "33": (0.6, 0.0), "34": (0.3, 0.0), "35": (0.3, 0.0), "36": (0.1, -1.0), "37": (0.2, 0.3),
    "38": (0.5, -0.5), "39": (0.3, -1.5), "40": (0.1, 0.3), "41": (0.4, 0.0), "42": (0.6, 0.0),
    "43": (0.1, 0.3),
    "44": (0.2, 0.5), "45": (0.6, 1.0), "46": (0.05, 1.5),
}

# 增加值率 by division (rounded; approximate, of the order of input–output tables).
DIVISION_VA_RATES: dict[str, float] = {
    "06": 0.45, "07": 0.55, "08": 0.35, "09": 0.36, "10": 0.33, "11": 0.40, "12": 0.33,
    "13": 0.18, "14": 0.27, "15": 0.33, "16": 0.70, "17": 0.22, "18": 0.25, "19": 0.25,
    "20": 0.24, "21": 0.24, "22": 0.24, "23": 0.26, "24": 0.22, "25": 0.18, "26": 0.22,
    "27": 0.33, "28": 0.17, "29": 0.23, "30": 0.27, "31": 0.20, "32": 0.17, "33": 0.23,
    "34": 0.25, "35": 0.26, "36": 0.20, "37": 0.23, "38": 0.21, "39": 0.18, "40": 0.27,
    "41": 0.24, "42": 0.20, "43": 0.28, "44": 0.32, "45": 0.25, "46": 0.45,
}

# Relative size of a typical enterprise by division (mining, tobacco, power are few and large).
DIVISION_SIZE: dict[str, float] = {
    "06": 4.0, "07": 30.0, "08": 1.5, "09": 1.5, "10": 0.8, "11": 2.0, "12": 0.8, "16": 25.0,
    "25": 4.0, "26": 1.3, "28": 2.0, "31": 4.0, "32": 2.0, "36": 2.5, "37": 1.5, "39": 2.0,
    "44": 3.0, "45": 1.5,
}

# 用电量 per unit of output (千瓦时 per 元 = 万千瓦时 per 万元); default 0.03.
DIVISION_POWER_INTENSITY: dict[str, float] = {
    "06": 0.05, "07": 0.04, "08": 0.08, "09": 0.08, "10": 0.07, "17": 0.05, "22": 0.06,
    "25": 0.03, "26": 0.08, "28": 0.07, "30": 0.10, "31": 0.12, "32": 0.15, "39": 0.015,
    "36": 0.015, "44": 0.06, "46": 0.20,
}

# Share of exporters and their typical export share, by division (high export dependence).
EXPORT_HEAVY = frozenset({"17", "18", "19", "21", "24", "29", "33", "34", "35", "37", "38", "39", "40", "41"})

# Approximate number of 规上工业企业 (thousands, about 2021) — only to spread the demo enterprises.
PROVINCE_ENTERPRISES: dict[str, float] = {
    "110000": 3.2, "120000": 5.4, "130000": 16.5, "140000": 6.6, "150000": 3.6, "210000": 8.4,
    "220000": 3.2, "230000": 4.0, "310000": 9.0, "320000": 51.0, "330000": 53.0, "340000": 19.5,
    "350000": 20.0, "360000": 15.5, "370000": 32.0, "410000": 21.0, "420000": 16.5, "430000": 19.5,
    "440000": 62.0, "450000": 7.5, "460000": 0.7, "500000": 7.0, "510000": 16.5, "520000": 4.6,
    "530000": 4.8, "540000": 0.2, "610000": 7.5, "620000": 2.3, "630000": 0.6, "640000": 1.3,
    "650000": 4.0,
}

# Prefecture-level units per province (municipalities: one 市辖区 level).
PREFECTURE_COUNTS: dict[str, int] = {
    "110000": 1, "120000": 1, "130000": 11, "140000": 11, "150000": 12, "210000": 14, "220000": 9,
    "230000": 13, "310000": 1, "320000": 13, "330000": 11, "340000": 16, "350000": 9, "360000": 11,
    "370000": 16, "410000": 17, "420000": 13, "430000": 14, "440000": 21, "450000": 14, "460000": 4,
    "500000": 1, "510000": 21, "520000": 9, "530000": 16, "540000": 7, "610000": 10, "620000": 14,
    "630000": 8, "640000": 5, "650000": 14,
}

# Persistent growth premium of NBS regions against the nation (percentage points a year; demo).
REGION_PREMIUM: dict[str, float] = {"东部": 0.0, "中部": 0.6, "西部": 0.8, "东北": -1.5}

# Persistent growth premium of divisions (percentage points a year; demo): new-energy and electronics
# up, textiles and building materials down.
DIVISION_PREMIUM: dict[str, float] = {
    "27": 2.0, "39": 3.0, "40": 2.0, "38": 3.0, "36": 1.5, "35": 1.0, "34": 0.5, "37": 1.0,
    "44": 1.0, "45": 1.5, "17": -3.0, "18": -4.0, "19": -3.0, "20": -2.0, "21": -2.0,
    "30": -2.0, "31": -1.0, "22": -1.5, "24": -1.5, "06": 0.5,
}


@dataclass(frozen=True)
class Shock:
    """Output of a province (or division) multiplied by ``factor`` in one report period."""

    period: str
    factor: float
    region: str | None = None  # province code
    division: str | None = None
    note: str = ""


SHOCKS: tuple[Shock, ...] = (
    # 湖北, early 2020 (湖北 published 1-2月 −45.8%, 3月 about −38%).
    Shock("2020-01/02", 0.62, region="420000", note="疫情封控（仿2020年初湖北）"),
    Shock("2020-03", 0.63, region="420000", note="疫情封控（仿2020年初湖北）"),
    Shock("2020-04", 0.93, region="420000", note="复工复产"),
    # 上海, spring 2022 (上海 published 规上工业增加值 4月 −61.5%).
    Shock("2022-03", 0.92, region="310000", note="疫情封控（仿2022年4月上海）"),
    Shock("2022-04", 0.38, region="310000", note="疫情封控（仿2022年4月上海）"),
    Shock("2022-05", 0.80, region="310000", note="疫情封控（仿2022年4月上海）"),
    # 吉林, spring 2022.
    Shock("2022-03", 0.85, region="220000", note="疫情封控（仿2022年3-4月吉林）"),
    Shock("2022-04", 0.70, region="220000", note="疫情封控（仿2022年3-4月吉林）"),
    Shock("2022-05", 0.93, region="220000", note="复工复产"),
    # 汽车: chip shortage in the second half of 2021.
    Shock("2021-08", 0.92, division="36", note="缺芯"),
    Shock("2021-09", 0.88, division="36", note="缺芯"),
    Shock("2021-10", 0.92, division="36", note="缺芯"),
)

# Provincial annual growth targets the demo writes (%, synthetic): base plus premium, clipped.
TARGET_RANGE = (5.0, 7.0)

# How close the demo's 累计 must come to the published 累计 (百分点): inside half a printed decimal, so
# the demo prints the published figure.
YTD_TOLERANCE_PP = 0.04


def base_revisions(bases, yoy, ytd, tol_pp: float = YTD_TOLERANCE_PP):
    """上年同期核实 factors that make a year's 累计 follow the published 累计 as well as its 当月.

    NBS computes each period's growth on the 上年同期 the enterprises report this year, checked and
    revised (核实) — not on last year's reports — so published 当月 and 累计 are not a weighted mean of
    each other on last year's levels. The demo does the same: period ``k``'s base ``bases[k]`` (Σ last
    year's output × 增加值率 of this year's 规上 set) is revised by a factor ``r[k]``, the 当月 is then
    calibrated exactly on the revised base, and the 累计 Σ(1+g)·r·b / Σ r·b − 1 must lie within
    ``tol_pp`` of the published 累计 for every period. The factors are the ones closest to 1 (least
    squares in log r) that meet those bounds; periods whose published 累计 cannot be met (NBS figures
    that are mutually inconsistent) are left as close as the solver gets.

    ``bases``: the K bases; ``yoy``/``ytd``: published 当月/累计 (%) for the K periods (``ytd`` None
    where not published). Returns the K factors (numpy array).
    """
    import numpy as np
    from scipy.optimize import minimize

    b = np.asarray(bases, dtype=float)
    g = 1.0 + np.asarray(yoy, dtype=float) / 100.0
    known = [k for k in range(len(b)) if ytd[k] is not None]

    def cum(x):
        w = b * np.exp(x)
        return np.cumsum(w * g) / np.cumsum(w) - 1.0

    def gaps(x):
        c = cum(x)
        return np.array([(c[k] - ytd[k] / 100.0) * 100.0 for k in known])

    cons = [{"type": "ineq", "fun": lambda x: tol_pp - gaps(x)},
            {"type": "ineq", "fun": lambda x: tol_pp + gaps(x)}]
    x0 = np.zeros(len(b))
    if not known or np.all(np.abs(gaps(x0)) <= tol_pp):
        return np.ones(len(b))
    res = minimize(lambda x: float(x @ x), x0, jac=lambda x: 2 * x, constraints=cons, method="SLSQP",
                   options={"maxiter": 500, "ftol": 1e-12})
    return np.exp(res.x)


def calibration_check(wh) -> dict[str, float] | None:
    """The demo's stored national 当月 and 累计 (source ``demo``) against the published figures above.

    Returns ``{"periods", "max_month_gap", "max_ytd_gap", "last_period", "last_ytd", "last_ytd_published"}``
    (gaps in 百分点), or None when the warehouse holds no demo national series.
    """
    from yacang.catalog.series_ids import series_id

    got: dict[str, dict[str, float]] = {}
    for measure in ("yoy", "ytd_yoy"):
        sid = series_id("demo", "iva", measure, "100000", "TOTAL")
        if wh.series(series_id=sid).empty:
            return None
        s = wh.values(sid)
        got[measure] = {(p[:4] + "-01/02" if p.endswith("-02") else p): float(v) for p, v in s.items()}
    month_gaps = [abs(v - NATIONAL_IVA_YOY[p]) for p, v in got["yoy"].items() if p in NATIONAL_IVA_YOY]
    ytd_gaps = {p: abs(v - NATIONAL_IVA_YTD_YOY[p]) for p, v in got["ytd_yoy"].items() if p in NATIONAL_IVA_YTD_YOY}
    if not month_gaps or not ytd_gaps:
        return None
    last = max(ytd_gaps, key=lambda p: (p[:4], p[5:7]))
    return {"periods": float(len(month_gaps)), "max_month_gap": max(month_gaps), "max_ytd_gap": max(ytd_gaps.values()),
            "last_period": last, "last_ytd": got["ytd_yoy"][last], "last_ytd_published": NATIONAL_IVA_YTD_YOY[last]}


def calibration_check_lines(wh) -> list[str]:
    """What ``yacang run`` prints about the demo's calibration (nothing when there is no demo)."""
    from yacang import formatting as fmt
    from yacang.periods import parse_period

    c = calibration_check(wh)
    if c is None:
        return []
    label = parse_period(str(c["last_period"])).label_zh(cumulative=True)
    return [f"示例数据校准检查（对照国家统计局公布值，{int(c['periods'])}个报告期）：当月同比最大偏差 "
            f"{fmt.fmt(c['max_month_gap'], 2)} 个百分点，累计同比最大偏差 {fmt.fmt(c['max_ytd_gap'], 2)} 个百分点；"
            f"{label}累计 {fmt.fmt(c['last_ytd'])}%（公布 {fmt.fmt(c['last_ytd_published'])}%）"]
