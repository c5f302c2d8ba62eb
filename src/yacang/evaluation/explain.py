"""What an official needs to redo one region's score by hand: each value in its unit, and each indicator's
normalisation basis (the 31 regions' lowest and highest for 极差标准化, the thresholds for 功效系数)."""

from __future__ import annotations

import pandas as pd

from yacang.evaluation.system import NORMALISATION_ZH, Indicator, IndicatorSystem
from yacang.formatting import fmt, is_missing


def value_text(ind: Indicator, v: float | None) -> str:
    """``8.0%``, ``-4.7个百分点``, ``9个`` (counts whole), ``—`` for a gap."""
    if is_missing(v):
        return "—"
    if ind.unit == "百分点":
        return f"{fmt(v)}个百分点"
    if ind.unit == "个" and float(v) == round(float(v)):
        return f"{round(float(v))}个"
    return f"{fmt(v)}{ind.unit}"


def basis_lines(system: IndicatorSystem, items: pd.DataFrame, run_notes: str, names: dict[str, str]) -> list[str]:
    """One line per indicator: how its 标准化得分 comes from the value (``items``: every region's rows)."""
    lines = [n for n in str(run_notes or "").splitlines() if n]
    notes = {n.split("：", 1)[0]: n.split("：", 1)[1] for n in lines if "：" in n}
    used: set[str] = set()
    out = []
    for ind in system.indicators:
        rows = items[(items["indicator"] == ind.code) & items["value"].notna() & ~items["imputed"].astype(bool)]
        how = NORMALISATION_ZH[ind.normalisation]
        if ind.normalisation == "minmax" and not rows.empty:
            lo, hi = rows.loc[rows["value"].idxmin()], rows.loc[rows["value"].idxmax()]
            formula = "（数值 − 最低）/（最高 − 最低）" if ind.direction == "benefit" else "（最高 − 数值）/（最高 − 最低）"
            out.append(f"{ind.name}（{ind.direction_zh}）：{how}，{len(rows)} 个地区中最低 {names.get(lo['region'], lo['region'])} "
                       f"{value_text(ind, lo['value'])}、最高 {names.get(hi['region'], hi['region'])} "
                       f"{value_text(ind, hi['value'])}；标准化值 = {formula}")
        elif ind.name in notes:
            out.append(f"{ind.name}（{ind.direction_zh}）：{notes[ind.name]}")
            used.add(ind.name)
            continue
        else:
            out.append(f"{ind.name}（{ind.direction_zh}）：{how}")
    # the run's other notes (a column without spread, gaps …) stay as they were written
    return out + [n for n in lines if n.split("：", 1)[0] not in used]
