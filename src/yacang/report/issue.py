"""Issuing a bulletin as a 公文: its metadata (发文机关, 文号, 成文日期, 签发人, 主送, 抄送) and the register.

The metadata come from ``[bulletin]`` of ``yacang.toml``, overridden by CLI options or the web form;
nothing defaults to a real-sounding office (the placeholder is "（发文机关）"), and the 成文日期 is the
configured date or, when configured as ``today``, the date in Beijing. Each issue is recorded in the
app database (:class:`~yacang.report.models.BulletinIssue`) with a version number per region and
period, the files, the data provenance and who issued it, audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.auth.scope import Scope
from yacang.catalog.regions import region_prefix
from yacang.report.errors import ReportError
from yacang.report.inputs import AlertRow
from yacang.report.model import Bulletin, Section, section_number
from yacang.report.models import BulletinIssue

PLACEHOLDER_ISSUER = "（发文机关）"
MAX_LEN = {"issuer": 100, "doc_number": 100, "signer": 64, "recipients": 200, "cc": 300}
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ADVICE_TITLE = "下一步工作建议"
CHANNEL_ZH = {"cli": "命令行", "web": "网页", "run": "月度任务"}


@dataclass(frozen=True)
class IssueMeta:
    """What the 版头, 落款 and 版记 of the bulletin print."""

    issuer: str
    issue_date: dt.date
    doc_number: str = ""
    signer: str = ""
    recipients: str = ""
    cc: str = ""


def beijing_today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def parse_issue_date(text: str | dt.date) -> dt.date:
    """成文日期 from ``YYYY-MM-DD`` (or ``today``: Beijing date); anything else is a clear error."""
    if isinstance(text, dt.date):
        d = text
    elif text.strip().lower() == "today":
        return beijing_today()
    else:
        try:
            d = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ReportError(f"成文日期“{text}”无法识别，请写成 2022-04-18 的形式（或 today 表示当天）。") from None
    if not 2000 <= d.year <= 2100:
        raise ReportError(f"成文日期 {d.isoformat()} 不在 2000—2100 年之间，请检查。")
    return d


def _text(name: str, value: str) -> str:
    v = value.strip()
    if CONTROL.search(v):
        raise ReportError(f"{name}含有控制字符，请删除后重试。")
    if len(v) > MAX_LEN[name]:
        raise ReportError(f"{name}过长（{len(v)} 字，最多 {MAX_LEN[name]} 字）。")
    return v


def format_doc_number(pattern: str, year: int, seq: int) -> str:
    """文号 from a pattern such as ``工运监〔{year}〕{seq}号`` (GB/T 9704: 年份用六角括号〔〕)."""
    try:
        return pattern.format(year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise ReportError(f"文号格式“{pattern}”有误（只能使用 {{year}} 和 {{seq}}）：{exc}") from None


def next_seq(session: Session | None, issuer: str, year: int) -> int:
    """The next 文号 sequence of ``issuer`` in ``year``: issues already registered + 1."""
    if session is None:
        return 1
    n = session.scalar(select(func.count(BulletinIssue.id)).where(
        BulletinIssue.issuer == issuer, BulletinIssue.issue_date >= dt.date(year, 1, 1),
        BulletinIssue.issue_date <= dt.date(year, 12, 31)))
    return int(n or 0) + 1


def resolve_meta(cfg=None, *, issuer: str | None = None, doc_number: str | None = None, signer: str | None = None,
                 issue_date: str | dt.date | None = None, recipients: str | None = None, cc: str | None = None,
                 session: Session | None = None) -> IssueMeta:
    """Options over ``cfg`` (a :class:`yacang.job_config.BulletinConfig`) over the neutral defaults."""
    from yacang.job_config import BulletinConfig

    cfg = cfg or BulletinConfig()

    def pick(opt: str | None, conf: str) -> str:
        return opt if opt not in (None, "") else conf

    who = _text("issuer", pick(issuer, cfg.issuer)) or PLACEHOLDER_ISSUER
    date = parse_issue_date(issue_date if issue_date not in (None, "") else cfg.issue_date)
    number = pick(doc_number, cfg.doc_number)
    if "{" in number:
        number = format_doc_number(number, date.year, next_seq(session, who, date.year))
    return IssueMeta(issuer=who, issue_date=date, doc_number=_text("doc_number", number),
                     signer=_text("signer", pick(signer, cfg.signer)),
                     recipients=_text("recipients", pick(recipients, cfg.recipients)),
                     cc=_text("cc", pick(cc, cfg.cc)))


def apply_meta(b: Bulletin, meta: IssueMeta) -> Bulletin:
    """Set the 公文 metadata on a built bulletin (before it is written)."""
    b.issuer, b.issue_date, b.doc_number = meta.issuer, meta.issue_date, meta.doc_number
    b.signer, b.recipients, b.cc = meta.signer, meta.recipients, meta.cc
    return b


def alert_key(a: AlertRow) -> str:
    """A stable key of a bulletin alert row (rule and region), used by the draft page's choices."""
    return f"{a.rule}|{a.region_code}"


