"""Turn a document as the web gives it into clean simplified Chinese text plus metadata.

Handles plain text, HTML and Markdown/Jekyll posts: front matter and markup are stripped (title, date
and source URL kept as metadata), entities decoded, pinyin annotations after characters removed
("工業(yè)" → "工業"), traditional characters converted to simplified with OpenCC (t2s), and punctuation
and spaces normalised to the forms of Chinese official text. Everything here is a pure function of
the input except :func:`read_document`, which reads the bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from yacang import text_decoding
from yacang.policy.dates import find_date, latest_period_end
from yacang.policy.errors import PolicyInputError
from yacang.policy.noise import (
    NoiseReport,
    collapse_repeated_punctuation,
    fix_spaced_numbers,
    join_broken_lines,
    repair_mojibake,
    strip_spam,
    strip_token_marks,
)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters after which a half-width mark is clearly Chinese punctuation.
_CJK_LEFT = f"[{HAN}”’》）」』〕】]"
_CJK_RIGHT = f"[{HAN}“‘《（「『〔【]"
_FULLWIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
MIN_HAN = 10  # fewer Chinese characters than this is not a usable policy text

_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office（docx/xlsx）",
    b"\xd0\xcf\x11\xe0": "Office 97-2003（doc/xls）",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
}

_BLOCK_TAGS = r"p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|blockquote|pre|hr|title|header|footer"
_HTML_HINT = re.compile(rf"<(?:{_BLOCK_TAGS}|span|strong|b|em|a|html|body|td|th|img)\b[^>]*>", re.I)

# A pinyin syllable without tone marks (ü written as u or v), optionally with a tone digit.
_PINYIN_SYLLABLE = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un"
    r"|ue|ve|vn|a|o|e|i|u|v)[1-5]?$"
)
_PINYIN_ANNOTATION = re.compile(rf"(?<=[{HAN}])[ \u3000]*[(（]([a-zA-Z\u00c0-\u024f\u0300-\u036f]{{1,7}}[1-5]?)[)）]")


@dataclass
class CleanDocument:
    """A cleaned document: simplified text (one paragraph a line) and what was learnt about it."""

    source_file: str
    format: str  # "text" | "html" | "markdown" | "jekyll"
    text: str
    title: str | None = None
    date: dt.date | None = None
    source_url: str | None = None
    source_name: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    removed_pinyin: int = 0
    converted_chars: int = 0  # characters changed by the traditional→simplified conversion
    date_how: str | None = None  # why this date (Chinese)
    encoding: str = "utf-8"
    encoding_confidence: float = 1.0
    noise: NoiseReport = field(default_factory=NoiseReport)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------- reading
MAX_DOCUMENT_BYTES = 4 * 2**20  # the longest State Council documents are a few hundred KB


def read_document(path: Path | str, *, source_url: str | None = None) -> CleanDocument:
    """Read and clean one file; raises :class:`PolicyInputError` naming the file for unusable input."""
    p = Path(path)
    if not p.exists():
        raise PolicyInputError(f"{p}：文件不存在，请检查路径")
    if p.is_dir():
        raise PolicyInputError(f"{p}：这是一个目录，请给出文件")
    if (size := p.stat().st_size) > MAX_DOCUMENT_BYTES:
        raise PolicyInputError(f"{p}：文件有 {size / 2**20:.1f} MB，超过政策文本上限 {MAX_DOCUMENT_BYTES // 2**20} MB，"
                               "请确认选对了文件，或只保留正文后再导入")
    text, enc, confidence = decode_with_encoding(p.read_bytes(), str(p))
    doc = clean_text(text, source_file=str(p), source_url=source_url)
    doc.encoding, doc.encoding_confidence = enc, confidence
    return doc


def decode_with_encoding(data: bytes, name: str = "<输入>") -> tuple[str, str, float]:
    """Decode a document's bytes: ``(text, encoding, confidence)``. UTF-8 and GB18030 are told apart by
    the project's decoder (:mod:`yacang.text_decoding`); non-UTF-8 bytes are then tested for Big5."""
    _refuse_binary(data, name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, name), "utf-16", 1.0
    try:
        text, enc = text_decoding.decode_bytes(data, name)
    except text_decoding.DecodeFailure as f:
        raise PolicyInputError(f"{name}：{f.reason}") from None
    if enc != "gb18030":
        return _check_controls(text, name), enc, 1.0
    guess, confidence = text_decoding.guess_cjk_encoding(data)
    if guess == "big5":
        try:
            return _check_controls(data.decode("big5"), name), "big5", confidence
        except UnicodeDecodeError:
            text = data.decode("big5", errors="replace")
            return _check_controls(text, name), "big5", round(confidence / 2, 3)
    return _check_controls(text, name), "gb18030", confidence


