"""The monthly report form (规上工业企业月报): Excel template, parser for filled templates and CSV, loader.

Money on the NBS forms is in 千元; the parser converts it to 万元 (÷10) according to the 计量单位
column (千元 by default; 万元 and 元 are also understood). 用电量 is in 万千瓦时 and 从业人员 in 人.
Errors name the file, the spreadsheet row and the column header, and say what to do. Loading is
all-or-nothing and idempotent: the same content loaded twice changes nothing; a changed report replaces
the previous one and is set back to 已报送 (submitted) with a line in ``report_status_history``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from yacang import validation
from yacang.ingest.batch import RowError, file_sha256
from yacang.ingest.errors import IngestError
from yacang.ingest.limits import DEFAULT as LIMITS
from yacang.ingest.limits import cap_errors, precheck
from yacang.microdata.store import MicrodataStore
from yacang.microdata.uscc import UsccError, validate_uscc
from yacang.periods import PeriodError, jan_feb_merged, parse_period
from yacang.validation import REPORT_FIELDS, Invalid, check_period, check_value, to_number
from yacang.warehouse.report_queries import insert_reports
from yacang.warehouse.report_ytd import refresh_report_ytd
from yacang.warehouse.transaction import transaction

# (header, field, is_money, required)
VALUE_COLUMNS: list[tuple[str, str, bool, bool]] = [
    ("工业总产值(当期价格)", "output_value", True, True),
    ("工业总产值上年同期", "output_value_prev", True, True),
    ("工业销售产值", "sales_value", True, False),
    ("工业销售产值上年同期", "sales_value_prev", True, False),
    ("出口交货值", "export_delivery", True, False),
    ("出口交货值上年同期", "export_delivery_prev", True, False),
    ("营业收入", "revenue", True, False),
    ("营业收入上年同期", "revenue_prev", True, False),
    ("利润总额", "profit", True, False),
    ("利润总额上年同期", "profit_prev", True, False),
    ("用电量(万千瓦时)", "electricity", False, False),
    ("用电量上年同期(万千瓦时)", "electricity_prev", False, False),
    ("从业人员(人)", "employment", False, False),
    ("从业人员上年同期(人)", "employment_prev", False, False),
]
HEADERS = ["统一社会信用代码", "企业名称", "报告期", *(h for h, *_ in VALUE_COLUMNS), "计量单位"]
VALUE_FIELDS = [f for _, f, _, _ in VALUE_COLUMNS]
REPORT_COLUMNS = ["uscc", "period", *VALUE_FIELDS, "source_row"]
UNIT_TO_WAN = {"千元": 0.1, "万元": 1.0, "元": 0.0001}
# Lenient header matching: full-width brackets and spaces are normalised.
_NORMALISE = str.maketrans({"（": "(", "）": ")", " ": "", "\u3000": ""})


@dataclass
class ReportBatch:
    """Parsed content of one filled report file (money already in 万元)."""

    source_file: str
    format: str
    sha256: str
    reports: pd.DataFrame  # REPORT_COLUMNS
    errors: list[RowError] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # spreadsheet row → 企业名称 as filled

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ReportLoadSummary:
    source_file: str
    n_rows: int
    n_new: int
    n_revised: int
    n_unchanged: int
    already_loaded: bool
    warnings: tuple[str, ...] = ()  # loaded, but a person should look (企业名称 not the registry's)

    def text_zh(self) -> str:
        again = "（该文件此前已导入，内容相同）" if self.already_loaded else ""
        notes = "".join(f"\n  注意：{w}" for w in self.warnings)
        return (f"{self.source_file}：共 {self.n_rows} 份报表，新增 {self.n_new}，更正 {self.n_revised}，"
                f"未变 {self.n_unchanged}{again}{notes}")


def write_template(path: Path | str) -> Path:
    """Write an empty report template (.xlsx) with Chinese headers and a sheet of instructions."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    head = wb.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("月报")
    for j, h in enumerate(HEADERS):
        ws.write(0, j, h, head)
        ws.set_column(j, j, 22 if j < 3 else 14, text if j < 3 else None)
    ws.set_row(0, 36)
    ws.freeze_panes(1, 3)
    ws.data_validation(1, len(HEADERS) - 1, 5000, len(HEADERS) - 1,
                       {"validate": "list", "source": ["千元", "万元"]})
    notes = wb.add_worksheet("填表说明")
    lines = [
        "规模以上工业企业月报（模板）",
        "每行一家企业一个报告期；报告期写作 2022年3月 或 2022-03；1月、2月合并填报为 2022年1-2月（2022-01/02）。",
        "金额单位见“计量单位”列，默认千元（国家统计局报表口径），导入时换算为万元；也可填 万元。",
        "用电量单位万千瓦时，从业人员单位人。各指标同时填报上年同期数（同口径）。",
        "统一社会信用代码须为18位并通过校验（GB 32100-2015）；企业须已在企业名录中。",
    ]
    for i, line in enumerate(lines):
        notes.write(i, 0, line)
    notes.set_column(0, 0, 110)
    wb.close()
    return path


