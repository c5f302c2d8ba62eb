"""The national series the analyses need: from the warehouse (CLI) or from Wind-style tidy CSVs.

Both readers return the same things: the IVA 当月同比 target with merged 1-2月 releases as
``YYYY-01/02`` codes (or Feb with January missing), and a monthly frame of early indicators.
High-frequency (weekly, 10-day, daily) series are averaged to calendar months; operating rates and
outputs enter as log year-on-year change ×100 (``hf_yoy``), which removes their seasonality.

The CSV reader (:func:`inputs_from_csv`) reads the column layout ``date, series_id, value`` of the
shared development data; nothing in the package depends on those files being present.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from yacang.analysis.nowcast import NowcastInputs
from yacang.ingest.vintage import RELEASE_DAY


@dataclass(frozen=True)
class IndicatorSpec:
    """One early indicator: Chinese label, how to find it, and how to transform it."""

    key: str
    label: str
    indicator: str = ""  # catalog indicator for Warehouse.find_series
    measure: str = ""
    category: str = ""
    original_name: str = ""  # for raw (unmapped) series
    wind_id: str = ""  # id in the shared Wind CSVs
    hf_yoy: bool = False  # high-frequency level → monthly mean → log yoy ×100
    lag: int = 0  # releases behind 工业增加值 on the release calendar (1: published with it)
    release_day: int = 0  # release of month M's value: that day of M+1 (0: M's last day)


PRICE_RELEASE_DAY = 10
"""NBS releases PPI/PPIRM of month M around the 9th–10th of M+1 (主要统计数据发布日程表); the 10th is used."""
IVA_RELEASE_DAY = RELEASE_DAY
"""工业增加值 and 出口交货值 of month M (1-2月: in March) come out around the 15th of M+1 (the ingest
vintage rule, :data:`yacang.ingest.vintage.RELEASE_DAY`)."""

TARGET = IndicatorSpec("iva_yoy", "规模以上工业增加值当月同比", "iva", "yoy", wind_id="IVA002")

INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("pmi", "制造业PMI", "pmi", "level", wind_id="PMI001"),
    IndicatorSpec("pmi_output", "PMI:生产", "pmi", "level", category="生产", wind_id="PMI002"),
    IndicatorSpec("pmi_new_orders", "PMI:新订单", "pmi", "level", category="新订单", wind_id="PMI_NEW_ORDERS"),
    IndicatorSpec("ppi", "PPI当月同比", "ppi", "yoy", wind_id="PPI001", release_day=PRICE_RELEASE_DAY),
    IndicatorSpec("ppirm", "PPIRM当月同比", "ppirm", "yoy", wind_id="PPIRM001", release_day=PRICE_RELEASE_DAY),
    IndicatorSpec("steel_daily", "粗钢日均产量", original_name="中国:日均产量:粗钢", wind_id="XD003", hf_yoy=True),
    IndicatorSpec("rebar_rate", "螺纹钢开工率", original_name="中国:开工率:螺纹钢:主要钢厂", wind_id="WK004", hf_yoy=True),
    IndicatorSpec("tyre_truck", "全钢胎开工率", original_name="中国:开工率:汽车轮胎(全钢胎)", wind_id="WK044", hf_yoy=True),
    IndicatorSpec("tyre_car", "半钢胎开工率", original_name="中国:开工率:汽车轮胎(半钢胎)", wind_id="WK045", hf_yoy=True),
    IndicatorSpec("pta_rate", "PTA开工率", original_name="中国:开工率:精对苯二甲酸", wind_id="DY001", hf_yoy=True),
    IndicatorSpec("refinery_sd", "山东地炼开工率", original_name="中国:炼油厂开工率:山东地炼", wind_id="WK023", hf_yoy=True),
    IndicatorSpec("polyester", "涤纶长丝开工率", original_name="中国:江浙地区:开工率:涤纶长丝", wind_id="WK009", hf_yoy=True),
    IndicatorSpec("blast_furnace", "高炉开工率", original_name="中国:高炉开工率(247家)", wind_id="WK046", hf_yoy=True),
    IndicatorSpec("coal_burn", "重点电厂日耗煤", original_name="中国:日耗量:煤炭重点电厂", wind_id="WK032", hf_yoy=True),
    IndicatorSpec("export_delivery", "出口交货值当月同比(上期)",
                  original_name="中国:出口交货值:规模以上工业企业:当月同比(1-2月合并)", wind_id="EXD002", lag=1,
                  release_day=IVA_RELEASE_DAY),
)
"""Early indicators released before 工业增加值 (PMI on the month's last day, PPI around the 10th,
high-frequency data within the month), and 出口交货值, which NBS publishes together with 工业增加值 and
so enters with a lag of one release. Missing ones are skipped. ``release_day`` is the release
calendar that :func:`yacang.analysis.nowcast.nowcast` uses to say whether a missing value is not
out yet or out but not loaded."""

LEADING_DEFAULT = ("pmi", "pmi_new_orders", "pmi_output", "ppi", "rebar_rate", "tyre_truck", "tyre_car", "pta_rate")
"""Default leading components for the composite indices (those present are used)."""


def daily_to_monthly(values: pd.Series) -> pd.Series:
    """Calendar-month mean of a daily/weekly/10-day series indexed by dates."""
    idx = pd.DatetimeIndex(pd.to_datetime(values.index))
    s = pd.Series(values.to_numpy(dtype=float), index=idx).dropna()
    return s.groupby(s.index.to_period("M")).mean()


def hf_yoy(monthly: pd.Series) -> pd.Series:
    """Log year-on-year change ×100 of a positive monthly series (approximately %)."""
    m = monthly.where(monthly > 0)
    full = m.reindex(pd.period_range(m.index.min(), m.index.max(), freq="M"))
    return (100.0 * (np.log(full) - np.log(full.shift(12)))).dropna()


# -- shared Wind CSVs -----------------------------------------------------------------------------------
def _tidy(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"series_id": str, "date": str})


def target_from_csv(national_dir: Path) -> pd.Series:
    """IVA 当月同比 on the NBS release calendar, from the 当月同比 (IVA001) and 累计同比 (IVA022) series.

    The calendar is :func:`yacang.measures.calendar.calendar_view` (the one home of the 1-2月 rule):
    every year's 1-2月 is the published figure (the February 累计同比; since 2013 Wind's own
    January/February split is dropped), so 2009's 1-2月 is 3.8, not the mean of January −2.9 and
    February 11.0. Where a year has a 1-2月 figure, its single January/February values are left out,
    because the nowcast works on the merged release calendar throughout.
    """
    from yacang.measures.calendar import calendar_view

    iva = _tidy(national_dir / "iva_monthly.csv")
    single = iva[iva.series_id == "IVA001"].set_index("date")["value"]
    ytd = iva[iva.series_id == "IVA022"].set_index("date")["value"]
    view = calendar_view(single, ytd, merged=True)
    merged_years = {code[:4] for code in view.index if str(code).endswith("-01/02")}
    singles = {f"{y}-01" for y in merged_years} | {f"{y}-02" for y in merged_years}
    return view[[c not in singles for c in view.index]].rename(TARGET.label)


def indicators_from_csv(national_dir: Path, hf_dir: Path | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    files = ("pmi_and_sales_output_ratio_monthly.csv", "ppi_ppirm_monthly.csv", "export_delivery_value_monthly.csv")
    frames = [_tidy(national_dir / f) for f in files if (national_dir / f).exists()]
    monthly = pd.concat(frames)
    hf = _tidy(hf_dir / "observations.csv") if hf_dir is not None and (hf_dir / "observations.csv").exists() else None
    cols: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    for spec in INDICATORS:
        if spec.hf_yoy:
            if hf is None:
                continue
            raw = hf[hf.series_id == spec.wind_id].set_index("date")["value"]
            if raw.empty:
                continue
            s = hf_yoy(daily_to_monthly(raw))
        else:
            raw = monthly[monthly.series_id == spec.wind_id].set_index("date")["value"]
            if raw.empty:
                continue
            s = pd.Series(raw.to_numpy(dtype=float), index=pd.PeriodIndex(raw.index, freq="M"))
        cols[spec.key] = s
        labels[spec.key] = spec.label
    return pd.DataFrame(cols).sort_index(), labels


def inputs_from_csv(national_dir: Path, hf_dir: Path | None = None) -> NowcastInputs:
    """Nowcast inputs from the Wind-style CSV folders (development and benchmark data)."""
    target = target_from_csv(national_dir)
    indicators, labels = indicators_from_csv(national_dir, hf_dir)
    return NowcastInputs.build(target, indicators, labels, lags=_lags(indicators.columns))


def _lags(columns: pd.Index | list[str]) -> dict[str, int]:
    specs = {s.key: s for s in INDICATORS}
    return {c: specs[c].lag for c in columns if c in specs and specs[c].lag}


# -- warehouse ------------------------------------------------------------------------------------------
def _warehouse_values(wh, spec: IndicatorSpec) -> pd.Series | None:
    sid = None
    if spec.indicator:  # a rate stored only as NBS's index (PPI 上年同月=100) comes as index − 100
        values = wh.rate_values(spec.indicator, spec.measure, category=spec.category)
        return values if values is not None and not values.empty else None
    if spec.original_name:
        found = wh.series(original_name=spec.original_name)
        if not found.empty:
            sid = str(found.iloc[0]["series_id"])
    if sid is None:
        return None
    values = wh.values(sid)
    return values if not values.empty else None


def series_from_warehouse(wh, key: str) -> tuple[pd.Series, str]:
    """A named series of :data:`INDICATORS` (or the target ``iva_yoy``) from the warehouse, monthly."""
    specs = {s.key: s for s in (TARGET, *INDICATORS)}
    spec = specs.get(key)
    if spec is None:
        raise KeyError(f"未知指标 {key}；可选：{', '.join(specs)}")
    if spec is TARGET:
        return target_from_warehouse(wh), spec.label
    values = _warehouse_values(wh, spec)
    if values is None:
        raise LookupError(f"仓库中没有“{spec.label}”，请先导入数据（yacang ingest …）")
    if spec.hf_yoy:
        values = hf_yoy(daily_to_monthly(values))
    return values.rename(spec.label), spec.label


def target_from_warehouse(wh) -> pd.Series:
    """National IVA 当月同比 as released: the merged-1-2月 series, extended back with the monthly
    values of its ``~split`` variant for the years before the merged series starts (NBS published
    January and February separately then)."""
    sid = wh.find_series(TARGET.indicator, TARGET.measure)
    if sid is None:
        raise LookupError("仓库中没有全国规模以上工业增加值当月同比（iva.yoy），请先导入数据（yacang ingest …）")
    target = wh.values(sid)
    if "~" not in sid and not wh.series(series_id=f"{sid}~split").empty:
        first_year = min(int(str(c)[:4]) for c in target.index)
        early = wh.values(f"{sid}~split")
        early = early[[int(str(c)[:4]) < first_year for c in early.index]]
        target = pd.concat([early, target])
    return target.rename(TARGET.label)


def inputs_from_warehouse(wh) -> NowcastInputs:
    """Nowcast inputs from the warehouse (national series; missing indicators skipped)."""
    target = target_from_warehouse(wh)
    cols: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    for spec in INDICATORS:
        values = _warehouse_values(wh, spec)
        if values is None:
            continue
        if spec.hf_yoy:
            values = hf_yoy(daily_to_monthly(values))
        cols[spec.key] = values
        labels[spec.key] = spec.label
    if not cols:
        raise LookupError("仓库中没有可用的先行指标（PMI、PPI、高频开工率），无法现时预测")
    return NowcastInputs.build(target, cols, labels, lags=_lags(list(cols)))
