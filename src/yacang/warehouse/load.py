"""Loading files into the warehouse: pick the loader, parse, write the batch (all-or-nothing per file).

``PARSERS`` maps a format name to a pure loader ``path -> Batch``; other modules add formats with
:func:`register_format` (e.g. enterprise report workbooks), optionally with a detector so that
``format="auto"`` recognises their files.
"""

from __future__ import annotations

import csv
import inspect
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils.exceptions import InvalidFileException
from xlrd import XLRDError

from yacang.ingest.batch import Batch
from yacang.ingest.city_table import parse_city_table
from yacang.ingest.detect import check_readable, detect_format
from yacang.ingest.errors import IngestError
from yacang.ingest.investing import parse_investing
from yacang.ingest.nbs import parse_nbs
from yacang.ingest.panel import parse_panel
from yacang.ingest.tidy import parse_tidy
from yacang.ingest.vintage import stamp
from yacang.ingest.wind import parse_wind
from yacang.ingest.worldbank import parse_worldbank
from yacang.warehouse.store import BatchResult, Warehouse

Parser = Callable[..., Batch]
READ_FAILURES = (ValueError, KeyError, IndexError, OSError, zipfile.BadZipFile, InvalidFileException, csv.Error,
                 XLRDError)
Detector = Callable[[Path], bool]

PARSERS: dict[str, Parser] = {
    "nbs": parse_nbs,
    "wind": parse_wind,
    "ifind": parse_wind,
    "tidy": parse_tidy,
    "investing": parse_investing,
    "worldbank": parse_worldbank,
    "city_table": parse_city_table,
    "panel": parse_panel,
}
TEXT_FORMATS = frozenset({"tidy", "investing", "panel"})
DETECTORS: dict[str, Detector] = {}  # extra formats' detectors, consulted before the built-in ones


@dataclass
class FileOutcome:
    """What happened to one file: the parsed batch, the store's counts, or the error."""

    path: Path
    format: str
    batch: Batch | None = None
    result: BatchResult | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def register_format(name: str, parser: Parser, detector: Detector | None = None) -> None:
    """Add (or replace) a loader; ``detector(path)`` lets ``format="auto"`` pick it."""
    PARSERS[name] = parser
    if detector is not None:
        DETECTORS[name] = detector


def resolve_format(path: Path, format: str = "auto") -> str:
    check_readable(path)
    if format != "auto":
        if format not in PARSERS:
            raise IngestError(f"未知的文件格式：{format}（可用：auto, {', '.join(PARSERS)}）")
        return format
    for name, detector in DETECTORS.items():
        if detector(path):
            return name
    return detect_format(path)


def parse_file(path: Path | str, format: str = "auto", *, published: object = None, **options: object) -> Batch:
    """Parse a file with the loader of its format and stamp its vintages (see :mod:`yacang.ingest.vintage`).

    ``published`` is the file's release date when the user knows it; options a loader does not take
    are ignored.
    """
    path = Path(path)
    fmt = resolve_format(path, format)
    parser = PARSERS[fmt]
    accepted = inspect.signature(parser).parameters
    kwargs = {k: v for k, v in options.items() if k in accepted and v is not None}
    if fmt in TEXT_FORMATS and path.exists() and path.read_bytes()[:4] == b"PK\x03\x04":
        raise IngestError(f"{path.name}：这是 Excel 工作簿，不是“{fmt}”格式的文本 CSV。请用 --format wind 或 --format auto")
    if fmt == "ifind" and "source" in accepted:
        kwargs.setdefault("source", "ifind")
    try:
        return stamp(parser(path, **kwargs), published)  # type: ignore[arg-type]
    except READ_FAILURES as exc:  # the file is not what the chosen format expects
        raise IngestError(f"{path.name}：无法按“{fmt}”格式读取（{type(exc).__name__}: {exc}）。"
                          "请检查 --format 是否与文件相符，或用 --format auto 自动识别") from exc


def ingest_file(wh: Warehouse, path: Path | str, format: str = "auto", **options: object) -> tuple[Batch, BatchResult]:
    """Parse and store one file; raises :class:`IngestError` (after quarantining) if it has errors.

    File-level errors (encoding, unknown layout) are quarantined too, with the rows they name.
    """
    try:
        batch = parse_file(path, format, **options)
    except IngestError as exc:
        _quarantine_file_error(wh, Path(path), format, exc)
        raise
    return batch, wh.write_batch(batch)


def _quarantine_file_error(wh: Warehouse, path: Path, format: str, exc: IngestError) -> None:
    import datetime as dt
    import uuid

    from yacang.ingest.batch import RowError, empty_observations, empty_series, file_sha256

    errors = exc.errors or [RowError(path.name, 0, "", "", str(exc))]
    batch = Batch(str(path), format, file_sha256(path) if path.exists() else "", empty_series(),
                  empty_observations(), errors)
    wh.quarantine(uuid.uuid4().hex[:16], batch, dt.datetime.now().replace(microsecond=0))


def load_file(wh: Warehouse, path: Path | str, format: str = "auto", **options: object) -> BatchResult:
    """Parse and store one file; returns the store's counts (new / revised / unchanged)."""
    return ingest_file(wh, path, format, **options)[1]


def load_files(wh: Warehouse, paths: Iterable[Path | str], format: str = "auto",
               **options: object) -> list[FileOutcome]:
    """Load many files, each all-or-nothing; a failing file does not stop the others."""
    return [_one(wh, Path(p), format, options) for p in paths]


def _one(wh: Warehouse, path: Path, format: str, options: dict[str, object]) -> FileOutcome:
    outcome = FileOutcome(path, format)
    try:
        outcome.format = resolve_format(path, format)
        outcome.batch = parse_file(path, outcome.format, **options)
        outcome.result = wh.write_batch(outcome.batch)
    except IngestError as exc:
        outcome.error = exc
        if outcome.batch is None and path.exists():
            _quarantine_file_error(wh, path, outcome.format, exc)
    except FileNotFoundError as exc:
        outcome.error = exc
    return outcome
