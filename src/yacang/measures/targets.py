"""目标管理和进度督促: progress against an annual growth target and the growth still needed.

With last year's monthly profile (share of last year's annual value added produced by month), if
``S`` is the share of last year's year produced in the months done so far, year-to-date growth ``g``
and annual target ``T`` (both %), the remaining months must grow by

    r = ((1+T) − (1+g)·S) / (1 − S) − 1

because this year's total must be (1+T) × last year's, of which (1+g)·S is already made.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from yacang import formatting as fmt

# The four progress states, their Chinese names and the light each maps to (keys of report.model.LIGHTS).
STATES = ("ahead", "on_track", "behind", "far_behind")
STATE_ZH = {"ahead": "超进度", "on_track": "符合进度", "behind": "滞后", "far_behind": "严重滞后"}
STATE_LIGHT = {"ahead": "green", "on_track": "green", "behind": "yellow", "far_behind": "red"}
LIGHT_ZH = STATE_ZH  # kept name: state code → Chinese
LIGHT_COLOUR = {"ahead": "绿", "on_track": "绿", "behind": "黄", "far_behind": "红"}


@dataclass(frozen=True)
class ProgressThresholds:
    """The one target-progress rule; ``gap`` = 累计增速 − 年度目标 on the printed (rounded) figures.

    - 超进度 (green):    gap > ``ahead_pp``
    - 符合进度 (green):  −``behind_pp`` ≤ gap ≤ ``ahead_pp``
    - 滞后 (yellow):     −``far_behind_pp`` ≤ gap < −``behind_pp``
    - 严重滞后 (red):    gap < −``far_behind_pp``

    Default 0 / 1 / 3 百分点. Source: 工信部联运行〔2022〕160号 asks for 目标管理和进度督促 but fixes no
    numbers; the defaults are the boundaries of yacang's 苗头性问题 rule 'target_gap' (落后1个百分点提示,
    3个百分点红色, ``alerts/packs/default.yaml``), so the table light and the alert agree. Set
    ``[progress]`` in ``yacang.toml`` (``ahead_pp``, ``behind_pp``, ``far_behind_pp``) to the province's
    own 督促 rule.
    """

    ahead_pp: float = 0.0
    behind_pp: float = 1.0
    far_behind_pp: float = 3.0

    def __post_init__(self) -> None:
        vals = (self.ahead_pp, self.behind_pp, self.far_behind_pp)
        if not all(math.isfinite(v) for v in vals):
            raise ValueError("目标进度阈值须为有限数值")
        if self.behind_pp < 0 or self.far_behind_pp < self.behind_pp or self.ahead_pp < 0:
            raise ValueError(
                f"目标进度阈值不合理：须 ahead_pp ≥ 0、0 ≤ behind_pp ≤ far_behind_pp，收到 {vals}")

    @classmethod
    def from_config(cls, cfg: object | None = None) -> ProgressThresholds:
        """From ``[progress]`` of ``yacang.toml`` (a Config, a mapping, or None for the defaults)."""
        data = getattr(cfg, "progress", cfg) if cfg is not None else None
        return cls(**dict(data)) if data else cls()


LightThresholds = ProgressThresholds  # former name


def configured_thresholds() -> ProgressThresholds:
    """The rule as configured: ``[progress]`` of ``yacang.toml`` in the working directory, else the default.

    A malformed file or impossible thresholds raise (ConfigError / ValueError): no silent fallback.
    """
    from yacang.job_config import load_config

    return ProgressThresholds.from_config(load_config())


def progress_state(ytd_growth: float, target: float,
                   thresholds: ProgressThresholds | None = None) -> str:
    """ahead / on_track / behind / far_behind of a region (see :class:`ProgressThresholds`; ``None``:
    the configured rule, :func:`configured_thresholds`)."""
    th = thresholds or configured_thresholds()
    gap = float(fmt.diff(ytd_growth, target))
    if gap > th.ahead_pp:
        return "ahead"
    if gap >= -th.behind_pp:
        return "on_track"
    if gap >= -th.far_behind_pp:
        return "behind"
    return "far_behind"


def target_light(ytd_growth: float, target: float, thresholds: ProgressThresholds | None = None) -> tuple[str, str, str]:
    """(state, Chinese state, light code) — what the bulletin table, text, alerts and web show."""
    state = progress_state(ytd_growth, target, thresholds)
    return state, STATE_ZH[state], STATE_LIGHT[state]


def light_of_state(state: str) -> str:
    """Light code of a state given as code or exact Chinese name (never by substring); KeyError otherwise."""
    if state in STATE_LIGHT:
        return STATE_LIGHT[state]
    by_zh = {v: k for k, v in STATE_ZH.items()}
    return STATE_LIGHT[by_zh[state]]


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


def status_light(ytd_growth: float, target: float, thresholds: ProgressThresholds | None = None) -> str:
    """Former name of :func:`progress_state`."""
    return progress_state(ytd_growth, target, thresholds)


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
        return STATE_ZH[self.light]

    @property
    def light_code(self) -> str:
        return STATE_LIGHT[self.light]


def progress(region: str, target: float, ytd_growth: float, profile: Mapping[int, float], month: int,
             thresholds: ProgressThresholds | None = None) -> TargetProgress:
    """Everything the bulletin shows about a region's target at the end of ``month``."""
    s = done_share(profile, month)
    return TargetProgress(region, target, ytd_growth, ytd_growth - target, s,
                          needed_growth(target, ytd_growth, s), status_light(ytd_growth, target, thresholds))
