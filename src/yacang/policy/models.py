"""App-database tables of the policy registry: documents, their overlaps, measures, facts, links, notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yacang.appdb import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class PolicyDocument(Base):
    """One ingested document (its cleaned text); ``canonical_id`` points at its group's kept copy."""

    __tablename__ = "policy_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of the cleaned text
    source_file: Mapped[str] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # notice | news
    title: Mapped[str | None] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(100))  # 文号 (own or from a linked copy)
    doc_number_from: Mapped[int | None] = mapped_column(Integer)  # id of the copy the 文号 came from
    addressees: Mapped[str | None] = mapped_column(Text)  # 主送
    doc_date: Mapped[dt.date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(String(1000))
    source_name: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    n_chars: Mapped[int] = mapped_column(Integer)
    n_measures: Mapped[int] = mapped_column(Integer, default=0)
    removed_pinyin: Mapped[int] = mapped_column(Integer, default=0)
    converted_chars: Mapped[int] = mapped_column(Integer, default=0)
    structure: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # sections, warnings
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    canonical_id: Mapped[int | None] = mapped_column(ForeignKey("policy_documents.id"))
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class DocumentOverlap(Base):
    """Two documents linked by shared text; coverage both ways (share of each found in the other)."""

    __tablename__ = "policy_document_links"
    __table_args__ = (UniqueConstraint("doc_id", "other_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("policy_documents.id"))
    other_id: Mapped[int] = mapped_column(ForeignKey("policy_documents.id"))
    relation: Mapped[str] = mapped_column(String(20))  # duplicate | a_in_b | b_in_a | partial
    doc_in_other: Mapped[float] = mapped_column(Float)
    other_in_doc: Mapped[float] = mapped_column(Float)
    shared_chars: Mapped[int] = mapped_column(Integer)


class PolicyMeasure(Base):
    """One numbered measure of a notice, attached to the notice's canonical copy."""

    __tablename__ = "policy_measures"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("policy_documents.id"))
    section: Mapped[int] = mapped_column(Integer)
    section_title: Mapped[str] = mapped_column(String(200))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    sub_items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    time_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)


class PolicyFact(Base):
    """A figure stated in a document, with its cross-check against the warehouse."""

    __tablename__ = "policy_facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("policy_documents.id"))
    indicator: Mapped[str] = mapped_column(String(50))
    industry: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(50), default="")
    region: Mapped[str] = mapped_column(String(12))
    measure: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(20))
    span: Mapped[str] = mapped_column(String(20))
    period_label: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str] = mapped_column(String(50), default="")
    sentence: Mapped[str] = mapped_column(Text)  # the fragment the figure was read from
    key: Mapped[str] = mapped_column(String(60), default="")  # vocabulary key: iva/C, output/steel
    start_offset: Mapped[int] = mapped_column(Integer, default=0)  # of the figure in the document text
    end_offset: Mapped[int] = mapped_column(Integer, default=0)
    check_status: Mapped[str | None] = mapped_column(String(10))  # agree | differ | no_data
    check_value: Mapped[float | None] = mapped_column(Float)
    check_series: Mapped[str | None] = mapped_column(String(200))
    check_detail: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class MeasureLink(Base):
    """A measure's link to an indicator, an alert rule or a dispatch item (kind + key)."""

    __tablename__ = "policy_measure_links"
    __table_args__ = (UniqueConstraint("measure_id", "target_kind", "target_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("policy_measures.id"))
    target_kind: Mapped[str] = mapped_column(String(20))  # indicator | alert_rule | dispatch
    target_key: Mapped[str] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(String(10), default="auto")  # auto | manual
    note: Mapped[str] = mapped_column(String(200), default="")


class ProgressNote(Base):
    """An officer's note on a measure's progress in a region."""

    __tablename__ = "policy_progress_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("policy_measures.id"))
    region: Mapped[str] = mapped_column(String(12))
    officer: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
