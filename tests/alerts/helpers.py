"""Small builders for hand-made facts used by the alert tests."""

from __future__ import annotations

import pandas as pd


def monthly_facts(values: dict[str, list[float | None]], metric: str, *, start_year: int = 2021,
                  start_month: int = 3, scope: str = "region", parents: dict[str, str] | None = None) -> pd.DataFrame:
    """Facts for keys → consecutive monthly values starting at ``start_year-start_month`` (no Jan/Feb skip)."""
    rows = []
    for key, vals in values.items():
        y, m = start_year, start_month
        for v in vals:
            if v is not None:
                rows.append((scope, key, (parents or {}).get(key, ""), f"{y}-{m:02d}", metric, float(v)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return pd.DataFrame(rows, columns=["scope", "key", "parent", "period", "metric", "value"])


def periods_from(start_year: int, start_month: int, n: int) -> list[str]:
    out, y, m = [], start_year, start_month
    for _ in range(n):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
