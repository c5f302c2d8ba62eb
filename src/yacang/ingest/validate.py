"""Checks and builders every loader shares: duplicate keys, units, series rows, the final Batch."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yacang.catalog.indicators import INDICATORS, MEASURES
from yacang.ingest.batch import OBSERVATION_COLUMNS, SERIES_COLUMNS, Batch, RowError, file_sha256
from yacang.ingest.names import JAN_FEB_MERGED, Mapping
from yacang.validation import Invalid, check_period

RATE_MEASURES = frozenset(code for code, m in MEASURES.items() if m.is_rate)
VOLUME_INDICATORS = frozenset({"iva"})  # real volumes: growth of −100% or less means nothing was produced
INDEX_MEASURES = frozenset({"index", "index_yoy", "index_ytd"})  # 上年同期=100 etc.: always positive


def duplicate_errors(obs: pd.DataFrame, file: str) -> list[RowError]:
    """One error per repeated (series, period): names the first and the repeated cell."""
    dup = obs.duplicated(["series_id", "period"], keep=False)
    if not dup.any():
        return []
    errors: list[RowError] = []
    for (sid, period), grp in obs[dup].groupby(["series_id", "period"], sort=False):
        if grp["value"].isna().all():
            continue  # two empty cells say nothing
        first = grp.iloc[0]
        for _, again in grp.iloc[1:].iterrows():
            errors.append(RowError(
                file, int(again["source_row"]), str(again["source_col"]), _fmt(again["value"]),
                f"重复数据：序列 {sid} 时期 {period} 已在第{int(first['source_row'])}行"
                f"“{first['source_col']}”列出现（值 {_fmt(first['value'])}），同一文件中每个序列每期只能有一个值，"
                "请删除重复的一行/列",
            ))
    return errors


def merge_identical(obs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop values that another column/id mapped to the same series repeats exactly.

    Wind exports carry ``…:当月同比`` next to ``…:当月同比(1-2月合并)`` (the same figures plus the 1-2月
    value); both map to one series. Identical repeats from a *different* column are merged; a repeat
    from the same column, or a different value, stays and becomes a duplicate-key error.
    """
    if obs.empty or not obs.duplicated(["series_id", "period"]).any():
        return obs, 0
    key = ["series_id", "period", "value"]
    first_col = obs.groupby(key, sort=False, dropna=False)["source_col"].transform("first")
    same = obs.duplicated(key) & (obs["source_col"] != first_col)
    return obs[~same], int(same.sum())


def unit_problem(measure: str, unit: str) -> str | None:
    """Why ``unit`` cannot be the unit of ``measure`` (a growth rate must be in %), else None."""
    u = (unit or "").strip()
    if measure in RATE_MEASURES and u and "%" not in u and "％" not in u and "百分" not in u:
        return f"单位“{u}”与口径“{MEASURES[measure].name}”不符（增速的单位应为 %），请核对表头的单位行"
    return None


def default_unit(mapping: Mapping | None, unit: str) -> str:
    """The file's unit, else % for rates, else the indicator's level unit."""
    if unit:
        return unit
    if mapping is None:
        return ""
    if mapping.measure in RATE_MEASURES:
        return "%"
    if mapping.measure in ("index", "index_yoy", "index_ytd"):
        return "指数"
    return INDICATORS[mapping.indicator].unit


def series_row(sid: str, mapping: Mapping | None, name: str, *, source: str, unit: str = "",
               frequency: str = "M", jan_feb: str = "") -> dict[str, str]:
    """One row of the batch's series table."""
    m = mapping
    return {
        "series_id": sid,
        "indicator": m.indicator if m else "raw",
        "measure": m.measure if m else "",
        "region": m.region if m else "",
        "industry": m.industry if m else "",
        "category": m.category if m else "",
        "frequency": frequency,
        "unit": default_unit(m, unit),
        "source": source,
        "original_name": str(name).strip(),
        "jan_feb": jan_feb or _jan_feb(m, frequency),
    }


def _jan_feb(m: Mapping | None, frequency: str) -> str:
    """How a monthly 当月 series of a merged indicator treats January/February."""
    if m is None or frequency != "M" or m.indicator not in JAN_FEB_MERGED or m.measure not in ("yoy", "value"):
        return ""
    return "1-2月拆分" if m.variant.startswith("split") else "1-2月合并"


def make_batch(path: Path, fmt: str, series: list[dict[str, str]], obs: pd.DataFrame,
               errors: list[RowError], *, mapped: list[str], unmapped: list[str],
               notes: list[str], period_column: str | None = None) -> Batch:
    """Assemble a Batch; adds duplicate-key, future-period and impossible-value errors, drops rows
    without a value. ``period_column``: the column holding dates in a long file (wide files have the
    period in the value's column header)."""
    obs = obs[OBSERVATION_COLUMNS].reset_index(drop=True)
    errors = errors + duplicate_errors(obs, path.name)
    obs = obs[obs["value"].notna()].reset_index(drop=True)
    sdf = pd.DataFrame(series, columns=SERIES_COLUMNS).drop_duplicates("series_id").astype("string")
    errors += future_errors(obs, path.name, period_column) + impossible_value_errors(obs, sdf, path.name)
    obs = obs.astype({"series_id": "string", "period": "string", "flags": "string", "source_col": "string",
                      "value": "float64", "source_row": "int64"})
    return Batch(str(path), fmt, file_sha256(path), sdf, obs, errors,
                 mapped=sorted(set(mapped)), unmapped=sorted(set(unmapped)), notes=notes)


def future_errors(obs: pd.DataFrame, file: str, period_column: str | None = None) -> list[RowError]:
    """Rows of a period that has not begun yet (no bureau has published it): one error per row."""
    reasons = {}
    for code in obs["period"].dropna().unique():
        try:
            check_period(str(code), label="时期")
        except Invalid as exc:
            reasons[code] = f"{exc}；请核对日期（年份、月份）"
    return [RowError(file, int(r.source_row), period_column or str(r.source_col or ""), str(r.period),
                     reasons[r.period]) for r in obs[obs["period"].isin(list(reasons))].itertuples(index=False)]


def impossible_value_errors(obs: pd.DataFrame, series: pd.DataFrame, file: str) -> list[RowError]:
    """Growth of a real volume (工业增加值) of −100% or less, and indices (上年=100) at or below 0."""
    meta = series.set_index("series_id")
    indicator = obs["series_id"].map(meta["indicator"])
    measure = obs["series_id"].map(meta["measure"])
    growth = indicator.isin(VOLUME_INDICATORS) & measure.isin(RATE_MEASURES) & (obs["value"] <= -100)
    index = measure.isin(INDEX_MEASURES) & (obs["value"] <= 0)
    out = [RowError(file, int(r.source_row), str(r.source_col or ""), _fmt(r.value),
                    "增长率不可能为 -100% 或更低（那意味着产量为零或为负），请核对数值和单位（应为百分比增速）")
           for r in obs[growth].itertuples(index=False)]
    out += [RowError(file, int(r.source_row), str(r.source_col or ""), _fmt(r.value),
                     "指数（上年同期=100）必须大于0，请核对数值（增速请换算为指数，或用增速列）")
            for r in obs[index].itertuples(index=False)]
    return out


def _fmt(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else f"{v:g}" if isinstance(v, float) else str(v)
