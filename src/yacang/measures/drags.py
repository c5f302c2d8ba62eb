"""点对点 help starts from the enterprises that move the total most: top-N by pull, both signs."""

from __future__ import annotations

from collections.abc import Sequence

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
    the panel, or from ``names`` (uscc, name) joined to the chosen few only. Several at once:
    :func:`top_pulls_sets` (one query).
    """
    return top_pulls_sets(panel, [(level, n, negative)], names=names)[0]


def top_pulls_sets(panel: ibis.Table, specs: Sequence[tuple[str, int, bool]], *,
                   names: ibis.Table | None = None) -> list[pd.DataFrame]:
    """:func:`top_pulls_by` for each ``(level, n, negative)`` of ``specs``, fetched in one query (one scan
    of the panel and one round trip instead of one a list; the panel need not be materialised first)."""
    cols = ["uscc", *(["name"] if names is None else []), "division", "va", "va_base", "pull"]
    parts = [_chosen(panel, level, n, negative).select(*cols, _spec=ibis.literal(k, "int8"), _group=level)
             for k, (level, n, negative) in enumerate(specs)]
    every = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    every = _named(every, names).select("_spec", "_group", "uscc", "name", "division", "va", "va_base", "pull")
    df = every.to_pyarrow().to_pandas()
    out = []
    for k, (level, _, negative) in enumerate(specs):
        part = df[df["_spec"] == k].rename(columns={"_group": level}).drop(columns="_spec")
        # ordered here (a union keeps no order): by group, then the pull (biggest first), then the code
        part = part.sort_values([level, "pull", "uscc"], ascending=[True, negative, True], ignore_index=True)
        part["place"] = part.groupby(level, sort=False, dropna=False).cumcount().astype("int64") + 1
        out.append(part)
    return out


def _chosen(panel: ibis.Table, level: str, n: int, negative: bool) -> ibis.Table:
    """The ``n`` biggest pulls (``negative``: drags) of each ``level`` group, pull against the group's base
    (the panel's rows with ``pull``). ``nation`` is one group: a plain top-N."""
    if level == "nation":  # one group: a top-N (no window over every enterprise)
        t = panel.mutate(pull=(panel.va - panel.va_base) / panel.va_base.sum().as_scalar().nullif(0.0) * 100.0)
        t = t.filter(t.pull < 0) if negative else t.filter(t.pull > 0)
        order = [t.pull, t.uscc] if negative else [ibis.desc(t.pull), t.uscc]
        return t.order_by(order).limit(n)
    # each group's base joined back (a window partitioned by the group sorted every enterprise: 4× the cost)
    base = panel.group_by(_key=panel[level]).aggregate(_base=panel.va_base.sum())
    rows = panel.view()  # a distinct relation: Ibis would read ``panel[level]`` as the aggregate's own key
    t = rows.join(base, rows[level].identical_to(base._key))  # a NULL group is a group, as in a window
    t = t.mutate(pull=(t.va - t.va_base) / t._base.nullif(0.0) * 100.0).drop("_key", "_base")
    t = t.filter(t.pull < 0) if negative else t.filter(t.pull > 0)
    order = [t.pull, t.uscc] if negative else [ibis.desc(t.pull), t.uscc]
    t = t.mutate(place=ibis.row_number().over(group_by=t[level], order_by=order) + 1)
    return t.filter(t.place <= n)


def _named(top: ibis.Table, names: ibis.Table | None) -> ibis.Table:
    """``top`` with each enterprise's name from ``names`` (left join: an unregistered one keeps no name)."""
    return top if names is None else top.left_join(names, "uscc").drop("uscc_right")
