"""DDL of the enterprise microdata tables (in the warehouse DuckDB file).

This is the contract between the microdata engine, the demo generator and the report loaders. Money is
stored in 万元 (NBS forms in 千元 are converted on load); 用电量 in 万千瓦时; 从业人员 in 人. Each report
row holds one enterprise's 当月 figures for a period (a month ``YYYY-MM`` or the merged ``YYYY-01/02``)
together with the same enterprise's 上年同期 figures, as the 规上工业 monthly forms ask, so growth is
同口径 by construction.
"""

from yacang.warehouse.schema import MICRODATA_SCHEMA_SQL

__all__ = ["MICRODATA_SCHEMA_SQL"]
