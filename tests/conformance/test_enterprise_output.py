"""Enterprise output reports (yacang.warehouse.enterprise_output) read alike on DuckDB and Spark (panel.py)."""

from __future__ import annotations

from tests.conformance import panel
from yacang.warehouse.enterprise_output import comparable_output_frame


def test_latest_comparable_output(con) -> None:
    df = comparable_output_frame(con, [panel.E1, panel.E5, "no-such-enterprise"])
    got = [(r.uscc, r.period, r.output_value, r.output_value_prev) for r in df.itertuples(index=False)]
    assert got == sorted([(panel.E1, "2023-01/02", 2000.0, 2000.0), (panel.E1, "2023-03", 1000.0, 800.0),
                          (panel.E5, "2023-03", 1000.0, 100.0)])


def test_no_enterprises_no_rows(con) -> None:
    assert comparable_output_frame(con, []).empty
