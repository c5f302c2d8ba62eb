"""Process-wide state of the web app: app-DB engine, the warehouse (behind a lock), assets, caches."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from yacang.catalog.regions import RegionCatalog


@dataclass
class AppState:
    engine: Engine
    warehouse_path: Path | None
    home: Path
    output_dir: Path
    geojson: Path | None = None
    echarts_js: Path | None = None
    _wh: object | None = None
    wh_lock: threading.RLock = field(default_factory=threading.RLock)
    version: int = 0  # bumped on every write to the warehouse; keys the caches
    cache: dict = field(default_factory=dict)
    auth_cache: dict = field(default_factory=dict)  # (kind, secret) -> (expires, Caller); see deps
    use_cache: bool = True  # YACANG_WEB_CACHE=0 turns view caching off (benchmark baseline)
    _regions: RegionCatalog | None = None

    @contextmanager
    def warehouse(self) -> Iterator[object]:
        """The shared warehouse connection, one thread at a time (DuckDB connections are not shared)."""
        from yacang.warehouse import Warehouse

        with self.wh_lock:
            if self._wh is None:
                self._wh = Warehouse.open(self.warehouse_path) if self.warehouse_path else Warehouse.memory()
            yield self._wh

    def set_warehouse(self, wh: object) -> None:
        self._wh = wh

    def changed(self) -> None:
        """Data changed: drop cached views."""
        with self.wh_lock:
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
