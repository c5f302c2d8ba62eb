"""The policy registry in the app database: ingest documents, keep one canonical copy per group of
overlapping documents, register a notice's measures, store facts, links and progress notes.

Every function takes a SQLAlchemy session; the caller owns the transaction (``session_scope``).
Re-ingesting a document whose cleaned text is already stored changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from yacang.catalog.vocabulary import concept
from yacang.periods import PeriodError, parse_period
from yacang.policy.clean import CleanDocument, read_document
from yacang.policy.crosscheck import STATUS_ZH, Checker
from yacang.policy.dedup import clusters, find_links
from yacang.policy.errors import PolicyInputError
from yacang.policy.links import INDICATOR, KIND_ZH, suggest_links
from yacang.policy.models import (
    DocumentOverlap,
    MeasureLink,
    PolicyDocument,
    PolicyFact,
    PolicyMeasure,
    ProgressNote,
)
from yacang.policy.parse import KIND_ZH as DOC_KIND_ZH
from yacang.policy.parse import Notice, classify, find_doc_numbers, find_time_refs, parse_notice, title_line
from yacang.policy.release_facts import (
    DIFF_PP,
    MEASURE_ZH,
    TWO_YEAR_AVG,
    YTD_DIFF_PP,
    YTD_TWO_YEAR_AVG,
    extract_facts,
)

STATUSES = ("未启动", "推进中", "已完成", "滞后")
NO_STATUS = "未登记"
RELATION_ZH = {"duplicate": "相同文本", "a_in_b": "被包含", "b_in_a": "包含", "partial": "部分相同",
               "cites": "按标题或文号提及"}


@dataclass
class IngestResult:
    source_file: str
    document_id: int
    status: str  # "new" | "unchanged"
    title: str | None
    kind: str
    n_measures: int
    n_facts: int
    canonical_id: int | None
    doc_number: str | None
    links: list[tuple[int, str, float, float]] = field(default_factory=list)  # other, relation, a_in_b, b_in_a


# ------------------------------------------------------------------------------------------- ingest
def ingest_file(session: Session, path: Path | str, source_url: str | None = None) -> IngestResult:
    """Read, clean and register one file (raises :class:`PolicyInputError` for unusable input)."""
    return ingest_document(session, read_document(path, source_url=source_url))


def ingest_document(session: Session, doc: CleanDocument) -> IngestResult:
    existing = session.scalar(select(PolicyDocument).where(PolicyDocument.sha256 == doc.sha256))
    if existing is not None:
        return _result(session, existing, "unchanged")
    notice = parse_notice(doc.text, title=doc.title)
    real_title = title_line(doc.text)
    title = notice.title if (notice.is_structured or notice.doc_number) and notice.title else (
        doc.meta.get("title") or real_title or doc.title)
    kind, kind_why = classify(doc.text, real_title or (notice.title if notice.doc_number else None),
                              notice.doc_number, len(notice.measures))
    cited = [d.number for d in find_doc_numbers(doc.text) if not d.own]
    meta = {**doc.meta, "date_how": doc.date_how or "未找到日期", "kind_why": kind_why, "encoding": doc.encoding,
            "encoding_confidence": str(doc.encoding_confidence), "cleaning": doc.noise.summary_zh(),
            "cited_numbers": "、".join(cited)}
    row = PolicyDocument(
        sha256=doc.sha256, source_file=doc.source_file, format=doc.format, kind=kind, title=title,
        doc_number=notice.doc_number, doc_number_from=None, addressees=notice.addressees,
        doc_date=doc.date, source_url=doc.source_url, source_name=doc.source_name, text=doc.text,
        n_chars=len(doc.text), n_measures=len(notice.measures), removed_pinyin=doc.removed_pinyin,
        converted_chars=doc.converted_chars, structure=_structure(notice), meta=meta,
        ingested_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )
    session.add(row)
    session.flush()
    others = session.execute(select(PolicyDocument.id, PolicyDocument.text).where(PolicyDocument.id != row.id)).all()
    facts = extract_facts(row.text, row.doc_date)
    linked = set()
    for other_id, ov in find_links(row.text, [(i, t) for i, t in others]):
        if ov.relation != "duplicate" and _different_figures(session, facts, other_id):
            continue  # two releases written on the same template ("分三大门类看…") are not copies
        linked.add(other_id)
        session.add(DocumentOverlap(doc_id=row.id, other_id=other_id, relation=ov.relation,
                                    doc_in_other=ov.a_in_b, other_in_doc=ov.b_in_a, shared_chars=ov.shared_chars))
    for other_id in _cited_notices(session, row) - linked:
        session.add(DocumentOverlap(doc_id=row.id, other_id=other_id, relation="cites", doc_in_other=0.0,
                                    other_in_doc=0.0, shared_chars=0))
    for f in facts:
        session.add(PolicyFact(document_id=row.id, start_offset=f.start, end_offset=f.end,
                               **{k: getattr(f, k) for k in _FACT_FIELDS}))
    session.flush()
    _settle_groups(session)
    return _result(session, row, "new")


_FACT_FIELDS = ("key", "indicator", "industry", "category", "region", "measure", "period", "span", "period_label",
                "value", "unit", "subject", "reference", "sentence")


def _different_figures(session: Session, facts: list, other_id: int) -> bool:
    """Whether two documents that share much text state mostly different figures (less than a third of
    the smaller set in common): different months' releases, not copies of one."""
    mine = {(f.key, f.measure, f.period, f.value) for f in facts}
    theirs = {(f.key, f.measure, f.period, f.value)
              for f in session.scalars(select(PolicyFact).where(PolicyFact.document_id == other_id))}
    if len(mine) < 5 or len(theirs) < 5:
        return False
    return len(mine & theirs) < min(len(mine), len(theirs)) / 3


