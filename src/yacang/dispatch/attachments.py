"""Appeal attachments: files kept under ``YACANG_HOME/dispatch/attachments/<case code>/``.

Names are reduced to a safe basename (no directories, no leading dots); types are limited to the
documents officials exchange (PDF, images, Office, text); size is capped. Reading goes through the
case (:func:`yacang.dispatch.appeals.get_appeal`), so the caller's scope applies.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from yacang.dispatch.errors import DispatchError, DispatchNotFound

ALLOWED = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".csv", ".zip"}
MAX_BYTES = 10 * 1024 * 1024


def folder(home: Path, code: str) -> Path:
    if not re.fullmatch(r"SQ\d{13}", code):
        raise DispatchError(f"诉求编号无效：{code}")
    return Path(home) / "dispatch" / "attachments" / code


def safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip().lstrip(".")
    name = re.sub(r"[\x00-\x1f/:*?\"<>|]", "_", name)
    if not name:
        raise DispatchError("附件文件名为空")
    if Path(name).suffix.lower() not in ALLOWED:
        raise DispatchError(f"附件“{name}”类型不支持，可上传：{'、'.join(sorted(ALLOWED))}")
    return name[:120]


def check(filename: str, data: bytes) -> str:
    """The safe name of an acceptable file (raises on a bad type or size)."""
    if len(data) > MAX_BYTES:
        raise DispatchError(f"附件“{filename}”超过 {MAX_BYTES // 1024 // 1024} MB")
    return safe_name(filename)


def save(home: Path, appeal, filename: str, data: bytes) -> str:
    """Store one file for the case and list it on the case; returns the stored name.

    A file never replaces another: a second upload of the same name is stored as ``名称(2).ext``, so
    nobody (an officer included) can overwrite what the enterprise sent. Files are private (0600)."""
    name = check(filename, data)
    d = folder(home, appeal.code)
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while True:
        try:
            fd = os.open(d / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            n += 1
            name = f"{stem}({n}){suffix}"
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    appeal.attachments = [*(appeal.attachments or []), name]
    return name


def path_of(home: Path, appeal, name: str) -> Path:
    if name not in (appeal.attachments or []):
        raise DispatchNotFound(f"诉求 {appeal.code} 没有附件“{name}”")
    p = folder(home, appeal.code) / safe_name(name)
    if not p.is_file():
        raise DispatchNotFound(f"附件文件不存在：{name}")
    return p
