"""Import the larger code lists users hold: GB/T 2260 prefectures and counties, GB/T 4754-2017 classes.

Accepted layouts: a CSV with a code column (``code`` or ``行政区划代码``/``代码``) and a name column
(``name`` or ``单位名称``/``名称``/``类别名称``), optionally ``year``; or 民政部's plain list, one ``代码 名称``
per line. Imports go to ``YACANG_HOME/catalog/*.parquet`` and replace the previous import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from yacang.catalog.industries import SECTIONS
from yacang.catalog.regions import ancestors_of, level_of
from yacang.text_decoding import DecodeFailure, read_text

_CODE_COLS = ("code", "行政区划代码", "代码", "区划代码")
_NAME_COLS = ("name", "单位名称", "名称", "类别名称", "行业名称")


class CatalogImportError(ValueError):
    """A code list that cannot be imported; the message names file, row and what to do."""


@dataclass(frozen=True)
class ImportSummary:
    path: Path
    rows: int
    by_level: dict[str, int]
    year: int | None


def read_code_list(path: Path) -> pd.DataFrame:
    """Read a code list as strings with columns code, name (and year when present), row numbers kept."""
    text = _read_text(path)
    first = text.splitlines()[0] if text else ""
    if "," in first:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        code_col = next((c for c in _CODE_COLS if c in df.columns), None)
        name_col = next((c for c in _NAME_COLS if c in df.columns), None)
        if code_col is None or name_col is None:
            raise CatalogImportError(
                f"{path}：第1行表头缺少代码列或名称列（需要 {'/'.join(_CODE_COLS)} 与 {'/'.join(_NAME_COLS)}），实际为 {list(df.columns)}"
            )
        out = pd.DataFrame({"code": df[code_col].str.strip(), "name": df[name_col].str.strip()})
        for extra in ("year", "level"):
            if extra in df.columns:
                out[extra] = df[extra].str.strip()
        out["row"] = range(2, len(df) + 2)
        return out
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        parts = line.strip().split(maxsplit=1)
        if not parts:
            continue
        if len(parts) != 2:
            raise CatalogImportError(f"{path}：第{i}行应为“代码 名称”，实际为“{line.strip()}”")
        rows.append((parts[0], parts[1].strip(), i))
    return pd.DataFrame(rows, columns=["code", "name", "row"])


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise CatalogImportError(f"找不到文件：{path}")
    try:
        return read_text(path)[0]
    except DecodeFailure as f:
        raise CatalogImportError(f"{path}：第{f.line}行 {f.reason}") from None


def parse_regions(path: Path, year: int | None = None) -> tuple[pd.DataFrame, int | None]:
    """Regions below province level with their parents; one year of a multi-year list."""
    df = read_code_list(path)
    if "year" in df.columns:
        years = sorted({int(y) for y in df["year"] if y})
        chosen = year if year is not None else years[-1]
        if chosen not in years:
            raise CatalogImportError(f"{path}：没有 {chosen} 年的代码（文件中有 {years[0]}–{years[-1]} 年）")
        df = df[df["year"] == str(chosen)]
    else:
        chosen = year
    _check_codes(df, path, r"\d{6}", "行政区划代码应为6位数字", "代码")
    codes = set(df["code"])
    df = df.assign(level=[level_of(c) for c in df["code"]])
    below = df[df["level"].isin(["prefecture", "county"])]
    if below.empty:
        raise CatalogImportError(
            f"{path}：没有地级或县级代码（{len(df)} 个代码都是省级）。省级地区系统已自带，无需导入；"
            "请导入含地市、区县的 GB/T 2260 代码表。原有导入未改动")
    df = below.assign(parent=[_region_parent(c, codes) for c in below["code"]])
    return df[["code", "name", "level", "parent"]].reset_index(drop=True), chosen


def _check_codes(df: pd.DataFrame, path: Path, pattern: str, rule: str, what: str) -> None:
    """Stop at the first code not matching ``pattern`` (its row and ``rule``), then at the first code listed
    twice (all its rows)."""
    bad = df[~df["code"].str.fullmatch(pattern)]
    if not bad.empty:
        r = bad.iloc[0]
        raise CatalogImportError(f"{path}：第{r['row']}行，列“代码”，值“{r['code']}”：{rule}，请修正后重新导入")
    dup = df[df.duplicated("code", keep=False)]
    if not dup.empty:
        code = dup.iloc[0]["code"]
        rows = "、".join(str(r) for r in dup.loc[dup["code"] == code, "row"])
        raise CatalogImportError(f"{path}：{what} {code} 重复出现在第 {rows} 行，请删去重复行")


def _region_parent(code: str, codes: set[str]) -> str:
    """The listed prefecture above a county, else the province (a 直辖市's counties have no prefecture)."""
    return next(c for c in ancestors_of(code) if c in codes or level_of(c) != "prefecture")


def parse_industries(path: Path) -> pd.DataFrame:
    """GB/T 4754-2017 groups (3 digits) and classes (4 digits) with parents; sections and divisions too."""
    df = read_code_list(path)
    df = df[df["code"] != ""]
    _check_codes(df, path, r"[A-T]|\d{2,4}", "行业代码应为门类字母或2–4位数字", "行业代码")
    level = {1: "section", 2: "division", 3: "group", 4: "class"}
    sections = _section_ranges(df)
    out = df.assign(
        level=[("section" if c.isalpha() else level[len(c)]) for c in df["code"]],
        parent=[_industry_parent(c, sections) for c in df["code"]],
    )
    return out[["code", "name", "level", "parent"]].reset_index(drop=True)


def _section_ranges(df: pd.DataFrame) -> dict[str, str]:
    """Division → section, from the file's own order (divisions follow their section's row)."""
    out: dict[str, str] = {}
    current = ""
    for code in df["code"]:
        if code.isalpha():
            current = code
        elif len(code) == 2:
            out[code] = current
    return out


def _industry_parent(code: str, sections: dict[str, str]) -> str | None:
    if code.isalpha():
        return "TOTAL" if code in SECTIONS else None
    if len(code) == 2:
        return sections.get(code) or None
    return code[: len(code) - 1]


def import_regions(path: Path, year: int | None = None, home: Path | None = None) -> ImportSummary:
    df, chosen = parse_regions(path, year)
    _write(df, "regions", home)
    return ImportSummary(path, len(df), df["level"].value_counts().to_dict(), chosen)


def import_industries(path: Path, home: Path | None = None) -> ImportSummary:
    df = parse_industries(path)
    _write(df, "industries", home)
    return ImportSummary(path, len(df), df["level"].value_counts().to_dict(), None)


def _write(df: pd.DataFrame, name: str, home: Path | None) -> None:
    from yacang.settings import get_settings

    folder = (home or get_settings().ensure_home()) / "catalog"
    folder.mkdir(parents=True, exist_ok=True)
    df.to_parquet(folder / f"{name}.parquet", index=False)