def _norm_title(t: str) -> str:
    return re.sub(r"[《》〈〉<>“”\"\s（）()]", "", t or "")


def _cited_notices(session: Session, row: PolicyDocument) -> set[int]:
    """Documents this one names by 《title》 or 文号, and documents that name this one that way."""
    titles = {_norm_title(t) for t in re.findall(r"《([^》]{6,80})》", row.text)}
    numbers = {d.number for d in find_doc_numbers(row.text)}
    own_title, own_number = _norm_title(row.title or ""), row.doc_number
    out = set()
    for other in session.scalars(select(PolicyDocument).where(PolicyDocument.id != row.id)):
        other_title = _norm_title(other.title or "")
        names_other = bool(other.doc_number and other.doc_number in numbers) or bool(
            other_title and any(t and (t in other_title or other_title.endswith(t)) for t in titles))
        named_by_other = bool(own_number and own_number in other.text) or bool(
            own_title and len(own_title) >= 8 and own_title[-20:] in _norm_title(other.text))
        if names_other or named_by_other:
            out.add(other.id)
    return out


def _structure(notice: Notice) -> dict:
    return {
        "sections": [
            {"number": s.number, "label": s.label, "title": s.title, "intro": s.intro,
             "principles": [p.text for p in s.principles], "measures": [m.number for m in s.measures],
             "time_refs": find_time_refs(s.intro + "".join(p.text for p in s.principles))}
            for s in notice.sections
        ],
        "preamble": notice.preamble,
        "warnings": notice.warnings,
    }


def _result(session: Session, row: PolicyDocument, status: str) -> IngestResult:
    links = [
        (lk.other_id, lk.relation, lk.doc_in_other, lk.other_in_doc)
        if lk.doc_id == row.id else (lk.doc_id, _flip(lk.relation), lk.other_in_doc, lk.doc_in_other)
        for lk in session.scalars(select(DocumentOverlap).where(
            (DocumentOverlap.doc_id == row.id) | (DocumentOverlap.other_id == row.id)))
    ]
    n_facts = len(session.scalars(select(PolicyFact.id).where(PolicyFact.document_id == row.id)).all())
    return IngestResult(row.source_file, row.id, status, row.title, row.kind, row.n_measures, n_facts,
                        row.canonical_id, row.doc_number, links)


def refresh(session: Session, result: IngestResult) -> IngestResult:
    """The result re-read after later documents may have changed its canonical copy or 文号."""
    return _result(session, session.get(PolicyDocument, result.document_id), result.status)


