"""The 31 provinces' inputs to the 稳增长 system from the warehouse's real series (never the demo).

What is read (``yacang ingest`` puts it there; :func:`ensure_provinces` loads the public files of
``--data`` when the warehouse lacks them, see each folder's PROVENANCE.md):
- 规上工业增加值 growth by province: each province's 累计同比 series, or its 当月同比 where it publishes
  only that (the public panel ``province_iva_yoy_monthly_2015_2024.csv`` has 累计 for 25 provinces and only
  当月 for 北京, 天津, 河北, 辽宁, 江西, 青海);
- 地区生产总值 by province (亿元, current prices; the public file is NBS's portal export
  ``AnnualbyProvince.xls``);
- the national 规上工业增加值 累计同比, which sets the 功效系数 thresholds (全国 ± 3 个百分点).

A province with only 当月同比 in a year has no published full-year 累计 growth. With
``month_yoy="estimate"`` (default) its annual growth is approximated by the simple mean of the year's
当月同比 values, each such cell carrying a note; with ``"gap"`` it is a data gap treated by the system's
gap policy. Either way the output says so. Any file the ingest reads will do (a newer province table,
the Chinese portal's 分省年度数据 export): the evaluation reads the warehouse, not file names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from yacang.catalog.regions import mainland_provinces
from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.scoring import EvalInput
from yacang.measures.growth import two_year_average
from yacang.periods import parse_period

PROVINCE_IVA = Path("province_industry_monthly_wind") / "province_iva_yoy_monthly_2015_2024.csv"
PROVINCE_GDP = Path("province_gdp_annual") / "original" / "AnnualbyProvince.xls"
NATIONAL_IVA = Path("national_industry_monthly_wind") / "iva_monthly.csv"
MONTH_YOY_TREATMENT = {"estimate": "为各月当月同比的简单平均", "gap": "仅有当月同比，按缺值处理"}
WIND_NATIONAL = "国家统计局（经Wind转载）"  # the publisher of NATIONAL_IVA, loaded when the warehouse lacks one
ESTIMATE_NOTE = "仅有当月同比：全年增速按各月当月同比简单平均估算（非官方累计数）"
MONTH_NEG_NOTE = "仅有当月同比：负增长月份按当月同比计"
PANEL_MEASURES = {"ytd_yoy": "ytd_yoy", "yoy": "month_yoy"}  # warehouse measure -> the panel's word


def month_yoy_words(month_yoy: str, n: int) -> str:
    """How the ``n`` 当月-only provinces were treated, as a run's source text says it (``--month-yoy``)."""
    return f"{n}省{MONTH_YOY_TREATMENT['estimate' if month_yoy == 'estimate' else 'gap']}"


@dataclass(frozen=True)
class ProvinceData:
    """The province series a real-data run reads, from one warehouse."""

    panel: pd.DataFrame  # code, year, month, value_pct, measure (ytd_yoy | month_yoy)
    gdp: pd.DataFrame  # year, province_code, gdp_100m_yuan
    iva_source: str  # who published them (provenance words): 省统计局（经Wind转载） …
    gdp_source: str

    def month_only(self, year: int) -> list[str]:
        """Codes of the provinces with 当月同比 but no 累计同比 in ``year``."""
        rows = self.panel[self.panel["year"] == year]
        ytd = set(rows.loc[rows["measure"] == "ytd_yoy", "code"])
        return sorted(set(rows.loc[rows["measure"] == "month_yoy", "code"]) - ytd)


def source_text(year: int, data: ProvinceData, month_yoy: str = "estimate",
                national_source: str = WIND_NATIONAL) -> str:
    """What a run was built from: the warehouse's series, their publishers and the periods read."""
    n = len(data.month_only(year))
    six = f"，{month_yoy_words(month_yoy, n)}" if n else ""
    return (f"分省规模以上工业增加值增速（数据仓库，{data.iva_source}：{year - 1}、{year}年1-12月累计同比{six}）；"
            f"分省地区生产总值（现价，数据仓库，{data.gdp_source}：{year - 1}、{year}年）；"
            f"全国规模以上工业增加值{year}年1-12月累计增速（数据仓库，{national_source}）")


