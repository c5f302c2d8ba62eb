"""Values no statistics bureau publishes are located errors: a period not yet begun, an impossible growth.

The rows are the shared province panel's own (江苏 2022), with one cell changed the way a user errs.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.ingest.portal import panel_rows
from yacang.ingest.panel import parse_panel


def _jiangsu_2022(shared_data: Path, tmp_path: Path, change: dict[int, dict[str, str]]) -> Path:
    rows = [r for r in panel_rows(shared_data) if r["province"] == "江苏" and r["year"] == "2022"]
    for i, fields in change.items():
        rows[i] = {**rows[i], **fields}
    out = tmp_path / "江苏_2022.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return out


def test_unchanged_rows_load(shared_data, tmp_path):
    batch = parse_panel(_jiangsu_2022(shared_data, tmp_path, {}))
    assert not batch.errors and len(batch.observations) == 11  # 1-2月 … 1-12月


def test_a_period_in_the_future_is_refused_with_its_row(shared_data, tmp_path):
    year = dt.date.today().year + 2  # never begun, whatever the day the test runs
    path = _jiangsu_2022(shared_data, tmp_path, {3: {"date": f"{year}-05-31", "year": str(year)}})
    batch = parse_panel(path)
    assert [(e.row, e.column) for e in batch.errors] == [(5, "date")]  # header is line 1; 4th data row
    assert "尚未到来" in batch.errors[0].reason and f"{year}-05" in batch.errors[0].reason


@pytest.mark.parametrize("bad", ["-100", "-999"])
def test_value_added_cannot_fall_by_100_percent_or_more(shared_data, tmp_path, bad):
    batch = parse_panel(_jiangsu_2022(shared_data, tmp_path, {2: {"value_pct": bad}}))
    assert [(e.row, e.column, e.value) for e in batch.errors] == [(4, "value_pct", bad)]
    assert "-100" in batch.errors[0].reason


def test_a_real_fall_loads(shared_data, tmp_path):
    # a fall as deep as 上海's 1-4月 2022 (panel: −12.9) is a figure, not a mistake
    batch = parse_panel(_jiangsu_2022(shared_data, tmp_path, {2: {"value_pct": "-12.9"}}))
    assert not batch.errors and -12.9 in set(batch.observations["value"])