def _flip(relation: str) -> str:
    return {"a_in_b": "b_in_a", "b_in_a": "a_in_b"}.get(relation, relation)


def _settle_groups(session: Session) -> None:
    """Canonical copy, shared 文号 and the measure registry for every group of linked documents."""
    docs = {d.id: d for d in session.scalars(select(PolicyDocument))}
    pairs = [(lk.doc_id, lk.other_id) for lk in session.scalars(select(DocumentOverlap))]
    for group in clusters(list(docs), pairs):
        members = [docs[i] for i in group]
        canonical = max(members, key=lambda d: (d.n_measures, d.n_chars, -d.id))
        for d in members:
            d.canonical_id = canonical.id
        own = [d for d in [canonical, *members] if d.doc_number and d.doc_number_from is None]
        for d in members:
            if own and (d.doc_number is None or d.doc_number_from is not None) and d is not own[0]:
                d.doc_number, d.doc_number_from = own[0].doc_number, own[0].id
        for d in members:
            if d is not canonical:
                _move_measures(session, d.id, canonical.id)
        if canonical.n_measures:
            _register_measures(session, canonical)
    session.flush()


def _move_measures(session: Session, old_doc: int, new_doc: int) -> None:
    """Re-home measures (with their notes and links) when a fuller copy becomes canonical."""
    kept = {m.number: m for m in session.scalars(select(PolicyMeasure).where(PolicyMeasure.document_id == new_doc))}
    for m in session.scalars(select(PolicyMeasure).where(PolicyMeasure.document_id == old_doc)).all():
        if m.number not in kept:
            m.document_id = new_doc
            continue
        target = kept[m.number]
        for note in session.scalars(select(ProgressNote).where(ProgressNote.measure_id == m.id)):
            note.measure_id = target.id
        session.execute(delete(MeasureLink).where(MeasureLink.measure_id == m.id))
        session.delete(m)
    session.flush()


def _register_measures(session: Session, doc: PolicyDocument) -> None:
    notice = parse_notice(doc.text, title=doc.title)
    existing = {m.number: m for m in session.scalars(select(PolicyMeasure).where(PolicyMeasure.document_id == doc.id))}
    for pm in notice.measures:
        row = existing.get(pm.number) or PolicyMeasure(document_id=doc.id, number=pm.number)
        row.section, row.section_title, row.label = pm.section, pm.section_title, pm.label
        row.title, row.text = pm.title, pm.text
        row.sub_items = [[s.marker, s.text] for s in pm.sub_items]
        row.parties, row.targets, row.time_refs, row.keywords = pm.parties, pm.targets, pm.time_refs, pm.keywords
        if pm.number not in existing:
            session.add(row)
            session.flush()
            for kind, key, word in suggest_links(pm.text):
                session.add(MeasureLink(measure_id=row.id, target_kind=kind, target_key=key, origin="auto",
                                        note=f"关键词“{word}”"))
    session.flush()


# ------------------------------------------------------------------------------------------- queries
def documents_frame(session: Session) -> pd.DataFrame:
    rows = []
    for d in session.scalars(select(PolicyDocument).order_by(PolicyDocument.id)):
        rows.append({
            "编号": d.id, "标题": d.title or "", "类型": DOC_KIND_ZH.get(d.kind, d.kind),
            "文号": (d.doc_number or "") + (f"（取自#{d.doc_number_from}）" if d.doc_number_from else ""),
            "日期": d.doc_date.isoformat() if d.doc_date else "", "字数": d.n_chars, "措施数": d.n_measures,
            "保留副本": "是" if d.canonical_id in (None, d.id) else f"否（见#{d.canonical_id}）",
            "文件": Path(d.source_file).name,
        })
    return pd.DataFrame(rows, columns=["编号", "标题", "类型", "文号", "日期", "字数", "措施数", "保留副本", "文件"])


