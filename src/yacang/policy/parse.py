"""The structure of a notice (通知): title, 文号, 主送, sections 一、…, numbered measures （一）…, sub-items.

Works on cleaned text (one paragraph a line, full-width brackets; see :mod:`yacang.policy.clean`).
Headings count only when their numbers follow on (一、 then 二、; （一） then （二） across sections), so
stray "三、" or "（五）" in running text cannot derail the parse; a number out of order is reported
in ``warnings``. Each measure carries what the registry needs: parties named, quantitative
targets, time references and keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yacang.policy.clean import HAN

_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_NUM = "一二三四五六七八九十"

_SECTION = re.compile(rf"^([{_ZH_NUM}]{{1,3}})、\s*(.*)$")
_MEASURE = re.compile(rf"^（([{_ZH_NUM}]{{1,3}})）\s*(.*)$")
_SUB_ITEM = re.compile(r"^(\d{1,2})[.．、]\s*(.+)$")
_ADDRESSEES = re.compile(r"^(各[^\n：。]{1,300}?)：(.*)$")
_USUAL_HEADINGS = ("总体要求", "基本原则", "主要目标", "重点任务", "主要任务", "保障措施", "工作要求", "组织实施",
                   "工作目标", "指导思想")
_TITLE_WORDS = ("通知", "意见", "办法", "方案", "规划", "决定", "公告", "通告", "指南", "措施")


def zh_number(text: str) -> int:
    """A Chinese numeral up to 99 as an int: 一 → 1, 十 → 10, 十七 → 17, 二十三 → 23."""
    s = text.strip()
    if not s or any(ch not in _ZH_DIGITS and ch != "十" for ch in s):
        raise ValueError(f"不是中文数字: {text!r}")
    if "十" not in s:
        if len(s) != 1:
            raise ValueError(f"不是中文数字: {text!r}")
        return _ZH_DIGITS[s]
    tens, _, ones = s.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        raise ValueError(f"不是中文数字: {text!r}")
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


def first_sentence(text: str) -> str:
    """Text up to the first 。！？ or ；(the measure's title); the whole text if there is none."""
    m = re.search(r"[。！？；]", text)
    return (text[: m.start()] if m else text).strip()


@dataclass
class SubItem:
    marker: str  # "1." or "——"
    text: str


@dataclass
class Measure:
    """One numbered measure （一）… of a notice."""

    number: int
    label: str  # "（一）"
    title: str
    text: str
    section: int
    section_title: str
    sub_items: list[SubItem] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    time_refs: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


@dataclass
class Section:
    number: int
    label: str  # "一、"
    title: str
    intro: str = ""
    principles: list[SubItem] = field(default_factory=list)  # —— items outside any measure
    measures: list[Measure] = field(default_factory=list)


@dataclass
class Notice:
    title: str | None
    doc_number: str | None
    addressees: str | None
    preamble: str
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)

    @property
    def measures(self) -> list[Measure]:
        return [m for s in self.sections for m in s.measures]

    @property
    def is_structured(self) -> bool:
        """True when the text reads as a notice with numbered measures."""
        return len(self.measures) >= 2


# A 文号 as web copies leave it: brackets of any kind or none, 号 lost ("工信厅规函[2018]56").
_DOC_NUMBER_LOOSE = re.compile(
    rf"(?P<org>[{HAN}]{{2,16}}?)\s*(?:[〔\[［【（(「]\s*(?P<y1>(?:19|20)\d{{2}})\s*[〕\]］】）)」]|(?P<y2>(?:19|20)\d{{2}})\s+)"
    rf"\s*(?:第\s*)?(?P<n>\d{{1,4}})(?P<hao>\s*号)?(?![\d年月日%％.])"
)
_CITE_BEFORE = re.compile(r"(?:根据|按照|依据|依照|落实|贯彻|对照|参照|《[^》]*》|见|和|、|及)\s*[（(]?$")
_ORG_TAIL = re.compile(rf"(?:发|办|函|字|规|令|复|通|电|密|明电|运行|联[{HAN}]{{0,4}}|[{HAN}]{{0,6}}(?:发|办|函|字))$")


