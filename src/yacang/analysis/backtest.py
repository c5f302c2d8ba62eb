"""Pseudo-real-time backtest of nowcasters.

For each release period from ``start`` to ``end`` every model gets only
:func:`yacang.analysis.nowcast.information_set` (the target before the release, indicators up to the
month) — never a value released later. The data are the latest vintages ("pseudo" real time): NBS
rarely revises 当月同比, so the difference from true real time is small.

Scores: RMSE, MAE, and direction accuracy (share of releases where the sign of the predicted change
from the previous release matches the actual one; undefined for the random walk). Reported for the
whole window excluding 2020-01…2020-06, and for 2020-01…2020-06 separately.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.analysis.nowcast import (
    AR1,
    BridgeNowcaster,
    CalendarNowcaster,
    DFMNowcaster,
    Nowcaster,
    NowcastInputs,
    RandomWalk,
    information_set,
)

COVID = (pd.Period("2020-01", "M"), pd.Period("2020-06", "M"))


def default_models() -> list[Nowcaster]:
    return [DFMNowcaster(), BridgeNowcaster(), CalendarNowcaster(), AR1(), RandomWalk()]


@dataclass
class BacktestResults:
    """Nowcasts per release period and model, with the actual value and the previous release."""

    predictions: pd.DataFrame  # index period; columns: actual, previous, <model>...
    models: list[str]

    def scores(self, mask: pd.Series | None = None) -> pd.DataFrame:
        p = self.predictions if mask is None else self.predictions[mask]
        rows = []
        for m in self.models:
            err = p[m] - p["actual"]
            ok = err.notna()
            e = err[ok]
            if m == RandomWalk.name or (p.loc[ok, m] == p.loc[ok, "previous"]).all():
                direction = np.nan
            else:
                dp = np.sign(p.loc[ok, m] - p.loc[ok, "previous"])
                da = np.sign(p.loc[ok, "actual"] - p.loc[ok, "previous"])
                direction = float((dp == da).mean() * 100)
            rows.append({"模型": m, "月数": int(ok.sum()), "RMSE": float(np.sqrt((e**2).mean())),
                         "MAE": float(e.abs().mean()), "方向准确率%": direction})
        out = pd.DataFrame(rows)
        ar = out.loc[out["模型"] == AR1.name, "RMSE"]
        if len(ar):
            out["RMSE/AR(1)"] = out["RMSE"] / float(ar.iloc[0])
        return out

    def covid_mask(self) -> pd.Series:
        idx = self.predictions.index
        return pd.Series((idx >= COVID[0]) & (idx <= COVID[1]), index=idx)

    def table(self) -> dict[str, pd.DataFrame]:
        covid = self.covid_mask()
        return {"2020年1-6月以外": self.scores(~covid), "2020年1-6月": self.scores(covid)}


def backtest(
    inputs: NowcastInputs,
    start: str = "2015-01",
    end: str = "2025-12",
    models: list[Nowcaster] | None = None,
    progress: Callable[[pd.Period], None] | None = None,
) -> BacktestResults:
    """Nowcast every release in [start, end] from its own information set (see module doc)."""
    models = models if models is not None else default_models()
    rows = []
    for period in inputs.release_periods(pd.Period(start, "M"), pd.Period(end, "M")):
        if period not in inputs.target.index:
            continue
        info = information_set(inputs, period)
        row = {
            "period": period,
            "actual": float(inputs.target[period]),
            "previous": float(info.target.get(info.previous_release(period), np.nan)),
        }
        for m in models:
            row[m.name] = m.nowcast(info, period)
        rows.append(row)
        if progress:
            progress(period)
    frame = pd.DataFrame(rows).set_index("period")
    frame.index = pd.PeriodIndex(frame.index, freq="M")
    return BacktestResults(frame, [m.name for m in models])