def document_detail(session: Session, ref: str) -> dict:
    """One document by number (#3 or 3): metadata, structure and overlaps."""
    key = ref.strip().lstrip("#")
    doc = session.get(PolicyDocument, int(key)) if key.isdigit() else None
    if doc is None:
        raise PolicyInputError(f"找不到文档“{ref}”，请用 yacang policy docs 查看编号")
    res = _result(session, doc, "")
    return {
        "id": doc.id, "title": doc.title, "kind": doc.kind, "kind_zh": DOC_KIND_ZH.get(doc.kind, doc.kind),
        "kind_why": doc.meta.get("kind_why", ""), "date_how": doc.meta.get("date_how", ""),
        "cleaning": doc.meta.get("cleaning", ""), "encoding": doc.meta.get("encoding", ""),
        "encoding_confidence": doc.meta.get("encoding_confidence", ""), "cited_numbers": doc.meta.get("cited_numbers", ""),
        "doc_number": doc.doc_number,
        "doc_number_from": doc.doc_number_from, "addressees": doc.addressees,
        "date": doc.doc_date.isoformat() if doc.doc_date else None, "source_url": doc.source_url,
        "source_name": doc.source_name, "source_file": doc.source_file, "format": doc.format,
        "n_chars": doc.n_chars, "removed_pinyin": doc.removed_pinyin, "converted_chars": doc.converted_chars,
        "canonical_id": doc.canonical_id, "sections": doc.structure.get("sections", []),
        "warnings": doc.structure.get("warnings", []), "links": res.links, "n_facts": res.n_facts,
    }


def duplicates_frame(session: Session) -> pd.DataFrame:
    docs = {d.id: d for d in session.scalars(select(PolicyDocument))}
    rows = []
    for lk in session.scalars(select(DocumentOverlap).order_by(DocumentOverlap.id)):
        a, b = docs[lk.doc_id], docs[lk.other_id]
        rows.append({
            "文档A": f"#{a.id} {Path(a.source_file).name}", "文档B": f"#{b.id} {Path(b.source_file).name}",
            "关系": RELATION_ZH.get(lk.relation, lk.relation),
            "A见于B(%)": round(lk.doc_in_other * 100, 1), "B见于A(%)": round(lk.other_in_doc * 100, 1),
            "共同字数": lk.shared_chars, "保留副本": f"#{a.canonical_id}",
        })
    return pd.DataFrame(rows, columns=["文档A", "文档B", "关系", "A见于B(%)", "B见于A(%)", "共同字数", "保留副本"])


def notices(session: Session) -> list[PolicyDocument]:
    """Canonical documents that carry a measure registry."""
    return [d for d in session.scalars(select(PolicyDocument).order_by(PolicyDocument.id))
            if d.n_measures and d.canonical_id in (None, d.id)]


def resolve_notice(session: Session, notice: str | None = None) -> PolicyDocument:
    """The notice meant by a 文号, document number (#id) or title fragment; the only one if None."""
    found = notices(session)
    if not found:
        raise PolicyInputError("登记册中还没有带措施的通知，请先运行 yacang policy ingest 导入通知原文")
    if notice is None:
        if len(found) == 1:
            return found[0]
        raise PolicyInputError("有多份通知，请用 --notice 指定文号或标题：" + "；".join(_notice_name(d) for d in found))
    key = notice.strip().lstrip("#")
    for d in found:
        if key == str(d.id) or key == (d.doc_number or "") or key in (d.title or ""):
            return d
    raise PolicyInputError(f"找不到通知“{notice}”，可选：" + "；".join(_notice_name(d) for d in found))


def _notice_name(d: PolicyDocument) -> str:
    return f"#{d.id} {d.doc_number or ''} {d.title or ''}".strip()


def get_measure(session: Session, number: int, notice: str | None = None) -> PolicyMeasure:
    doc = resolve_notice(session, notice)
    m = session.scalar(select(PolicyMeasure).where(PolicyMeasure.document_id == doc.id,
                                                   PolicyMeasure.number == number))
    if m is None:
        raise PolicyInputError(f"{_notice_name(doc)} 没有第 {number} 项措施（共 {doc.n_measures} 项）")
    return m


