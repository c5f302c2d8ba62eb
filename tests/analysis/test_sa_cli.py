"""``yacang analysis sa`` on the NBS export: the state-space route by default, X-13 on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.test_cli import nbs_export, run  # noqa: F401  (nbs_export is a fixture)

SID = "nbs:iva.yoy.100000.TOTAL"


@pytest.mark.slow
def test_state_route_prints_13_periods_with_jan_feb_joint(nbs_export: Path, tmp_path: Path) -> None:  # noqa: F811
    out = run("sa", "--series-id", SID, "--out", str(tmp_path))
    assert "状态空间模型" in out and "nbs:iva.ytd_yoy.100000.TOTAL" in out
    table = out[out.index("最近13期"):]
    # 2024-12 … 2026-02: 13 periods, each 1-2月 one row, no February row of its own
    assert "2024年12月" in table and "2025年1-2月" in table and "2026年1-2月" in table
    assert "2025年2月 " not in table and "2026年2月 " not in table
    assert "2024年11月" not in table
    # the 同比 column is the published figure: 2025-12 = 5.2, 1-2月 2026 = 6.3 (NBS export)
    row = next(line for line in table.splitlines() if "2025年12月" in line)
    assert "5.2" in row
    row = next(line for line in table.splitlines() if "2026年1-2月" in line)
    assert "6.3" in row and "1-2月合并" in row
    assert (tmp_path / "sa.png").stat().st_size > 10_000


@pytest.mark.slow
def test_x13_route_with_working_days(nbs_export: Path, tmp_path: Path) -> None:  # noqa: F811
    out = run("sa", "--series-id", SID, "--method", "x13", "--working-days", "--out", str(tmp_path))
    assert "X13" in out and "2026年1-2月" in out


def test_state_method_refuses_a_level_series(nbs_export: Path, tmp_path: Path) -> None:  # noqa: F811
    from typer.testing import CliRunner

    from yacang.cli import app

    result = CliRunner().invoke(app, ["analysis", "sa", "--series-id", "nbs:ppi.index_yoy.100000.TOTAL",
                                      "--method", "state", "--out", str(tmp_path)])
    assert result.exit_code != 0 and "state 方法只用于当月同比序列" in result.output