def _read_table(path: Path) -> tuple[pd.DataFrame, str]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".csv"):
        precheck(path)  # caps and a broken zip refused before any parser runs
    if suffix in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            what = f"无法读取 Excel 工作簿（{type(exc).__name__}）：文件可能已损坏或不是本系统的月报模板"
            raise IngestError(f"{path.name}：{what}。请用 yacang template report 生成的模板重新填报。",
                              [RowError(path.name, 0, "", "", what)]) from None
        return df, "xlsx"
    if suffix == ".csv":
        import io

        from yacang.ingest.encoding import read_text

        text, _enc = read_text(path)  # the one decoder: UTF-8 (BOM) or GBK, a located error otherwise
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), "csv"
    raise IngestError(f"{path.name}：不支持的文件类型 {suffix}（请用 yacang template report 生成的 .xlsx 模板或 .csv）")


def looks_like_report_file(path: Path | str) -> bool:
    """True if the first row is the report template's header (统一社会信用代码 … 报告期 …)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            first = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            wb.close()
        elif suffix == ".csv":
            head = path.read_bytes()[:4096]
            text = next((head.decode(e, errors="ignore") for e in ("utf-8-sig", "gb18030")
                         if "统一社会信用代码" in head.decode(e, errors="ignore")), "")
            first = tuple(text.splitlines()[0].split(",")) if text else ()
        else:
            return False
    except (OSError, ValueError, KeyError, StopIteration, zipfile.BadZipFile):
        return False  # not a report file; a broken workbook is refused by the statistics loader
    cells = {str(c).translate(_NORMALISE).strip() for c in first if c is not None}
    return {"统一社会信用代码", "报告期"} <= cells


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and v.strip() == "")


def parse_report_file(path: Path | str) -> ReportBatch:
    """Parse a filled template or CSV into a :class:`ReportBatch`; problems go to ``errors``, located."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"找不到文件：{path}")
    raw, fmt = _read_table(path)
    name = path.name
    raw.columns = [str(c).translate(_NORMALISE) for c in raw.columns]
    wanted = {h.translate(_NORMALISE): h for h in HEADERS}
    required = {"统一社会信用代码", "报告期"} | {h for h, _, _, req in VALUE_COLUMNS if req}
    required_missing = [h for k, h in wanted.items() if h in required and k not in raw.columns]
    if required_missing:
        raise IngestError(f"{name}：缺少必需列 {', '.join(required_missing)}（请使用 yacang template report 生成的模板）")
    errors: list[RowError] = []
    records: list[dict] = []
    names: dict[int, str] = {}
    for i, r in enumerate(raw.to_dict("records")):
        row = i + 2  # header is spreadsheet row 1
        if all(_blank(v) for v in r.values()):
            continue
        rec: dict = {"source_row": row}
        try:
            rec["uscc"] = validate_uscc(r.get("统一社会信用代码"))
        except UsccError as exc:
            errors.append(RowError(name, row, "统一社会信用代码", str(r.get("统一社会信用代码") or ""), str(exc)))
            rec["uscc"] = None
        rec["period"] = _parse_report_period(name, row, r.get("报告期"), errors)
        if not _blank(filled := r.get("企业名称")):
            names[row] = str(filled).strip()
        unit_raw = r.get("计量单位")
        unit = "千元" if _blank(unit_raw) else str(unit_raw).strip()
        if unit not in UNIT_TO_WAN:
            errors.append(RowError(name, row, "计量单位", unit, "应为 千元 或 万元（NBS 报表为千元）"))
            unit = "千元"
        for header, fld, money, _required in VALUE_COLUMNS:
            v = r.get(header.translate(_NORMALISE))
            try:  # one rule set for every write path (yacang.validation): finite, in range, required
                x = to_number(None if _blank(v) else v)
                rec[fld] = check_value(None if x is None else (x * UNIT_TO_WAN[unit] if money else x),
                                       REPORT_FIELDS[fld])
            except Invalid as exc:
                errors.append(RowError(name, row, header, "" if _blank(v) else str(v), str(exc)))
                rec[fld] = None
        records.append(rec)
        if len(errors) > LIMITS.max_errors:
            break
    if not records and not errors:
        raise IngestError(f"{name}：文件只有表头、没有数据行，未导入任何报表。请填写后重新上传。",
                          [RowError(name, 2, "", "", "没有数据行")])
    reports = pd.DataFrame(records, columns=REPORT_COLUMNS)
    dup = reports.dropna(subset=["uscc", "period"]).duplicated(["uscc", "period"], keep="first")
    for idx in dup[dup].index:
        errors.append(RowError(name, int(reports.at[idx, "source_row"]), "统一社会信用代码",
                               reports.at[idx, "uscc"], f"同一企业同一报告期（{reports.at[idx, 'period']}）重复填报，请删去多余行"))
    kept, dropped = cap_errors(errors)
    if dropped:
        kept.append(RowError(name, 0, "", "", f"错误过多，仅列出前 {len(kept)} 处，另有 {dropped} 处未列出；请先修正上述错误"))
    return ReportBatch(name, fmt, file_sha256(path), reports, kept, names)


