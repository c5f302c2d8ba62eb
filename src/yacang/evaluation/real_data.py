"""The 31 provinces' inputs to the 稳增长 system from the public files (real data, never the demo).

Sources (see each folder's PROVENANCE.md):
- ``province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv``: 规上工业增加值 growth
  by province, 累计同比 for 25 provinces and only 当月同比 for 6 (北京, 天津, 河北, 辽宁, 江西, 青海).
  No loader of :mod:`yacang.ingest` reads this long province × month layout, so it is read here.
- ``province_gdp_annual/province_gdp_current_prices.csv``: 地区生产总值 (亿元, current prices), also
  read here (no ingest loader for it).
- The national 规上工业增加值 累计同比 comes from the warehouse (``yacang ingest`` of the national Wind
  series); it sets the 功效系数 thresholds (全国 ± 3 个百分点).

The six 当月 provinces have no published full-year 累计 growth in these data. With
``month_yoy="estimate"`` (default) their annual growth is approximated by the simple mean of the
year's 当月同比 values, each such cell carrying a note; with ``"gap"`` they are data gaps treated by the
system's gap policy. Either way the output says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from yacang.catalog.regions import mainland_provinces
from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.scoring import EvalInput
from yacang.measures.growth import two_year_average

PROVINCE_IVA = Path("province_industry_monthly_wind") / "province_iva_yoy_monthly_2015_2024.csv"
PROVINCE_GDP = Path("province_gdp_annual") / "province_gdp_current_prices.csv"
NATIONAL_IVA = Path("national_industry_monthly_wind") / "iva_monthly.csv"
SOURCE = ("省统计局发布、经 Wind 汇编的分省规模以上工业增加值增速；国家统计局分省地区生产总值（现价）；"
          "国家统计局全国规模以上工业增加值累计增速（经 Wind）")


# how the six 当月-only provinces were treated, as the run's source text says it (``--month-yoy``)
MONTH_YOY_WORDS = {"estimate": "6省为各月当月同比的简单平均", "gap": "6省仅有当月同比，按缺值处理"}


WIND_NATIONAL = "国家统计局（经Wind转载）"  # the publisher of NATIONAL_IVA, loaded when the warehouse lacks one


def source_text(year: int, month_yoy: str = "estimate", national_source: str = WIND_NATIONAL) -> str:
    """:data:`SOURCE` with the files and periods read, so an output says what it was built from;
    ``national_source``: the publisher of the warehouse's national series (:func:`national_source`)."""
    six = MONTH_YOY_WORDS["estimate" if month_yoy == "estimate" else "gap"]
    return (f"省统计局发布、经 Wind 汇编的分省规模以上工业增加值增速（{PROVINCE_IVA.name}：{year - 1}、{year}年1-12月累计同比，"
            f"{six}）；国家统计局分省地区生产总值（现价，{PROVINCE_GDP.name}：{year - 1}、{year}年）；"
            f"全国规模以上工业增加值{year}年1-12月累计增速（数据仓库，{national_source}）")

