"""The Parquet export for Spark (yacang.warehouse.engine): reports partitioned by period, read back with
the warehouse's own rows and columns by DuckDB and by Spark, re-export idempotent, and a month's query on
Spark reading only the partitions of its periods."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest

from yacang.warehouse.engine import MICRODATA_TABLES, duckdb_parquet_sql, export_parquet

# Six report rows in three periods (one the merged 1-2月, whose "/" must survive the directory name).
REPORTS = [("E1", "2021-03", 900.0, 850.0), ("E2", "2021-03", 500.0, 480.0),
           ("E1", "2022-01/02", 2100.0, 2000.0), ("E2", "2022-01/02", 980.0, 1000.0),
           ("E1", "2022-03", 1050.0, 900.0), ("E2", "2022-03", 490.0, 500.0)]
PARTITIONS = {"period=2021-03", "period=2022-01%2F02", "period=2022-03"}


def fill(wh) -> None:
    """A tiny warehouse: two enterprises, their reports, the small tables one row each."""
    wh.db.execute("""INSERT INTO enterprises (uscc, name, region, industry) VALUES
                     ('E1', '甲食品', '440103', '1310'), ('E2', '乙汽车', '440304', '3610')""")
    wh.db.execute("INSERT INTO enterprise_years VALUES ('E1', 2022, TRUE), ('E2', 2022, FALSE)")
    wh.db.execute("INSERT INTO division_params VALUES (2022, '13', 0.25)")
    wh.db.execute("INSERT INTO division_ppi VALUES ('2022-03', '13', 105.0)")
    wh.db.execute("INSERT INTO targets VALUES ('440000', 2022, 'iva', 6.0)")
    for uscc, period, out, prev in REPORTS:
        wh.db.execute("""INSERT INTO reports (uscc, period, output_value, output_value_prev, status, vintage,
                                              source_file, source_row) VALUES (?, ?, ?, ?, 'accepted', ?, 'test', 1)""",
                      [uscc, period, out, prev, dt.datetime(2022, 4, 15)])


@pytest.fixture()
def filled(wh):
    fill(wh)
    return wh


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def partitions(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.is_dir()}


OLD = 1_000_000_000  # 2001-09-09: the time stamp given to the files of an earlier export


def age(root: Path) -> None:
    for f in root.rglob("*.parquet"):
        os.utime(f, (OLD, OLD))


def rewritten(root: Path) -> dict[str, bool]:
    """Each Parquet file under ``root``: written since :func:`age` (True) or left alone (False)."""
    return {str(f.relative_to(root)): f.stat().st_mtime != OLD for f in root.rglob("*.parquet")}


def read_back(directory: Path, name: str) -> tuple[list[tuple], list[tuple]]:
    """(column, type) pairs and sorted rows of an exported table, read by a DuckDB that never saw the warehouse."""
    db = duckdb.connect()
    rel = f"SELECT * FROM {duckdb_parquet_sql(directory, name)}"
    columns = [(c, t) for c, t, *_ in db.execute(f"DESCRIBE {rel}").fetchall()]
    return columns, sorted(db.execute(rel).fetchall(), key=repr)


def warehouse_table(wh, name: str) -> tuple[list[tuple], list[tuple]]:
    columns = [(c, t) for c, t, *_ in wh.db.execute(f"DESCRIBE {name}").fetchall()]
    return columns, sorted(wh.db.execute(f"SELECT * FROM {name}").fetchall(), key=repr)


def test_reports_are_partitioned_by_period(filled, tmp_path):
    out = export_parquet(filled, tmp_path)
    assert partitions(out["reports"]) == PARTITIONS
    assert files(out["reports"]) == sorted([f"{p}/data_0.parquet" for p in PARTITIONS] + ["_yacang_partitions.json"])
    assert files(out["enterprises"]) == ["data.parquet"]  # the small tables stay one file


def test_duckdb_reads_back_every_table(filled, tmp_path):
    export_parquet(filled, tmp_path)
    for name in ("enterprises", "enterprise_years", "reports", "division_params", "division_ppi", "targets"):
        (cols, rows), (want_cols, want_rows) = read_back(tmp_path, name), warehouse_table(filled, name)
        if name == "reports":  # the partition column comes back last, as text
            assert cols[-1] == ("period", "VARCHAR")
            cols = [c for c in cols if c[0] != "period"]
            want_cols = [c for c in want_cols if c[0] != "period"]
            position = [c for c, _ in warehouse_table(filled, name)[0]].index("period")
            rows = sorted(((*r[:position], r[-1], *r[position:-1]) for r in rows), key=repr)
        assert cols == want_cols, name
        assert rows == want_rows, name
    periods = [r[0] for r in duckdb.connect().execute(
        f"SELECT period FROM {duckdb_parquet_sql(tmp_path, 'reports')} ORDER BY period").fetchall()]
    assert periods == ["2021-03", "2021-03", "2022-01/02", "2022-01/02", "2022-03", "2022-03"]


def test_reexport_gives_the_same_files_and_drops_gone_periods(filled, tmp_path):
    export_parquet(filled, tmp_path)
    first, first_rows = files(tmp_path), read_back(tmp_path, "reports")
    export_parquet(filled, tmp_path)
    assert files(tmp_path) == first
    assert read_back(tmp_path, "reports") == first_rows
    filled.db.execute("DELETE FROM reports WHERE period = '2021-03'")
    export_parquet(filled, tmp_path)
    assert partitions(tmp_path / "reports") == PARTITIONS - {"period=2021-03"}
    assert len(read_back(tmp_path, "reports")[1]) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["enterprises", "enterprise_years", "reports", "division_params", "division_ppi", "targets", "report_ytd",
         "report_ytd_state"])  # no staging


def test_reexport_rewrites_only_the_partitions_that_changed(filled, tmp_path):
    export_parquet(filled, tmp_path)
    age(tmp_path)
    export_parquet(filled, tmp_path)
    assert not any(rewritten(tmp_path / "reports").values())  # nothing changed: nothing rewritten
    filled.db.execute("UPDATE reports SET output_value = 1060 WHERE uscc = 'E1' AND period = '2022-03'")
    filled.db.execute("""INSERT INTO reports (uscc, period, output_value, output_value_prev, vintage)
                         VALUES ('E1', '2022-04', 1100, 950, TIMESTAMP '2022-05-15')""")
    filled.db.execute("DELETE FROM reports WHERE period = '2021-03'")
    export_parquet(filled, tmp_path)
    assert rewritten(tmp_path / "reports") == {"period=2022-01%2F02/data_0.parquet": False,
                                               "period=2022-03/data_0.parquet": True,
                                               "period=2022-04/data_0.parquet": True}
    got = duckdb.connect().execute(f"""SELECT period, uscc, output_value FROM {duckdb_parquet_sql(tmp_path, 'reports')}
                                       ORDER BY period, uscc""").fetchall()
    assert got == [("2022-01/02", "E1", 2100.0), ("2022-01/02", "E2", 980.0), ("2022-03", "E1", 1060.0),
                   ("2022-03", "E2", 490.0), ("2022-04", "E1", 1100.0)]


def test_a_new_column_or_a_lost_manifest_rewrites_in_full(filled, tmp_path):
    export_parquet(filled, tmp_path)
    age(tmp_path)
    (tmp_path / "reports" / "_yacang_partitions.json").unlink()
    export_parquet(filled, tmp_path)
    assert list(rewritten(tmp_path / "reports").values()) == [True] * 3
    age(tmp_path)
    filled.db.execute("ALTER TABLE reports ADD COLUMN note VARCHAR DEFAULT '新'")
    export_parquet(filled, tmp_path)
    assert list(rewritten(tmp_path / "reports").values()) == [True] * 3
    notes = duckdb.connect().execute(f"SELECT DISTINCT note FROM {duckdb_parquet_sql(tmp_path, 'reports')}").fetchall()
    assert notes == [("新",)]


def test_an_empty_reports_table_is_one_file_with_its_columns(wh, tmp_path):
    out = export_parquet(wh, tmp_path, ("reports",))
    assert files(out["reports"]) == ["data.parquet"]
    assert read_back(tmp_path, "reports") == warehouse_table(wh, "reports")


def test_a_file_warehouse_exports_under_the_export_memory_limit_and_gets_its_own_back(tmp_path, monkeypatch):
    import ibis

    from yacang.warehouse import Warehouse, engine

    wh = Warehouse(ibis.duckdb.connect(str(tmp_path / "wh.duckdb"), memory_limit="3GB"), tmp_path / "wh.duckdb")
    fill(wh)
    seen = []
    write = engine._write_table

    def spy(w, name, target):
        seen.append(w.db.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        write(w, name, target)

    monkeypatch.setattr(engine, "_write_table", spy)
    export_parquet(wh, tmp_path / "out")
    assert seen == ["1.0 GiB"] * len(MICRODATA_TABLES)  # 1 << 30 bytes, as DuckDB prints it
    limit = "SELECT current_setting('memory_limit')"
    assert wh.db.execute(limit).fetchone()[0] == "2.7 GiB"  # 3e9 bytes = 2.79 GiB, shown truncated
    export_parquet(wh, tmp_path / "out")
    assert wh.db.execute(limit).fetchone()[0] == "2.7 GiB"  # no drift
    wh.close()
    mem = Warehouse.memory()  # an in-memory warehouse keeps its limit: its tables live in that memory
    before = mem.db.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    seen.clear()
    export_parquet(mem, tmp_path / "out2", ("targets",))
    assert seen == [before]
    mem.close()


# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spark():
    from yacang.warehouse.engine import EngineChoice, spark_backend

    con = spark_backend(EngineChoice(backend="spark", master="local[1]",
                                     conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "1",
                                           "spark.driver.memory": "1g"}))
    yield con
    con.disconnect()


@pytest.mark.spark
@pytest.mark.slow
def test_spark_views_have_the_warehouse_columns_and_rows(filled, spark, tmp_path):
    from yacang.warehouse.engine import publish_to_spark

    publish_to_spark(filled, spark, tmp_path)
    for name in ("enterprises", "reports", "targets"):
        want_cols, want_rows = warehouse_table(filled, name)
        view = spark.table(name)
        assert list(view.columns) == [c for c, _ in want_cols], name
        rows = [tuple(None if v != v else v for v in r)  # NaN (pandas' missing float) back to None
                for r in view.to_pandas().astype(object).itertuples(index=False)]
        assert sorted(rows, key=repr) == want_rows, name


@pytest.mark.spark
@pytest.mark.slow
def test_spark_reads_only_the_partitions_of_the_periods_asked(filled, spark, tmp_path):
    from yacang.warehouse.engine import publish_to_spark

    publish_to_spark(filled, spark, tmp_path)
    # spoil the 2021 partition: a query that read it would fail
    for f in (tmp_path / "reports" / "period=2021-03").iterdir():
        f.write_bytes(b"not parquet")
    r = spark.table("reports")
    asked = r.filter(r.period.isin(["2022-01/02", "2022-03"]))
    assert asked.count().to_pyarrow().as_py() == 4
    assert asked.output_value.sum().to_pyarrow().as_py() == 2100 + 980 + 1050 + 490
    from py4j.protocol import Py4JJavaError

    with pytest.raises(Py4JJavaError, match=r"(?i)parquet"):  # the whole table does read the spoiled file
        r.count().to_pyarrow()


def test_a_file_older_writers_wrote_exports_without_the_maintained_sums(tmp_path):
    """Opened read-only (no table can be added), a warehouse from before ``report_ytd`` still exports: the
    derived tables are left out and the measures on Spark sum the reports."""
    from yacang.warehouse import Warehouse

    path = tmp_path / "old.duckdb"
    wh = Warehouse.open(path)
    fill(wh)
    wh.db.execute("DROP TABLE report_ytd")
    wh.db.execute("DROP TABLE report_ytd_state")
    wh.close()
    old = Warehouse.open(path, read_only=True)
    try:
        out = export_parquet(old, tmp_path / "export")
    finally:
        old.close()
    assert sorted(out) == sorted(["enterprises", "enterprise_years", "reports", "division_params", "division_ppi",
                                  "targets"])
    assert len(read_back(tmp_path / "export", "reports")[1]) == len(REPORTS)