def _refuse_binary(data: bytes, name: str) -> None:
    if not data.strip():
        raise PolicyInputError(f"{name}：文件为空，没有可读取的正文")
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise PolicyInputError(f"{name}：这是二进制文件（{kind}），请先另存为 UTF-8 纯文本、HTML 或 Markdown 再导入")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PolicyInputError(f"{name}：含有空字节，像是二进制文件或 UTF-16 编码，请另存为 UTF-8 文本后再导入")


def _check_controls(text: str, name: str) -> str:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        raise PolicyInputError(f"{name}：含有 {controls} 个控制字符，像是二进制文件，请提供文本、HTML 或 Markdown")
    return text


def decode_bytes(data: bytes, name: str = "<输入>") -> str:
    """Decode a document's bytes (UTF-8, GB18030 or what charset-normalizer finds) or say why not."""
    if not data.strip():
        raise PolicyInputError(f"{name}：文件为空，没有可读取的正文")
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise PolicyInputError(f"{name}：这是二进制文件（{kind}），请先另存为 UTF-8 纯文本、HTML 或 Markdown 再导入")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PolicyInputError(f"{name}：UTF-16 编码内容损坏，请另存为 UTF-8 后再导入") from None
    if b"\x00" in data[:4096]:
        raise PolicyInputError(f"{name}：含有空字节，像是二进制文件或 UTF-16 编码，请另存为 UTF-8 文本后再导入")
    text: str | None = None
    try:
        text = text_decoding.decode_bytes(data, name)[0]
    except text_decoding.DecodeFailure:
        text = None
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.chaos < 0.2:
            text = str(best)
    if text is None:
        raise PolicyInputError(f"{name}：无法识别文件编码（不是 UTF-8 或 GB18030），请另存为 UTF-8 后再导入")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        raise PolicyInputError(f"{name}：含有 {controls} 个控制字符，像是二进制文件，请提供文本、HTML 或 Markdown")
    return text


