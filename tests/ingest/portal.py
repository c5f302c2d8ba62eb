"""Write NBS data-portal exports (分省月度数据) from the shared province panel, in the portal's layouts.

Built in the test from ``../shared/data`` (nothing copied into the repository): the values are the
panel's own text, so a loader that reads them must give back exactly the panel's values.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from yacang.catalog.regions import mainland_provinces

PANEL = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
NAMES = {"ytd_yoy": "工业增加值_累计增长(%)", "month_yoy": "工业增加值_同比增长(%)"}
FOOTER = ["注：1.从2011年起，规模以上工业企业起点标准由原来的年主营业务收入500万元提高到年主营业务收入2000万元。",
          "数据来源：国家统计局"]


def panel_rows(shared_data: Path) -> list[dict[str, str]]:
    with (shared_data / PANEL).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def full_name(short: str) -> str:
    return next(p.name for p in mainland_provinces() if p.short_name == short)


def indicator_fixed(rows: list[dict[str, str]], measure: str) -> list[list[str]]:
    """指标 fixed: 地区 rows × 时间 columns (newest first), one file per indicator."""
    mine = [r for r in rows if r["measure"] == measure]
    months = sorted({(int(r["year"]), int(r["month"])) for r in rows}, reverse=True)
    cells = {(r["province"], int(r["year"]), int(r["month"])): r["value_pct"] for r in mine}
    out = [["数据库：分省月度数据"], [f"指标：{NAMES[measure]}"], ["时间：2015-2024"],
           ["地区", *(f"{y}年{m}月" for y, m in months)]]
    for prov in dict.fromkeys(r["province"] for r in mine):
        out.append([full_name(prov), *(cells.get((prov, y, m), "") for y, m in months)])
    return out + [[line] for line in FOOTER]


def time_fixed(rows: list[dict[str, str]], year: int, month: int) -> list[list[str]]:
    """时间 fixed: 地区 rows × 指标 columns for one month."""
    out = [["数据库：分省月度数据"], [f"时间：{year}年{month}月"], ["地区", NAMES["ytd_yoy"], NAMES["month_yoy"]]]
    here = [r for r in rows if int(r["year"]) == year and int(r["month"]) == month]
    for r in here:
        ytd = r["value_pct"] if r["measure"] == "ytd_yoy" else ""
        yoy = r["value_pct"] if r["measure"] == "month_yoy" else ""
        out.append([full_name(r["province"]), ytd, yoy])
    return out + [[line] for line in FOOTER]


def write_csv(rows: list[list[str]], path: Path, encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(rows: list[list[str]], path: Path) -> Path:
    """The same cells in a workbook, numbers as numbers (as the portal's Excel export has them)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([_num(c) for c in row])
    wb.save(path)
    return path


def _num(cell: str) -> object:
    try:
        return float(cell)
    except ValueError:
        return cell or None
