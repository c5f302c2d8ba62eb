"""Text files for ingest: :mod:`yacang.text_decoding` with its failures as located :class:`IngestError`.

The decoding rule (UTF-8 when valid, else GB18030; a declared UTF-8 that is not UTF-8 is refused) is
documented in :mod:`yacang.text_decoding`, the project's one decoder.
"""

from __future__ import annotations

from pathlib import Path

from yacang import text_decoding
from yacang.ingest.batch import RowError
from yacang.ingest.errors import IngestError
from yacang.text_decoding import guess_cjk_encoding

__all__ = ["decode_bytes", "guess_cjk_encoding", "read_text"]


def decode_bytes(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str]:
    """Decode a file's bytes; returns ``(text, encoding used)`` or raises a located :class:`IngestError`."""
    try:
        return text_decoding.decode_bytes(data, name, encoding)
    except text_decoding.DecodeFailure as f:
        raise IngestError(f.summary, [RowError(f.name, f.line, f.column, f.snippet, f.reason)]) from None


def read_text(path: Path, encoding: str = "auto") -> tuple[str, str]:
    """Read and decode a text file (see :func:`decode_bytes`)."""
    return decode_bytes(Path(path).read_bytes(), Path(path).name, encoding)
