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


def later_data_changed(real: NowcastInputs, p: pd.Period, *, export_of_p: bool = True) -> NowcastInputs:
    """``real`` with every value released after the nowcast of ``p`` changed: the target from ``p`` on, the
    indicators after ``p`` and (``export_of_p``) ``p``'s 出口交货值, out only with 工业增加值 itself."""
    target = real.target.copy()
    target[target.index >= p] += 9.0
    ind = real.indicators.copy()
    ind[ind.index > p] = ind[ind.index > p] * 2 - 40
    if export_of_p:
        ind.loc[p, "export_delivery"] += 50.0
    return real.replace(target=target, indicators=ind)
