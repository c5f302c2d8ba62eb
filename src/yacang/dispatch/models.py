"""App-database tables of the dispatch package (declared on :class:`yacang.appdb.Base`).

Times are naive UTC (as in :mod:`yacang.auth.models`); amounts of money are 亿元.
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
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yacang.appdb.base import Base

OPEN_APPEAL_SQL = "status IN ('filed', 'assigned', 'responded', 'planned', 'reopened')"
PENDING_WHITELIST_SQL = "status IN ('applied', 'reviewed')"


class SlaRule(Base):
    """SLA of one appeal type in minutes (响应, 方案, 办结); a missing type uses the defaults."""

    __tablename__ = "dispatch_sla"

    appeal_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    respond_minutes: Mapped[int] = mapped_column(Integer)
    plan_minutes: Mapped[int] = mapped_column(Integer)
    resolve_minutes: Mapped[int] = mapped_column(Integer)


class Appeal(Base):
    """企业诉求 (一企一案): one case, its SLA deadlines and where it is handled now."""

    __tablename__ = "dispatch_appeals"
    __table_args__ = (  # one open case per enterprise, type and identical text (a double click, a retry)
        Index("uq_dispatch_appeals_open_dedup", "uscc", "appeal_type", "dedup_key", unique=True,
              sqlite_where=text(OPEN_APPEAL_SQL), postgresql_where=text(OPEN_APPEAL_SQL)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(128), default="")
    region: Mapped[str] = mapped_column(String(6), index=True)  # where the enterprise is
    appeal_type: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(128), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(8), default="一般")
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    department: Mapped[str] = mapped_column(String(64), default="", index=True)
    status: Mapped[str] = mapped_column(String(16), default="filed", index=True)
    handler_region: Mapped[str] = mapped_column(String(6), default="")  # raised by escalation
    handler_level: Mapped[str] = mapped_column(String(12), default="")  # county / prefecture / province
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    escalated_stages: Mapped[str] = mapped_column(String(32), default="")  # "respond,plan"
    filed_by: Mapped[str] = mapped_column(String(64), default="")
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    planned_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    respond_due: Mapped[dt.datetime] = mapped_column(DateTime)
    plan_due: Mapped[dt.datetime] = mapped_column(DateTime)
    resolve_due: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    response_note: Mapped[str] = mapped_column(Text, default="")
    plan_note: Mapped[str] = mapped_column(Text, default="")
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    callback_note: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1..5
    satisfaction_comment: Mapped[str] = mapped_column(Text, default="")
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    dedup_key: Mapped[str] = mapped_column(String(64), default="")  # sha256 of the normalised description

    events: Mapped[list[AppealEvent]] = relationship(back_populates="appeal", order_by="AppealEvent.id",
                                                     cascade="all, delete-orphan")


class AppealEvent(Base):
    """One step of a case's timeline (filed, assigned, escalated, rated …)."""

    __tablename__ = "dispatch_appeal_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("dispatch_appeals.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    appeal: Mapped[Appeal] = relationship(back_populates="events")


class WhitelistCategory(Base):
    __tablename__ = "dispatch_whitelist_categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class WhitelistEntry(Base):
    """An enterprise on a 白名单: applied → reviewed → published (or rejected), with a validity period."""

    __tablename__ = "dispatch_whitelist_entries"
    __table_args__ = (  # one pending application per enterprise and list
        Index("uq_dispatch_whitelist_pending", "category_id", "uscc", unique=True,
              sqlite_where=text(PENDING_WHITELIST_SQL), postgresql_where=text(PENDING_WHITELIST_SQL)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("dispatch_whitelist_categories.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(128), default="")
    region: Mapped[str] = mapped_column(String(6), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="applied")
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    applied_by: Mapped[str] = mapped_column(String(64), default="")
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reviewed_by: Mapped[str] = mapped_column(String(64), default="")
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    published_by: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    category: Mapped[WhitelistCategory] = relationship()
    history: Mapped[list[WhitelistEvent]] = relationship(back_populates="entry", order_by="WhitelistEvent.id",
                                                         cascade="all, delete-orphan")


class WhitelistEvent(Base):
    __tablename__ = "dispatch_whitelist_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("dispatch_whitelist_entries.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[WhitelistEntry] = relationship(back_populates="history")


class KeyEnterprise(Base):
    """重点企业 on a region's monitoring list, with its reporting frequency and contact person."""

    __tablename__ = "dispatch_key_enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    region: Mapped[str] = mapped_column(String(6), index=True)
    industry: Mapped[str] = mapped_column(String(4), default="")
    frequency: Mapped[str] = mapped_column(String(2), default="月")  # 月 / 周 / 日
    contact_name: Mapped[str] = mapped_column(String(32), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class QuickReport(Base):
    """A weekly or daily 快报 of a key enterprise (a week is stored at its last day, a Sunday)."""

    __tablename__ = "dispatch_quick_reports"
    __table_args__ = (UniqueConstraint("uscc", "frequency", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    frequency: Mapped[str] = mapped_column(String(2))  # 周 / 日
    day: Mapped[dt.date] = mapped_column(Date)
    production: Mapped[float | None] = mapped_column(Float, nullable=True)  # 产量 (enterprise's own unit)
    electricity: Mapped[float | None] = mapped_column(Float, nullable=True)  # 用电量 万千瓦时
    orders: Mapped[float | None] = mapped_column(Float, nullable=True)  # 订单 万元
    operating_rate: Mapped[float | None] = mapped_column(Float, nullable=True)  # 开工率 %
    problems: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str] = mapped_column(String(64), default="")
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Project(Base):
    """重大项目 in the dispatch registry."""

    __tablename__ = "dispatch_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(6), index=True)
    industry: Mapped[str] = mapped_column(String(4), default="")
    planned_investment: Mapped[float] = mapped_column(Float)  # 亿元
    planned_start: Mapped[dt.date] = mapped_column(Date)
    planned_finish: Mapped[dt.date] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(128), default="")
    milestones: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "planned": "YYYY-MM-DD"}]
    actual_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    progress: Mapped[list[ProjectProgress]] = relationship(back_populates="project", order_by="ProjectProgress.period",
                                                           cascade="all, delete-orphan")


class ProjectProgress(Base):
    """Monthly progress report: investment completed to date and milestones reached."""

    __tablename__ = "dispatch_project_progress"
    __table_args__ = (UniqueConstraint("project_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("dispatch_projects.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    invest_cum: Mapped[float] = mapped_column(Float)  # 累计完成投资, 亿元
    invest_month: Mapped[float] = mapped_column(Float, default=0.0)  # 当月完成投资 (形成实物工作量), 亿元
    milestones_done: Mapped[dict] = mapped_column(JSON, default=dict)  # {name: "YYYY-MM-DD"}
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[str] = mapped_column(String(64), default="")
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)

    project: Mapped[Project] = relationship(back_populates="progress")