def add_advice(b: Bulletin, text: str, *, title: str = ADVICE_TITLE) -> Bulletin:
    """Append the officer's 下一步工作建议 as the last section, one paragraph a line (a line opening with
    "（一）" prints its first sentence as a 二级标题)."""
    if CONTROL.search(text.replace("\n", "").replace("\r", "").replace("\t", "")):
        raise ReportError("下一步工作建议含有控制字符，请删除后重试。")
    paras = [line.strip() for line in text.splitlines() if line.strip()]
    if paras:
        b.sections.append(Section(section_number(len(b.sections)), title, paragraphs=paras))
    return b


def provenance_of(b: Bulletin) -> str:
    return "；".join(b.sources) or "未注明"


def archive_root() -> Path:
    from yacang.settings import get_settings

    return get_settings().home / "bulletins"


def archive_dir(region: str, period: str, version: int) -> Path:
    """Where an issued version's files are kept (never overwritten by a later issue)."""
    return archive_root() / region / period.replace("/", "-") / f"v{version}"


def archive_files(files: Iterable[Path | str], region: str, period: str, version: int) -> list[Path]:
    """Copy the written files into the version's archive folder; a missing file is an error."""
    dest = archive_dir(region, period, version)
    if dest.exists():
        raise ReportError(f"通报存档目录 {dest} 已存在（第{version}版），未覆盖；请检查发文登记。")
    dest.mkdir(parents=True)
    out = []
    for f in files:
        src = Path(f)
        if not src.is_file():
            raise ReportError(f"通报文件 {src} 不存在，无法登记。")
        out.append(Path(shutil.copy2(src, dest / src.name)))
    return out


def issue_file(row: BulletinIssue, name: str) -> Path | None:
    """The archived file ``name`` of an issue (None unless it is one of the row's files and exists)."""
    if name not in {f["name"] for f in row.files}:
        return None
    path = archive_dir(row.region, row.period, row.version) / name
    return path if path.is_file() else None