def province_data(wh) -> ProvinceData:
    """The 31 provinces' growth series and GDP levels in ``wh`` (best real series of each, demo left out)."""
    from yacang.warehouse.provenance import provenance

    codes = {p.code for p in mainland_provinces()}
    iva = _province_series(wh, "iva", tuple(PANEL_MEASURES), codes)
    gdp = _province_series(wh, "gdp", ("value",), codes, frequency="Y")
    rows = []
    for sid, region, measure in iva[["series_id", "region", "measure"]].itertuples(index=False):
        for code, v in wh.values(sid).dropna().items():
            p = parse_period(str(code))
            rows.append((region, p.year, p.end, float(v), PANEL_MEASURES[measure]))
    panel = pd.DataFrame(rows, columns=["code", "year", "month", "value_pct", "measure"])
    levels = [(int(parse_period(str(code)).year), region, float(v))
              for sid, region in gdp[["series_id", "region"]].itertuples(index=False)
              for code, v in wh.values(sid).dropna().items()]
    words = {k: provenance(wh, series_ids=list(f["series_id"])).words() for k, f in (("iva", iva), ("gdp", gdp))}
    return ProvinceData(panel, pd.DataFrame(levels, columns=["year", "province_code", "gdp_100m_yuan"]),
                        words["iva"], words["gdp"])


def _province_series(wh, indicator: str, measures: tuple[str, ...], codes: set[str],
                     frequency: str | None = None) -> pd.DataFrame:
    from yacang.warehouse.series_choice import best_series

    meta = wh.series(indicator=indicator, industry="TOTAL", category="")
    keep = meta["region"].isin(codes) & meta["measure"].isin(measures) & (meta["source"] != "demo")
    if frequency is not None:
        keep &= meta["frequency"] == frequency
    return best_series(meta[keep], ["region", "measure"])


def ensure_provinces(wh, data_dir: Path | str) -> list[str]:
    """Load the public province files of ``data_dir`` through ``yacang ingest``'s loader when the warehouse
    lacks some province's growth or GDP; what was done, in words."""
    from yacang.ingest.errors import IngestError
    from yacang.warehouse.load import load_file

    have = province_data(wh)
    codes = {p.code for p in mainland_provinces()}
    out = []
    for what, covered, rel in (("分省规模以上工业增加值增速", set(have.panel["code"]), PROVINCE_IVA),
                               ("分省地区生产总值", set(have.gdp["province_code"]), PROVINCE_GDP)):
        if codes <= covered:
            out.append(f"{what}取自数据仓库")
            continue
        path = Path(data_dir) / rel
        if not path.is_file():
            raise EvaluationError(f"仓库中没有{what}，且找不到 {path}：请先用 yacang ingest 导入{what}"
                                  "（省统计局表格、国家统计局数据库导出均可），或用 --data 指定 shared/data 目录")
        try:
            res = load_file(wh, path)
        except IngestError as exc:  # located errors (file, row, column): the run stops with them
            raise EvaluationError(str(exc)) from None
        out.append(f"已导入 {path.name}（{what}，新增 {res.n_new} 条观测）")
    return out


@cache
def _files_data(data_dir: Path, stamp: tuple[float, ...]) -> ProvinceData:
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    try:
        for rel in (PROVINCE_IVA, PROVINCE_GDP):
            load_file(wh, data_dir / rel)
        return province_data(wh)
    finally:
        wh.close()


def files_data(data_dir: Path | str) -> ProvinceData:
    """:class:`ProvinceData` of the public files in ``data_dir``, read through the ingest into a scratch
    warehouse (the same loader as ``yacang ingest``; for a run without a warehouse of its own)."""
    from yacang.ingest.errors import IngestError

    data_dir = Path(data_dir).resolve()
    paths = [data_dir / rel for rel in (PROVINCE_IVA, PROVINCE_GDP)]
    if missing := [p for p in paths if not p.is_file()]:
        raise EvaluationError(f"找不到数据文件 {missing[0]}：请用 --data 指定 shared/data 目录")
    try:
        return _files_data(data_dir, tuple(p.stat().st_mtime for p in paths))
    except IngestError as exc:
        raise EvaluationError(str(exc)) from None


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