def measure_status(session: Session, measure_id: int, region: str | None = None) -> str:
    """The status of the latest progress note (in ``region`` if given, a name or code)."""
    q = select(ProgressNote).where(ProgressNote.measure_id == measure_id)
    if region:
        q = q.where(ProgressNote.region == _region_code(region))
    latest = session.scalars(q.order_by(ProgressNote.created_at.desc(), ProgressNote.id.desc())).first()
    return latest.status if latest else NO_STATUS


def region_statuses(session: Session, measure_id: int) -> dict[str, str]:
    """Latest status per region code for one measure."""
    out: dict[str, str] = {}
    for n in session.scalars(select(ProgressNote).where(ProgressNote.measure_id == measure_id)
                             .order_by(ProgressNote.created_at, ProgressNote.id)):
        out[n.region] = n.status
    return out


def unique_facts(session: Session) -> list[PolicyFact]:
    """Facts of all documents, each statement once (copies of the same report state it twice)."""
    seen: set[tuple] = set()
    out = []
    for f in session.scalars(select(PolicyFact).order_by(PolicyFact.document_id, PolicyFact.id)):
        key = (f.key, f.indicator, f.industry, f.category, f.region, f.measure, f.period, f.value, f.reference)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def linked_facts(session: Session, measure: PolicyMeasure) -> list[PolicyFact]:
    indicators = {lk.target_key for lk in session.scalars(select(MeasureLink).where(
        MeasureLink.measure_id == measure.id, MeasureLink.target_kind == INDICATOR))}
    return [f for f in unique_facts(session) if f.indicator in indicators]


def measures_frame(session: Session, notice: str | None = None, region: str | None = None) -> pd.DataFrame:
    """The measure registry of a notice: status (overall or in ``region``), links and linked facts."""
    doc = resolve_notice(session, notice)
    facts = unique_facts(session)
    rows = []
    for m in session.scalars(select(PolicyMeasure).where(PolicyMeasure.document_id == doc.id)
                             .order_by(PolicyMeasure.number)):
        links = session.scalars(select(MeasureLink).where(MeasureLink.measure_id == m.id)).all()
        indicators = sorted({lk.target_key for lk in links if lk.target_kind == INDICATOR})
        n_facts = sum(1 for f in facts if f.indicator in indicators)
        rows.append({
            "序号": m.number, "措施": m.title, "部分": f"{_section_zh(m)}", "状态": measure_status(session, m.id, region),
            "已报地区": len(region_statuses(session, m.id)), "关联指标": ",".join(indicators), "关联事实": n_facts, "责任主体": "、".join(m.parties[:4]),
            "量化目标": "、".join(m.targets),
        })
    return pd.DataFrame(rows)


def _section_zh(m: PolicyMeasure) -> str:
    return f"{m.section}.{m.section_title}"


def measure_detail(session: Session, number: int, notice: str | None = None) -> dict:
    m = get_measure(session, number, notice)
    doc = session.get(PolicyDocument, m.document_id)
    notes = session.scalars(select(ProgressNote).where(ProgressNote.measure_id == m.id)
                            .order_by(ProgressNote.created_at, ProgressNote.id)).all()
    links = session.scalars(select(MeasureLink).where(MeasureLink.measure_id == m.id)
                            .order_by(MeasureLink.target_kind, MeasureLink.target_key)).all()
    return {
        "notice": _notice_name(doc), "number": m.number, "label": m.label, "title": m.title,
        "section": _section_zh(m), "text": m.text, "parties": m.parties, "targets": m.targets,
        "time_refs": m.time_refs, "keywords": m.keywords, "status": measure_status(session, m.id),
        "links": [(KIND_ZH[lk.target_kind], lk.target_key, lk.origin, lk.note) for lk in links],
        "notes": [(n.created_at.strftime("%Y-%m-%d %H:%M"), n.region, n.officer, n.status, n.note) for n in notes],
        "facts": [fact_row(f) for f in linked_facts(session, m)],
    }


def _indicator_name(key: str) -> str:
    """The catalog's name for a fact's key: "制造业" in "制造业投资增长15.6%" is 制造业固定资产投资."""
    return concept(key).name


