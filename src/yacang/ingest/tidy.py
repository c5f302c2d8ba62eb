"""Tidy long CSV: ``date, series_id, value[, flag]`` plus a series catalog CSV beside it.

The catalog (``<stem>_catalog.csv``, else ``series_catalog.csv``, else the only ``*_catalog.csv`` in the
folder, or given explicitly) describes each id: a vendor name (``wind_indicator``, ``indicator`` or
``name``), ``unit``, ``frequency``, ``vendor``. Vendor names go through the same mapper as the
workbooks (:mod:`yacang.ingest.names`), so a Wind CSV and the Wind workbook give the same series ids.
A catalog keyed by ``code`` (World Bank) hashes the publisher's code for raw ids.

Validation is vectorised (pandas/pyarrow): unknown ids, unreadable dates, non-numbers and duplicate
(series, period) keys become located :class:`RowError`s (line numbers as in a text editor). Zeros are
taken at face value (tidy files mark gaps by leaving rows out). The January/February rules of the Wind
loader apply to monthly 当月/累计 series of the merged indicators.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from yacang.catalog.series_ids import raw_series_id
from yacang.ingest.batch import (
    SKIP_JANUARY_CURRENT,
    SKIP_JANUARY_YTD,
    SKIP_NON_QUARTER_END,
    Batch,
    RowError,
    skip_notes,
)
from yacang.ingest.encoding import read_text
from yacang.ingest.errors import IngestError
from yacang.ingest.grid import check_row_widths
from yacang.ingest.names import JAN_FEB_MERGED, series_id_for
from yacang.ingest.numbers import parse_numbers
from yacang.ingest.validate import make_batch, merge_identical, series_row, unit_problem
from yacang.periods import JAN_FEB_MERGED_SINCE, PeriodError, parse_period

FORMAT = "tidy"
NAME_COLUMNS = ("wind_indicator", "indicator", "name", "original_name")
VENDORS = {"wind": "wind", "同花顺ifind": "ifind", "ifind": "ifind", "同花顺": "ifind", "mysteel": "mysteel",
           "world bank": "worldbank", "worldbank": "worldbank", "investing": "investing"}
FREQ = {"D": "D", "W": "W", "10D": "10D", "M": "M", "Q": "Q", "Y": "Y", "A": "Y"}


def find_catalog(path: Path) -> Path | None:
    """The catalog CSV that describes ``path``'s series ids, by the naming rules in the module doc."""
    folder = path.parent
    for candidate in (folder / f"{path.stem}_catalog.csv", folder / "series_catalog.csv"):
        if candidate.exists() and candidate != path:
            return candidate
    others = sorted(p for p in folder.glob("*_catalog.csv") if p != path)
    return others[0] if len(others) == 1 else None


def looks_like_tidy(header: list[str]) -> bool:
    cols = {c.strip().lower() for c in header}
    return "date" in cols and "value" in cols and bool(cols & {"series_id", "code"})


def parse_tidy(path: Path | str, *, catalog: Path | str | None = None, source: str | None = None,
               encoding: str = "auto") -> Batch:
    """Parse a tidy CSV and its catalog into a Batch (pure)."""
    path = Path(path)
    cat_path = Path(catalog) if catalog else find_catalog(path)
    if cat_path is None:
        raise IngestError(f"{path.name}：找不到序列目录（同目录下的 series_catalog.csv 或 *_catalog.csv），"
                          "请用 --catalog 指定")
    data = _read_observations(path, encoding)
    id_col = "series_id" if "series_id" in data.columns else "code"
    for col in ("date", id_col, "value"):
        if col not in data.columns:
            raise IngestError(f"{path.name}：缺少列“{col}”（应有 date, series_id, value[, flag]）")
    cat = _read_csv(cat_path, encoding)
    errors: list[RowError] = []
    series, ids, info = _catalog(cat, cat_path.name, id_col, source, path, errors)
    notes = [f"序列目录 {cat_path.name}（{len(series)} 个序列）"]
    skipped: dict[str, int] = {}
    obs = _observations(data, id_col, ids, info, path.name, errors, notes, skipped)
    notes.extend(skip_notes(skipped))
    used = set(obs["series_id"])
    series = [s for s in series if s["series_id"] in used]
    mapped = [s["original_name"] for s in series if s["indicator"] != "raw"]
    unmapped = [s["original_name"] for s in series if s["indicator"] == "raw"]
    batch = make_batch(path, FORMAT, series, obs, errors, mapped=mapped, unmapped=unmapped, notes=notes,
                       period_column="date")
    batch.skipped = sum(skipped.values())
    return batch


