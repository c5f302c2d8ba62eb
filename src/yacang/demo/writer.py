"""Write a generated demo panel into the warehouse: microdata tables and aggregate series.

Idempotent: the demo's own rows (enterprises whose USCC carries the demo organisation-code prefix,
their 规上 years and reports with ``source_file = 'yacang demo'``) are replaced in one transaction;
division PPI, 增加值率 and targets are upserted by key; the aggregate series go through
:meth:`Warehouse.write_batch`, which adds nothing when the values are unchanged.

Later demo sets (appeals, whitelist entries, projects — issue 7) plug in through
:func:`extra_sets` (entry points): each is called after the microdata are written and returns a summary line.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from yacang.catalog.industries import EQUIPMENT, HIGH_TECH
from yacang.catalog.regions import NATION, prefecture_codes, province_codes
from yacang.catalog.series_ids import series_id
from yacang.demo.generator import DEMO_ORG_PREFIX, DEMO_SOURCE_FILE, DemoData, content_sha256
from yacang.demo.growth import report_rows, sums_by, with_growth, ytd_growth
from yacang.ingest.batch import SERIES_COLUMNS, Batch
from yacang.warehouse import job_queries

ExtraSet = Callable[[object, DemoData, np.random.Generator], str]
Step = Callable[[str, str], AbstractContextManager[None]]  # step(key, label): times and reports one step


def extra_sets() -> dict[str, ExtraSet]:
    """The demo sets written after the microdata (``fn(warehouse, data, rng) -> summary line``): entry
    points of group ``yacang.demo_sets`` (see :mod:`yacang.plugins`), in name order."""
    from yacang.plugins import load

    return load("yacang.demo_sets")


@dataclass
class WriteResult:
    enterprises: int
    reports: int
    series: int
    observations_new: int
    observations_revised: int
    extra: list[str] = field(default_factory=list)
    rows: pd.DataFrame | None = field(default=None, repr=False)  # :func:`aggregate_rows`, for the summaries


def write_demo(wh, data: DemoData, *, step: Step | None = None) -> WriteResult:
    """Replace the demo's microdata in ``wh`` and store its aggregate series (source ``demo``).

    ``step(key, label)``: a context manager around each step (timed and reported by the caller)."""
    step = step or (lambda key, label: nullcontext())
    with step("demo_microdata", "写入企业名录与月报"):
        write_microdata(wh, data)
    with step("demo_series", "汇总示例序列"):
        rows = aggregate_rows(data)
        res = wh.write_batch(aggregate_batch(data, rows))
    out = WriteResult(len(data.enterprises), len(data.reports), res.n_series, res.n_new, res.n_revised, rows=rows)
    rng = np.random.default_rng(np.random.SeedSequence(data.config.seed).spawn(7)[6])
    for name, fn in extra_sets().items():
        with step(f"demo_{name}", f"示例数据集：{name}"):
            out.extra.append(fn(wh, data, rng))
    return out


def write_microdata(wh, data: DemoData) -> None:
    """Replace the demo's enterprises, 规上 years and reports; upsert PPI, 增加值率 and targets."""
    job_queries.replace_demo_microdata(
        wh, org_prefix=DEMO_ORG_PREFIX, source_file=DEMO_SOURCE_FILE, enterprises=data.enterprises,
        enterprise_years=data.enterprise_years, reports=data.reports,
        upserts={"division_params": data.division_params, "division_ppi": data.division_ppi,
                 "targets": data.targets})


def upto(data: DemoData, last: str) -> DemoData:
    """The demo as it stood when ``last`` was its latest report period (later reports and PPI left out)."""
    periods = data.periods[: data.periods.index(last) + 1]
    keep = set(periods)
    return replace(data, periods=periods, reports=data.reports[data.reports["period"].isin(keep)].reset_index(drop=True),
                   division_ppi=data.division_ppi[data.division_ppi["period"].isin(keep)].reset_index(drop=True))


def add_period(wh, data: DemoData, period: str) -> int:
    """Add one more month of the demo to a warehouse holding :func:`upto` the month before: its reports,
    its PPI and the aggregate series of the longer window (new observations only). Returns the report rows."""
    new = data.reports[data.reports["period"] == period]
    ppi = data.division_ppi[data.division_ppi["period"] == period]
    job_queries.append_reports(wh, new, {"division_ppi": ppi})
    wh.write_batch(aggregate_batch(upto(data, period)))
    return len(new)