def _reference_zh(ref: str) -> str:
    """A period a change is measured from, as officials write it: 2021Q4 → 2021年四季度; words stay."""
    try:
        return parse_period(ref).label_zh()
    except PeriodError:
        return ref  # 上年同期, 全国, 整体工业 …


def fact_row(f: PolicyFact) -> dict:
    return {
        "指标": _indicator_name(f.key), "原文用语": f.subject, "指标键": f.key, "口径": MEASURE_ZH.get(f.measure, f.measure), "时期": f.period_label,
        "期别代码": f.period, "地区": f.region, "数值": f.value, "单位": f.unit, "比较对象": _reference_zh(f.reference),
        "核对": STATUS_ZH.get(f.check_status or "", "未核对"), "仓库值": _data_value(f),
        "核对说明": f.check_detail or "", "文档": f"#{f.document_id}", "位置": f"{f.start_offset}-{f.end_offset}",
        "原文": f.sentence,
    }


def _data_value(f: PolicyFact) -> str:
    """The warehouse value as text: one decimal, two for values recomputed from the data."""
    if f.check_value is None:
        return ""
    derived = (TWO_YEAR_AVG, YTD_TWO_YEAR_AVG, DIFF_PP, YTD_DIFF_PP, "mom", "sa_mom")
    return f"{f.check_value:.2f}" if f.measure in derived or f.measure.startswith(("vs_", "ytd_vs_")) else f"{f.check_value:.1f}"


def facts_frame(session: Session) -> pd.DataFrame:
    return pd.DataFrame([fact_row(f) for f in unique_facts(session)])


# ------------------------------------------------------------------------------------------- actions
def crosscheck(session: Session, wh) -> dict[str, int]:
    """Check every stored fact against the warehouse, document by document (one value query each, 环比
    against what was published by the document's date); returns counts by status."""
    checker = Checker(wh)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    counts: dict[str, int] = {}
    for doc in session.scalars(select(PolicyDocument).order_by(PolicyDocument.id)):
        facts = session.scalars(select(PolicyFact).where(PolicyFact.document_id == doc.id)
                                .order_by(PolicyFact.id)).all()
        for f, c in zip(facts, checker.check(facts, as_of=doc.doc_date), strict=True):
            f.check_status, f.check_value, f.check_series, f.check_detail, f.checked_at = (
                c.status, c.data_value, c.series_id, c.detail, now)
            counts[c.status] = counts.get(c.status, 0) + 1
    session.flush()
    return counts


def add_progress_note(session: Session, number: int, *, region: str, officer: str, status: str, note: str,
                      notice: str | None = None) -> ProgressNote:
    """Record an officer's progress note for a measure in a region (name or code)."""
    if status not in STATUSES:
        raise PolicyInputError(f"状态“{status}”无效，应为：{'、'.join(STATUSES)}")
    if not officer.strip():
        raise PolicyInputError("请填写记录人（--officer）")
    if not note.strip():
        raise PolicyInputError("进展说明不能为空（--note）")
    m = get_measure(session, number, notice)
    row = ProgressNote(measure_id=m.id, region=_region_code(region), officer=officer.strip(), status=status,
                       note=note.strip(), created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    session.add(row)
    session.flush()
    return row


def add_link(session: Session, number: int, *, kind: str, key: str, note: str = "",
             notice: str | None = None) -> MeasureLink:
    if kind not in KIND_ZH:
        raise PolicyInputError(f"关联类型“{kind}”无效，应为：{'、'.join(KIND_ZH)}")
    m = get_measure(session, number, notice)
    row = session.scalar(select(MeasureLink).where(MeasureLink.measure_id == m.id, MeasureLink.target_kind == kind,
                                                   MeasureLink.target_key == key))
    if row is None:
        row = MeasureLink(measure_id=m.id, target_kind=kind, target_key=key, origin="manual", note=note)
        session.add(row)
        session.flush()
    return row


def _region_code(region: str) -> str:
    from yacang.catalog.regions import NATION, RegionCatalog

    region = region.strip()
    if region in ("", "全国"):
        return NATION
    catalog = RegionCatalog.load()
    if region in catalog:
        return region
    return catalog.find(region).code
