"""Paths of the shared real files used by the ingest and checks tests."""

from __future__ import annotations

from pathlib import Path

NBS_DIR = "nbs_official_export_iva_ppi/original_reconstructed"
NBS_IVA = f"{NBS_DIR}/98年-26年2月规上工业增加值增长速度.csv"
NBS_PPI = f"{NBS_DIR}/98年-26年2月工业生产者出厂价格指数.csv"
WIND_DIR = "national_industry_monthly_wind"
WIND_MAIN = f"{WIND_DIR}/original/监测分析0120.xlsx"


def workbooks(shared_data: Path) -> list[Path]:
    return sorted(shared_data.glob("*/original/*.xlsx"))
