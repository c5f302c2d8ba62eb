"""Process-wide state of the web app: app-DB engine, the warehouse (behind a lock), assets, caches."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from yacang.catalog.regions import RegionCatalog

REPORT_VIEWS = {("provenance",)}  # cached views that read enterprise reports (keyed by reports_version too)


@dataclass
class AppState:
    engine: Engine
    warehouse_path: Path | None
    home: Path
    output_dir: Path  # the start-up output directory (YACANG_OUTPUT_DIR or ./yacang-output)
    config_path: Path | None = None  # the server's yacang.toml (found at start, read on each use)
    geojson: Path | None = None
    echarts_js: Path | None = None
    _wh: object | None = None
    wh_lock: threading.RLock = field(default_factory=threading.RLock)
    version: int = 0  # bumped on every write to the warehouse; keys the caches
    reports_version: int = 0  # bumped on every write, enterprise reports included (keys report-dependent views)
    cache: dict = field(default_factory=dict)
    auth_cache: dict = field(default_factory=dict)  # (kind, secret) -> (expires, Caller); see deps
    use_cache: bool = True  # YACANG_WEB_CACHE=0 turns view caching off (benchmark baseline)
    _regions: RegionCatalog | None = None
    job_token: str | None = None  # set by ``yacang serve``: lets local CLI commands submit jobs
    jobs: object | None = None  # the JobQueue (yacang.service.jobs), created with the app
    _local: threading.local = field(default_factory=threading.local)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def warehouse(self) -> Iterator[object]:
        """The writer: the shared warehouse connection, one thread at a time. Jobs hold the same lock."""
        with self.wh_lock:
            yield self._base()

    def _base(self):
        from yacang.warehouse import Warehouse

        if self._wh is not None:  # readers never queue behind the writer once the file is open
            return self._wh
        with self.wh_lock:
            if self._wh is None:
                self._wh = Warehouse.open(self.warehouse_path) if self.warehouse_path else Warehouse.memory()
            return self._wh

    @contextmanager
    def reader(self) -> Iterator[object]:
        """A reader: this thread's own cursor on the warehouse, never waiting for the writer or a job
        (DuckDB reads a consistent snapshot while a job writes)."""
        import ibis

        from yacang.warehouse import Warehouse

        wh = getattr(self._local, "wh", None)
        if wh is None or getattr(self._local, "base", None) is not self._wh:
            base = self._base()
            wh = Warehouse(ibis.duckdb.from_connection(base.db.cursor()), self.warehouse_path, read_only=True)
            self._local.wh, self._local.base = wh, base
        yield wh

    def config(self):
        """The server's yacang.toml read now, so an edit is seen without a restart (defaults without one).
        Raises :class:`yacang.job_config.ConfigError` for a file that cannot be used."""
        from yacang.job_config import Config, load_config

        p = self.config_path
        return load_config(p) if p is not None and p.is_file() else Config()

    def bulletin_root(self) -> Path:
        """Where the web writes and lists bulletins: ``<output_dir>/web-bulletins``, ``output_dir`` being
        ``[yacang] output_dir`` of yacang.toml when the file sets it (relative to the file's folder, as
        its sources), else the start-up directory. Read on each call."""
        from yacang.cli.common import output_root

        return output_root(self.config(), self.output_dir) / "web-bulletins"

    def set_warehouse(self, wh: object) -> None:
        self._wh = wh

    def changed(self, what: str = "all") -> None:
        """Data changed: drop the cached views that depend on it. An enterprise report (``"reports"``)
        changes no published series, alert or material level, so the statistics views stay cached.

        Takes its own small lock, never the warehouse's: a request that has written the app database
        (an audit row, not yet committed) must not wait here for a writer who waits for that database."""
        with self._cache_lock:
            self.reports_version += 1
            if what == "reports":  # only the views keyed by the reports' version are stale
                for key in [k for k in list(self.cache) if isinstance(k, tuple) and k[:1] in REPORT_VIEWS]:
                    self.cache.pop(key, None)
                return
            self.version += 1
            self.cache.clear()

    @property
    def regions(self) -> RegionCatalog:
        if self._regions is None:
            self._regions = RegionCatalog.load(self.home)
        return self._regions

    def close(self) -> None:
        with self.wh_lock:
            if self._wh is not None:
                self._wh.close()
                self._wh = None
