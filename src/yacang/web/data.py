"""Read views of the warehouse for the dashboard: region values, KPI cards, trends, children, series.

No growth is computed here: every number is an observation in the warehouse (or comes from the
measures/alerts modules). Functions take an open warehouse and return plain dicts/lists ready for JSON.
Region filtering for access control is done by the callers (the routers) before and after these calls.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from yacang.catalog.indicators import INDICATORS
from yacang.catalog.industries import IndustryCatalog
from yacang.catalog.regions import RegionCatalog, region_name
from yacang.periods import PeriodError, parse_period, reporting_period
from yacang.warehouse.queries import industry_latest, region_values

KPIS: tuple[tuple[str, str, str, str], ...] = (
    ("iva", "ytd_yoy", "规上工业增加值累计增速", "%"),
    ("iva", "yoy", "规上工业增加值当月增速", "%"),
    ("ppi", "yoy", "工业生产者出厂价格同比", "%"),
    ("pmi", "level", "制造业PMI", ""),
    ("profit", "ytd_yoy", "规上工业利润累计增速", "%"),
    ("export_delivery", "yoy", "出口交货值当月增速", "%"),
)
MEASURE_ZH = {"ytd_yoy": "累计同比", "yoy": "当月同比", "level": "水平", "value": "当月值", "ytd_value": "累计值"}


def records(df: pd.DataFrame | None) -> list[dict]:
    """A DataFrame as JSON-safe records (NaN → None, timestamps → ISO text, numpy scalars → Python)."""
    if df is None or df.empty:
        return []
    out = df.astype(object).where(pd.notna(df), None)
    recs = out.to_dict("records")
    for r in recs:
        for k, v in r.items():
            if isinstance(v, pd.Timestamp | dt.datetime | dt.date):
                r[k] = v.isoformat()
            elif hasattr(v, "item"):
                r[k] = v.item()
    return recs


def _num(x: object) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else round(f, 4)


def _end_of(code: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(parse_period(code).end_date)
    except PeriodError:
        return None


def stored_code(df: pd.DataFrame, period: str) -> str:
    """``period`` as ``df`` stores it: the code with the same end (1-2月 is 2024-01/02 in a 当月 series and
    2024-02 in a 累计 one), or ``period`` itself when ``df`` has no such period."""
    if df.empty or period in set(df["period"]):
        return period
    end = _end_of(period)
    same = df.loc[df["period_end"] == end, "period"] if end is not None else df.iloc[0:0]["period"]
    return str(same.iloc[0]) if not same.empty else period


def latest_period(df: pd.DataFrame, upto: str | None = None) -> str | None:
    """The latest period of ``df``, at or before ``upto`` (compared by the period's end, so 2024-01/02 finds
    a 累计 series' 2024-02, and an absent month the one before it, never a later one)."""
    if df.empty:
        return None
    d = df
    if upto:
        end = d.loc[d["period"] == upto, "period_end"]
        cutoff = end.iloc[0] if not end.empty else _end_of(upto)
        if cutoff is not None:
            d = d[d["period_end"] <= cutoff]
    return None if d.empty else str(d.sort_values("period_end")["period"].iloc[-1])


def kpi_cards(wh, region: str, period: str | None, as_of=None, extra: tuple[str, str] | None = None) -> list[dict]:
    """The KPI cards for a region: value at ``period`` (or the latest before it) and the previous one.

    ``extra`` (indicator, measure) adds a first card for the concept the page is coloured by.
    """
    cards = []
    kpis = list(KPIS)
    if extra and extra not in {(i, m) for i, m, _, _ in KPIS}:
        kpis.insert(0, (*extra, _label(*extra), "%" if "yoy" in extra[1] else ""))
    for indicator, measure, label, unit in kpis:
        df = region_values(wh, indicator, measure, regions=[region], as_of=as_of)
        p = latest_period(df, period)
        value = prev = None
        prev_period = None
        if p is not None:
            df = df.sort_values("period_end")
            pos = df.index[df["period"] == p][0]
            value = _num(df.loc[pos, "value"])
            loc = df.index.get_loc(pos)
            if loc > 0:
                prev = _num(df.iloc[loc - 1]["value"])
                prev_period = str(df.iloc[loc - 1]["period"])
        cards.append({"indicator": indicator, "measure": measure, "label": label, "unit": unit, "period": p,
                      "value": value, "previous": prev, "previous_period": prev_period,
                      "change": None if value is None or prev is None else round(value - prev, 4)})
    return cards


def _label(indicator: str, measure: str) -> str:
    name = INDICATORS[indicator].name if indicator in INDICATORS else indicator
    return name + {"yoy": "同比", "ytd_yoy": "累计同比"}.get(measure, MEASURE_ZH.get(measure, measure))


def trend(wh, region: str, *, n: int = 24, upto: str | None = None, as_of=None) -> dict:
    """当月/累计 growth of 规上工业增加值 for the last ``n`` periods up to ``upto`` (the page's period).

    The two measures are aligned on the period's end: a merged 1-2月 stored as ``2025-01/02`` for 当月 and
    as ``2025-02`` for 累计 is one point, not two. ``labels`` are the periods as officials write them
    (2025年3月, 2025年1-2月), for the chart's axis.
    """
    out: dict = {"periods": [], "labels": [], "series": []}
    frames = {measure: region_values(wh, "iva", measure, regions=[region], as_of=as_of)
              for measure in ("yoy", "ytd_yoy")}
    codes: dict[pd.Timestamp, str] = {}
    for df in frames.values():  # 当月 first: its code names the merged 1-2月 as such
        for r in df.itertuples():
            codes.setdefault(pd.Timestamp(r.period_end), str(r.period))
    ends = sorted(codes)
    if upto and (last := _end_of(upto)) is not None:
        ends = [e for e in ends if e <= last]
    ends = ends[-n:]
    out["periods"] = [codes[e] for e in ends]
    out["labels"] = [_axis_label(codes[e]) for e in ends]
    for measure, df in frames.items():
        m = {pd.Timestamp(e): v for e, v in zip(df["period_end"], df["value"], strict=False)}
        out["series"].append({"name": f"规上工业增加值{MEASURE_ZH[measure]}",
                              "measure": measure, "values": [_num(m.get(e)) for e in ends]})
    return out


def _axis_label(code: str) -> str:
    """A trend point's label: the month (2025年3月), or 2025年1-2月 for the merged January–February."""
    try:
        p = parse_period(code)
    except PeriodError:
        return code
    return reporting_period(p)[0].label_zh() if p.kind == "month" else p.label_zh()


def children_values(wh, region: str, indicator: str, measure: str, period: str | None,
                    regions: RegionCatalog, as_of=None) -> tuple[str | None, list[dict]]:
    """Values of the direct children of ``region`` at ``period`` (default: their latest common period)."""
    df = region_values(wh, indicator, measure, children_of=region, as_of=as_of)
    if df.empty:
        return period, []
    p = stored_code(df, period) if period else latest_period(df)
    if period is None:
        # the latest period that at least half of the children report
        counts = df.groupby(["period", "period_end"]).size().reset_index(name="n").sort_values("period_end")
        full = counts[counts["n"] >= max(1, counts["n"].max() // 2)]
        p = str(full["period"].iloc[-1]) if not full.empty else p
    at = df[df["period"] == p]
    rows = []
    for r in at.itertuples():
        rows.append({"region": r.region, "name": region_name(r.region, regions), "value": _num(r.value)})
    return p, rows


def previous_children(wh, region: str, indicator: str, measure: str, period: str, as_of=None) -> dict[str, float]:
    """Children's values at the period before ``period`` (for 位次变化)."""
    df = region_values(wh, indicator, measure, children_of=region, as_of=as_of)
    if df.empty or period not in set(df["period"]):
        return {}
    ends = df[["period", "period_end"]].drop_duplicates().sort_values("period_end")
    ends = ends.reset_index(drop=True)
    i = ends.index[ends["period"] == period][0]
    if i == 0:
        return {}
    prev = ends.loc[i - 1, "period"]
    at = df[df["period"] == prev]
    return {r.region: float(r.value) for r in at.itertuples() if r.value is not None}


def series_list(wh, scope, **filters) -> list[dict]:
    """Series metadata visible to ``scope`` (its subtree and ancestors)."""
    df = wh.series(**{k: v for k, v in filters.items() if v})
    df = df[[scope.reads_region(str(r)) if isinstance(r, str) and len(r) == 6 else scope.is_admin
             for r in df["region"]]] if not df.empty else df
    cols = ["series_id", "indicator", "measure", "region", "industry", "category", "frequency", "unit",
            "source", "original_name"]
    return [{c: (None if pd.isna(row[c]) else row[c]) for c in cols} for _, row in df.iterrows()]


def observations(wh, series_id: str, as_of=None) -> list[dict]:
    df = wh.read(series_id, as_of=as_of)
    return [{"period": r.period, "period_end": str(r.period_end)[:10], "value": _num(r.value),
             "flags": r.flags or "", "vintage": str(r.vintage)} for r in df.itertuples()]


def industry_values(wh, region: str, indicator: str, measure: str) -> list[dict]:
    """Latest value of each industry (divisions, sections, groupings) for a region, with its period."""
    df = industry_latest(wh, region, indicator, measure)
    if df.empty:
        return []
    cat = IndustryCatalog.load()
    rows = [{"industry": r.industry, "name": _industry_name(cat, r.industry), "period": r.period,
             "value": _num(r.value)} for r in df.itertuples()]
    return sorted(rows, key=lambda r: (-(r["value"] if r["value"] is not None else -1e9)))


def split_by_period(rows: list[dict]) -> tuple[str | None, list[dict], list[dict]]:
    """Industry rows cut to one period: the one most industries have (the latest on a tie), and the rows of
    industries whose latest figure is older (a 1-11月 value is not ranked among 1-12月 values)."""
    from collections import Counter

    if not rows:
        return None, [], []
    counts = Counter(r["period"] for r in rows)
    common = max(counts, key=lambda p: (counts[p], parse_period(p).sort_key()))
    return common, [r for r in rows if r["period"] == common], [r for r in rows if r["period"] != common]


def _industry_name(cat, code: str) -> str:
    try:
        return cat.name(code)
    except LookupError:  # a code the catalog does not list (e.g. an imported class): show the code
        return code