def _parse_report_period(file: str, row: int, value: object, errors: list[RowError]) -> str | None:
    text = "" if _blank(value) else str(value).strip()
    if isinstance(value, dt.datetime | pd.Timestamp):
        text = f"{value.year}-{value.month:02d}"
    try:
        p = parse_period(text)
    except PeriodError:
        errors.append(RowError(file, row, "报告期", text, "无法识别，请写作 2022年3月、2022-03 或 2022年1-2月"))
        return None
    if p.kind in ("jan_feb", "month"):
        try:
            check_period(p)
        except Invalid as exc:
            errors.append(RowError(file, row, "报告期", text, str(exc)))
            return None
        if p.end_date >= validation.today():  # a month's figures exist once the month is over
            errors.append(RowError(file, row, "报告期", text, f"报告期 {p.code} 尚未结束（今天是 {validation.today()}），"
                                   "月报在月份结束后报送，请核对报告期"))
            return None
    if p.kind == "jan_feb" or (p.kind == "month" and p.end >= 3):
        return p.code
    if p.kind == "month" and not jan_feb_merged(p.year):
        return p.code
    if p.kind == "month":
        errors.append(RowError(file, row, "报告期", text, f"1月、2月合并填报，请写作 {p.year}年1-2月"))
    else:
        errors.append(RowError(file, row, "报告期", text, "报告期应为一个月（或 1-2月）"))
    return None


