"""Errors raised by loaders; each names the file and says what to do."""

from __future__ import annotations

from yacang.ingest.batch import RowError


class IngestError(Exception):
    """A file that cannot be loaded. ``errors`` lists the located problems."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    def __str__(self) -> str:
        head = super().__str__()
        if not self.errors:
            return head
        shown = "\n".join(f"  - {e}" for e in self.errors[:20])
        more = f"\n  …另有 {len(self.errors) - 20} 处" if len(self.errors) > 20 else ""
        return f"{head}\n{shown}{more}"
