"""App-database register of issued bulletins (通报发文登记): one row per issued version.

A bulletin of a region and period may be issued more than once (a correction, a re-issue after
editing); each issue is a new version numbered per region and period. The row keeps the 公文
metadata, the files written, the data provenance and who issued it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yacang.appdb.base import Base
from yacang.auth.models import utcnow


class BulletinIssue(Base):
    __tablename__ = "bulletin_issues"
    __table_args__ = (UniqueConstraint("region", "period", "version", name="uq_bulletin_issues_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    region_name: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))  # period code, e.g. 2022-03 or 2022-01/02
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    issue_date: Mapped[dt.date] = mapped_column(Date)  # 成文日期
    issuer: Mapped[str] = mapped_column(String(100))  # 发文机关
    signer: Mapped[str] = mapped_column(String(64), default="")
    files: Mapped[list] = mapped_column(JSON, default=list)  # [{"format", "name"}] in the version's archive
    provenance: Mapped[str] = mapped_column(Text, default="")  # 数据来源
    options: Mapped[dict] = mapped_column(JSON, default=dict)  # draft choices: alerts kept, 工作建议
    channel: Mapped[str] = mapped_column(String(16))  # cli / web / run
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
