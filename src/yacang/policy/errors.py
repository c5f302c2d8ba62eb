"""The error raised for a document that cannot be used (binary, empty, undecodable)."""

from __future__ import annotations

from yacang.ingest.errors import IngestError


class PolicyInputError(IngestError):
    """A policy document that cannot be read; the message names the file and says what to do."""
