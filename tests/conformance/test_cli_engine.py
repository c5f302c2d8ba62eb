"""The user's choice of engine: ``yacang measures --engine`` and ``[engine]`` in yacang.toml print the same
table from DuckDB and from Spark (the conformance panel; numbers in test_measures.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conformance import panel


@pytest.fixture()
def home(yacang_home, monkeypatch):
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(get_settings().warehouse_path)
    panel.build(wh)
    wh.close()
    monkeypatch.setenv("COLUMNS", "200")
    return yacang_home


def _measures(*extra: str):
    from yacang.cli import app

    return CliRunner().invoke(app, ["measures", "--period", "2023-03", "--region", "440000", *extra])


def test_duckdb_is_the_default_and_an_unknown_engine_is_refused(home, tmp_path):
    res = _measures()
    assert res.exit_code == 0, res.output
    assert "计算引擎：DuckDB" in res.output and "7.5" in res.output and "10.0" in res.output
    res = _measures("--engine", "oracle")
    assert res.exit_code != 0 and "未知的计算引擎“oracle”" in res.output
    (tmp_path / "yacang.toml").write_text('[engine]\nbackend = "oracle"\n', encoding="utf-8")
    res = _measures()
    assert res.exit_code != 0 and "engine.backend" in res.output


@pytest.mark.spark
@pytest.mark.slow
def test_spark_from_the_config_prints_the_same_table(home, tmp_path):
    duck = _measures("--engine", "duckdb")
    assert duck.exit_code == 0, duck.output
    (tmp_path / "yacang.toml").write_text(
        '[engine]\nbackend = "spark"\nmaster = "local[1]"\n'
        'conf = { "spark.sql.shuffle.partitions" = "2", "spark.driver.memory" = "1g" }\n', encoding="utf-8")
    spark = _measures()
    assert spark.exit_code == 0, spark.output
    assert "计算引擎：Spark（local[1]）" in spark.output
    parts = sorted(p.parent.name for p in (home / "parquet" / "reports").glob("period=*/*.parquet"))
    assert parts == ["period=2023-01%2F02", "period=2023-03"], parts  # the export: one folder per report period
    strip = [line for line in duck.output.splitlines() if not line.startswith("计算引擎")]
    assert [line for line in spark.output.splitlines() if not line.startswith("计算引擎")] == strip
    assert "7.5" in spark.output and "10.0" in spark.output and "第2位/2" in spark.output