ESTIMATE_NOTE = "仅有当月同比：全年增速按各月当月同比简单平均估算（非官方累计数）"
MONTH_NEG_NOTE = "仅有当月同比：负增长月份按当月同比计"
IVA_COLUMNS = ("province", "year", "month", "value_pct", "measure")


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise EvaluationError(f"找不到数据文件 {path}：请用 --data 指定 shared/data 目录")
    try:
        df = pd.read_csv(path, dtype={"province_code": str}, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        why = "不是 UTF-8 编码的 CSV 文本" if isinstance(exc, UnicodeDecodeError) else f"无法按 CSV 读取（{exc}）"
        raise EvaluationError(f"{path.name}：{why}，请检查 --data 目录中的文件") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise EvaluationError(f"{path.name}：缺少列 {', '.join(missing)}")
    return df


def read_province_iva(data_dir: Path) -> pd.DataFrame:
    """The province panel with a province code column; rows with unknown names are an error."""
    path = Path(data_dir) / PROVINCE_IVA
    df = _read(path, IVA_COLUMNS)
    codes = {p.short_name: p.code for p in mainland_provinces()}
    df["code"] = df["province"].map(codes)
    unknown = df[df["code"].isna()]
    if not unknown.empty:
        row = int(unknown.index[0]) + 2
        raise EvaluationError(f"{path.name} 第 {row} 行：省份“{unknown.iloc[0]['province']}”无法识别（province 列）")
    bad = ~np.isfinite(pd.to_numeric(df["value_pct"], errors="coerce"))
    if bad.any():
        row = int(df.index[bad][0]) + 2
        raise EvaluationError(f"{path.name} 第 {row} 行：value_pct 不是数值，请修正")
    return df


def read_province_gdp(data_dir: Path) -> pd.DataFrame:
    return _read(Path(data_dir) / PROVINCE_GDP, ("year", "province_code", "gdp_100m_yuan"))


def _annual_growth(panel: pd.DataFrame, code: str, year: int, month_yoy: str) -> tuple[float, str]:
    rows = panel[(panel["code"] == code) & (panel["year"] == year)]
    ytd = rows[rows["measure"] == "ytd_yoy"]
    if not ytd.empty:
        dec = ytd[ytd["month"] == 12]["value_pct"]
        return (float(dec.iloc[0]), "") if not dec.empty else (np.nan, "")
    months = rows[rows["measure"] == "month_yoy"]["value_pct"]
    if months.empty or month_yoy == "gap":
        return np.nan, "该省仅有当月同比，无全年累计数（按缺值处理）" if not months.empty else ""
    return float(months.mean()), ESTIMATE_NOTE


def _negative_months(panel: pd.DataFrame, code: str, year: int, month_yoy: str) -> tuple[float, str]:
    rows = panel[(panel["code"] == code) & (panel["year"] == year)]
    ytd = rows[rows["measure"] == "ytd_yoy"]
    if not ytd.empty:
        return float((ytd["value_pct"] < 0).sum()), ""
    months = rows[rows["measure"] == "month_yoy"]
    if months.empty or month_yoy == "gap":
        return np.nan, ""
    return float((months["value_pct"] < 0).sum()), MONTH_NEG_NOTE


def province_input(year: int, data_dir: Path | str, *, national_iva: float | None,
                   month_yoy: str = "estimate", national_source: str = WIND_NATIONAL) -> EvalInput:
    """Values of the 稳增长 system's indicators for the 31 provinces in ``year``."""
    if month_yoy not in ("estimate", "gap"):
        raise EvaluationError("--month-yoy 只能是 estimate（以当月均值估算）或 gap（按缺值处理）")
    data_dir = Path(data_dir)
    panel = read_province_iva(data_dir)
    if year not in set(panel["year"]) or year - 1 not in set(panel["year"]):
        raise EvaluationError(f"分省工业增加值数据没有 {year} 年及上年（{year - 1}）的数据")
    have = {y: set(panel.loc[panel["year"] == y, "code"]) for y in (year - 1, year)}
    absent = [p.name for p in mainland_provinces() if any(p.code not in codes for codes in have.values())]
    if absent:  # a province missing from the file is a broken file, not a gap to fill with the median
        raise EvaluationError(f"{PROVINCE_IVA.name} 中没有 {'、'.join(absent[:6])}{'等' if len(absent) > 6 else ''}"
                              f" {len(absent)} 个省份 {year - 1}、{year} 年的数据：请检查 --data 目录中的文件")
    gdp = read_province_gdp(data_dir)
    lacking = [y for y in (year - 1, year) if y not in set(gdp["year"])]
    if lacking:
        raise EvaluationError(f"{PROVINCE_GDP.name} 没有 {'、'.join(map(str, lacking))} 年的分省地区生产总值"
                              f"（该文件有 {int(gdp['year'].min())}—{int(gdp['year'].max())} 年）："
                              "请补充该年数据，或换一个评价年度（--year）")
    gdp_now = gdp[gdp["year"] == year].set_index("province_code")["gdp_100m_yuan"]
    gdp_before = gdp[gdp["year"] == year - 1].set_index("province_code")["gdp_100m_yuan"]
    rows, notes = {}, {}
    for p in mainland_provinces():
        g, g_note = _annual_growth(panel, p.code, year, month_yoy)
        g0, g0_note = _annual_growth(panel, p.code, year - 1, month_yoy)
        neg, neg_note = _negative_months(panel, p.code, year, month_yoy)
        gdp_g = (gdp_now.get(p.code, np.nan) / gdp_before.get(p.code, np.nan) - 1) * 100
        rows[p.code] = {"iva_ytd": g, "iva_2y": two_year_average(g, g0) if np.isfinite(g + g0) else np.nan,
                        "gdp_growth": gdp_g, "iva_change": g - g0, "neg_months": neg}
        note2 = g_note or g0_note
        notes[p.code] = {"iva_ytd": g_note, "iva_2y": note2, "gdp_growth": "名义增速（现价）",
                         "iva_change": note2, "neg_months": neg_note}
    values = pd.DataFrame.from_dict(rows, orient="index")
    national = {"iva_ytd": national_iva} if national_iva is not None else {}
    return EvalInput(values=values, names={p.code: p.name for p in mainland_provinces()}, period=str(year),
                     level="province", source=source_text(year, month_yoy, national_source), notes=pd.DataFrame.from_dict(notes, orient="index"),
                     national=national)


def _real_national_series(wh) -> str | None:
    """The best 全国规上工业增加值 累计同比 series that is not the demo's (never a demo threshold for real data)."""
    from yacang.warehouse.series_choice import preference_order

    df = wh.series(indicator="iva", measure="ytd_yoy", region="100000", industry="TOTAL", category="")
    df = df[df["source"] != "demo"]
    return None if df.empty else str(preference_order(df).iloc[0]["series_id"])


def national_source(wh) -> str:
    """Who published the national series the run reads (国家统计局, or 国家统计局（经Wind转载）)."""
    from yacang.warehouse.provenance import provenance

    sid = _real_national_series(wh)
    return provenance(wh, series_ids=[sid]).words() if sid else WIND_NATIONAL


def national_iva_ytd(wh, year: int) -> float | None:
    """全国规上工业增加值 全年累计同比 of ``year`` from the warehouse (real series only), or None if not loaded."""
    sid = _real_national_series(wh)
    if sid is None:
        return None
    values = wh.values(sid)
    v = values.get(f"{year}-12")
    return None if v is None or pd.isna(v) else float(v)


def ensure_national(wh, data_dir: Path | str) -> str:
    """Load the national Wind series through ``yacang ingest``'s loader if the warehouse lacks them.

    A demo warehouse is refused: its national series would set the real provinces' thresholds, and a real
    run stored beside the demo mixes the two (README: real data in a separate ``YACANG_HOME``)."""
    from yacang.warehouse.provenance import has_demo_data

    if has_demo_data(wh):
        raise EvaluationError("数据仓库中是示例数据（yacang demo）：用真实数据评价各省时不与示例数据混在同一个数据仓库中。"
                              "请换一个数据目录再运行，例如 export YACANG_HOME=$HOME/yacang-real")
    if (sid := _real_national_series(wh)) is not None:
        return f"全国规上工业增加值累计增速取自数据仓库：{sid}（{national_source(wh)}）"
    from yacang.warehouse.load import load_file

    path = Path(data_dir) / NATIONAL_IVA
    if not path.is_file():
        raise EvaluationError(f"仓库中没有全国规上工业增加值累计增速，且找不到 {path}：请先 yacang ingest 全国数据")
    res = load_file(wh, path)
    return f"已导入 {path.name}（新增 {res.n_new} 条观测）"
