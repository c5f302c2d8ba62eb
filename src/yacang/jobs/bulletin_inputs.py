"""Alerts, 红黄蓝 materials and signal lights as the bulletin's input rows (filled by the alerts engine)."""

from __future__ import annotations

import pandas as pd

from yacang.periods import Period
from yacang.report.inputs import AlertRow, LightRow, MaterialRow


def evaluate_alerts(wh, period: Period) -> pd.DataFrame:
    """Run the default rule pack up to ``period``; the firing, unsilenced alerts of that period."""
    return pd.DataFrame()


def alert_rows(firing: pd.DataFrame, region: str) -> list[AlertRow]:
    return []


def material_rows(wh, period: Period) -> list[MaterialRow]:
    return []


def light_rows(wh, period: Period) -> tuple[list[LightRow], list[str]]:
    return [], []
