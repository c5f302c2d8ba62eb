"""Loaders: one per source format, each a pure ``path -> Batch`` with located errors."""

from yacang.ingest.batch import Batch, RowError
from yacang.ingest.errors import IngestError

__all__ = ["Batch", "IngestError", "RowError"]
