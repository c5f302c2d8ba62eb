"""Readers of the shared real data for the analysis tests (never copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yacang.analysis.data import inputs_from_csv, target_from_csv
from yacang.analysis.monthly import as_monthly, expand_jan_feb
from yacang.analysis.nowcast import NowcastInputs


def national(shared: Path) -> Path:
    return shared / "national_industry_monthly_wind"


def iva_yoy_monthly(shared: Path) -> pd.Series:
    """National IVA 当月同比 as released, on a full monthly index (1-2月 value in both months)."""
    s, merged = as_monthly(target_from_csv(national(shared)))
    return expand_jan_feb(s, merged, "rate")


def nowcast_inputs(shared: Path) -> NowcastInputs:
    return inputs_from_csv(national(shared), shared / "high_frequency_supply_prices")
