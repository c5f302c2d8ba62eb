"""Upload caps checked before any parser runs: size, decompressed size, rows, cells, shared strings.

:func:`precheck` streams through the file (an xlsx is a zip: its XML parts are decompressed chunk by
chunk and counted, never held in memory), so a crafted workbook — 2 million empty rows in 240 KB, or
one 1 GiB shared string in 1 MB — is refused in well under a second and with a few MB of memory,
before openpyxl or pandas see it. A broken zip (truncated, renamed, empty) is a located
:class:`~yacang.ingest.errors.IngestError`, not a traceback.

The caps are generous for the files officials really load (an NBS or Wind export has thousands of
rows; a province's monthly reports a few hundred thousand) and can be raised per call. A file that
passes them is parsed in a worker process with memory and time limits (:mod:`yacang.ingest.isolated`).
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from yacang.ingest.batch import RowError
from yacang.ingest.errors import IngestError

CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024            # the file as uploaded
    max_decompressed: int = 500 * 1024 * 1024     # all parts of an xlsx together, decompressed
    max_shared_strings: int = 100 * 1024 * 1024   # xl/sharedStrings.xml decompressed
    max_ratio: int = 1000                         # decompressed / compressed of one zip member (deflate tops out near 1030)
    max_rows: int = 500_000                       # rows of all sheets (xlsx) or lines (csv)
    max_cells: int = 20_000_000                   # cells of all sheets
    max_errors: int = 1000                        # located errors kept per file (the rest counted)
    worker_memory: int = 2 * 1024 * 1024 * 1024   # address space a parse worker may add (yacang.ingest.isolated)
    worker_seconds: float = 180.0                 # wall-clock time a parse worker may run before it is killed
    max_workers: int = 2                          # parse workers at once (further uploads wait their turn)


DEFAULT = Limits()


class LimitExceeded(IngestError):
    """The file is over a cap: refused before parsing (HTTP 413)."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _refuse(path: Path, what: str) -> LimitExceeded:
    msg = f"{path.name}：{what}，文件未导入。请拆分文件或删除多余的空行、空列后重新上传。"
    return LimitExceeded(msg, [RowError(path.name, 0, "", "", what)])


def _broken(path: Path, detail: str) -> IngestError:
    what = f"不是有效的 Excel 工作簿（{detail}）：文件可能已损坏、被截断，或扩展名被改过"
    return IngestError(f"{path.name}：{what}。请用 Excel 重新另存为 .xlsx 后上传。",
                       [RowError(path.name, 0, "", "", what)])


def precheck(path: Path | str, limits: Limits = DEFAULT) -> None:
    """Refuse a file over any cap, or a broken workbook, before it is parsed (raises IngestError)."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{path.name}：文件为空（0 字节），没有可导入的数据。",
                          [RowError(path.name, 0, "", "", "文件为空")])
    if size > limits.max_bytes:
        raise _refuse(path, f"文件大小 {_mb(size)} 超过上限 {_mb(limits.max_bytes)}")
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        magic = fh.read(4)
    if suffix in (".xlsx", ".xlsm") or magic == b"PK\x03\x04":
        _check_xlsx(path, limits)
    elif suffix in (".csv", ".txt", ".tsv"):
        _check_text(path, limits)


def _check_text(path: Path, limits: Limits) -> None:
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            lines += chunk.count(b"\n")
            if lines > limits.max_rows:
                raise _refuse(path, f"行数超过上限 {limits.max_rows:,}")


def _check_xlsx(path: Path, limits: Limits) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise _broken(path, str(exc)) from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise _broken(path, "缺少 Excel 工作簿的组成部分")
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_decompressed:
            raise _refuse(path, f"解压后大小 {_mb(declared)} 超过上限 {_mb(limits.max_decompressed)}")
        total = 0
        rows = cells = 0
        for info in infos:
            name = info.filename
            is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            is_strings = name == "xl/sharedStrings.xml"
            cap = limits.max_shared_strings if is_strings else limits.max_decompressed
            seen = 0
            tail = b""
            try:
                with zf.open(info) as member:
                    while chunk := member.read(CHUNK):
                        seen += len(chunk)
                        total += len(chunk)
                        if is_strings and seen > cap:
                            raise _refuse(path, f"共享字符串（sharedStrings）解压后超过 {_mb(cap)}")
                        if total > limits.max_decompressed:
                            raise _refuse(path, f"解压后大小超过上限 {_mb(limits.max_decompressed)}")
                        if seen > 1 << 20 and seen > limits.max_ratio * max(info.compress_size, 1):
                            raise _refuse(path, f"压缩比异常（{name} 超过 {limits.max_ratio} 倍），疑似压缩炸弹")
                        if is_sheet:
                            window = tail + chunk
                            rows += window.count(b"<row") - tail.count(b"<row")
                            cells += window.count(b"<c ") + window.count(b"<c>") - tail.count(b"<c ") - tail.count(b"<c>")
                            tail = window[-8:]
                            if rows > limits.max_rows:
                                raise _refuse(path, f"工作表行数超过上限 {limits.max_rows:,}（含空行）")
                            if cells > limits.max_cells:
                                raise _refuse(path, f"单元格数超过上限 {limits.max_cells:,}")
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                raise _broken(path, f"{name}: {exc}") from None


def cap_errors(errors: list, limits: Limits = DEFAULT) -> tuple[list, int]:
    """The first ``max_errors`` located errors and how many more were dropped from the list."""
    if len(errors) <= limits.max_errors:
        return errors, 0
    return errors[: limits.max_errors], len(errors) - limits.max_errors
