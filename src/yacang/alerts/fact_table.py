"""The facts the rule engine reads: one long frame, whatever produced the numbers.

Columns: ``scope`` (region/industry/enterprise/material/project), ``key`` (unique code of the unit,
e.g. ``330000``, ``330000/36`` for a division in a region, an enterprise id), ``parent`` (key of the
unit above, or empty), ``period`` (canonical period code), ``metric``, ``value``; optional ``name``
(Chinese display name). :func:`facts_from_warehouse` builds them from the warehouse's monthly series;
:func:`facts_from_measures` adds what ``yacang.measures`` computes from enterprise microdata when the
warehouse holds enterprise reports.

Metric names (the default rule pack uses those marked *)::

    iva_yoy*          规上工业增加值当月同比（%）
    iva_ytd_yoy*      规上工业增加值累计同比（%）
    target_gap*       累计增速减年度目标（百分点，负数为落后）
    decline_share*    减产面：当月增加值同比下降的企业（或行业）占比（%）
    loss_share*       亏损面：亏损企业数 / 全部企业数（%）
    reporting_rate*   按时报送率：已报企业 / 应报企业（%）
    enterprise_pull*  重点企业拉动所在地区增速（百分点，负数为拖累）
    review_swing*     审核波动：企业本月报送值较上月变动幅度（%，绝对值）
    export_yoy*       出口交货值当月同比（%）
    electricity_yoy*  工业用电量当月同比（%）
    ppi_yoy, pmi, profit_ytd_yoy, export_ytd_yoy, revenue_ytd_yoy …
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yacang.periods import parse_period
from yacang.warehouse.alerts import has_microdata_reports, reporting_counts

FACT_COLUMNS = ["scope", "key", "parent", "period", "metric", "value"]

METRICS: dict[str, str] = {
    "iva_yoy": "规上工业增加值当月同比（%）",
    "iva_ytd_yoy": "规上工业增加值累计同比（%）",
    "target_gap": "累计增速减年度目标（百分点）",
    "decline_share": "减产面（%）",
    "loss_share": "亏损面（%）",
    "reporting_rate": "按时报送率（%）",
    "enterprise_pull": "重点企业拉动所在地区增速（百分点）",
    "review_swing": "企业报送值较上月变动幅度（%）",
    "export_yoy": "出口交货值当月同比（%）",
    "export_ytd_yoy": "出口交货值累计同比（%）",
    "electricity_yoy": "工业用电量当月同比（%）",
    "ppi_yoy": "工业生产者出厂价格当月同比（%）",
    "pmi": "制造业PMI",
    "profit_ytd_yoy": "利润总额累计同比（%）",
    "revenue_ytd_yoy": "营业收入累计同比（%）",
    "growth_share": "增长面（%）",
    "target": "年度增长目标（%）",
    "enterprise_count": "报送企业数（家，企业月报测算的地区样本量）",
}

# (indicator, measure) in the warehouse -> metric name
WAREHOUSE_METRICS: dict[tuple[str, str], str] = {
    ("iva", "yoy"): "iva_yoy",
    ("iva", "ytd_yoy"): "iva_ytd_yoy",
    ("export_delivery", "yoy"): "export_yoy",
    ("export_delivery", "ytd_yoy"): "export_ytd_yoy",
    ("electricity", "yoy"): "electricity_yoy",
    ("ppi", "yoy"): "ppi_yoy",
    ("pmi", "level"): "pmi",
    ("profit", "ytd_yoy"): "profit_ytd_yoy",
    ("revenue", "ytd_yoy"): "revenue_ytd_yoy",
}


def empty_facts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "string") for c in FACT_COLUMNS})


def facts_from_warehouse(wh, *, as_of: str | None = None, regions: set[str] | None = None) -> pd.DataFrame:
    """Monthly catalog series of the warehouse as facts (best source per concept, no ~variants).

    A series with industry ``TOTAL`` and no category is a region fact (key = region code, parent =
    the region above); any other industry is an industry fact keyed ``region/industry`` with the
    region as parent.
    """
    from yacang.catalog.industries import TOTAL
    from yacang.catalog.regions import RegionCatalog
    from yacang.warehouse.series_choice import best_series

    series = wh.series()
    if series.empty:
        return empty_facts()
    series = series[~series["series_id"].str.contains("~", regex=False)]
    series = series[series["category"].fillna("") == ""]
    series["metric"] = [WAREHOUSE_METRICS.get((i, m)) for i, m in zip(series["indicator"], series["measure"], strict=False)]
    series = series[series["metric"].notna()]
    if regions is not None:
        series = series[series["region"].isin(regions)]
    if series.empty:
        return empty_facts()
    series = best_series(series, ["metric", "region", "industry"])  # the one rule (warehouse.series_choice)
    obs = wh.observations(as_of)
    obs = obs.filter(obs.series_id.isin(series["series_id"].tolist())).select("series_id", "period", "value")
    obs = obs.to_pandas()
    obs = obs[[parse_period(p).kind in ("month", "jan_feb") for p in obs["period"]]]
    df = onto_reporting_months(on_release_calendar(obs))
    df = df.merge(series[["series_id", "metric", "region", "industry"]], on="series_id")
    cat = RegionCatalog.load()
    is_total = df["industry"] == TOTAL
    parent_of = {}
    for code in df["region"].unique():
        try:
            parent_of[code] = cat.get(code).parent or ""
        except LookupError:
            parent_of[code] = ""
    out = pd.DataFrame({
        "scope": np.where(is_total, "region", "industry"),
        "key": np.where(is_total, df["region"], df["region"] + "/" + df["industry"]),
        "parent": np.where(is_total, df["region"].map(parent_of), df["region"]),
        "period": df["period"],
        "metric": df["metric"],
        "value": df["value"].astype(float),
    })
    return jan_feb_from_ytd(out).reset_index(drop=True)


# 1-2月's 当月 figure is its 累计 (NBS publishes 1-2月 as one period)
MONTH_OF_YTD = {"iva_ytd_yoy": "iva_yoy", "export_ytd_yoy": "export_yoy"}


def jan_feb_from_ytd(facts: pd.DataFrame) -> pd.DataFrame:
    """The 当月 fact of a ``YYYY-01/02`` a series leaves blank, from its 累计: Wind's 当月同比 of most industry
    divisions (e.g. 烟草制品业) has no 1-2月 value, so ``for: 2`` rules on iva_yoy never reached across 1-2月
    and every such alert was resolved there (message “同比—”)."""
    jf = facts[facts["period"].astype(str).str.endswith("-01/02") & facts["metric"].isin(list(MONTH_OF_YTD))]
    fill = jf.assign(metric=jf["metric"].map(MONTH_OF_YTD))
    return pd.concat([facts, fill], ignore_index=True).drop_duplicates(["key", "period", "metric"], keep="first")


def on_release_calendar(obs: pd.DataFrame) -> pd.DataFrame:
    """Each monthly series (``series_id``, ``period``, ``value``; month and 1-2月 codes only) on its published
    calendar (:func:`yacang.measures.calendar.calendar_view`): a 1-2月 figure a vendor stores in the
    February cell (as Wind stores 1-2月 累计) becomes ``YYYY-01/02``, where the 当月 facts of the same months
    are. Only series with a single January or February value go through the calendar."""
    from yacang.measures.calendar import calendar_view

    obs = obs.dropna(subset=["value"])
    split = obs["period"].astype(str).str.fullmatch(r"\d{4}-0[12]")
    ids = set(obs.loc[split, "series_id"])
    if not ids:
        return obs
    parts = [obs[~obs["series_id"].isin(ids)]]
    for sid, g in obs[obs["series_id"].isin(ids)].groupby("series_id", sort=False):
        view = calendar_view(pd.Series(g["value"].to_numpy(dtype=float), index=g["period"].astype(str).to_numpy()))
        parts.append(pd.DataFrame({"series_id": sid, "period": view.index.astype(str), "value": view.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def onto_reporting_months(obs: pd.DataFrame) -> pd.DataFrame:
    """A single January or February of a year NBS reports as 1-2月 (prices and PMI are published for each
    month) onto that year's ``YYYY-01/02``: February's reading, the one the 1-2月 release gives; January's is
    dropped. Otherwise the rules' period axis had 2019-01, 2019-01/02 and 2019-02 side by side, the volume
    metrics blank in the single months, so ``for: 2`` and ``lag(x, 1)`` never reached across 1-2月 and
    alerts were resolved at a "2019年1月" that has no 当月 industrial figure."""
    from yacang.periods import jan_feb_merged

    period = obs["period"].astype(str)
    single = period.str.fullmatch(r"\d{4}-0[12]")
    merged = single & period.str[:4].map(lambda y: y.isdigit() and jan_feb_merged(int(y)))
    moved = merged & period.str.endswith("-02")
    out = obs.assign(period=period.where(~moved, period.str[:4] + "-01/02"), _moved=moved)
    out = out[~(merged & period.str.endswith("-01"))].sort_values("_moved", kind="stable")
    return out.drop_duplicates(["series_id", "period"], keep="first").drop(columns="_moved")


def facts_from_measures(wh, *, period: str | None = None) -> pd.DataFrame:
    """Facts computed by :func:`yacang.measures.alert_inputs.alert_facts` from enterprise microdata.

    Per report period and region (nation, provinces, prefectures): iva_yoy, iva_ytd_yoy, decline_share,
    loss_share, growth_share, export_yoy, electricity_yoy, target_gap, reporting_rate; and
    enterprise_pull for key enterprises; enterprise_count (报送企业数, the sample behind the rates). Empty only when the warehouse holds no enterprise reports;
    any error computing them propagates (an error is never an empty result).
    """
    from yacang.measures.alert_inputs import alert_facts

    if not has_microdata_reports(wh):
        return empty_facts()
    df = alert_facts(wh, period=period)
    df = df[[c for c in df.columns if c in [*FACT_COLUMNS, "name"]]]
    counts = reporting_counts(wh)
    regions = df.loc[df["scope"] == "region", ["key", "parent"]].drop_duplicates("key")
    counts = counts.merge(regions, left_on="region", right_on="key")  # the units the measures cover
    counts = counts[counts["period"].isin(set(df["period"]))]
    sizes = pd.DataFrame({"scope": "region", "key": counts["key"], "parent": counts["parent"],
                          "period": counts["period"], "metric": "enterprise_count", "value": counts["n"].astype(float)})
    return pd.concat([df, sizes], ignore_index=True)


def collect_facts(wh, *, as_of: str | None = None, period: str | None = None) -> pd.DataFrame:
    """All facts available: microdata measures plus warehouse series (measures win on conflicts)."""
    parts = [f for f in (facts_from_measures(wh, period=period), facts_from_warehouse(wh, as_of=as_of))
             if not f.empty]
    if not parts:
        return empty_facts()
    df = pd.concat(parts, ignore_index=True)
    return df.drop_duplicates(["key", "period", "metric"], keep="first").reset_index(drop=True)


def names_for(keys: pd.Series) -> pd.Series:
    """Chinese display names for region and ``region/industry`` keys (others unchanged)."""
    from yacang.catalog.industries import IndustryCatalog
    from yacang.catalog.regions import RegionCatalog, region_name

    rc, ic = RegionCatalog.load(), IndustryCatalog.load()

    def one(k: str) -> str:
        reg, _, ind = str(k).partition("/")
        name = region_name(reg, rc)  # 310100 (a 直辖市's 市辖区) → 上海市
        if name == reg:
            return str(k)
        if ind:
            try:
                return f"{name}{ic.name(ind)}"
            except LookupError:
                return f"{name}/{ind}"
        return name

    uniq = {k: one(k) for k in pd.unique(keys)}
    return keys.map(uniq)
