"""点对点 help starts from the enterprises that move the total most: top-N by pull, both signs."""

from __future__ import annotations

import ibis
import pandas as pd

from yacang.measures.real_growth import Scope, enterprise_panel, enterprise_pulls
from yacang.periods import Period


def top_pulls(con: ibis.BaseBackend, period: str | Period, scope: Scope = Scope(), *, n: int = 10,
              cumulative: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(top positive, top negative) enterprises by 拉动 (百分点) on the scope's total growth.

    Columns: uscc, name, county, division, va, va_base, growth, pull. Negative = drags (拖累).
    """
    return top_pulls_from_panel(scope.apply(enterprise_panel(con, period, cumulative=cumulative)), n=n)


def top_pulls_from_panel(panel: ibis.Table, *, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = enterprise_pulls(panel).select("uscc", "name", "county", "division", "va", "va_base", "growth", "pull")
    up = p.filter(p.pull > 0).order_by([ibis.desc("pull"), "uscc"]).limit(n).to_pandas()
    down = p.filter(p.pull < 0).order_by(["pull", "uscc"]).limit(n).to_pandas()
    return up, down


def top_pulls_by(panel: ibis.Table, level: str, *, n: int = 10, negative: bool = True,
                 names: ibis.Table | None = None) -> pd.DataFrame:
    """Top-N enterprises by pull *within each* ``level`` group (e.g. each province), in one query.

    Pull is against the group's own base; ``negative`` picks the biggest drags, else the biggest pulls.
    Columns: the level, uscc, name, division, va, va_base, pull, place (1 = biggest). The name comes from
    the panel, or from ``names`` (uscc, name) joined to the chosen few only.
    """
    delta = panel.va - panel.va_base
    if level == "nation":  # one group: a top-N (no window over every enterprise)
        t = panel.mutate(pull=delta / panel.va_base.sum().as_scalar().nullif(0.0) * 100.0)
        t = t.filter(t.pull < 0) if negative else t.filter(t.pull > 0)
        order = [t.pull, t.uscc] if negative else [ibis.desc(t.pull), t.uscc]
        top = _named(t.order_by(order).limit(n), names)
        df = top.select(level, "uscc", "name", "division", "va", "va_base", "pull").to_pandas()
        # a select after the limit keeps its rows, not necessarily their order: sorted again here
        df = df.sort_values(["pull", "uscc"], ascending=[negative, True], ignore_index=True)
        return df.assign(place=range(1, len(df) + 1))
    t = panel.mutate(pull=delta / panel.va_base.sum().over(group_by=panel[level]).nullif(0.0) * 100.0)
    t = t.filter(t.pull < 0) if negative else t.filter(t.pull > 0)
    order = [t.pull, t.uscc] if negative else [ibis.desc(t.pull), t.uscc]
    t = t.mutate(place=ibis.row_number().over(group_by=t[level], order_by=order) + 1)
    top = _named(t.filter(t.place <= n), names)
    return (top.select(level, "uscc", "name", "division", "va", "va_base", "pull", "place")
            .order_by([level, "place"]).to_pandas())


def _named(top: ibis.Table, names: ibis.Table | None) -> ibis.Table:
    """``top`` with each enterprise's name from ``names`` (left join: an unregistered one keeps no name)."""
    return top if names is None else top.left_join(names, "uscc").drop("uscc_right")