@dataclass(frozen=True)
class DocNumber:
    """A 文号 found in a text: repaired form, where, and whether it is the document's own."""

    number: str  # 工信部联运行〔2022〕160号
    raw: str  # as written
    start: int
    own: bool
    why: str  # Chinese: own or cited, and why


def find_doc_numbers(text: str) -> list[DocNumber]:
    """Every 文号 in the text, repaired ("[2022]160" → "〔2022〕160号"), each marked own or cited.

    Own: it stands on a line of its own (or right after the title) in the head of the document and is
    not inside brackets or after 根据/按照/《…》. Cited: inside （…）, after a 《title》 or 根据/按照….
    """
    out: list[DocNumber] = []
    head_end = _head_end(text)
    for m in _DOC_NUMBER_LOOSE.finditer(text):
        org = m.group("org")
        year = m.group("y1") or m.group("y2")
        if m.group("y2") and not m.group("hao"):
            continue  # "2022 160" without brackets nor 号 is not a 文号
        if not (_ORG_TAIL.search(org) or m.group("hao")):
            continue
        org = re.sub(r"^(?:根据|按照|依据|依照|落实|印发|关于)", "", org)
        number = f"{org}〔{year}〕{m.group('n')}号"
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start: line_end if line_end >= 0 else len(text)].strip()
        before = text[max(line_start, m.start() - 30): m.start()]
        alone = re.fullmatch(rf"\s*{re.escape(m.group(0).strip())}\s*", line) is not None
        cited_ctx = bool(re.search(r"[（(]\s*$", before) or _CITE_BEFORE.search(before) or "》" in before[-3:])
        if alone and m.start() < head_end and not cited_ctx:
            out.append(DocNumber(number, m.group(0), m.start(), True, "位于文首且单独成行"))
        else:
            why = "括号中或“根据/按照/《…》”之后，为引用的文件" if cited_ctx else "在正文中出现，为引用或提及"
            out.append(DocNumber(number, m.group(0), m.start(), False, why))
    return out


def _head_end(text: str) -> int:
    """End of a document's head (title, 文号, 主送): the first addressee line or the 12th line."""
    pos = 0
    for i, line in enumerate(text.split("\n")):
        pos += len(line) + 1
        if i >= 11 or _ADDRESSEES.match(line.strip()):
            break
    return pos


def find_doc_number(text: str) -> str | None:
    """The document's own 文号 (工信部联运行〔2022〕160号), never one it cites; None if it shows none."""
    own = [d for d in find_doc_numbers(text) if d.own]
    return own[0].number if own else None


_KIND_WORDS = (("方案", "plan"), ("意见", "opinion"), ("措施", "opinion"), ("办法", "opinion"), ("通知", "notice"),
               ("公告", "notice"), ("通告", "notice"), ("决定", "notice"))
KIND_ZH = {"notice": "通知", "plan": "方案", "opinion": "意见", "news": "新闻", "release": "统计发布"}
_NEWS_SIGNS = re.compile(r"记者|[日]电|本报讯|消息[：:，]|网讯|新闻发布会|发布会上|表示|介绍|指出|据[^，。]{1,12}消息|【[^】]{1,10}讯】")
_RELEASE_SIGNS = re.compile(r"以下增加值增速均为|扣除价格因素|分三大门类看|分经济类型看|分行业看|分产品看|国家统计局公布|初步核算|按可比价格计算")


