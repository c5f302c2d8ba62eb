"""The engines the conformance suite runs on: DuckDB (the warehouse) and PySpark (local[1]), both fed by
the same hand-checkable panel (tests/conformance/panel.py). Spark gets it the way a user's run does:
exported as Parquet and registered as views (yacang.warehouse.engine)."""

from __future__ import annotations

import pytest

from tests.conformance import panel

SPARK_TEST_CONF = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "1",
                   "spark.driver.memory": "1g"}


@pytest.fixture(scope="module")
def warehouse():
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    panel.build(wh)
    yield wh
    wh.close()


@pytest.fixture(scope="module", params=["duckdb", pytest.param("spark", marks=[pytest.mark.spark, pytest.mark.slow])])
def con(request, warehouse, tmp_path_factory):
    """An Ibis backend holding the panel's microdata tables."""
    from yacang.warehouse.engine import EngineChoice, microdata_backend

    choice = EngineChoice(backend=request.param, master="local[1]",
                          parquet_dir=str(tmp_path_factory.mktemp("parquet")), conf=SPARK_TEST_CONF)
    backend = microdata_backend(warehouse, choice)
    yield backend
    if request.param == "spark":
        backend.disconnect()
