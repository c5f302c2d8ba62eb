"""Monthly Bry–Boschan dating of peaks and troughs (Bry and Boschan, NBER 1971).

Procedure, as in the monthly algorithm and its common implementations (e.g. R ``BCDating``):

1. candidate turns of the 2×12 centred moving average: local extrema within ±``window`` months
   (default 5), alternation enforced (of two adjacent peaks the higher stays, of two troughs the lower);
2. cycles shorter than ``min_cycle`` (15 months, peak to peak or trough to trough) removed, the
   weaker turn going first;
3. refinement on the Spencer 15-term curve (±5 months), then on a 3-month centred moving average
   (±5), then on the series itself (±4), each time re-imposing alternation;
4. final rules on the series itself: phases (peak→trough, trough→peak) of at least ``min_phase``
   (5) months, the pair with the smallest amplitude removed first; cycles of at least ``min_cycle``;
   **end censoring**: no turn within ``end_censor`` (6) months of either end, the first (last) peak
   must be no lower than every value before (after) it, and the first (last) trough no higher.

Ties go to the earliest month. Missing values are interpolated for the smoothing stages only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yacang.analysis.monthly import as_monthly
from yacang.periods import parse_period

SPENCER = np.array([-3, -6, -5, 3, 21, 46, 67, 74, 67, 46, 21, 3, -5, -6, -3], dtype=float) / 320.0

Turn = tuple[int, str]  # (position, "P" | "T")


@dataclass
class TurningPoints:
    """Dated peaks and troughs of a monthly series."""

    series: pd.Series
    turns: list[Turn]
    release: pd.Series | None = None  # per month, the release period its value comes from (calendar)

    @property
    def peaks(self) -> pd.PeriodIndex:
        return pd.PeriodIndex([self.series.index[i] for i, k in self.turns if k == "P"], freq="M")

    @property
    def troughs(self) -> pd.PeriodIndex:
        return pd.PeriodIndex([self.series.index[i] for i, k in self.turns if k == "T"], freq="M")

    def frame(self) -> pd.DataFrame:
        """One row per turn: 时间 (as officials write it: 2016年1-2月 for a merged release), 类型 (峰/谷),
        数值, and the length in months of the phase that ends there."""
        rows = []
        prev = None
        for i, kind in self.turns:
            p = self.series.index[i]
            code = str(self.release[p]) if self.release is not None and self.release.get(p) else str(p)
            rows.append(
                {
                    "时间": parse_period(code).label_zh(),
                    "类型": "峰" if kind == "P" else "谷",
                    "数值": float(self.series.iloc[i]),
                    "前一阶段月数": (i - prev) if prev is not None else None,
                }
            )
            prev = i
        out = pd.DataFrame(rows, columns=["时间", "类型", "数值", "前一阶段月数"])
        return out.astype({"前一阶段月数": "Int64"})

    def regime(self) -> pd.Series:
        """+1 in expansions (after a trough, up to the peak), −1 in contractions, NaN before the first turn."""
        out = pd.Series(np.nan, index=self.series.index, name="regime")
        for (i, kind), nxt in zip(self.turns, [*self.turns[1:], (len(self.series) - 1, "")], strict=True):
            out.iloc[i + 1 : nxt[0] + 1] = 1.0 if kind == "T" else -1.0
        return out


# -- building blocks -------------------------------------------------------------------------------
def _ma(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Centred weighted moving average; the ends are padded with the end values."""
    h = len(weights) // 2
    padded = np.concatenate([np.full(h, x[0]), x, np.full(h, x[-1])])
    return np.convolve(padded, weights[::-1], mode="valid")


def _ma_2x12(x: np.ndarray) -> np.ndarray:
    w = np.r_[0.5, np.ones(11), 0.5] / 12.0
    return _ma(x, w)


def _local_extrema(x: np.ndarray, k: int) -> list[Turn]:
    turns: list[Turn] = []
    n = len(x)
    for t in range(n):
        lo, hi = max(0, t - k), min(n, t + k + 1)
        seg = x[lo:hi]
        if x[t] == seg.max() and int(np.argmax(seg)) + lo == t:
            turns.append((t, "P"))
        elif x[t] == seg.min() and int(np.argmin(seg)) + lo == t:
            turns.append((t, "T"))
    return turns


def _alternate(turns: list[Turn], x: np.ndarray) -> list[Turn]:
    out: list[Turn] = []
    for t, kind in sorted(turns):
        if out and out[-1][1] == kind:
            prev = out[-1][0]
            better = (x[t] > x[prev]) if kind == "P" else (x[t] < x[prev])
            if better:
                out[-1] = (t, kind)
            continue
        out.append((t, kind))
    return out