# --------------------------------------------------------------------------------------------- cleaning
def clean_text(raw: str, *, source_file: str = "<输入>", source_url: str | None = None) -> CleanDocument:
    """Clean a decoded document; raises :class:`PolicyInputError` if no usable Chinese text remains
    (also when what remains after removing spam and page chrome is not a text, saying why)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    meta: dict[str, str] = {}
    fmt = "text"
    text, front = split_front_matter(text)
    if front is not None:
        fmt = "jekyll"
        meta.update(front)
    if _HTML_HINT.search(text):
        if fmt == "text":
            fmt = "html"
        if "title" not in meta and (m := re.search(r"<(title|h1)\b[^>]*>(.*?)</\1>", text, re.I | re.S)
                                    or re.search(r"<(h2)\b[^>]*>(.*?)</\1>", text, re.I | re.S)):
            meta["title"] = re.sub(r"<[^>]+>", "", m.group(2)).strip()
        text = strip_html(text)
    text, md = strip_markdown(text)
    if md["source_url"] and "source_url" not in meta:
        meta["source_url"] = md["source_url"]
    if source_url:
        meta.setdefault("source_url", source_url)
    if md["markdown"] and fmt == "text":
        fmt = "markdown"
    text = html.unescape(html.unescape(text))
    noise = NoiseReport()
    text = strip_token_marks(text, noise)
    text = repair_mojibake(text, noise)
    text, n_pinyin = remove_pinyin(text)
    simplified = to_simplified(text)
    converted = sum(1 for a, b in zip(text, simplified, strict=False) if a != b)
    text = normalise_punctuation(simplified)
    text = collapse_repeated_punctuation(text)
    text = fix_spaced_numbers(text, noise)
    text = join_broken_lines(text, noise)
    han_before = len(re.findall(f"[{HAN}]", text))
    text = strip_spam(text, noise)
    _refuse_spam_page(text, han_before, noise, source_file)
    doc_date = find_date(text, meta, meta.get("source_url"), latest_period_end(text))
    text, found = strip_boilerplate(text)
    for key, value in found.items():
        meta.setdefault(key, value)
    text = normalise_spaces(text)
    text, n_late = remove_pinyin(text)  # annotations that spaces or half-width brackets hid from the first pass
    n_pinyin += n_late
    n_han = len(re.findall(f"[{HAN}]", text))
    if n_han < MIN_HAN:
        what = "清洗后没有正文" if not text.strip() else f"清洗后只有 {n_han} 个汉字"
        raise PolicyInputError(f"{source_file}：{what}，不是可用的政策文件或新闻（请检查文件内容或格式）")
    title = meta.get("title")
    if title:
        title = normalise_punctuation(to_simplified(html.unescape(remove_pinyin(title)[0])))
        title = re.sub(r"\s+", " ", title).strip()
    else:
        title = guess_title(text)
    return CleanDocument(
        source_file=source_file,
        format=fmt,
        text=text,
        title=title or None,
        date=doc_date.date if doc_date else None,
        source_url=meta.get("source_url"),
        source_name=meta.get("source_name"),
        meta={k: str(v) for k, v in meta.items()},
        removed_pinyin=n_pinyin,
        converted_chars=converted,
        date_how=doc_date.how if doc_date else None,
        noise=noise,
    )


def _refuse_spam_page(text: str, han_before: int, noise: NoiseReport, source_file: str) -> None:
    """A page whose Chinese text is (almost) all spam or chrome is refused, saying what it was."""
    han_after = len(re.findall(f"[{HAN}]", text))
    removed = noise.spam_lines + noise.chrome_lines
    if han_before and removed and (han_after < MIN_HAN or han_after < 0.2 * han_before):
        sample = "；".join(s[:30] for s in noise.spam_lines[:2]) or "；".join(removed[:2])
        raise PolicyInputError(
            f"{source_file}：页面几乎全是垃圾或广告内容（去掉 {len(noise.spam_lines)} 行垃圾/广告、"
            f"{len(noise.chrome_lines)} 行页面框架后只剩 {han_after} 个汉字，例如“{sample}”），"
            "不是政策文件或新闻，未导入"
        )


def split_front_matter(text: str) -> tuple[str, dict[str, str] | None]:
    """Split a Jekyll/YAML front matter block (``---`` … ``---`` at the top) from the body."""
    m = re.match(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, re.S)
    if not m:
        return text, None
    block = m.group(1)
    data: dict[str, str] = {}
    try:
        loaded = yaml.safe_load(block)
    except yaml.YAMLError:
        loaded = None
    if isinstance(loaded, dict):
        data = {str(k): _scalar(v) for k, v in loaded.items() if v is not None}
    else:  # fall back to ``key: value`` lines
        for line in block.splitlines():
            if ":" in line:
                k, _, v = line.partition(":")
                data[k.strip()] = v.strip().strip("\"'")
    return text[m.end():], data


def _scalar(v: object) -> str:
    if isinstance(v, list | tuple):
        return ",".join(str(x) for x in v)
    return str(v)


def strip_html(text: str) -> str:
    """Remove scripts, styles, comments and tags; block elements become line breaks."""
    text = re.sub(r"<(script|style)\b[^>]*>.*?</\1\s*>", "", text, flags=re.I | re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(rf"</?(?:{_BLOCK_TAGS})\b[^>]*>", "\n", text, flags=re.I)
    return re.sub(r"</?(?!https?://)[a-zA-Z][^<>]*>", "", text)  # keep Markdown autolinks <http://…>


def strip_markdown(text: str) -> tuple[str, dict[str, str | bool | None]]:
    """Remove Markdown markup; autolinks ``<http://…>`` give the source URL; link-only lines go."""
    found: dict[str, str | bool | None] = {"source_url": None, "markdown": False}
    lines = []
    for line in text.split("\n"):
        s = line.strip()
        auto = re.fullmatch(r"<(https?://[^>\s]+)>", s)
        if auto:
            found["source_url"] = found["source_url"] or auto.group(1)
            found["markdown"] = True
            continue
        without_links = re.sub(r"\[[^\]]*\]\([^)]*\)", "", s)
        if s and without_links != s and not re.search(f"[{HAN}A-Za-z0-9]", without_links):
            found["markdown"] = True  # a navigation line made only of links
            continue
        new = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)
        new = re.sub(r"\[([^\]]+)\]\((?:[^)]*)\)", r"\1", new)
        new = re.sub(r"^\s{0,3}#{1,6}\s+", "", new)
        new = re.sub(r"(\*\*|__)(.+?)\1", r"\2", new)
        if new != line:
            found["markdown"] = True
        lines.append(new)
    return "\n".join(lines), found


