"""Noise that web copies add to a text, and its removal: spam lines, page chrome, tokenisation marks,
mojibake, PDF line breaks and spaced numbers.

Each function is pure and returns what it removed or repaired, so ``yacang policy show`` can say
what cleaning did. Spam lines are found by a score (several weak signs add up), not by one word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# Words that only occur on spam (porn, gambling, fake invoices) — each one is strong evidence.
_SPAM_WORDS = re.compile(
    r"无码|AV导航|熟妇|黄色网站|色情|成人视频|一本道|走势图|15选5|时时彩|六合彩|彩票开奖|博彩|娱乐城|棋牌|百家乐|"
    r"代开发票|发票代开|代孕|裸聊|约炮|赌场|网赌|真人视讯|老虎机"
)
# Page chrome: lines that frame a page, never body text (kept short: a body sentence can name them).
_CHROME = re.compile(
    r"^(?:打印|字大|字小|关闭|关闭窗口|打印本页|收藏|分享到?[:：]?.*|朋友圈|微信好友|点击右上角微信好友|"
    r"请使用浏览器分享功能进行分享|返回顶部|上一篇.*|下一篇.*|【?字号[:：]?.*|[（(]?(?:责任)?编辑[:：][^。]{0,20}[）)]?|"
    r"记者[:：].{0,10}|设计[:：].{0,10}|校对[:：].{0,10}|资讯中心|统计信息|关注.{0,8}|[（(]?资料图[）)]?|-|"
    r"申请入驻|机电之家.*正文.*|.*版权所有.*|Copyright.*|©.*|.*公网安备.*|.*许可证[:：]?\s*\d+.*|"
    r"报料(?:热线|邮箱).*|.*举报电话.*|以上是网络信息转载.*|.*的相关文章|全部评论|暂无评论.*|"
    r"浏览次数[:：].*)$",
    re.I,
)
_INLINE_SPAM = re.compile(r"《[^《》\n]{0,30}》|（[^（）\n]{0,30}）|\([^()\n]{0,30}\)")
_SENTENCE_END = "。！？；"


@dataclass
class NoiseReport:
    """What cleaning removed or repaired."""

    spam_lines: list[str] = field(default_factory=list)
    chrome_lines: list[str] = field(default_factory=list)
    inline_spam: list[str] = field(default_factory=list)
    token_marks: int = 0
    mojibake_repaired: list[tuple[str, str]] = field(default_factory=list)
    mojibake_marked: int = 0
    joined_lines: int = 0
    spaced_numbers: int = 0

    def summary_zh(self) -> str:
        """What was cleaned, in words (``无`` when nothing was)."""
        counts = [(len(self.spam_lines), "垃圾/广告行 {} 行"), (len(self.inline_spam), "句中插入的广告 {} 处"),
                  (len(self.chrome_lines), "页面框架行 {} 行"), (self.token_marks, "分词噪声 {} 处"),
                  (len(self.mojibake_repaired), "乱码修复 {} 段"), (self.mojibake_marked, "无法修复的乱码 {} 段（标为〓）"),
                  (self.joined_lines, "断行接回 {} 处"), (self.spaced_numbers, "数字中的空格 {} 处")]
        return "，".join(text.format(n) for n, text in counts if n) or "无"


def spam_score(line: str) -> float:
    """How much a line looks like SEO/spam (≥ 1 means spam). Signs: spam words, the same phrase
    repeated, a list of short keyword chunks without sentences or figures, Latin-letter clutter."""
    s = line.strip()
    if not s:
        return 0.0
    score = 0.0
    words = _SPAM_WORDS.findall(s)
    score += 0.6 * len(words)
    chunks = [c for c in re.split(r"[,，、|/\s]+", s) if c]
    if len(chunks) >= 3 and not re.search(r"\d+(?:\.\d+)?\s*[%％]|。", s):
        short = sum(1 for c in chunks if len(c) <= 12)
        if short / len(chunks) > 0.7:
            score += 0.3
    grams = Counter(s[i:i + 4] for i in range(max(0, len(s) - 3)) if re.fullmatch(f"[{HAN}A-Za-z0-9]{{4}}", s[i:i + 4]))
    if grams and grams.most_common(1)[0][1] >= 3:
        score += 0.5
    latin = len(re.findall(r"[A-Za-z]", s))
    if latin >= 2 and re.search(r"AV|CAN|SEX", s):
        score += 0.2
    return score


def strip_spam(text: str, report: NoiseReport) -> str:
    """Drop spam lines and chrome lines; cut spam phrases injected inside sentences."""
    kept = []
    for line in text.split("\n"):

        def inline(m: re.Match[str]) -> str:
            if _SPAM_WORDS.search(m.group(0)):
                report.inline_spam.append(m.group(0))
                return ""
            return m.group(0)

        if len(line) > 60 and re.search("[。！？]", line):  # a body line: cut injected phrases only
            line = _INLINE_SPAM.sub(inline, line)
        s = line.strip()
        if s and spam_score(s) >= 1.0:
            report.spam_lines.append(s)
            continue
        if s and len(s) <= 60 and _CHROME.match(s):
            report.chrome_lines.append(s)
            continue
        kept.append(_INLINE_SPAM.sub(inline, line))
    return "\n".join(kept)


def strip_token_marks(text: str, report: NoiseReport) -> str:
    """Sub-word tokenisation marks: BPE '@@ ', SentencePiece '▁', WordPiece ' ##'."""
    n = len(re.findall(r"@@ ?|▁| ##(?=\S)", text))
    report.token_marks += n
    return re.sub(r"@@ ?|▁| ##(?=\S)", "", text) if n else text


_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f，。、；：？！“”‘’（）《》〔〕【】\s]{3,}")
# Characters that GBK-decoded UTF-8 produces all the time and real text hardly ever uses.
_MOJIBAKE_SIGNS = set("鍙鏄浜鐨勮湪鍦嶉鎴绛鐢涓€鈥锛銆鑰鏈绾骞瀹熼煎嗗鍚庤琛鍒")


def repair_mojibake(text: str, report: NoiseReport) -> str:
    """UTF-8 text once decoded as GBK ("鐢熶骇" for "生产"): runs that round-trip back to UTF-8 are
    repaired; runs that clearly are mojibake but lost bytes are marked with 〓."""

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        signs = sum(ch in _MOJIBAKE_SIGNS for ch in run)
        try:
            fixed = run.encode("gbk").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            fixed = None
        if fixed is not None and signs >= 1 and re.fullmatch(f"[{HAN}，。、；：？！“”（）《》0-9.%a-zA-Z\\s]+", fixed):
            report.mojibake_repaired.append((run, fixed))
            return fixed
        if signs >= max(2, len(run) // 4) or ("\ufffd" in run and signs):
            # bytes were lost: recover what round-trips, mark each gap with 〓
            data = run.replace("\ufffd", "").encode("gbk", errors="ignore")
            repaired = data.decode("utf-8", errors="replace").replace("\ufffd", "〓")
            repaired = re.sub("〓+", "〓", repaired)
            report.mojibake_marked += repaired.count("〓")
            report.mojibake_repaired.append((run, repaired))
            return repaired
        return run

    text = _MOJIBAKE_RUN.sub(fix, text)
    # a sentence end and closing tag broken by a wrong decoding: "…百分点?!?/p>" (counted, read as 。)
    n = len(re.findall(r"[?？][!！][?？]/?(?:p|div|span|br|td|li)>", text))
    report.mojibake_marked += n
    return re.sub(r"[?？][!！][?？]/?(?:p|div|span|br|td|li)>", "。", text) if n else text


_COMMAS = ("，", ",", "、")


def _after_comma(out: list[str]) -> bool:
    """Whether the last non-blank line of ``out`` ends with a comma."""
    last = next((ln for ln in reversed(out) if ln), "")
    return last.endswith(_COMMAS)


def join_broken_lines(text: str, report: NoiseReport) -> str:
    """Undo hard line breaks: inside a number ("5000\\n万元"), after a comma, and — when most lines
    have the same length and no final punctuation, as in text copied from a PDF — inside sentences."""
    lines = text.split("\n")
    body = [ln.strip() for ln in lines if ln.strip()]
    lengths = Counter(len(ln) for ln in body if not ln.endswith(tuple(_SENTENCE_END)))
    wrapped = False
    if len(body) >= 4 and lengths:
        width, n = lengths.most_common(1)[0]
        wrapped = width >= 12 and n >= 0.4 * len(body)
    out: list[str] = []
    last_len = 0  # length of the last physical line (before joining)
    for ln in lines:
        s = ln.strip()
        if s and out and not out[-1] and _after_comma(out):
            # a paragraph never ends with a comma: blank lines after one are a broken line too (and the
            # cleaner's own output, one paragraph a line, must come out of a second cleaning unchanged)
            while not out[-1]:
                out.pop()
            out[-1] += s
            last_len = len(s)
            report.joined_lines += 1
            continue
        if out and s and out[-1]:
            prev = out[-1]
            number_split = re.search(r"\d[.]?$", prev) and re.match(r"[\d.%％万亿千百个萬億]", s)
            comma_split = prev.endswith(_COMMAS)
            pdf_split = wrapped and not prev.endswith(tuple(_SENTENCE_END)) and abs(last_len - width) <= 1
            if number_split or comma_split or pdf_split:
                out[-1] = prev + s
                last_len = len(s)
                report.joined_lines += 1
                continue
        out.append(s if s else "")
        last_len = len(s)
    return "\n".join(out)


def fix_spaced_numbers(text: str, report: NoiseReport) -> str:
    """Spaces inside figures: "27 543.8" (thousands), "4 . 0%", "152 0173 3840" (a pasted phone
    number: groups of four after a number are dropped, thousands come in threes)."""
    n = 0

    def count(repl):
        def inner(m: re.Match[str]) -> str:
            nonlocal n
            n += 1
            return repl(m)
        return inner

    text = re.sub(r"(?<=\d)(?: \d{4}){2}(?![\d.])", count(lambda m: ""), text)
    text = re.sub(r"(?<=\d) (?=\d{3}(?:\D|$))", count(lambda m: ""), text)
    text = re.sub(r"(?<=\d)(?: [.．] ?| ?[.．] )(?=\d)", count(lambda m: "."), text)
    report.spaced_numbers += n
    return text


def collapse_repeated_punctuation(text: str) -> str:
    """",," and ",。" as tokenisers leave them: one mark, the stronger one."""
    text = re.sub(r"[，,]+(?=[。、；！？])", "", text)
    return re.sub(r"[，,]{2,}", "，", text)
