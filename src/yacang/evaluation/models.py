"""App-database tables of the 成效明显市（州） 申报 workflow (declared on :class:`yacang.appdb.Base`).

A call (申报通知) is issued by a region for the level below it, with a year, an indicator system and a
quota. Each region of that level inside the issuer's subtree may hold one submission: its indicator
values, a narrative, declared veto items and claimed bonus items, attachments. Reviewers record value
checks against the warehouse (one row per indicator), the score and rank, and the shortlist; the call
is then published. Every step writes an audit event (:mod:`yacang.auth.audit`) in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yacang.appdb.base import Base
from yacang.auth.models import utcnow


class EvalCall(Base):
    __tablename__ = "eval_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(12))  # prefecture / county
    system: Mapped[str] = mapped_column(String(64))  # indicator system code
    quota: Mapped[int] = mapped_column(Integer)
    issuer_region: Mapped[str] = mapped_column(String(6), index=True)  # from the issuer's account
    status: Mapped[str] = mapped_column(String(16), default="open")  # open / reviewing / scored / published
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class EvalSubmission(Base):
    __tablename__ = "eval_submissions"
    __table_args__ = (UniqueConstraint("call_id", "region"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("eval_calls.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)  # from the submitter's account
    region_name: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft / submitted
    values: Mapped[dict] = mapped_column(JSON, default=dict)  # indicator code → value
    narrative: Mapped[str] = mapped_column(Text, default="")
    vetoes: Mapped[list] = mapped_column(JSON, default=list)  # veto codes (declared or set by reviewers)
    bonuses: Mapped[list] = mapped_column(JSON, default=list)  # bonus codes claimed
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0 = not ranked (veto)
    shortlisted: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str] = mapped_column(String(64), default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class EvalCheck(Base):
    """A submitted value compared with the warehouse's figure for the same region and period."""

    __tablename__ = "eval_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("eval_submissions.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(64))
    submitted: Mapped[float | None] = mapped_column(Float, nullable=True)
    warehouse: Mapped[float | None] = mapped_column(Float, nullable=True)
    series_id: Mapped[str] = mapped_column(String(128), default="")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[str] = mapped_column(String(64))
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class EvalAttachment(Base):
    __tablename__ = "eval_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("eval_submissions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
