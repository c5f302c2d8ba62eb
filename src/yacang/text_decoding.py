"""Text in the encodings Chinese statistical exports and documents use: UTF-8 (with or without BOM),
GBK/GB18030, Big5, UTF-16. The one decoder of the project: ingest, the catalog and policy texts use it.

Decision: with ``encoding="auto"`` bytes are read as UTF-8 when they are valid UTF-8 (a BOM is dropped),
otherwise as GB18030 (a superset of GBK and GB2312). Bytes that *declare* UTF-8 — by a BOM, or because the
caller asked for ``"utf-8"`` — but are not UTF-8 are refused with the line of the first bad byte; so are
bytes that mix valid UTF-8 Chinese lines with non-UTF-8 lines (a GBK line pasted into a UTF-8 file),
because no single decoding reads both halves. Failures are :class:`DecodeFailure` with line, column,
the bad bytes and what to do; each caller turns it into its own located error.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

_ALIASES = {"utf8": "utf-8", "utf-8-sig": "utf-8", "gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030"}


@dataclass
class DecodeFailure(ValueError):
    """Bytes that no allowed decoding reads: where (line, byte column), which bytes, and what to do."""

    name: str
    line: int
    column: str
    snippet: str
    reason: str
    summary: str

    def __str__(self) -> str:
        return f"{self.summary}：第{self.line}行 {self.reason}"


def decode_bytes(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str]:
    """Decode bytes; returns ``(text, encoding used)`` or raises :class:`DecodeFailure`."""
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
            raise _not_utf8(body, exc, name, "BOM" if has_bom else ("参数" if enc == "utf-8" else "内容")) from None
    return _decode_or_fail(body, "gb18030", name), "gb18030"


def read_text(path: Path | str, encoding: str = "auto") -> tuple[str, str]:
    """Read and decode a text file (see :func:`decode_bytes`)."""
    return decode_bytes(Path(path).read_bytes(), Path(path).name, encoding)


def _has_utf8_chinese(data: bytes) -> bool:
    """Whether some line is valid UTF-8 with Chinese characters in it (so the bytes are meant as UTF-8).

    Multi-byte UTF-8 alone is no evidence: GBK bytes can be valid UTF-8 by chance (全省 in GBK reads as
    UTF-8 'ȫʡ'), so a line counts only when it decodes to CJK characters."""
    for line in data.splitlines():
        if max(line, default=0) < 0x80:
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any(_is_cjk(ch) for ch in text):
            return True
    return False


def _is_cjk(ch: str) -> bool:
    """CJK ideographs, CJK punctuation and full-width forms: what Chinese text is made of."""
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def _not_utf8(data: bytes, exc: UnicodeDecodeError, name: str, how: str) -> DecodeFailure:
    line_no = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    snippet = data[exc.start:exc.start + 4].hex(" ")
    declared = {"BOM": "文件以 UTF-8 BOM 声明为 UTF-8", "参数": "指定按 UTF-8 读取", "内容": "文件其余部分为 UTF-8"}[how]
    reason = (f"{declared}，但第{line_no}行第{column}字节起不是合法的 UTF-8（字节 {snippet}，可能是 GBK 编码）。"
              "请将整个文件另存为 UTF-8，或去掉 BOM 后按 GBK 导入（--encoding gbk）")
    return DecodeFailure(name, line_no, f"第{column}字节", snippet, reason, f"{name}：文件编码错误，整个文件未入库")


def _decode_or_fail(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        line_no = data.count(b"\n", 0, exc.start) + 1
        raise DecodeFailure(name, line_no, "", data[exc.start:exc.start + 4].hex(" "),
                            "既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 后重新导入",
                            f"{name}：无法识别文件编码，整个文件未入库") from None


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
