"""Which checks run on a warehouse: the pairs of series to cross-check and the 累计/当月 pairs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from yacang.checks.consistency import Comparison, compare, ytd_from_monthly
from yacang.warehouse.store import Warehouse

LEVEL_PAIRS = (("export_delivery", "出口交货值"), ("profit", "利润总额"), ("revenue", "营业收入"))


@dataclass
class Missing:
    label: str
    wanted: str


def cross_source(wh: Warehouse) -> list[Comparison | Missing]:
    """NBS data-portal export against the Wind export, for the concepts both carry."""
    out: list[Comparison | Missing] = []
    nbs_yoy = _values(wh, "nbs:iva.yoy.100000.TOTAL")
    wind_split = _values(wh, "wind:iva.yoy.100000.TOTAL~split")
    wind_yoy = _values(wh, "wind:iva.yoy.100000.TOTAL")
    if nbs_yoy is None or (wind_split is None and wind_yoy is None):
        out.append(Missing("规上工业增加值 当月同比", "nbs:iva.yoy.100000.TOTAL 与 wind:iva.yoy.100000.TOTAL(~split)"))
    else:
        wind_months = _months(wind_split if wind_split is not None else wind_yoy)
        out.append(compare(_months(nbs_yoy), wind_months, label="规上工业增加值 当月同比（国家统计局发布的单月）",
                           left_id="nbs:iva.yoy.100000.TOTAL", right_id="wind:iva.yoy.100000.TOTAL~split"))
        if wind_yoy is not None:
            out.append(compare(_jan_feb(nbs_yoy), _jan_feb(wind_yoy), label="规上工业增加值 1-2月合并",
                               left_id="nbs:iva.yoy.100000.TOTAL", right_id="wind:iva.yoy.100000.TOTAL"))
    out.append(_pair(wh, "规上工业增加值 累计同比", "nbs:iva.ytd_yoy.100000.TOTAL", "wind:iva.ytd_yoy.100000.TOTAL"))
    nbs_ppi = _values(wh, "nbs:ppi.index_yoy.100000.TOTAL")
    wind_ppi = _values(wh, "wind:ppi.yoy.100000.TOTAL")
    if nbs_ppi is None or wind_ppi is None:
        out.append(Missing("PPI 当月同比", "nbs:ppi.index_yoy.100000.TOTAL 与 wind:ppi.yoy.100000.TOTAL"))
    else:
        out.append(compare((nbs_ppi - 100).round(6), wind_ppi, label="PPI 当月同比（NBS 指数−100 对 Wind）",
                           left_id="nbs:ppi.index_yoy.100000.TOTAL", right_id="wind:ppi.yoy.100000.TOTAL"))
    return out


def ytd_checks(wh: Warehouse) -> list[Comparison]:
    """Σ当月值 against 累计值 for every (indicator, industry) that has both, per source."""
    out = []
    series = wh.series()
    for indicator, name in LEVEL_PAIRS:
        s = series[series["indicator"] == indicator]
        monthly = s[s["measure"] == "value"]
        for row in monthly.itertuples(index=False):
            ytd_id = row.series_id.replace(".value.", ".ytd_value.", 1)
            if ytd_id not in set(s["series_id"]):
                continue
            label = f"{name} {_industry(row.industry)}{('·' + row.category) if row.category else ''}（{row.source}）"
            out.append(ytd_from_monthly(wh.values(row.series_id), wh.values(ytd_id), label=label,
                                        monthly_id=row.series_id, ytd_id=ytd_id))
    return out


def _industry(code: str) -> str:
    from yacang.catalog.industries import IndustryCatalog, IndustryError

    try:
        return "全部工业" if code == "TOTAL" else f"{code} {IndustryCatalog().name(code)}"
    except IndustryError:
        return code


def _pair(wh: Warehouse, label: str, left: str, right: str) -> Comparison | Missing:
    a, b = _values(wh, left), _values(wh, right)
    if a is None or b is None:
        return Missing(label, f"{left} 与 {right}")
    return compare(a, b, label=label, left_id=left, right_id=right)


def _values(wh: Warehouse, sid: str) -> pd.Series | None:
    if wh.series(series_id=sid).empty:
        return None
    return wh.values(sid)


def _months(s: pd.Series) -> pd.Series:
    return s[s.index.str.fullmatch(r"\d{4}-\d{2}")]


def _jan_feb(s: pd.Series) -> pd.Series:
    return s[s.index.str.endswith("-01/02")]