def _read_csv(path: Path, encoding: str) -> pd.DataFrame:
    text, enc = read_text(path, encoding)
    check_row_widths(text, path.name)
    if enc.startswith("utf-8"):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow", encoding="utf-8-sig")
    else:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df.columns = [c.strip().lstrip("\ufeff") for c in df.columns]
    return df


def _read_observations(path: Path, encoding: str) -> pd.DataFrame:
    """The observation file; optimistic typed read (value as float, labels dictionary-encoded).

    Falls back to reading every column as text when the value column holds non-numbers or the file is
    not UTF-8, so that each bad cell is reported with its line.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text, enc = read_text(path, encoding)  # validates the encoding (located error)
    check_row_widths(text, path.name)
    if not enc.startswith("utf-8"):
        return _read_csv(path, encoding)
    header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or None])), [])
    try:
        types = {c: (pa.float64() if c.strip() == "value" else pa.dictionary(pa.int32(), pa.string())) for c in header}
        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types=types, strings_can_be_null=False, null_values=[""]))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return _read_csv(path, encoding)
    import pyarrow.compute as pc

    for name in (c for c in table.column_names if c.strip() == "value"):
        if pc.any(pc.invert(pc.is_finite(table[name]))).as_py():  # "inf"/"nan" text: report it as written
            return _read_csv(path, encoding)
    df = table.to_pandas()
    df.columns = [c.strip().lstrip("\ufeff") for c in df.columns]
    return df


def _catalog(cat: pd.DataFrame, name: str, id_col: str, source: str | None, path: Path,
             errors: list[RowError]) -> tuple[list[dict[str, str]], dict[str, str], pd.DataFrame]:
    """Series rows, ``local id -> series id``, and per local id: indicator, measure, variant, jan_feb, freq."""
    if id_col not in cat.columns:
        raise IngestError(f"{name}：序列目录缺少列“{id_col}”")
    name_col = next((c for c in NAME_COLUMNS if c in cat.columns), None)
    series, ids, info, seen = [], {}, [], {}
    for i, row in enumerate(cat.to_dict("records"), start=2):
        local = row[id_col].strip()
        original = (row.get(name_col) or local).strip() if name_col else local
        src = _source(row, name_col, source, path)
        seen[(src, original)] = seen.get((src, original), 0) + 1
        if id_col == "code":
            sid, mapping = raw_series_id(src, local), None
        else:
            sid, mapping = series_id_for(original, src, seen[(src, original)])
        freq = FREQ.get(row.get("frequency", "").strip().upper(), "") or _freq_of(row)
        unit = row.get("unit", "").replace("(unit guessed)", "").strip()
        if mapping and (problem := unit_problem(mapping.measure, unit)):
            errors.append(RowError(name, i, "unit", unit, problem))
        if mapping and mapping.measure == "qtr_yoy":
            freq = "Q"
        series.append(series_row(sid, mapping, original, source=src, unit=unit, frequency=freq))
        ids[local] = sid
        info.append((local, mapping.indicator if mapping else "raw", mapping.measure if mapping else "",
                     mapping.variant if mapping else "", mapping.jan_feb if mapping else "", freq))
    frame = pd.DataFrame(info, columns=["local", "indicator", "measure", "variant", "jan_feb", "freq"])
    return series, ids, frame.drop_duplicates("local").set_index("local")


def _source(row: dict[str, str], name_col: str | None, source: str | None, path: Path) -> str:
    if source:
        return source
    vendor = row.get("vendor", "").strip().lower()
    if vendor:
        return VENDORS.get(vendor, vendor)
    if name_col == "wind_indicator":
        return "wind"
    folder = path.parent.name.lower()
    return "worldbank" if "world_bank" in folder or "worldbank" in folder else "user"


def _freq_of(row: dict[str, str]) -> str:
    first = row.get("first", "")
    return "D" if len(first) == 10 else "M"


def _observations(data: pd.DataFrame, id_col: str, ids: dict[str, str], info: pd.DataFrame, file: str,
                  errors: list[RowError], notes: list[str], skipped: dict[str, int]) -> pd.DataFrame:
    line = np.arange(len(data), dtype="int64") + 2
    local = _categorical(data[id_col])
    sid = local.map(lambda x: ids.get(x.strip()), na_action="ignore")
    unknown = pd.isna(np.asarray(sid, dtype=object))
    for k in np.flatnonzero(unknown)[:1000]:
        errors.append(RowError(file, int(line[k]), id_col, str(local[k]), "序列编号不在序列目录中，请先在目录中登记"))
    values, bad = parse_numbers(data["value"])
    for k in np.flatnonzero(bad & ~unknown):
        errors.append(RowError(file, int(line[k]), "value", str(data["value"].iat[k]),
                               "不是数字（缺失请留空或写“—”），请更正"))
    period, kind = _periods(_categorical(data["date"]), line, unknown, file, errors)
    flags = _provider_flags(data, notes) if "flag" in data.columns else ""
    obs = pd.DataFrame({"series_id": sid, "local": local.map(str.strip).astype("category"), "period": period, "value": values,
                        "kind": kind, "flags": flags, "source_row": line})
    keep = ~unknown & ~bad & ~pd.isna(np.asarray(period, dtype=object))
    obs = _apply_frequency(obs[keep].reset_index(drop=True), info, skipped)
    obs["source_col"] = obs["local"].cat.rename_categories(lambda c: f"value[{c}]")
    obs, n = merge_identical(obs.drop(columns="local"))
    if n:
        notes.append(f"{n} 个数值在映射到同一序列的另一编号中重复出现且相同，已合并")
    return obs


# Flags the Wind CSVs' curator wrote in English. They restate rules this loader applies itself (January
# and February since 2013: the split estimates get the Chinese 1-2月拆分,Wind估计 flag, January values of
# merged 当月/累计 series are left out), so they are not stored: stored, they showed officials English
# codes and differed from the same series read from the Wind workbook, so every reload of the two files
# stored each other's flags again.
PROVIDER_FLAGS = {
    "wind_estimate_jan_feb_split_not_official": "Wind估计的1-2月拆分值（非官方）",
    "january_value_not_published_by_nbs_check": "2013年起的1月值（国家统计局不单独发布）",
}


def _provider_flags(data: pd.DataFrame, notes: list[str]) -> pd.Series:
    """The flag column with the curator's known codes removed (each counted in a note), others kept."""
    flags = data["flag"].fillna("").astype(str).str.strip()
    for code, meaning in PROVIDER_FLAGS.items():
        n = int((flags == code).sum())
        if n:
            notes.append(f"flag 列“{code}”（{meaning}）{n} 处：按本系统的1-2月规则处理，不另存标记")
    return flags.mask(flags.isin(PROVIDER_FLAGS), "")