# ---------------------------------------------------------------------------------------------
# aggregate series for the observation store

_IND_ZH = {"iva": "规模以上工业增加值", "output_value": "工业总产值", "export_delivery": "出口交货值",
           "electricity": "用电量", "profit": "利润总额", "revenue": "营业收入",
           "enterprise_count": "规上工业企业数", "loss_count": "亏损企业数"}
_MEASURE_ZH = {"yoy": "当月同比", "ytd_yoy": "累计同比", "value": "当月值", "ytd_value": "累计值", "level": "水平值"}
_UNIT = {"yoy": "%", "ytd_yoy": "%", "value": "亿元", "ytd_value": "亿元", "level": "家"}


def _section(div: pd.Series) -> pd.Series:
    d = div.astype(int)
    return pd.Series(np.where(d <= 12, "B", np.where(d <= 43, "C", "D")), index=div.index)


def _by_code(col: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Categorical:
    """``fn`` of a categorical column, computed on its categories (a few thousand, not a row each)."""
    values, codes = np.unique(fn(col.cat.categories.to_series(index=None)).to_numpy(dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(codes[col.cat.codes.to_numpy()], values)


_LEVELS = ("output_value", "export_delivery", "export_delivery_prev", "electricity", "electricity_prev", "loss",
           "profit", "profit_prev", "revenue")


def aggregate_rows(data: DemoData) -> pd.DataFrame:
    """The report rows with real VA and every grouping key of :func:`aggregate_batch` (categoricals)."""
    rows = report_rows(data.reports, data.enterprises, data.division_ppi, data.division_params,
                       [c for c in _LEVELS if c != "loss"])
    rows["nation"] = pd.Categorical.from_codes(np.zeros(len(rows), dtype=np.int8), [NATION])
    rows["province"] = _by_code(rows["region"], province_codes)
    rows["prefecture"] = _by_code(rows["region"], prefecture_codes)
    rows["section"] = _by_code(rows["division"], _section)
    industry = rows["industry"].cat
    ht = (industry.categories.str[:2] == "27") | industry.categories.isin(HIGH_TECH.classes)
    rows["HT"] = ht[industry.codes.to_numpy()]
    rows["EQ"] = rows["division"].cat.categories.isin(EQUIPMENT.divisions)[rows["division"].cat.codes.to_numpy()]
    rows["loss"] = rows["profit"] < 0
    return rows


def aggregate_batch(data: DemoData, rows: pd.DataFrame | None = None) -> Batch:
    """National, provincial and prefecture series computed from the demo microdata (source ``demo``).

    One grouping per cut: the 当月 and 累计 growth come from the same period sums, and for the nation and the
    provinces so do the levels and the other indicators. ``rows``: :func:`aggregate_rows` of ``data`` if the
    caller has them."""
    rows = aggregate_rows(data) if rows is None else rows
    obs: list[pd.DataFrame] = []
    sums: dict[str, pd.DataFrame] = {}
    # (region column, industry column or None = TOTAL)
    cuts = [("nation", None), ("province", None), ("prefecture", None), ("nation", "section"),
            ("nation", "division"), ("province", "section")]
    for reg, ind in cuts:
        keys = [reg] + ([ind] if ind else [])
        levels = ind is None and reg in ("nation", "province")
        g = with_growth(sums_by(rows, keys, ("va", "va_base", *_LEVELS) if levels else ("va", "va_base"),
                                size="n" if levels else None))
        if levels:
            sums[reg] = g
        obs.append(_frame(g, "iva", "yoy", reg, ind, "yoy"))
        obs.append(_frame(ytd_growth(g, keys, data.periods), "iva", "ytd_yoy", reg, ind, "ytd_yoy"))
    for grp in ("HT", "EQ"):
        sub = rows.loc[rows[grp].to_numpy(), ["period", "nation", "va", "va_base"]]
        sub["_grp"] = pd.Categorical.from_codes(np.zeros(len(sub), dtype=np.int8), [grp])
        g = with_growth(sums_by(sub, ["nation", "_grp"]))
        obs.append(_frame(g, "iva", "yoy", "nation", "_grp", "yoy"))
        obs.append(_frame(ytd_growth(g, ["nation", "_grp"], data.periods), "iva", "ytd_yoy", "nation", "_grp",
                          "ytd_yoy"))
    # levels and other indicators, nation and provinces
    order = {q: i for i, q in enumerate(data.periods)}
    full = {int(q[:4]) for q in data.periods if q.endswith("01/02")}
    for reg in ("nation", "province"):
        s = sums[reg].rename(columns={"loss": "losses"})
        s["output_value"] = s["output_value"] / 1e4  # 万元 → 亿元
        s["export_yoy"] = (s["export_delivery"] / s["export_delivery_prev"] - 1) * 100
        s["electricity_yoy"] = (s["electricity"] / s["electricity_prev"] - 1) * 100
        obs.append(_frame(s, "output_value", "value", reg, None, "output_value"))
        obs.append(_frame(s, "export_delivery", "yoy", reg, None, "export_yoy"))
        obs.append(_frame(s, "electricity", "yoy", reg, None, "electricity_yoy"))
        obs.append(_frame(s, "enterprise_count", "level", reg, None, "n"))
        obs.append(_frame(s, "loss_count", "level", reg, None, "losses"))
        p = s[["period", reg, "profit", "profit_prev", "revenue"]].copy()
        p["year"] = p["period"].str[:4].astype(int)
        p = p[p["year"].isin(full)].assign(_o=p["period"].map(order)).sort_values([reg, "_o"])
        cum = p.groupby([reg, "year"])[["profit", "profit_prev", "revenue"]].cumsum()
        p["profit_ytd"] = cum["profit"] / 1e4
        p["revenue_ytd"] = cum["revenue"] / 1e4
        p["profit_ytd_yoy"] = (cum["profit"] / cum["profit_prev"] - 1) * 100
        obs.append(_frame(p, "profit", "ytd_value", reg, None, "profit_ytd"))
        obs.append(_frame(p, "profit", "ytd_yoy", reg, None, "profit_ytd_yoy"))
        obs.append(_frame(p, "revenue", "ytd_value", reg, None, "revenue_ytd"))
    o = pd.concat(obs, ignore_index=True)
    o = o[np.isfinite(o["value"])].sort_values(["series_id", "period"]).reset_index(drop=True)
    series = o.drop_duplicates("series_id")[["series_id", "indicator", "measure", "region", "industry"]].copy()
    series["category"] = ""
    series["frequency"] = "M"
    series["unit"] = series["measure"].map(_UNIT)
    series["source"] = "demo"
    series["original_name"] = ("示例数据:" + series["indicator"].map(_IND_ZH) + ":" + series["measure"].map(_MEASURE_ZH)
                               + ":" + series["region"] + ":" + series["industry"])
    series["jan_feb"] = "1-2月合并"
    observations = pd.DataFrame({
        "series_id": o["series_id"].astype("string"),
        "period": o["period"].astype("string"),
        "value": o["value"].astype("float64"),
        "flags": np.where(o["period"].str.endswith("01/02"), "1-2月合并", ""),
        "source_row": pd.array([None] * len(o), dtype="Int64"),
        "source_col": pd.array([None] * len(o), dtype="string"),
    })
    observations["flags"] = observations["flags"].astype("string")
    last = data.periods[-1]
    y, m = int(last[:4]), int(last[-2:])
    return Batch(
        source_file=f"{DEMO_SOURCE_FILE} seed={data.config.seed} n={data.config.enterprises} "
                    f"{data.periods[0]}..{last}",
        format="demo",
        sha256=content_sha256(observations),
        series=series[SERIES_COLUMNS].reset_index(drop=True),
        observations=observations,
        vintage=pd.Timestamp(y + (m == 12), m % 12 + 1, 15),
        notes=[f"由 yacang demo 生成（种子 {data.config.seed}），按全国公布的规上工业增加值当月同比校准"],
    )


def _frame(g: pd.DataFrame, indicator: str, measure: str, reg: str, ind: str | None, col: str) -> pd.DataFrame:
    region = g[reg].astype(str)
    industry = g[ind].astype(str) if ind else pd.Series("TOTAL", index=g.index)
    sid = [series_id("demo", indicator, measure, r, i) for r, i in zip(region, industry, strict=True)]
    return pd.DataFrame({"series_id": sid, "indicator": indicator, "measure": measure, "region": region.to_numpy(),
                         "industry": industry.to_numpy(), "period": g["period"].to_numpy(),
                         "value": g[col].astype(float).to_numpy()})

