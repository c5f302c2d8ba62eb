"""Enterprise microdata: registry, monthly reports, review (审核), report periods.

The whole API takes a :class:`~yacang.warehouse.Warehouse`; tables are created on first use from
:data:`~yacang.microdata.schema.MICRODATA_SCHEMA_SQL`.

- :class:`MicrodataStore` — registry (统一社会信用代码 validated), 规上 status by year, 增加值率, PPI,
  targets, report status changes with history.
- :func:`write_template`, :func:`parse_report_file`, :func:`load_report_file` — the 月报 form (千元 → 万元),
  all-or-nothing and idempotent loading.
- :func:`run_review`, :func:`apply_review`, :func:`reporting_status` — 审核 queue and 催报.
- :func:`validate_uscc` — GB 32100-2015 check character.

Growth at comparable prices from these tables lives in :mod:`yacang.measures.real_growth` and
:mod:`yacang.measures.windows` (Ibis expressions, DuckDB or PySpark).
"""

from yacang.microdata.report_workbook import load_report_file, load_reports, parse_report_file, write_template
from yacang.microdata.review import ReviewRules, apply_review, reporting_status, run_review
from yacang.microdata.store import MicrodataStore, ensure_microdata_schema
from yacang.microdata.uscc import UsccError, validate_uscc

__all__ = [
    "MicrodataStore", "ReviewRules", "UsccError", "apply_review", "ensure_microdata_schema",
    "load_report_file", "load_reports", "parse_report_file", "reporting_status", "run_review", "validate_uscc",
    "write_template",
]