def _categorical(column: pd.Series) -> pd.Categorical:
    return column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")


def _periods(dates: pd.Series, line: np.ndarray, unknown: np.ndarray, file: str,
             errors: list[RowError]) -> tuple[pd.Series, pd.Series]:
    """Period code and kind for each date label (parsed once per distinct label)."""
    codes, kinds = {}, {}
    for label in dates.cat.categories:
        try:
            p = parse_period(label)
            codes[label], kinds[label] = p.code, p.kind
        except PeriodError:
            codes[label], kinds[label] = None, None
    period = dates.map(codes, na_action="ignore")
    for k in np.flatnonzero(pd.isna(np.asarray(period, dtype=object)) & ~unknown)[:1000]:
        errors.append(RowError(file, int(line[k]), "date", str(dates.iat[k]),
                               "无法识别的时期（应为 2022-03、2022-03-15、2022Q1 或 2022年3月 等），请更正"))
    return period, dates.map(kinds, na_action="ignore")


def _apply_frequency(obs: pd.DataFrame, info: pd.DataFrame, skipped: dict[str, int]) -> pd.DataFrame:
    """Quarterly series to quarters; January/February rules for merged indicators' monthly series.
    Values left out by these rules are counted in ``skipped`` by reason (the Wind loader's rules)."""
    wanted = info.index[(info["freq"] == "Q") | info["indicator"].isin(JAN_FEB_MERGED)]
    special = (obs["kind"] == "month").to_numpy(dtype=bool) & obs["local"].isin(wanted).to_numpy()
    if not special.any():
        return obs.drop(columns="kind")
    meta = info.reindex(np.asarray(obs["local"], dtype=object))
    period = np.asarray(obs["period"], dtype=object).copy()
    year = np.array([int(p[:4]) if m else 0 for p, m in zip(period, special, strict=True)])
    mon = np.array([int(p[5:7]) if m else 0 for p, m in zip(period, special, strict=True)])
    measure = meta["measure"].fillna("").to_numpy().astype(str)
    drop = np.zeros(len(obs), dtype=bool)
    quarterly = special & (meta["freq"].to_numpy() == "Q")
    drop |= quarterly & (mon % 3 != 0)
    skipped[SKIP_NON_QUARTER_END] = int(drop.sum())
    q = quarterly & ~drop
    period[q] = [f"{y}Q{m // 3}" for y, m in zip(year[q], mon[q], strict=True)]
    merged = special & meta["indicator"].isin(JAN_FEB_MERGED).to_numpy() & (mon <= 2)
    jan = pd.Series(np.asarray(obs["local"], dtype=object) + "|" + year.astype(str))
    has_jan = jan.isin(set(jan[merged & (mon == 1) & (obs["value"].to_numpy() != 0)])).to_numpy()
    tagged = (meta["jan_feb"].to_numpy() == "1-2月合并") & ~has_jan
    recent = merged & ((year >= JAN_FEB_MERGED_SINCE) | tagged)
    current = np.isin(measure, ["yoy", "value"])
    split = meta["variant"].to_numpy() == "split"
    flags = np.asarray(obs["flags"], dtype=object).copy()
    january = recent & (mon == 1)
    skipped[SKIP_JANUARY_CURRENT] = int((january & current & ~split).sum())
    skipped[SKIP_JANUARY_YTD] = int((january & np.char.startswith(measure, "ytd")).sum())
    drop |= january & ((current & ~split) | np.char.startswith(measure, "ytd"))
    feb = recent & (mon == 2) & current & ~split
    period[feb] = [f"{y}-01/02" for y in year[feb]]
    flags[feb] = [_join("1-2月合并", f) for f in flags[feb]]
    flags[recent & split & current] = [_join("1-2月拆分,Wind估计", f) for f in flags[recent & split & current]]
    out = obs.assign(period=period, flags=flags)
    return out[~drop].drop(columns="kind")


def _join(ours: str, theirs: object) -> str:
    theirs = "" if theirs is None or (isinstance(theirs, float) and np.isnan(theirs)) else str(theirs)
    return f"{ours},{theirs}" if theirs else ours
