"""目标管理和进度督促: progress against an annual growth target and the growth still needed.

With last year's monthly profile (share of last year's annual value added produced by month), if
``S`` is the share of last year's year produced in the months done so far, year-to-date growth ``g``
and annual target ``T`` (both %), the remaining months must grow by

    r = ((1+T) − (1+g)·S) / (1 − S) − 1

because this year's total must be (1+T) × last year's, of which (1+g)·S is already made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LIGHT_ZH = {"on_track": "符合进度", "behind": "进度滞后", "far_behind": "严重滞后"}
LIGHT_COLOUR = {"on_track": "绿", "behind": "黄", "far_behind": "红"}


@dataclass(frozen=True)
class LightThresholds:
    """A region is 'behind' when YTD growth is below target, 'far behind' when more than ``far_behind_pp``
    below it (百分点) — both configurable."""

    behind_pp: float = 0.0
    far_behind_pp: float = 2.0


def done_share(profile: Mapping[int, float], month: int) -> float:
    """Share of last year's annual total made in months 1..``month`` (profile: month → level)."""
    total = sum(profile.values())
    if total <= 0:
        raise ValueError("上年分月数据合计须为正数")
    return sum(v for m, v in profile.items() if m <= month) / total


def even_profile() -> dict[int, float]:
    """Fallback profile when last year's months are unknown: equal months."""
    return {m: 1.0 for m in range(1, 13)}


def needed_growth(target: float, ytd_growth: float, share_done: float) -> float:
    """Growth (%) the remaining months need for the year to reach ``target`` (%); NaN after December."""
    if share_done >= 1.0:
        return float("nan")
    return (((1.0 + target / 100.0) - (1.0 + ytd_growth / 100.0) * share_done) / (1.0 - share_done) - 1.0) * 100.0


def status_light(ytd_growth: float, target: float, thresholds: LightThresholds = LightThresholds()) -> str:
    """on_track / behind / far_behind (see :data:`LIGHT_ZH` for the Chinese labels)."""
    gap = ytd_growth - target
    if gap >= -thresholds.behind_pp:
        return "on_track"
    if gap >= -thresholds.far_behind_pp:
        return "behind"
    return "far_behind"


@dataclass(frozen=True)
class TargetProgress:
    region: str
    target: float
    ytd_growth: float
    gap_pp: float
    share_done: float
    needed: float
    light: str

    @property
    def light_zh(self) -> str:
        return LIGHT_ZH[self.light]


def progress(region: str, target: float, ytd_growth: float, profile: Mapping[int, float], month: int,
             thresholds: LightThresholds = LightThresholds()) -> TargetProgress:
    """Everything the bulletin shows about a region's target at the end of ``month``."""
    s = done_share(profile, month)
    return TargetProgress(region, target, ytd_growth, ytd_growth - target, s,
                          needed_growth(target, ytd_growth, s), status_light(ytd_growth, target, thresholds))