def province_input(year: int, data: ProvinceData | Path | str, *, national_iva: float | None,
                   month_yoy: str = "estimate", national_source: str = WIND_NATIONAL) -> EvalInput:
    """Values of the 稳增长 system's indicators for the 31 provinces in ``year``; ``data`` is what
    :func:`province_data` read from a warehouse, or a directory of the public files (:func:`files_data`)."""
    if month_yoy not in ("estimate", "gap"):
        raise EvaluationError("--month-yoy 只能是 estimate（以当月均值估算）或 gap（按缺值处理）")
    if not isinstance(data, ProvinceData):
        data = files_data(data)
    panel, gdp = data.panel, data.gdp
    have = {y: set(panel.loc[panel["year"] == y, "code"]) for y in (year - 1, year)}
    absent = [p.name for p in mainland_provinces() if any(p.code not in codes for codes in have.values())]
    if absent:  # a province missing from the data is broken data, not a gap to fill with the median
        raise EvaluationError(f"分省规模以上工业增加值增速缺少 {'、'.join(absent[:6])}{'等' if len(absent) > 6 else ''}"
                              f" {len(absent)} 个省份 {year - 1}、{year} 年的数据：请用 yacang ingest 导入这些省份的数据，"
                              "或换一个评价年度（--year）")
    lacking = [y for y in (year - 1, year) if not have_all(gdp, y)]
    if lacking:
        span = f"（现有 {int(gdp['year'].min())}—{int(gdp['year'].max())} 年）" if not gdp.empty else ""
        raise EvaluationError(f"缺少 {'、'.join(map(str, lacking))} 年31个省份的地区生产总值{span}："
                              "请用 yacang ingest 导入国家统计局分省年度数据，或换一个评价年度（--year）")
    gdp_now = gdp[gdp["year"] == year].set_index("province_code")["gdp_100m_yuan"]
    gdp_before = gdp[gdp["year"] == year - 1].set_index("province_code")["gdp_100m_yuan"]
    rows, notes = {}, {}
    for p in mainland_provinces():
        g, g_note = _annual_growth(panel, p.code, year, month_yoy)
        g0, g0_note = _annual_growth(panel, p.code, year - 1, month_yoy)
        neg, neg_note = _negative_months(panel, p.code, year, month_yoy)
        gdp_g = (gdp_now[p.code] / gdp_before[p.code] - 1) * 100
        rows[p.code] = {"iva_ytd": g, "iva_2y": two_year_average(g, g0) if np.isfinite(g + g0) else np.nan,
                        "gdp_growth": gdp_g, "iva_change": g - g0, "neg_months": neg}
        note2 = g_note or g0_note
        notes[p.code] = {"iva_ytd": g_note, "iva_2y": note2, "gdp_growth": "名义增速（现价）",
                         "iva_change": note2, "neg_months": neg_note}
    values = pd.DataFrame.from_dict(rows, orient="index")
    national = {"iva_ytd": national_iva} if national_iva is not None else {}
    return EvalInput(values=values, names={p.code: p.name for p in mainland_provinces()}, period=str(year),
                     level="province", source=source_text(year, data, month_yoy, national_source),
                     notes=pd.DataFrame.from_dict(notes, orient="index"), national=national)


def have_all(gdp: pd.DataFrame, year: int) -> bool:
    """Whether ``gdp`` has every mainland province's level for ``year``."""
    return {p.code for p in mainland_provinces()} <= set(gdp.loc[gdp["year"] == year, "province_code"])


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


def warehouse_input(wh, year: int, data_dir: Path | str, *, month_yoy: str = "estimate") -> tuple[EvalInput, list[str]]:
    """The 31 provinces' input of ``year`` from the warehouse, after loading from ``data_dir`` what it lacks;
    with what was loaded or read, in words (the run prints them)."""
    msgs = [ensure_national(wh, data_dir), *ensure_provinces(wh, data_dir)]
    national = national_iva_ytd(wh, year)
    if national is not None:
        msgs.append(f"全国规上工业增加值 {year} 年累计增长 {national:.1f}%（功效系数阈值：全国 ± 3 个百分点）")
    inp = province_input(year, province_data(wh), national_iva=national, month_yoy=month_yoy,
                         national_source=national_source(wh))
    return inp, msgs
