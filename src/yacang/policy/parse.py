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

DOC_NUMBER = re.compile(rf"[{HAN}]{{2,16}}〔\d{{4}}〕\d{{1,4}}号")
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


def find_doc_number(text: str) -> str | None:
    """The first 文号 in the text (工信部联运行〔2022〕160号)."""
    m = DOC_NUMBER.search(text)
    return m.group(0) if m else None


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
    notice.title = notice.title or title
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

_TARGET_RE = re.compile(
    r"(?:第\s*)?\d+(?:\.\d+)?\s*(?:万亿|亿|万|千|百)?\s*"
    r"(?:个百分点|%|％|家|升|届|项|个|批|元|吨|千瓦时|千瓦|台|辆|户|人|座|条|倍|次|所|款|GW|MW)"
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


def find_parties(text: str) -> list[str]:
    return _unique(_PARTY_RE.findall(text))


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
