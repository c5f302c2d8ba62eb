"""Errors of the chains area: located problems (file, row, column, what to do), nothing stored."""

from __future__ import annotations

from yacang.ingest.batch import RowError
from yacang.ingest.errors import IngestError


class ChainError(IngestError):
    """Chain maps, memberships, links or shocks that cannot be used; ``errors`` lists located problems."""


def fail(file: str, errors: list[RowError], what: str) -> None:
    """Raise one :class:`ChainError` for all ``errors`` (if any): the whole input is refused."""
    if errors:
        raise ChainError(f"{file}：{what}发现 {len(errors)} 处错误，全部未入库（已有数据未改动）。请修正后重新导入。",
                         errors)


__all__ = ["ChainError", "RowError", "fail"]