def _enforce_cycle(turns: list[Turn], x: np.ndarray, min_cycle: int) -> list[Turn]:
    turns = _alternate(turns, x)
    while True:
        worst = None
        for a in range(len(turns) - 2):
            (t1, k1), (t2, k2) = turns[a], turns[a + 2]
            if k1 == k2 and t2 - t1 < min_cycle:
                # drop the weaker of the two same-type turns
                weaker = a + 2 if ((x[t2] <= x[t1]) if k1 == "P" else (x[t2] >= x[t1])) else a
                worst = weaker
                break
        if worst is None:
            return turns
        turns = _alternate(turns[:worst] + turns[worst + 1 :], x)


def _enforce_phase(turns: list[Turn], x: np.ndarray, min_phase: int) -> list[Turn]:
    turns = _alternate(turns, x)
    while True:
        short = [
            (abs(x[turns[a + 1][0]] - x[turns[a][0]]), a)
            for a in range(len(turns) - 1)
            if turns[a + 1][0] - turns[a][0] < min_phase
        ]
        if not short:
            return turns
        _, a = min(short)
        turns = _alternate(turns[:a] + turns[a + 2 :], x)


def _censor(turns: list[Turn], x: np.ndarray, end_censor: int) -> list[Turn]:
    n = len(x)
    turns = [(t, k) for t, k in turns if end_censor <= t <= n - 1 - end_censor]
    changed = True
    while changed and turns:
        changed = False
        t, k = turns[0]
        before = x[:t]
        if len(before) and ((k == "P" and before.max() > x[t]) or (k == "T" and before.min() < x[t])):
            turns = turns[1:]
            changed = True
            continue
        t, k = turns[-1]
        after = x[t + 1 :]
        if len(after) and ((k == "P" and after.max() > x[t]) or (k == "T" and after.min() < x[t])):
            turns = turns[:-1]
            changed = True
    return turns


def _refine(turns: list[Turn], x: np.ndarray, k: int) -> list[Turn]:
    out: list[Turn] = []
    n = len(x)
    for t, kind in turns:
        lo, hi = max(0, t - k), min(n, t + k + 1)
        seg = x[lo:hi]
        out.append((lo + int(np.argmax(seg) if kind == "P" else np.argmin(seg)), kind))
    # two turns may have landed on the same month: keep one
    dedup: dict[int, str] = {}
    for t, kind in out:
        dedup.setdefault(t, kind)
    return _alternate(sorted(dedup.items()), x)


# -- the procedure ---------------------------------------------------------------------------------
def bry_boschan(
    series: pd.Series,
    *,
    min_phase: int = 5,
    min_cycle: int = 15,
    window: int = 5,
    end_censor: int = 6,
) -> TurningPoints:
    """Peaks and troughs of a monthly series by the Bry–Boschan procedure (see module doc)."""
    s, _ = as_monthly(series)
    s = s.loc[s.first_valid_index() : s.last_valid_index()]
    if len(s) < 2 * min_cycle:
        raise ValueError(f"转折点识别至少需要 {2 * min_cycle} 个月的数据，序列只有 {len(s)} 个月")
    raw = s.to_numpy(dtype=float)
    filled = s.interpolate(limit_direction="both").to_numpy(dtype=float)

    ma12 = _ma_2x12(filled)
    turns = _enforce_cycle(_local_extrema(ma12, window), ma12, min_cycle)
    spencer = _ma(filled, SPENCER)
    turns = _enforce_cycle(_refine(turns, spencer, 5), spencer, min_cycle)
    short = _ma(filled, np.ones(3) / 3.0)
    turns = _refine(turns, short, 5)
    values = np.where(np.isnan(raw), filled, raw)
    turns = _refine(turns, values, 4)

    for _ in range(10):  # the rules interact; iterate to a fixed point
        before = list(turns)
        turns = _censor(turns, values, end_censor)
        turns = _enforce_phase(turns, values, min_phase)
        turns = _enforce_cycle(turns, values, min_cycle)
        if turns == before:
            break
    return TurningPoints(s, turns)


def turning_points_calendar(values: pd.Series, ytd: pd.Series | None = None, **kwargs: int) -> TurningPoints:
    """Bry–Boschan on the one monthly calendar (:mod:`yacang.measures.calendar`) of a 当月 series.

    January and February carry the 1-2月 figure where it was released merged (always since 2013, and
    before where NBS published 1-2月), so a February figure published alone (e.g. 2009-02 = 11.0) cannot
    make a turn; a turn in such a pair is dated by its release, ``YYYY-01/02``.
    """
    from yacang.measures.calendar import calendar_view, monthly_grid

    grid = monthly_grid(calendar_view(values, ytd))
    tp = bry_boschan(grid["value"].rename(values.name), **kwargs)
    tp.release = grid["period"].reindex(tp.series.index)
    return tp