def load_reports(wh, source: Path | str | ReportBatch, *, at: dt.datetime | None = None) -> ReportLoadSummary:
    """Write a parsed file's reports into ``reports`` (all-or-nothing, idempotent).

    Raises :class:`IngestError` (after recording the errors in ``quarantine``) if any row is bad or names
    an enterprise not in the registry.
    """
    MicrodataStore(wh)  # make sure the tables exist
    batch = source if isinstance(source, ReportBatch) else parse_report_file(source)
    now = at or dt.datetime.now().replace(microsecond=0)
    errors = list(batch.errors)
    known = dict(wh.db.execute("SELECT uscc, name FROM enterprises").fetchall())
    warnings: list[str] = []
    for r in batch.reports.dropna(subset=["uscc"]).itertuples(index=False):
        row = int(r.source_row)
        if r.uscc not in known:
            errors.append(RowError(batch.source_file, row, "统一社会信用代码", r.uscc,
                                   "企业不在企业名录中，请先登记企业（或核对代码）"))
        elif (filled := batch.names.get(row)) is not None and _same_name(filled) != _same_name(known[r.uscc]):
            warnings.append(f"{batch.source_file} 第{row}行，列“企业名称”，值“{filled[:40]}”：与企业名录中代码 {r.uscc} "
                            f"的企业“{known[r.uscc]}”不符，已按代码入库，请核对统一社会信用代码")
    errors += _locked_rows(wh, batch)
    batch_id = uuid.uuid4().hex[:16]
    if errors:
        batch.errors = errors
        wh.quarantine(batch_id, batch, now)
        raise IngestError(
            f"{batch.source_file}：发现 {len(errors)} 处错误，整个文件未入库（已有数据未改动），错误已记入隔离表 quarantine。"
            "请修正后重新导入。", errors)
    db = wh.db
    already = db.execute("SELECT count(*) FROM batches WHERE sha256 = ? AND status = 'loaded'", [batch.sha256]).fetchall()[0][0]
    incoming = batch.reports.copy()
    incoming["source_file"] = batch.source_file
    distinct = " OR ".join(f"r.{f} IS DISTINCT FROM i.{f}" for f in VALUE_FIELDS)
    with transaction(db):
        db.register("_inc_reports", incoming)
        db.execute(f"""CREATE OR REPLACE TEMP TABLE _classified AS
            SELECT i.*, CASE WHEN r.uscc IS NULL THEN 'new' WHEN {distinct} THEN 'revised' ELSE 'same' END AS kind
            FROM _inc_reports i LEFT JOIN reports r USING (uscc, period)""")
        n_new, n_rev, n_same = db.execute(
            "SELECT count(*) FILTER (kind='new'), count(*) FILTER (kind='revised'), count(*) FILTER (kind='same') FROM _classified"
        ).fetchall()[0]
        db.execute("""DELETE FROM reports WHERE (uscc, period) IN
                      (SELECT (uscc, period) FROM _classified WHERE kind = 'revised')""")
        cols = ", ".join(VALUE_FIELDS)
        insert_reports(db, f"""(SELECT uscc, period, {cols}, 'submitted' AS status, ?::TIMESTAMP AS vintage,
                                        source_file, source_row FROM _classified WHERE kind <> 'same')""",
                       ("uscc", "period", *VALUE_FIELDS, "status", "vintage", "source_file", "source_row"), [now])
        db.execute("""INSERT INTO report_status_history
                      SELECT uscc, period, 'submitted',
                             CASE WHEN kind = 'new' THEN '报送' ELSE '重新报送（更正）' END, 'loader', ?::TIMESTAMP, source_file
                      FROM _classified WHERE kind <> 'same'""", [now])
        db.execute("INSERT INTO batches VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, 0, 'loaded')",
                   [batch_id, batch.source_file, batch.sha256, f"report-{batch.format}", now, len(incoming), n_new, n_rev])
        refresh_report_ytd(db, "(SELECT uscc, period FROM _classified WHERE kind <> 'same')")
        db.unregister("_inc_reports")
        db.execute("DROP TABLE IF EXISTS _classified")
    return ReportLoadSummary(batch.source_file, len(incoming), int(n_new), int(n_rev), int(n_same), bool(already),
                             tuple(warnings))


def _same_name(name: str) -> str:
    """A name for comparison: width (（） vs ()) and spaces do not count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _locked_rows(wh, batch: ReportBatch) -> list[RowError]:
    """Rows that would change a report an officer already accepted (or whose revision is pending).

    A reviewed report changes only through a revision request (更正申请) that an officer grants
    (:meth:`MicrodataStore.request_revision`, :meth:`MicrodataStore.grant_revision`)."""
    rows = batch.reports.dropna(subset=["uscc", "period"])
    if rows.empty:
        return []
    distinct = " OR ".join(f"r.{f} IS DISTINCT FROM i.{f}" for f in VALUE_FIELDS)
    db = wh.db
    db.register("_inc_locked", rows)
    try:
        hit = db.execute(f"""SELECT i.source_row, i.uscc, i.period, r.status FROM _inc_locked i
                             JOIN reports r USING (uscc, period)
                             WHERE r.status IN ('accepted', 'revision_requested') AND ({distinct})
                             ORDER BY i.source_row""").fetchall()
    finally:
        db.unregister("_inc_locked")
    why = {"accepted": "该报表已审核通过，不能直接修改：请提交更正申请，经审核人员同意后再报送",
           "revision_requested": "该报表的更正申请尚待审核人员同意，同意后才能重新报送"}
    return [RowError(batch.source_file, int(row), "报告期", period, why[status]) for row, _u, period, status in hit]


def load_report_file(wh, path: Path | str) -> ReportLoadSummary:
    """Entry point for ``yacang ingest``: parse and load one filled report template or CSV."""
    return load_reports(wh, path)
