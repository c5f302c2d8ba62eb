"""Portability: the monthly microdata computation gives the same numbers on PySpark as on DuckDB.

Ibis' PySpark backend in local mode (one core, two shuffle partitions, UI off). The hand-built panel is
published to Spark as Parquet views (yacang.warehouse.engine); the same Ibis expressions run on both engines.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.microdata import handbuilt
from yacang.measures.real_growth import Scope, aggregate, enterprise_panel, enterprise_pulls
from yacang.measures.windows import (
    aggregate_windows,
    level_tables,
    monthly_panel,
    monthly_windows,
    rollup_windows,
)

pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    from yacang.warehouse import Warehouse
    from yacang.warehouse.engine import EngineChoice, microdata_backend

    wh = Warehouse.memory()
    handbuilt.build(wh)
    choice = EngineChoice(backend="spark", master="local[1]", parquet_dir=str(tmp_path_factory.mktemp("parquet")),
                          conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "1",
                                "spark.driver.memory": "1g"})
    spark = microdata_backend(wh, choice)  # the tables go to Spark as a user's run sends them (Parquet)
    yield wh.con, spark
    wh.close()
    spark.disconnect()


def run(con) -> dict[str, pd.DataFrame]:
    """The monthly computation: 当月 and 累计 by province × division, by prefecture, pulls, total, and the
    five-window wide panel aggregated by province and by division."""
    out = {}
    for cumulative in (False, True):
        panel = enterprise_panel(con, "2022-03", cumulative=cumulative)
        key = "ytd" if cumulative else "month"
        out[f"{key}_prov_div"] = aggregate(panel, ["province", "division"]).to_pandas()
        out[f"{key}_pref"] = aggregate(Scope(region="440000").apply(panel), ["prefecture"]).to_pandas()
        out[f"{key}_total"] = aggregate(panel).to_pandas()
        out[f"{key}_pulls"] = enterprise_pulls(panel).select("uscc", "va", "va_base", "pull").to_pandas()
    # the single-scan wide panel the monthly table and the benchmark use
    wins = monthly_windows("2022-03")
    wide = monthly_panel(con, "2022-03", windows=wins).cache()  # materialised, as the monthly table does
    out["wide_province"] = aggregate_windows(wide, ["province"], wins).to_pandas()
    out["wide_division"] = aggregate_windows(wide, ["division"], wins).to_pandas()
    # the benchmark's path: county × division cells once, coarser tables re-summed from them
    cells = aggregate_windows(wide, ["province", "prefecture", "county", "division"], wins)
    out["cells_province"] = rollup_windows(cells, ["province"], wins).to_pandas()
    out["cells_total"] = rollup_windows(cells, [], wins).to_pandas()
    levels = [("province", "division"), ("prefecture",), ()]
    for by, t in zip(levels, level_tables(cells, levels, wins), strict=True):
        out[f"levels_{'_'.join(by) or 'total'}"] = t
    return out


def test_spark_equals_duckdb(engines):
    duck, spark = engines
    a, b = run(duck), run(spark)
    for name, left in a.items():
        keys = [c for c in left.columns if left[c].dtype == object or str(left[c].dtype).startswith("str")]
        right = b[name]
        left = left.sort_values(keys).reset_index(drop=True) if keys else left
        right = right.sort_values(keys).reset_index(drop=True)[left.columns] if keys else right[left.columns]
        num = [c for c in left.columns if c not in keys]
        assert left[keys].astype(str).equals(right[keys].astype(str)), name
        pd.testing.assert_frame_equal(left[num].astype(float), right[num].astype(float), rtol=1e-12, check_names=True)
    # and the numbers are the hand-worked ones (test_real_growth), not just equal to each other
    assert b["month_total"]["growth"].iloc[0] == pytest.approx((410 / 365 - 1) * 100)
    assert b["ytd_total"]["growth"].iloc[0] == pytest.approx((1230 / 1165 - 1) * 100)
