"""Index levels chain-linked from published 当月同比, with the merged 1-2月 handled exactly.

NBS publishes the growth of 规模以上工业增加值 (同比, comparable prices), not its level. A level index
follows by chain-linking each month to the same month a year earlier::

    L[y, m] = L[y−1, m] · (1 + g[y, m] / 100)

and, for a year whose January and February were released together (1-2月, all years since 2013
and, on the NBS calendar, every earlier year with a 1-2月 figure), on the two months **jointly**::

    (L[y, 1] + L[y, 2]) = (L[y−1, 1] + L[y−1, 2]) · (1 + g[y, 1-2月] / 100)

so the base year's January and February are needed only as their sum. The joint level is then split
into January and February by a festival-aware rule (:func:`yacang.analysis.calendar.jan_share`), which
models downstream may use; the sum of the two months is exact whatever the split.

**Anchor.** The levels of one anchor year are set to 100 a month (1-2月: 200) and the chain runs
forwards and backwards from it. Growth rates say nothing about the within-year pattern of levels, so
a different anchor year or anchor profile multiplies every January–February sum by one constant and
every other calendar month by its own constant, for all years alike: a fixed seasonal pattern, which
seasonal adjustment removes entirely. The 季调环比 therefore do not depend on the anchor (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from yacang.analysis.calendar import DEFAULT_FESTIVAL_LOSS, DEFAULT_WINDOW, jan_share
from yacang.measures.calendar import calendar_view, monthly_grid

JF = 0  # cell key of the joint January–February


@dataclass
class ChainedIndex:
    """Levels chain-linked from 当月同比."""

    levels: pd.Series  # monthly PeriodIndex; Jan/Feb of joint years split by the rule
    joint_years: set[int]
    joint_totals: pd.Series  # year → January+February level of joint years
    anchor_year: int
    notes: list[str] = field(default_factory=list)


def _cells(grid: pd.DataFrame) -> dict[int, dict[int, float]]:
    """Per year: cell → growth %, cell 0 the joint 1-2月, 1..12 single months."""
    out: dict[int, dict[int, float]] = {}
    for p, row in grid.iterrows():
        if pd.isna(row["value"]):
            continue
        cells = out.setdefault(p.year, {})
        if row["joint"]:
            cells[JF] = float(row["value"])
        else:
            cells[p.month] = float(row["value"])
    return out


def _complete(cells: dict[int, float]) -> bool:
    return all(m in cells for m in range(3, 13)) and (JF in cells or (1 in cells and 2 in cells))


def chain_index(
    yoy: pd.Series,
    ytd: pd.Series | None = None,
    *,
    anchor_year: int | None = None,
    anchor_profile: dict[int, float] | None = None,
    window: tuple[int, int] = DEFAULT_WINDOW,
    loss: float = DEFAULT_FESTIVAL_LOSS,
    split_rule: str = "fixed",
) -> ChainedIndex:
    """Chain-link a level index from 当月同比 given as warehouse period codes (see module doc).

    ``ytd`` is the 累计同比 series: it tells a pre-2013 February figure from the 1-2月 figure
    (:func:`yacang.measures.calendar.calendar_view`). ``anchor_year`` defaults to the first year with
    every month; ``anchor_profile`` maps calendar month (0 for 1-2月) to the anchor level (default 100,
    1-2月 200). ``split_rule`` divides a joint January+February level: ``"fixed"`` keeps the anchor
    year's shares in every year (the split then carries no information, and seasonal adjustment with a
    merged festival regressor sees the festival only as 1-2月 against March: the default, and what the
    benchmark against NBS's published 季调环比 favours), ``"festival"`` uses
    :func:`yacang.analysis.calendar.jan_share` (festival-aware day weights) year by year.
    """
    if split_rule not in ("fixed", "festival"):
        raise ValueError(f"未知的1-2月拆分规则 {split_rule!r}，应为 fixed 或 festival")
    grid = monthly_grid(calendar_view(yoy, ytd))
    cells = _cells(grid)
    complete = [y for y in sorted(cells) if _complete(cells[y])]
    if not complete:
        raise ValueError("同比序列没有一个完整年份，无法链接成指数")
    anchor = anchor_year if anchor_year is not None else complete[0]
    if anchor not in complete:
        raise ValueError(f"锚定年份 {anchor} 的同比不完整；可选年份：{complete[0]}–{complete[-1]}")
    profile = {JF: 200.0, **{m: 100.0 for m in range(1, 13)}}
    profile.update(anchor_profile or {})
    years = sorted(cells)
    level: dict[int, dict[int, float]] = {anchor: {}}
    a = cells[anchor]
    for m in range(3, 13):
        level[anchor][m] = profile[m]
    if JF in a:
        level[anchor][JF] = profile[JF]
    else:
        level[anchor][1], level[anchor][2] = profile[1], profile[2]

    fixed_share = profile[1] / (profile[1] + profile[2])

    def split(y: int, lv: dict[int, float]) -> tuple[float, float]:
        if 1 in lv and 2 in lv:
            return lv[1], lv[2]
        s = jan_share(y, window, loss) if split_rule == "festival" else fixed_share
        return lv[JF] * s, lv[JF] * (1 - s)

    def link(y_from: int, y_to: int, forward: bool) -> None:
        """Levels of ``y_to`` from those of ``y_from`` (one year apart) and the later year's growth."""
        src, dst = level[y_from], {}
        growth = cells[y_to] if forward else cells[y_from]
        target = cells.get(y_to, {})

        def step(v: float, g: float) -> float:
            return v * (1 + g / 100) if forward else v / (1 + g / 100)

        for m in range(3, 13):
            if m in src and m in growth:
                dst[m] = step(src[m], growth[m])
        if JF in growth:
            base = (src[1] + src[2]) if (1 in src and 2 in src) else src.get(JF)
            if base is not None:
                total = step(base, growth[JF])
                if 1 in target and 2 in target and JF not in target:
                    dst[1], dst[2] = split(y_to, {JF: total})
                else:
                    dst[JF] = total
        elif 1 in growth and 2 in growth and (JF in src or (1 in src and 2 in src)):
            j0, f0 = split(y_from, src)
            dst[1], dst[2] = step(j0, growth[1]), step(f0, growth[2])
        level[y_to] = dst

    for y in [y for y in years if y > anchor]:
        if y - 1 not in level:
            break
        link(y - 1, y, forward=True)
    for y in sorted([y for y in years if y < anchor], reverse=True):
        if y + 1 not in level:
            break
        link(y + 1, y, forward=False)

    joint_years: set[int] = set()
    totals: dict[int, float] = {}
    out: dict[pd.Period, float] = {}
    for y, lv in level.items():
        if JF in lv:
            joint_years.add(y)
            totals[y] = lv[JF]
        if JF in lv or (1 in lv and 2 in lv):
            j, f = split(y, lv)
            out[pd.Period(year=y, month=1, freq="M")] = j
            out[pd.Period(year=y, month=2, freq="M")] = f
        for m in range(3, 13):
            if m in lv:
                out[pd.Period(year=y, month=m, freq="M")] = lv[m]
    s = pd.Series(out, dtype=float).sort_index()
    s = s.reindex(pd.period_range(s.index.min(), s.index.max(), freq="M")).rename("chained_index")
    s = s.loc[s.first_valid_index(): s.last_valid_index()]
    how = (f"按春节窗口（节前{window[0]}天/节后{window[1]}天，窗口内日产出按{1 - loss:.0%}计）拆分" if split_rule == "festival"
           else "按锚定年份的固定比例拆分（拆分本身不含信息，1月与2月不单独解读）")
    notes = [f"锚定年份 {anchor}（各月=100，1-2月合计=200）；1-2月合计值精确链接，{how}"]
    return ChainedIndex(s, joint_years, pd.Series(totals, dtype=float).sort_index(), anchor, notes)


def yoy_from_levels(levels: pd.Series, joint_years: set[int]) -> pd.Series:
    """当月同比 (%) recomputed from levels, 1-2月 jointly for ``joint_years`` (as period codes)."""
    out: dict[str, float] = {}
    for p, v in levels.items():
        prev = levels.get(p - 12)
        if prev is None or pd.isna(prev) or pd.isna(v):
            continue
        if p.month in (1, 2) and p.year in joint_years:
            if p.month == 1:
                continue
            jan, pjan = levels.get(p - 1), levels.get(p - 13)
            out[f"{p.year}-01/02"] = 100 * ((jan + v) / (pjan + prev) - 1)
        else:
            out[str(p)] = 100 * (v / prev - 1)
    return pd.Series(out, dtype=float)


__all__ = ["ChainedIndex", "chain_index", "yoy_from_levels"]
