"""yacang's curated Python surface: load statistics, read series, compute measures, warn, write the
bulletin, analyse. Everything here is a name for a function of the area that owns it (no logic here).

Examples (the NBS data-portal export of ``../shared/data``; these lines run as a test):

>>> from yacang import api
>>> wh = api.memory()
>>> loaded = api.load(wh, NBS / "98年-26年2月规上工业增加值增长速度.csv")
>>> float(api.series(wh, "iva", "yoy")["2022-04"])        # 当月同比 (%), as NBS published it
-2.9
>>> float(api.series(wh, "iva", "yoy")["2022-01/02"])     # 1-2月 is one period since 2013 …
7.5
>>> "2022-02" in api.series(wh, "iva", "yoy").index       # … with no February 当月 of its own
False
>>> float(api.series(wh, "iva", "ytd_yoy")["2022-03"])    # 1-3月累计
6.5
>>> api.parse_period("2022年1-2月").code, api.reporting_period(api.parse_period("2022-02"))[0].code
('2022-01/02', '2022-01/02')
>>> api.resolve_region("内蒙古").code, api.resolve_region("广东省").name
('150000', '广东省')
>>> doc = api.bulletin(wh, "2022-03")                      # a pure read: nothing is written
>>> doc.region_name, doc.period.code
('全国', '2022-03')
>>> round(api.two_year_average(9.6, 3.6), 2)              # growth in %: √(1.096 × 1.036) − 1
6.56
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from yacang.alerts.evaluate import evaluate_alerts
from yacang.alerts.store import load_history as alerts
from yacang.analysis.nowcast import nowcast
from yacang.analysis.seasonal import seasonal_adjust
from yacang.analysis.turning_points import bry_boschan
from yacang.catalog.regions import resolve_region
from yacang.measures.growth import two_year_average
from yacang.periods import Period, parse_period, reporting_period
from yacang.report.bulletin import write_bulletin
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file as load

__all__ = [
    "Period", "Warehouse", "alerts", "bry_boschan", "bulletin", "evaluate_alerts", "load", "measures", "memory",
    "nowcast", "open_warehouse", "parse_period", "reporting_period", "resolve_region", "seasonal_adjust", "series",
    "two_year_average", "write_bulletin",
]


def open_warehouse(path: Path | str | None = None) -> Warehouse:
    """The DuckDB warehouse file (default: ``YACANG_HOME/warehouse.duckdb``)."""
    return Warehouse.open(path)


def memory() -> Warehouse:
    """An in-memory warehouse (for notebooks and tests)."""
    return Warehouse.memory()


def series(wh: Warehouse, indicator: str, measure: str, *, region: str = "100000", industry: str = "TOTAL",
           as_of: dt.date | str | None = None) -> pd.Series:
    """A concept's values by period code (the preferred source's series), as published on ``as_of``."""
    sid = wh.find_series(indicator, measure, region=region, industry=industry)
    if sid is None:
        raise LookupError(f"仓库中没有 {indicator}.{measure}（地区 {region}，行业 {industry}）的序列")
    return wh.values(sid, as_of)


def measures(wh: Warehouse, period: str, region: str = "100000", industry: str = "TOTAL"):
    """同口径 measures from the enterprise microdata (当月/累计 growth, 两年平均, 拉动, ranks, breadth)."""
    from yacang.catalog.regions import RegionCatalog
    from yacang.measures.monthly import monthly_measures

    return monthly_measures(wh.con, period, region=region, industry=industry, regions=RegionCatalog.load())


def bulletin(wh: Warehouse, period: str | Period, region: str = "100000", **options):
    """The monthly bulletin (按月通报) from what is stored — the same document CLI and web produce."""
    from yacang.jobs.main_job import build_full_bulletin

    p = parse_period(period) if isinstance(period, str) else period
    return build_full_bulletin(wh, reporting_period(p)[0], region, **options)