def record_issue(session: Session, b: Bulletin, files: Iterable[Path | str], *, issued_by: str, channel: str,
                 options: dict | None = None, ip: str = "", user_id: int | None = None) -> BulletinIssue:
    """Register an issued bulletin as the next version of its region and period: its files are copied
    to the version's archive (``YACANG_HOME/bulletins/<region>/<period>/v<N>``); audited in ``session``."""
    if channel not in CHANNEL_ZH:
        raise ValueError(f"unknown channel {channel!r}")
    period = b.period.code
    last = session.scalar(select(func.max(BulletinIssue.version)).where(
        BulletinIssue.region == b.region_code, BulletinIssue.period == period))
    version = int(last or 0) + 1
    paths = archive_files(files, b.region_code, period, version)
    row = BulletinIssue(
        region=b.region_code, region_name=b.region_name, period=period, version=version,
        title=b.title, doc_number=b.doc_number, issue_date=b.issue_date, issuer=b.issuer, signer=b.signer,
        files=[{"format": p.suffix.lstrip(".").lower(), "name": p.name} for p in paths],
        provenance=provenance_of(b), options=dict(options or {}), channel=channel, issued_by=issued_by or "未知")
    session.add(row)
    session.flush()
    audit.record(session, "bulletin", user_id=user_id, username=issued_by,
                 target=f"{b.region_code}:{period}:v{row.version}",
                 detail={"doc_number": b.doc_number, "issue_date": b.issue_date.isoformat(), "channel": channel,
                         "files": [p.name for p in paths], **({"options": options} if options else {})}, ip=ip)
    return row


def issue_bulletin(b: Bulletin, out_dir: Path | str, formats: Iterable[str], *, issued_by: str, channel: str,
                   cfg=None, session: Session | None = None, options: dict | None = None, user_id: int | None = None,
                   ip: str = "", on_format=None, worker=None, **overrides) -> tuple[list[Path], BulletinIssue]:
    """Issue ``b``: 公文 metadata (``overrides`` over ``cfg`` — default ``[bulletin]`` of ``yacang.toml``),
    the files written to ``out_dir``, the register row — in one transaction (``session``, or the app
    database's). The one call for ``yacang report bulletin``, the web and ``yacang run``. ``on_format``:
    progress after each file and ``worker`` a :class:`~yacang.report.render_worker.RenderWorker` the caller
    started ahead of time (:func:`~yacang.report.bulletin.write_bulletin`)."""
    from yacang.report.bulletin import write_bulletin

    if session is None:
        from yacang.appdb.base import get_engine, session_scope

        upgrade_app_db()
        with session_scope(get_engine()) as s:
            return issue_bulletin(b, out_dir, formats, issued_by=issued_by, channel=channel, cfg=cfg, session=s,
                                  options=options, user_id=user_id, ip=ip, on_format=on_format, worker=worker,
                                  **overrides)
    if cfg is None:
        from yacang.job_config import load_config

        cfg = load_config().bulletin
    apply_meta(b, resolve_meta(cfg, session=session, **overrides))
    paths = write_bulletin(b, out_dir, formats, on_format=on_format, worker=worker)
    row = record_issue(session, b, paths, issued_by=issued_by, channel=channel, options=options, user_id=user_id,
                       ip=ip)
    return paths, row


def issues_in_scope(session: Session, scope: Scope, *, region: str | None = None,
                    period: str | None = None) -> list[BulletinIssue]:
    """Issued bulletins the caller may read (its region subtree), newest period and version first."""
    if not scope.reads_statistics:
        return []
    q = select(BulletinIssue)
    if not scope.is_admin:
        q = q.where(BulletinIssue.region.startswith(region_prefix(scope.region), autoescape=True))
    if region:
        q = q.where(BulletinIssue.region == region)
    if period:
        q = q.where(BulletinIssue.period == period)
    q = q.order_by(BulletinIssue.period.desc(), BulletinIssue.region, BulletinIssue.version.desc())
    return [r for r in session.scalars(q) if scope.covers(r.region)]


def get_issue(session: Session, scope: Scope, issue_id: int) -> BulletinIssue | None:
    """One issue if the caller may read it (None otherwise: the caller answers 404, never a leak)."""
    row = session.get(BulletinIssue, issue_id)
    if row is None or not scope.reads_statistics or not scope.covers(row.region):
        return None
    return row


def upgrade_app_db() -> None:
    """Bring the app database to the current schema (the register's table included)."""
    from yacang.appdb.base import app_db_url
    from yacang.appdb.migrate import upgrade

    upgrade(app_db_url())