def classify(text: str, title: str | None, doc_number: str | None, n_measures: int) -> tuple[str, str]:
    """Document kind (notice/plan/opinion/news/release) and why (Chinese)."""
    t = title or ""
    inner = re.search(r"印发[^》]*?《?[^》]*?(方案|意见|措施|办法)》?的通知", t)
    if inner:
        kind = next(k for w, k in _KIND_WORDS if w == inner.group(1))
        return kind, f"标题为印发{inner.group(1)}的通知"
    for word, kind in _KIND_WORDS:
        if t.endswith(word) or t.endswith(word + "》"):
            return kind, f"标题以“{word}”结尾"
    if doc_number:
        return "notice", f"有本文文号 {doc_number}"
    head = text[:400]
    if re.search(r"特制定(?:如下|以下|本)?(?:政策)?(措施|方案|意见|办法)", text[:1500]):
        word = re.search(r"特制定(?:如下|以下|本)?(?:政策)?(措施|方案|意见|办法)", text[:1500]).group(1)
        return next(k for w, k in _KIND_WORDS if w == word), f"正文写明“特制定{word}”"
    if n_measures >= 2 and re.search(r"^各[^\n：]{1,300}：", text, re.M):
        return "notice", "有主送机关和编号措施"
    news = len(_NEWS_SIGNS.findall(head))
    release = len(_RELEASE_SIGNS.findall(text)) + (2 if len(re.findall(r"\d[%％]|\d个?百分点", text)) >= 5 else 0)
    if release >= 2 and news == 0:
        return "release", "统计发布的行文（分三大门类看、扣除价格因素等），无记者、发布会等新闻要素"
    if news:
        return "news", "有记者、发布会、表示等新闻要素"
    if release:
        return "release", "统计发布的行文"
    return "news", "不是通知、方案或意见，按新闻处理"


def title_above_number(text: str, number: DocNumber) -> str | None:
    """The title a notice carries right above its own 文号 (possibly over several lines)."""
    above = text[: number.start].rstrip("\n").split("\n")
    parts: list[str] = []
    for ln in reversed(above[-5:]):
        ln = ln.strip()
        if not ln or ln.endswith(("。", "：", "；")) or re.search(r"\d{4}[-年./]\d{1,2}|〔\d{4}〕|[|｜]", ln):
            break
        parts.insert(0, ln)
    first = next((i for i, p in enumerate(parts) if "关于" in p), 0)  # the line naming the organ and 关于…
    title = "".join(parts[first:])
    return title if title.endswith(_TITLE_WORDS) else None


def title_line(text: str) -> str | None:
    """The real title: the first head line(s) that read as a title; a title split over several lines
    ("…关于印发…" / "…实施方案的通知") is joined; chrome, dates and 文号 lines are skipped."""
    lines = [ln.strip() for ln in text.split("\n")[:15] if ln.strip()]
    for i, ln in enumerate(lines):
        if re.search(r"\d{4}[-年./]\d{1,2}[-月./]\d|^(?:时间|来源|发布|您的位置|当前位置|[（(]?责任编辑)|〔\d{4}〕", ln) or len(ln) < 4:
            continue
        if (ln.endswith(("。", "；", "：", "，", "）")) or len(ln) > 80 or "。" in ln or ln.count("，") > 1
                or re.match(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])", ln)):
            continue
        joined = ln
        j = i
        while not joined.endswith(_TITLE_WORDS) and j + 1 < len(lines) and len(joined) < 80:
            nxt = lines[j + 1]
            if nxt.endswith(("。", "：")) or re.search(r"〔\d{4}〕|\d{4}年\d{1,2}月|\d{4}-\d{1,2}-\d", nxt):
                break
            joined = nxt if "关于" in nxt and "关于" not in joined else joined + nxt
            j += 1
        if joined.endswith(_TITLE_WORDS) and ("关于" in joined or len(joined) <= 40):
            return re.sub(r"^【[^】]{1,10}】", "", joined.lstrip("《"))
        if re.search(r"关于|印发", ln):
            continue
        return ln
    return None


def _section_title(rest: str) -> tuple[str, str]:
    """Split a section heading line into (title, body): a short line is all title."""
    rest = rest.strip()
    if len(rest) <= 30 and "。" not in rest:
        return rest, ""
    m = re.search(r"[。；]", rest)
    head = rest[: m.start()] if m else rest
    if len(head) <= 30:
        return head, rest[m.end():] if m else ""
    for known in _USUAL_HEADINGS:  # heading run into the body, as in some web copies
        if rest.startswith(known):
            return known, rest[len(known):]
    return rest[:12], rest


