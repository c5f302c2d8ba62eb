"""Which engine computes the microdata measures: DuckDB (the warehouse itself, the default) or PySpark.

The measures are Ibis expressions (:mod:`yacang.measures.real_growth`, :mod:`yacang.measures.windows`), so
the same code runs on either backend. DuckDB computes them on the warehouse file directly. For Spark,
the warehouse's microdata tables are exported as Parquet (one directory per table; ``reports``
partitioned by period, so a month's computation reads only the periods it needs, and a re-export
rewrites only the periods whose rows changed; exporting twice gives the same files) and registered in
the Spark session as temporary views of the same names and columns; then the expressions run on Spark:

- ``master = "local[2]"`` (default): Spark in this process's JVM on two cores;
- ``master = "spark://host:7077"`` (or ``yarn``): a cluster; the Parquet directory must be a path every
  executor can read (a shared file system, HDFS or S3);
- ``remote = "sc://host:15002"``: Spark Connect; the server reads the Parquet directory.

Chosen in ``yacang.toml`` (``[engine] backend = "spark"``, ``master`` or ``remote``, ``parquet_dir``) or
with ``--engine spark`` on ``yacang measures``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import ibis

from yacang.warehouse import report_ytd

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from yacang.warehouse.store import Warehouse

BACKENDS = ("duckdb", "spark")
MICRODATA_TABLES = ("enterprises", "enterprise_years", "reports", "division_params", "division_ppi", "targets",
                    *report_ytd.TABLES)  # with the maintained 当月/累计 sums and what they were built from
SPARK_DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.ansi.enabled": "true",
}


class EngineError(RuntimeError):
    """The chosen engine cannot be used (unknown backend, Spark not installed or not reachable)."""


@dataclass(frozen=True)
class EngineChoice:
    """A backend and, for Spark, where it runs (``master``) or the Spark Connect server (``remote``)."""

    backend: str = "duckdb"
    master: str = "local[2]"
    remote: str = ""
    parquet_dir: str = ""  # where the microdata tables are exported for Spark ("" = YACANG_HOME/parquet)
    conf: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise EngineError(f"未知的计算引擎“{self.backend}”，可用：{'、'.join(BACKENDS)}")
        if self.remote and not self.remote.startswith("sc://"):
            raise EngineError(f"Spark Connect 地址应以 sc:// 开头（如 sc://host:15002），收到“{self.remote}”")

    def label(self) -> str:
        """How the output names the engine, e.g. ``DuckDB`` or ``Spark（local[2]）``."""
        if self.backend == "duckdb":
            return "DuckDB"
        return f"Spark（{self.remote or self.master}）"


def configured_choice(backend: str | None = None) -> EngineChoice:
    """The engine of ``yacang.toml`` ``[engine]``, with ``backend`` (e.g. from ``--engine``) overriding it."""
    from yacang.job_config import load_config

    cfg = load_config().engine
    return EngineChoice(backend=backend or cfg.backend, master=cfg.master, remote=cfg.remote,
                        parquet_dir=cfg.parquet_dir, conf=dict(cfg.conf))


def spark_session(choice: EngineChoice, app_name: str = "yacang"):
    """A Spark session for ``choice`` (local or cluster ``master``, or Spark Connect ``remote``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # the optional extra is missing
        raise EngineError("未安装 PySpark：请执行 pip install -e \".[spark]\"（还需要 Java 运行环境）") from exc
    builder = SparkSession.builder.appName(app_name)
    builder = builder.remote(choice.remote) if choice.remote else builder.master(choice.master)
    conf = dict(SPARK_DEFAULTS) | dict(choice.conf)
    if choice.remote:
        conf.pop("spark.ui.enabled", None)  # a server setting, not a session one
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if not choice.remote:
        session.sparkContext.setLogLevel("ERROR")
    return session


def spark_backend(choice: EngineChoice, app_name: str = "yacang") -> ibis.BaseBackend:
    """Ibis' PySpark backend on a session for ``choice``."""
    return ibis.pyspark.connect(spark_session(choice, app_name))


# Tables exported as hive-partitioned Parquet (``<table>/<column>=<value>/data_0.parquet``) and their
# partition column: a month's computation filters ``reports`` on ``period`` (``period IN (...)``), so on
# Spark it lists and reads only the partitions of the periods it needs. A period such as ``2023-01/02``
# is written as the directory ``period=2023-01%2F02`` (DuckDB escapes it) and read back as
# ``2023-01/02`` by both DuckDB and Spark.
PARTITIONED = {"reports": "period"}
# DuckDB's memory limit while exporting a file-backed warehouse: the COPY streams, but the buffer pool
# otherwise keeps every block it scanned (5.8 GB after exporting 16 million report rows, held while
# Spark computes); capped, the export takes the same time.
EXPORT_MEMORY_LIMIT = 1 << 30


def export_parquet(wh: Warehouse, directory: Path, tables: tuple[str, ...] = MICRODATA_TABLES) -> dict[str, Path]:
    """Write the warehouse's ``tables`` as Parquet under ``directory``, one directory per table.

    A table of :data:`PARTITIONED` (``reports``) is hive-partitioned on its column (one sub-directory per
    period) and updated in place: only the partitions whose rows changed since the last export (a
    fingerprint per partition, kept in ``_yacang_partitions.json``) are rewritten, those gone are
    removed. An empty one, and every other table, is a single ``<table>/data.parquet``, written beside its
    directory and swapped in. Exporting the same warehouse twice gives the same files and rows."""
    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    with _export_memory(wh.db):
        for name in tables:
            if name in report_ytd.TABLES and not wh.has_table(name):
                continue  # a file older writers wrote, opened read-only: the measures sum the reports
            target = out[name] = directory / name
            column = PARTITIONED.get(name)
            if column and _update_partitions(wh.db, name, column, target):
                continue
            staging = directory / f".{name}.writing"
            if staging.exists():
                shutil.rmtree(staging)
            _write_table(wh, name, staging)
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
            if column:
                _write_manifest(wh.db, name, column, target)
    return out


MANIFEST = "_yacang_partitions.json"  # Spark skips files named _*, DuckDB's *.parquet glob too


def _fingerprints(db, name: str, column: str) -> dict[str, list]:
    """Per partition value: row count and the sum of the rows' hashes (any changed, added or removed row
    changes one or both)."""
    rows = db.execute(f"SELECT {column}, count(*), sum(hash(t)::HUGEINT)::VARCHAR FROM {name} t GROUP BY 1").fetchall()
    return {value: [n, digest] for value, n, digest in rows}


def _layout(db, name: str) -> dict:
    """What a manifest is valid for: the table's columns and types, and the DuckDB that hashed it."""
    columns = [[c, t] for c, t, *_ in db.execute(f"DESCRIBE {name}").fetchall()]
    return {"columns": columns, "duckdb": db.execute("SELECT version()").fetchall()[0][0]}


def _partition_dirs(target: Path, column: str) -> dict[str, Path]:
    """Partition value → its directory (DuckDB percent-escapes the value in the name: ``%2F`` for ``/``)."""
    return {unquote(d.name.split("=", 1)[1]): d for d in target.iterdir() if d.name.startswith(f"{column}=")}


def _write_manifest(db, name: str, column: str, target: Path, prints: dict | None = None) -> None:
    """Record the partitions' fingerprints, unless the directory names do not map back to the values
    (then there is no manifest and the next export rewrites the table in full)."""
    prints = _fingerprints(db, name, column) if prints is None else prints
    if not prints or set(_partition_dirs(target, column)) != set(prints):
        return
    (target / MANIFEST).write_text(json.dumps(_layout(db, name) | {"partitions": prints}, ensure_ascii=False))


def _update_partitions(db, name: str, column: str, target: Path) -> bool:
    """Rewrite only the changed partitions of an earlier export of ``name``; False (nothing touched) if
    there is no valid earlier export to update or the table is empty: then it is written in full."""
    manifest = target / MANIFEST
    if not manifest.is_file():
        return False
    old = json.loads(manifest.read_text())
    prints = _fingerprints(db, name, column)
    if not prints or {k: old.get(k) for k in ("columns", "duckdb")} != _layout(db, name):
        return False
    changed = [v for v, fp in prints.items() if old["partitions"].get(v) != fp]
    dirs = _partition_dirs(target, column)
    if not changed and set(dirs) == set(prints):
        return True
    manifest.unlink()  # if interrupted from here on, the next export rewrites the table in full
    if changed:
        staging = target.parent / f".{name}.writing"
        if staging.exists():
            shutil.rmtree(staging)
        marks = ", ".join("?" for _ in changed)
        db.execute(f"COPY (SELECT * FROM {name} WHERE {column} IN ({marks})) TO '{staging}' "
                   f"(FORMAT parquet, PARTITION_BY ({column}))", changed)
        for value, new in _partition_dirs(staging, column).items():
            if value in dirs:
                shutil.rmtree(dirs[value])
            new.rename(target / new.name)
        shutil.rmtree(staging)
    for value, old_dir in dirs.items():
        if value not in prints:
            shutil.rmtree(old_dir)
    _write_manifest(db, name, column, target, prints)
    return True


@contextmanager
def _export_memory(db) -> Iterator[None]:
    """DuckDB's memory limit lowered to :data:`EXPORT_MEMORY_LIMIT` (if higher) for a file-backed database,
    and set back afterwards (to DuckDB's display precision, without drift over repeated exports); an
    in-memory one keeps its own (its tables live in that memory)."""
    limit, path = db.execute("""SELECT current_setting('memory_limit'),
                                       (SELECT path FROM duckdb_databases() WHERE database_name = current_database())
                             """).fetchall()[0]
    if path is None or _bytes(limit) <= EXPORT_MEMORY_LIMIT:
        yield
        return
    number, unit = limit.split()
    db.execute(f"SET memory_limit = '{EXPORT_MEMORY_LIMIT}B'")
    try:
        yield
    finally:  # DuckDB shows the limit truncated to 0.1 of its unit: set back mid-way, so it shows the same
        db.execute(f"SET memory_limit = '{float(number) + 0.05:.2f} {unit}'")


def _bytes(size: str) -> float:
    """A DuckDB size such as ``18.8 GiB`` or ``953.6 MiB`` in bytes."""
    number, unit = size.split()
    return float(number) * 1024 ** ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"].index(unit)


def _write_table(wh: Warehouse, name: str, target: Path) -> None:
    """One table as Parquet in the new directory ``target`` (partitioned if listed and not empty)."""
    column = PARTITIONED.get(name)
    if column and wh.db.execute(f"SELECT EXISTS (SELECT 1 FROM {name})").fetchall()[0][0]:
        wh.db.execute(f"COPY (SELECT * FROM {name}) TO '{target}' (FORMAT parquet, PARTITION_BY ({column}))")
        return
    target.mkdir()
    wh.db.execute(f"COPY (SELECT * FROM {name}) TO '{target / 'data.parquet'}' (FORMAT parquet)")


def duckdb_parquet_sql(directory: Path, name: str) -> str:
    """A DuckDB table expression reading table ``name`` of an export in ``directory`` (partitioned or
    not): ``SELECT * FROM <this>`` gives the warehouse table's columns, the partition column last."""
    column = PARTITIONED.get(name)
    glob = f"{directory / name}/**/*.parquet"
    partitioned = column is not None and any(p.is_dir() for p in (directory / name).iterdir())
    if not partitioned:
        return f"read_parquet('{glob}')"
    return f"read_parquet('{glob}', hive_partitioning = true, hive_types = {{'{column}': VARCHAR}})"


def publish_to_spark(wh: Warehouse, con: ibis.BaseBackend, directory: Path,
                     tables: tuple[str, ...] = MICRODATA_TABLES) -> None:
    """Export ``tables`` as Parquet and register each as a Spark temporary view of the same name, with
    the warehouse table's columns in its order (a partition column read from the directory names is
    put back in its place; it must come back as text, or the publishing fails)."""
    for name, path in export_parquet(wh, directory, tables).items():
        raw = con.read_parquet(str(path), table_name=f"yc_parquet_{name}")
        columns = [c for c, *_ in wh.db.execute(f"DESCRIBE {name}").fetchall()]
        column = PARTITIONED.get(name)
        if column and not raw.schema()[column].is_string():
            raise EngineError(f"{name} 的分区列 {column} 被 Spark 读成了 {raw.schema()[column]}（应为文本）")
        con.create_view(name, raw.select(*columns), overwrite=True)


def microdata_backend(wh: Warehouse, choice: EngineChoice) -> ibis.BaseBackend:
    """The backend on which to compute the measures of ``wh``'s microdata: the warehouse's own DuckDB
    connection, or a Spark backend with the microdata tables published to it."""
    if choice.backend == "duckdb":
        return wh.con
    if choice.parquet_dir:
        directory = Path(choice.parquet_dir)
    else:
        from yacang.settings import get_settings

        directory = get_settings().home / "parquet"
    con = spark_backend(choice)
    publish_to_spark(wh, con, directory.resolve())
    return con


def small_table(con: ibis.BaseBackend, prefix: str, data) -> ir.Table:
    """A small in-memory table (pyarrow or pandas) usable in any expression of ``con``, ``.cache()`` included.

    On DuckDB an Ibis memtable; elsewhere a temporary view named ``prefix`` + a digest of the data:
    PySpark's ``cache()`` compiles the query without registering the memtables it refers to (it failed
    with TABLE_OR_VIEW_NOT_FOUND), a registered view is found by every query of the session."""
    mem = ibis.memtable(data)
    if con.name == "duckdb":
        return mem
    import pyarrow as pa

    arrow = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, arrow.schema) as writer:
        writer.write_table(arrow)
    digest = hashlib.sha1(sink.getvalue().to_pybytes()).hexdigest()[:12]
    return con.create_view(f"{prefix}_{digest}", mem, overwrite=True)
