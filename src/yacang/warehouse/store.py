"""The observation store: series, observations with vintages, quarantine, batch log.

Every observation keeps its vintage (when it was published or loaded), as ALFRED does: a revised value
adds a row and never overwrites, so any read can be asked ``as_of`` a date. Writes go through
:meth:`Warehouse.write_batch`, which is all-or-nothing per file and idempotent: loading the same content
twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from yacang.catalog.indicators import INDEX_OF_RATE
from yacang.catalog.industries import TOTAL
from yacang.catalog.regions import NATION
from yacang.ingest.batch import SERIES_COLUMNS, Batch
from yacang.ingest.limits import cap_errors
from yacang.periods import parse_period
from yacang.warehouse.schema import SCHEMA_SQL, migrate
from yacang.warehouse.series_choice import preference_order
from yacang.warehouse.transaction import transaction


@dataclass(frozen=True)
class BatchResult:
    batch_id: str
    source_file: str
    n_series: int
    n_observations: int
    n_new: int
    n_revised: int
    n_unchanged: int
    already_loaded: bool
    n_flags_only: int = 0  # rows stored because only their flags (notes) changed: not in n_revised


class Warehouse:
    """Ibis over DuckDB (a file under YACANG_HOME by default)."""

    def __init__(self, con: ibis.BaseBackend, path: Path | None = None, *, read_only: bool = False) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self._schemas: dict[tuple[str, tuple[str, ...]], ibis.Schema] = {}
        if not read_only:
            self._ensure_schema()

    # opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> Warehouse:
        from yacang.settings import get_settings

        settings = get_settings()
        p = Path(path) if path is not None else settings.warehouse_path
        p.parent.mkdir(parents=True, exist_ok=True)
        if read_only and not p.exists():
            cls(ibis.duckdb.connect(str(p)), p).close()  # an empty warehouse with its tables
        return cls(ibis.duckdb.connect(str(p), read_only=read_only), p, read_only=read_only)

    @classmethod
    def memory(cls) -> Warehouse:
        return cls(ibis.duckdb.connect(), None)

    @property
    def db(self):  # the raw duckdb connection, for transactional writes
        return self.con.con

    def close(self) -> None:
        self.con.disconnect()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        for stmt in SCHEMA_SQL:
            self.db.execute(stmt)
        migrate(self.db)

    def table(self, name: str) -> ir.Table:
        return self.con.table(name)

    # writing -----------------------------------------------------------------------------
    def write_batch(self, batch: Batch, *, loaded_at: dt.datetime | None = None) -> BatchResult:
        """Store a parsed file. Raises if the batch has errors (after quarantining them)."""
        from yacang.ingest.errors import IngestError

        batch_id = uuid.uuid4().hex[:16]
        now = loaded_at or dt.datetime.now().replace(microsecond=0)
        if batch.errors:
            self.quarantine(batch_id, batch, now)
            raise IngestError(
                f"{batch.source_file}：发现 {len(batch.errors)} 处错误，整个文件未入库（已有数据未改动），"
                "错误已记入隔离表 quarantine。请修正后重新导入。",
                batch.errors,
            )
        already = self.scalar("SELECT count(*) FROM batches WHERE sha256 = ? AND status = 'loaded'", [batch.sha256])
        vintage = pd.Timestamp(batch.vintage).to_pydatetime() if batch.vintage is not None else now
        obs = batch.observations.copy()
        ends = {p: parse_period(p).end_date for p in obs["period"].unique()}
        obs["period_end"] = obs["period"].map(ends)
        obs["flags"] = obs["flags"].fillna("").astype("string")
        series = batch.series[SERIES_COLUMNS].drop_duplicates("series_id")
        db = self.db
        with transaction(db):
            db.register("incoming_series", series)
            db.execute(
                """INSERT INTO series SELECT s.*, ?::TIMESTAMP FROM incoming_series s
                   WHERE s.series_id NOT IN (SELECT series_id FROM series)""",
                [now],
            )
            db.unregister("incoming_series")
            db.register("incoming_obs", obs)
            db.execute(
                """CREATE OR REPLACE TEMP TABLE _latest AS
                   SELECT o.series_id, o.period, o.value, o.flags FROM observations o
                   JOIN (SELECT DISTINCT series_id FROM incoming_obs) s USING (series_id)
                   QUALIFY row_number() OVER (PARTITION BY o.series_id, o.period ORDER BY o.vintage DESC, o.loaded_at DESC) = 1"""
            )
            if "vintage" in obs.columns:
                # per-observation vintages (release calendar): a new value is dated at its own release,
                # a revision at the file's date; a row already stored at that vintage is not repeated.
                db.execute(
                    """CREATE OR REPLACE TEMP TABLE _incoming AS
                       SELECT i.*, l.series_id IS NULL AS is_new, l.value IS NOT DISTINCT FROM i.value AS same_value,
                              CASE WHEN l.series_id IS NULL THEN coalesce(i.vintage, ?::TIMESTAMP)
                                   ELSE ?::TIMESTAMP END AS _vintage
                       FROM incoming_obs i LEFT JOIN _latest l USING (series_id, period)
                       WHERE l.series_id IS NULL OR l.value IS DISTINCT FROM i.value
                             OR l.flags IS DISTINCT FROM i.flags""",
                    [now, vintage],
                )
                db.execute(
                    """DELETE FROM _incoming i WHERE EXISTS (
                         SELECT 1 FROM observations o WHERE o.series_id = i.series_id AND o.period = i.period
                           AND o.vintage = i._vintage AND o.value IS NOT DISTINCT FROM i.value
                           AND o.flags IS NOT DISTINCT FROM i.flags)"""
                )
                counts = db.execute("SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new), "
                                    "count(*) FILTER (WHERE NOT is_new AND same_value) FROM _incoming").fetchall()[0]
                db.execute(
                    """INSERT INTO observations
                       SELECT series_id, period, period_end, value, _vintage, flags, ?, source_row, source_col, ?,
                              ?::TIMESTAMP
                       FROM _incoming""",
                    [batch.source_file, batch_id, now],
                )
                db.execute("DROP TABLE IF EXISTS _incoming")
            else:
                counts = db.execute(
                    """SELECT count(*) FILTER (WHERE l.series_id IS NULL),
                              count(*) FILTER (WHERE l.series_id IS NOT NULL
                                               AND (l.value IS DISTINCT FROM i.value OR l.flags IS DISTINCT FROM i.flags)),
                              count(*) FILTER (WHERE l.series_id IS NOT NULL AND l.value IS NOT DISTINCT FROM i.value
                                               AND l.flags IS DISTINCT FROM i.flags)
                       FROM incoming_obs i LEFT JOIN _latest l USING (series_id, period)"""
                ).fetchall()[0]
                db.execute(
                    """INSERT INTO observations
                       SELECT i.series_id, i.period, i.period_end, i.value, ?::TIMESTAMP, i.flags,
                              ?, i.source_row, i.source_col, ?, ?::TIMESTAMP
                       FROM incoming_obs i LEFT JOIN _latest l USING (series_id, period)
                       WHERE l.series_id IS NULL OR l.value IS DISTINCT FROM i.value
                             OR l.flags IS DISTINCT FROM i.flags""",
                    [vintage, batch.source_file, batch_id, now],
                )
            db.unregister("incoming_obs")
            db.execute("DROP TABLE IF EXISTS _latest")
            # 修订 is a changed value; a row stored because only its flags changed is counted apart
            n_new, n_flags = int(counts[0]), int(counts[2])
            n_rev = int(counts[1]) - n_flags
            db.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'loaded')",
                [batch_id, batch.source_file, batch.sha256, batch.format, now,
                 len(series), len(obs), n_new, n_rev],
            )
        return BatchResult(batch_id, batch.source_file, len(series), len(obs), n_new, n_rev,
                           len(obs) - n_new - n_rev - n_flags, bool(already), n_flags)

    def quarantine(self, batch_id: str, batch: Batch, when: dt.datetime) -> None:
        """Record a rejected batch: its first ``max_errors`` located errors (one more row counts the rest)."""
        kept, dropped = cap_errors(batch.errors)
        listed = [(batch_id, e.file, e.row, e.column, str(e.value), e.reason, when) for e in kept]
        if dropped:
            listed.append((batch_id, batch.source_file, 0, "", "",
                           f"另有 {dropped} 处错误未逐条列出：请先按以上各行修正后重新导入", when))
        rows = pd.DataFrame(listed, columns=["batch_id", "source_file", "row", "col", "value", "reason", "recorded_at"])
        with transaction(self.db) as db:  # rejected rows and the batch record together, or neither
            db.register("incoming_q", rows)
            db.execute("INSERT INTO quarantine SELECT * FROM incoming_q")
            db.unregister("incoming_q")
            db.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, ?, 'rejected')",
                [batch_id, batch.source_file, batch.sha256, batch.format, when, len(batch.errors)],
            )

    # reading -----------------------------------------------------------------------------
    def series(self, **filters: str | None) -> pd.DataFrame:
        """Series metadata, filtered by any of the series columns (None means any). One parametrised
        statement (the catalog is read a dozen times a run: compiling an Ibis expression each time cost
        20× the query)."""
        unknown = set(filters) - set(SERIES_COLUMNS)
        if unknown:
            raise ValueError(f"series has no column {', '.join(sorted(unknown))}")
        used = {col: val for col, val in filters.items() if val is not None}
        where = " AND ".join(f'"{col}" = ?' for col in used)
        sql = "SELECT * FROM series" + (f" WHERE {where}" if where else "") + " ORDER BY series_id"
        return self._frame(sql, list(used.values()), self._schema("series"))

    def _schema(self, table: str, columns: tuple[str, ...] = ()) -> ibis.Schema:
        """The Ibis schema of a table of the fixed schema (or of some of its columns), looked up once."""
        key = (table, columns)
        if key not in self._schemas:
            t = self.table(table)
            self._schemas[key] = (t.select(*columns) if columns else t).schema()
        return self._schemas[key]

    def _frame(self, sql: str, params: list, schema: ibis.Schema) -> pd.DataFrame:
        """A query's result as the frame Ibis's ``to_pandas`` gives for a table of ``schema`` (its DuckDB
        conversion: nullable columns as Python values, types from the schema), without compiling an
        expression."""
        from ibis.backends.duckdb.converter import DuckDBPandasData

        table = self.db.sql(sql, params=params).to_arrow_table()
        df = pd.DataFrame({name: col.to_pylist() if col.null_count else col.to_pandas()
                           for name, col in zip(table.column_names, table.columns, strict=True)})
        return DuckDBPandasData.convert_table(df, schema)

    def observations(self, as_of: dt.date | dt.datetime | str | None = None) -> ir.Table:
        """Latest vintage per (series, period) known at ``as_of`` (end of that day), as an Ibis table."""
        t = self.table("observations")
        if as_of is not None:
            t = t.filter(t.vintage <= _cutoff(as_of))
        w = ibis.window(group_by=[t.series_id, t.period], order_by=[ibis.desc(t.vintage), ibis.desc(t.loaded_at)])
        return t.mutate(_rn=ibis.row_number().over(w)).filter(ibis._._rn == 0).drop("_rn")

    def read(self, series_id: str, as_of: dt.date | dt.datetime | str | None = None) -> pd.DataFrame:
        """One series as a frame ordered by period: period, period_end, value, flags, vintage — the latest
        vintage of each period known at ``as_of`` (as :meth:`observations`; one parametrised statement)."""
        params: list = [series_id]
        cut = ""
        if as_of is not None:
            cut, params = " AND vintage <= ?", [series_id, _cutoff(as_of)]
        sql = f"""SELECT {", ".join(READ_COLUMNS)} FROM (
                    SELECT *, row_number() OVER (PARTITION BY period ORDER BY vintage DESC, loaded_at DESC) AS rn
                    FROM observations WHERE series_id = ?{cut}) WHERE rn = 1 ORDER BY period_end"""
        return self._frame(sql, params, self._schema("observations", READ_COLUMNS))

    def vintages(self, series_id: str, period: str) -> pd.DataFrame:
        t = self.table("observations")
        return (
            t.filter((t.series_id == series_id) & (t.period == period))
            .select("value", "flags", "vintage", "source_file", "loaded_at")
            .order_by("vintage")
            .to_pandas()
        )

    def find_series(
        self,
        indicator: str,
        measure: str,
        region: str = NATION,
        industry: str = TOTAL,
        category: str = "",
        source: str | None = None,
    ) -> str | None:
        """The best series id for a concept (preferring NBS, then Wind …), or None."""
        df = self.series(indicator=indicator, measure=measure, region=region, industry=industry,
                         category=category, source=source)
        if df.empty:
            return None
        return str(preference_order(df).iloc[0]["series_id"])

    def rate_values(self, indicator: str, measure: str, region: str = NATION, industry: str = TOTAL,
                    category: str = "") -> pd.Series | None:
        """A growth rate's best series (``period -> value``), or — when only the index NBS's portal
        publishes for it is stored (PPI 上年同月=100) — that index − 100; None when neither is."""
        sid = self.find_series(indicator, measure, region, industry, category)
        if sid is not None:
            return self.values(sid)
        index = INDEX_OF_RATE.get(measure)
        sid = self.find_series(indicator, index, region, industry, category) if index else None
        if sid is None:
            return None
        values = self.values(sid)
        return (values - 100.0).round(6).rename(f"{sid}−100")

    def values(self, series_id: str, as_of: dt.date | dt.datetime | str | None = None) -> pd.Series:
        """A series as ``period code -> value`` in period order."""
        df = self.read(series_id, as_of)
        return pd.Series(df["value"].to_numpy(), index=df["period"].to_list(), name=series_id)

    def quarantined(self, source_file: str | None = None) -> pd.DataFrame:
        t = self.table("quarantine")
        if source_file is not None:
            t = t.filter(t.source_file == source_file)
        return t.order_by(["recorded_at", "row"]).to_pandas()

    def batches(self) -> pd.DataFrame:
        return self.table("batches").order_by("loaded_at").to_pandas()

    def has_table(self, name: str) -> bool:
        """Whether the warehouse has a table ``name`` (other areas create theirs on first use)."""
        return bool(self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))

    def count(self, table: str) -> int:
        return int(self.scalar(f"SELECT count(*) FROM {table}"))

    def scalar(self, sql: str, params: list | None = None):
        """First value of a query. Fetches everything: DuckDB 2 refuses new work while a result is open."""
        rows = self.db.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None


READ_COLUMNS = ("period", "period_end", "value", "flags", "vintage", "source_file", "source_row")


def _cutoff(as_of: dt.date | dt.datetime | str) -> dt.datetime:
    """The last instant ``as_of`` covers: a date (or a midnight) means the end of that day."""
    cutoff = pd.Timestamp(as_of)
    if cutoff == cutoff.normalize():
        cutoff = cutoff + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return cutoff.to_pydatetime()