def is_pinyin(token: str) -> bool:
    """True if ``token`` is one pinyin syllable (tone marks or a tone digit allowed, lower case)."""
    if not token or token != token.lower():
        return False
    bare = unicodedata.normalize("NFD", token.replace("ü", "v").replace("Ü", "v"))
    bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    return bool(_PINYIN_SYLLABLE.match(bare))


def remove_pinyin(text: str) -> tuple[str, int]:
    """Drop pinyin annotations in parentheses right after a character: "業(yè)" → "業"."""
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        if is_pinyin(m.group(1)):
            count += 1
            return ""
        return m.group(0)

    while True:  # "業(yè)(yè)": doubled annotations come off one at a time
        new = _PINYIN_ANNOTATION.sub(repl, text)
        if new == text:
            return new, count
        text = new


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


# OpenCC's t2s leaves 著 alone (it is also a simplified character, 显著/著作); in converted traditional
# text these contexts are the particle/verb 着 (著力→着力, 面臨著→面临着). Applied only when the
# conversion changed something, so simplified input is never touched.
_ZHE = re.compile(r"著(?=[力重眼手落想陆装])|(?<=[临随味沿接看带])著")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese with OpenCC's t2s table (simplified text passes unchanged)."""
    out = _converter().convert(text)
    if out != text:
        out = _ZHE.sub("着", out)
    return out


def normalise_punctuation(text: str) -> str:
    """Half-width marks in Chinese context become full-width; 文号 brackets become 〔〕."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(f"(?<={_CJK_LEFT})\\s*([,:;!?])", lambda m: _FULLWIDTH[m.group(1)], text)
    text = re.sub(f"([,:;!?])\\s*(?={_CJK_RIGHT})", lambda m: _FULLWIDTH[m.group(1)], text)

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        around = text[: m.start()].rstrip(" ")[-1:] + text[m.end():].lstrip(" ")[:1]  # spaces go later
        if re.search(f"[{HAN}]", inner + around):
            return f"（{inner.strip()}）"
        return m.group(0)

    text = re.sub(r"\(([^()\n]{0,80})\)", paren, text)
    # 文号 year brackets: [2022] 【2022】 （2022） before "…号" → 〔2022〕
    text = re.sub(r"[\[【（(〔]\s*(\d{4})\s*[\]】）)〕](?=\s*\d{1,4}\s*号)", r"〔\1〕", text)
    return text


_NBSP = re.compile(r"[\u00a0\u2002-\u200b\u3000\t\f\v]")


def normalise_spaces(text: str) -> str:
    """One paragraph a line, no blank lines; no spaces next to Chinese characters or punctuation."""
    text = _NBSP.sub(" ", text)
    cjk = f"[{HAN}，。、；：？！“”‘’《》（）〔〕【】—…·％]"
    out = []
    for line in text.split("\n"):
        line = re.sub(r" {2,}", " ", line).strip()
        line = re.sub(f"(?<={cjk}) +| +(?={cjk})", "", line)
        if line:
            out.append(line)
    return "\n".join(out)


_BREADCRUMB = re.compile(r"^(?:您?当前(?:的)?位置|当前位置|首页\s*[>›»])")
_PUBLISHED = re.compile(r"发布(?:时间|日期)[：:]\s*(\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?)")
_SOURCE = re.compile(r"^[（(]?(?:文章|信息)?来源[：:]\s*([^）)]{1,50})[）)]?$")


def strip_boilerplate(text: str) -> tuple[str, dict[str, str]]:
    """Remove web page furniture (breadcrumbs, 发布时间/阅读量 lines, 来源 lines), keeping their facts."""
    found: dict[str, str] = {}
    kept = []
    for line in text.split("\n"):
        s = line.strip()
        if _BREADCRUMB.match(s):
            continue
        if m := _PUBLISHED.search(s):
            found.setdefault("date", m.group(1))
            if len(s) < 60:
                continue
        if (m := _SOURCE.match(s)) and len(s) < 60:
            found.setdefault("source_name", re.split(r"\s|\||发表|发布|时间|日期|责任编辑", m.group(1).strip())[0])
            continue
        kept.append(line)
    return "\n".join(kept), found


def guess_title(text: str) -> str | None:
    """The first short line that reads like a headline, else the 《关于…》 named near the start."""
    for line in text.split("\n")[:5]:
        s = line.strip()
        numbered = re.match(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])", s)
        if 4 <= len(s) <= 60 and not s.endswith(("。", "；", "：", "，")) and re.search(f"[{HAN}]", s) and not numbered:
            return s
    if m := re.search(r"《(关于[^》]{4,60})》", text[:400]):
        return m.group(1)
    return None
