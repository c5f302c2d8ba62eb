"""The warehouse: Ibis over DuckDB, observations with vintages, quarantine of rejected input."""

from yacang.warehouse.store import BatchResult, Warehouse

__all__ = ["BatchResult", "Warehouse"]
