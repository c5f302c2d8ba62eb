"""Rare indicator moves: where a nowcast's linear bridges extrapolate (issue 18).

The Δ同比 bridges map an indicator's change to the change of 同比 by a slope estimated on what the
indicator usually does. When it moves far beyond that — PMI 生产 fell 5.1 points in 2022-04 (Shanghai's
lockdown) — the slope is used where it was hardly estimated, and the nowcast can miss by several points
(2022-04: 组合 about 3.7 against the released −2.9). Nothing in the published data says beforehand how
large the response will be, but the reader can be told that the month is outside the models' experience.

Rule (fixed, not tuned on any window): the indicator's change from the previous release is compared with
the changes of all earlier releases in the information set (at least :data:`MIN_HISTORY`) by the
modified z-score of Iglewicz and Hoaglin (1993), ``z = (Δ − median) / (1.4826 · MAD)``; ``|z| >``
:data:`ROBUST_Z` (their outlier cut-off) flags it. Median and MAD are not moved by the 2020 collapse,
so the rule needs no excluded years. Only data released before the nowcast enter (the information set).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.analysis.nowcast import NowcastInputs, as_release, release_back

ROBUST_Z = 3.5
"""Iglewicz–Hoaglin cut-off of the modified z-score."""
MIN_HISTORY = 24
"""Earlier release-to-release changes needed before a move is judged."""
MAD_SCALE = 1.4826
"""MAD × this estimates the standard deviation of normal data."""
PRECEDENTS_SHOWN = 3


@dataclass(frozen=True)
class UnusualMove:
    """An indicator's release-to-release change far outside its history."""

    key: str
    label: str
    month: pd.Period  # the release whose value moved
    merged: bool
    value: float
    change: float
    scale: float  # robust standard deviation of earlier changes
    z: float
    since: pd.Period  # first release of the history
    precedents: tuple[tuple[pd.Period, bool, float], ...]  # earlier flagged releases (month, merged, change)
    unit: str = "点"

    @property
    def words(self) -> str:
        """One Chinese sentence for the reader of the nowcast."""
        when = as_release(self.month, self.merged).label_zh()
        verb = "上升" if self.change > 0 else "下降"
        text = (
            f"提示：{when}{self.label}为{self.value:.1f}，比上期{verb}{abs(self.change):.1f}{self.unit}，"
            f"是{self.since.year}年以来少见的大幅变动（以往各期变动的稳健标准差{self.scale:.1f}{self.unit}，"
            f"本期为其{abs(self.z):.1f}倍"
        )
        if self.precedents:
            shown = "、".join(
                f"{as_release(m, j).label_zh()}（{c:+.1f}）" for m, j, c in self.precedents[-PRECEDENTS_SHOWN:]
            )
            text += f"；此前同类变动：{shown}"
        return (
            text + "）。各模型按常态下的线性关系外推，实际变动可能明显大于预测，"
            "请参考预测区间两端并结合企业调度和高频数据研判。"
        )

    def record(self) -> dict[str, object]:
        """A JSON row."""
        return {
            "key": self.key,
            "label": self.label,
            "month": as_release(self.month, self.merged).code,
            "value": round(self.value, 2),
            "change": round(self.change, 2),
            "scale": round(self.scale, 2),
            "z": round(self.z, 1),
            "message": self.words,
        }


def robust_z(history: np.ndarray, value: float) -> tuple[float, float]:
    """Modified z-score of ``value`` against ``history`` and the robust scale (NaN when MAD is 0)."""
    if len(history) == 0:
        return float("nan"), float("nan")
    med = float(np.median(history))
    scale = MAD_SCALE * float(np.median(np.abs(history - med)))
    if scale <= 0:
        return float("nan"), scale
    return (value - med) / scale, scale


def release_values(info: NowcastInputs, key: str, last: pd.Period) -> pd.Series:
    """The indicator on the release calendar, from its first value up to the release ``last``."""
    first = info.indicators[key].first_valid_index()
    if first is None:
        return pd.Series(dtype=float)
    return info.release_indicators(info.release_periods(first, last))[key]


def _is_rare(history: np.ndarray, change: float) -> bool:
    """The rule of the module doc: enough history and ``|z| >`` :data:`ROBUST_Z`."""
    if len(history) < MIN_HISTORY:
        return False
    z = robust_z(history, change)[0]
    return bool(np.isfinite(z) and abs(z) > ROBUST_Z)


def unusual_move(info: NowcastInputs, period: pd.Period, key: str, label: str = "",
                 unit: str = "点") -> UnusualMove | None:
    """The flagged move of indicator ``key`` at the release the nowcast of ``period`` reads, or None."""
    if key not in info.indicators.columns:
        return None
    month = release_back(info, period, info.lag(key))
    values = release_values(info, key, month)
    changes = values.diff()
    if pd.isna(changes.get(month)):
        return None
    now = float(changes[month])
    past = changes[changes.index < month].dropna()
    earlier = past.to_numpy()
    if not _is_rare(earlier, now):
        return None
    z, scale = robust_z(earlier, now)
    precedents = tuple((p, info.is_merged(p), float(c)) for i, (p, c) in enumerate(past.items())
                       if _is_rare(earlier[:i], float(c)))
    return UnusualMove(key, label or info.labels.get(key, key), month, info.is_merged(month), float(values[month]),
                       now, scale, z, past.index[0], precedents, unit)


def unusual_moves(
    info: NowcastInputs, period: pd.Period, keys: list[str], units: dict[str, str] | None = None
) -> list[UnusualMove]:
    """:func:`unusual_move` of each indicator in ``keys`` (those flagged)."""
    found = (unusual_move(info, period, k, unit=(units or {}).get(k, "点")) for k in keys)
    return [m for m in found if m is not None]
