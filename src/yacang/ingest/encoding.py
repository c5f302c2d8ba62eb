"""Text files in the encodings Chinese statistical exports use: UTF-8, UTF-8 with BOM, GBK/GB18030.

Decision (documented in the loaders' help): with ``encoding="auto"`` a file is read as UTF-8 when it is
valid UTF-8 (a BOM is dropped), otherwise as GB18030 (a superset of GBK and GB2312). A file that
*declares* UTF-8 — by a BOM, or because the caller passed ``encoding="utf-8"`` — but contains bytes that
are not UTF-8 is rejected with the line of the first bad byte; so is a file that mixes valid UTF-8 Chinese
text with non-UTF-8 lines (typically a GBK line pasted into a UTF-8 file), because no single decoding
reads both halves correctly.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from yacang.ingest.batch import RowError
from yacang.ingest.errors import IngestError

_ALIASES = {"utf8": "utf-8", "utf-8-sig": "utf-8", "gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030"}


def decode_bytes(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str]:
    """Decode a file's bytes; returns ``(text, encoding used)`` or raises a located :class:`IngestError`."""
    enc = _ALIASES.get(encoding.lower(), encoding.lower())
    has_bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if has_bom else data
    if enc not in ("auto", "utf-8", "gb18030"):
        return data.decode(enc), enc
    if enc == "gb18030" and not has_bom:
        return _decode_or_fail(body, "gb18030", name), "gb18030"
    try:
        return body.decode("utf-8"), "utf-8-sig" if has_bom else "utf-8"
    except UnicodeDecodeError as exc:
        declared = has_bom or enc == "utf-8"
        if declared or _has_utf8_chinese(body):
            raise _not_utf8_error(body, exc, name, "BOM" if has_bom else ("参数" if enc == "utf-8" else "内容")) from None
    return _decode_or_fail(body, "gb18030", name), "gb18030"


def read_text(path: Path, encoding: str = "auto") -> tuple[str, str]:
    """Read and decode a text file (see :func:`decode_bytes`)."""
    return decode_bytes(Path(path).read_bytes(), Path(path).name, encoding)


def _has_utf8_chinese(data: bytes) -> bool:
    """Whether some line is valid UTF-8 with multi-byte characters (so the file is meant as UTF-8)."""
    for line in data.splitlines():
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _not_utf8_error(data: bytes, exc: UnicodeDecodeError, name: str, how: str) -> IngestError:
    line_no = data.count(b"\n", 0, exc.start) + 1
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    column = exc.start - line_start + 1
    snippet = data[exc.start:exc.start + 4].hex(" ")
    declared = {"BOM": "文件以 UTF-8 BOM 声明为 UTF-8", "参数": "指定按 UTF-8 读取", "内容": "文件其余部分为 UTF-8"}[how]
    reason = (f"{declared}，但第{line_no}行第{column}字节起不是合法的 UTF-8（字节 {snippet}，可能是 GBK 编码）。"
              "请将整个文件另存为 UTF-8，或去掉 BOM 后按 GBK 导入（--encoding gbk）")
    err = RowError(name, line_no, f"第{column}字节", snippet, reason)
    return IngestError(f"{name}：文件编码错误，整个文件未入库", [err])


def _decode_or_fail(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        line_no = data.count(b"\n", 0, exc.start) + 1
        err = RowError(name, line_no, "", data[exc.start:exc.start + 4].hex(" "),
                       "既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 后重新导入")
        raise IngestError(f"{name}：无法识别文件编码，整个文件未入库", [err]) from None


def guess_cjk_encoding(data: bytes) -> tuple[str, float]:
    """Whether non-UTF-8 Chinese bytes are GB18030/GBK or Big5, with a confidence in [0, 1].

    Each decoding is scored by the share of its Han characters that are *common* in that encoding's
    own standard (GB2312 level 1, lead bytes B0–D7; Big5 常用字, lead bytes A4–C6): the right decoding
    reads almost only common characters, the wrong one scatters over rare characters and symbols
    (Big5's most common characters decode as GB2312 kana). The confidence is the margin between the two.
    """

    def score(enc: str, common: tuple[int, int], std: str) -> float:
        text = data.decode(enc, errors="replace")
        han = hits = 0
        for ch in text:
            if ord(ch) < 0x80 or ch in "\ufffd\n\r\t ":
                if ch == "\ufffd":
                    han += 1  # an undecodable byte counts against the decoding
                continue
            han += 1
            try:
                lead = ch.encode(std)[0]
            except UnicodeEncodeError:
                continue
            hits += common[0] <= lead <= common[1]
        return hits / han if han else 0.0

    gb = score("gb18030", (0xB0, 0xD7), "gb2312")
    big5 = score("big5", (0xA4, 0xC6), "big5")
    if big5 > gb:
        return "big5", round(big5 - gb, 3)
    return "gb18030", round(gb - big5, 3)