def parse_notice(text: str, *, title: str | None = None) -> Notice:
    """Parse cleaned notice text into sections and measures (never raises on odd input)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    notice = Notice(title=None, doc_number=find_doc_number(text), addressees=None, preamble="", sections=[])
    for ln in lines[:6]:
        if len(ln) <= 60 and ln.endswith(_TITLE_WORDS) and not _SECTION.match(ln):
            notice.title = ln
            break
    own = next((d for d in find_doc_numbers(text) if d.own), None)
    joined = (title_above_number(text, own) if own else None) or title_line(text)
    if joined and "关于" in joined and (notice.title is None or len(joined) > len(notice.title)):
        notice.title = joined
    notice.title = notice.title or joined or title
    if notice.title:
        notice.title = re.sub(r"^【[^】]{1,10}】", "", notice.title)  # "【规范性文件】…" is a site's tag
    preamble: list[str] = []
    section: Section | None = None
    measure: Measure | None = None
    next_section, next_measure = 1, 1
    for ln in lines:
        if notice.addressees is None and section is None and (m := _ADDRESSEES.match(ln)):
            notice.addressees = m.group(1)
            if m.group(2).strip():
                preamble.append(m.group(2).strip())
            continue
        if (m := _SECTION.match(ln)) and _is_next(m.group(1), next_section, notice, "、"):
            head, body = _section_title(m.group(2))
            section = Section(number=next_section, label=f"{m.group(1)}、", title=head)
            notice.sections.append(section)
            next_section += 1
            measure = None
            if body:
                _add_section_text(section, body)
            continue
        if section is not None and (m := _MEASURE.match(ln)) and _is_next(m.group(1), next_measure, notice, "（）"):
            body = m.group(2).strip()
            measure = Measure(
                number=next_measure, label=f"（{m.group(1)}）", title=first_sentence(body), text=body,
                section=section.number, section_title=section.title,
            )
            section.measures.append(measure)
            next_measure += 1
            continue
        if section is None and ln == notice.title:
            continue
        if measure is not None:
            measure.text += "\n" + ln
            if (sub := _sub_item(ln)) is not None:
                measure.sub_items.append(sub)
        elif section is not None:
            _add_section_text(section, ln)
        else:
            preamble.append(ln)
    notice.preamble = "\n".join(preamble)
    for m in notice.measures:
        annotate(m)
    return notice


def _is_next(numeral: str, expected: int, notice: Notice, kind: str) -> bool:
    try:
        n = zh_number(numeral)
    except ValueError:
        return False
    if n == expected:
        return True
    if n > expected and kind == "（）" and n - expected <= 2:
        notice.warnings.append(f"措施编号不连续：期望（{_zh(expected)}），遇到（{numeral}）")
    return False


def _zh(n: int) -> str:
    if n <= 10:
        return _ZH_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _ZH_NUM[tens - 1]) + "十" + (_ZH_NUM[ones - 1] if ones else "")


def _sub_item(line: str) -> SubItem | None:
    if line.startswith("——"):
        return SubItem("——", line[2:].strip())
    if m := _SUB_ITEM.match(line):
        return SubItem(f"{m.group(1)}.", m.group(2).strip())
    return None


def _add_section_text(section: Section, text: str) -> None:
    """Section text outside measures: —— principles (possibly run together on one line) or intro."""
    parts = re.split(r"(?=——)", text)
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if part.startswith("——"):
            section.principles.append(SubItem("——", part[2:].strip()))
        elif (sub := _sub_item(part)) is not None:
            section.principles.append(sub)
        else:
            section.intro = f"{section.intro}\n{part}".strip()


# ------------------------------------------------------------------------------------- measure details
PARTIES = (
    "各地", "各地区", "各省", "各地有关部门", "各有关部门", "各有关方面", "地方", "地方政府", "中央企业",
    "中央工业企业", "大型企业", "中小企业", "民营企业", "外资企业", "小微企业", "中小微企业", "个体工商户",
    "龙头企业", "关键节点企业", "外贸企业", "东部工业大省", "工业大省", "中西部地区", "西部地区",
    "东北地区", "能源原材料大省", "金融机构", "电商平台", "线下零售商", "行业协会", "政府投资基金",
    "国家产业转移基金", "工业和信息化部", "国家发展改革委", "国务院国资委", "工业和信息化主管部门",
)
_PARTY_RE = re.compile("|".join(sorted(map(re.escape, PARTIES), key=len, reverse=True)))

_TARGET_RE = re.compile(  # an ordinal ("第132届广交会") is a name, not a quantity
    r"(?<![第\d.])(?<!第\s)\d+(?:\.\d+)?\s*(?:万亿|亿|万|千|百)?\s*"
    r"(?:个百分点|%|％|家|升|项|个|批|元|吨|千瓦时|千瓦|台|辆|户|人|座|条|倍|次|所|款|GW|MW)"
    r"(?:左右|以上|以下|及以下|及以上|以内)?"
)
_TIME_RE = re.compile(
    r"\d{4}\s*[—–\-~至]\s*\d{4}\s*年"
    r"|\d{4}\s*年(?:[一二三四]季度|上半年|下半年|年底|年末|底|末|前|\d{1,2}月(?:\d{1,2}日|底|末)?(?:前)?)?"
    r"|“?十[一二三四五]五”?"
    r"|今年|明年|去年|上年|年内|年底前|年底|上半年|下半年|[一二三四]季度|迎峰度冬"
)
KEYWORDS = (
    "重大项目", "实物工作量", "技术改造", "设备更新", "政策性开发性金融工具", "再贷款", "中长期贷款",
    "汽车", "新能源汽车", "购置税", "消费", "家电下乡", "绿色建材", "信息消费", "出口", "外贸", "跨境电商",
    "海外仓", "中欧班列", "广交会", "出口信用保险", "产业链", "供应链", "堵点卡点", "疫情防控", "芯片",
    "能源", "电力", "电煤", "用能", "原材料", "保供稳价", "红黄蓝", "产能预警", "光伏", "先进制造业集群",
    "数字经济", "智能制造", "工业互联网", "5G", "钢铁", "石化化工", "有色金属", "稀土", "建材", "碳达峰",
    "新材料", "装备制造", "重大技术装备", "首台（套）", "消费品", "医药", "纺织", "产业转移", "营商环境",
    "专精特新", "小巨人", "外资", "融资担保", "留抵退税", "财税金融", "监测调度", "苗头性问题预警",
    "通报", "制造业增加值比重", "目标管理", "督导", "白名单", "点对点", "一对一", "稳增长",
)
_KEYWORD_RE = re.compile("|".join(sorted(map(re.escape, KEYWORDS), key=len, reverse=True)))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# who is told to act: "指导各地建立…", "各地要…", "特别是中央工业企业要…"; not who is helped or served
# ("支持中小微企业参加…", "解决外贸企业的困难", "向中西部和东北地区转移", "地方特色食品")
_DIRECTIVE = re.compile(r"(?:指导|引导|推动|鼓励|督促|要求|组织|通过)(?:和支持)?$")
_CLAUSE_START = re.compile(r"(?:^|[。；：，\n]|特别是)$")


def find_parties(text: str) -> list[str]:
    """Parties a measure tells to act (责任主体), in order of first mention."""
    actors: list[str] = []
    prev_end, prev_actor = -1, False
    for m in _PARTY_RE.finditer(text):
        before = text[: m.start()]
        chained = prev_actor and text[prev_end:m.start()] in ("和", "、", "及")  # "引导电商平台和线下零售商"
        actor = (chained or bool(_DIRECTIVE.search(before))
                 or bool(_CLAUSE_START.search(before)) or text.startswith("要", m.end()))
        if actor:
            actors.append(m.group())
        prev_end, prev_actor = m.end(), actor
    return _unique(actors)


def find_targets(text: str) -> list[str]:
    return _unique(re.sub(r"\s+", "", t) for t in _TARGET_RE.findall(text))


def find_time_refs(text: str) -> list[str]:
    return _unique(re.sub(r"\s+", "", t).strip("“”") for t in _TIME_RE.findall(text))


def find_keywords(text: str) -> list[str]:
    quoted = [q for q in re.findall(r"“([^”]{2,16})”", text) if re.search(f"[{HAN}]", q)]
    named = re.findall(r"《([^》]{2,40})》", text)
    return _unique(_KEYWORD_RE.findall(text) + quoted + named)


def annotate(m: Measure) -> Measure:
    """Fill a measure's parties, targets, time references and keywords from its text."""
    m.parties = find_parties(m.text)
    m.targets = find_targets(m.text)
    m.time_refs = find_time_refs(m.text)
    m.keywords = find_keywords(m.text)
    return m
