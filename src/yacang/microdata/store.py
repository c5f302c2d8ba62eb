"""The microdata store: enterprise registry, 规上 status by year, parameters and report status.

All tables live in the warehouse's DuckDB file (DDL in :mod:`yacang.microdata.schema`). Writes are
validated first and then done in one transaction, so a bad row changes nothing. ``reports`` holds one
current row per (enterprise, period): a re-submitted report replaces the row, and every status change
is appended to ``report_status_history``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ibis.expr.types as ir
import pandas as pd

from yacang.catalog.industries import division_codes
from yacang.ingest.batch import RowError
from yacang.ingest.errors import IngestError
from yacang.microdata.schema import MICRODATA_SCHEMA_SQL
from yacang.microdata.uscc import UsccError, validate_uscc
from yacang.validation import PARAM_FIELDS, Invalid, check_number, check_text
from yacang.warehouse.report_queries import refresh_report_divisions
from yacang.warehouse.report_ytd import (
    one_stamp,
    refresh_registry,
    refresh_report_ytd,
    reports_of_ppi,
)
from yacang.warehouse.transaction import transaction

SIZE_CLASSES = ("大型", "中型", "小型", "微型")
OWNERSHIPS = ("国有控股", "股份制", "外商及港澳台", "私营", "其他")
FREQUENCIES = ("月", "周", "日")
STATUSES = ("submitted", "returned", "accepted", "revision_requested")
STATUS_ZH = {"submitted": "已报送", "returned": "已退回", "accepted": "已通过", "revision_requested": "申请更正"}
ENTERPRISE_COLUMNS = ["uscc", "name", "region", "industry", "park", "size_class", "ownership", "is_key", "frequency"]


def ensure_microdata_schema(wh) -> None:
    """Create the microdata tables if missing (idempotent)."""
    for stmt in MICRODATA_SCHEMA_SQL:
        wh.db.execute(stmt)


MAX_NAME = 100  # registered names run to some 40 characters


def validate_enterprises(df: pd.DataFrame, source: str = "企业名录") -> tuple[pd.DataFrame, list[RowError]]:
    """Check registry rows; return the normalised frame and located errors (row = frame position + 2)."""
    missing = [c for c in ("uscc", "name", "region", "industry") if c not in df.columns]
    if missing:
        raise IngestError(f"{source}：缺少必需列 {', '.join(missing)}")
    out = df.copy()
    for col, default in (("park", None), ("size_class", None), ("ownership", None), ("is_key", False), ("frequency", "月")):
        if col not in out.columns:
            out[col] = default
    out["frequency"] = out["frequency"].fillna("月")
    out["is_key"] = out["is_key"].fillna(False).astype(bool)
    divisions = set(division_codes())
    errors: list[RowError] = []
    codes: list[str] = []
    for i, r in enumerate(out.itertuples(index=False)):
        row = i + 2
        try:
            codes.append(validate_uscc(r.uscc))
        except UsccError as exc:
            codes.append(str(r.uscc))
            errors.append(RowError(source, row, "统一社会信用代码", str(r.uscc), str(exc)))
        if not (isinstance(r.name, str) and r.name.strip()):
            errors.append(RowError(source, row, "企业名称", str(r.name), "企业名称不能为空"))
        else:
            try:
                check_text(r.name, "企业名称", max_length=MAX_NAME)
            except Invalid as exc:
                errors.append(RowError(source, row, "企业名称", r.name[:20] + "…", str(exc)))
        reg = str(r.region)
        if not (len(reg) == 6 and reg.isdigit()):
            errors.append(RowError(source, row, "行政区划代码", reg, "应为6位县级（或地市级）行政区划代码"))
        ind = str(r.industry)
        if not (len(ind) in (2, 4) and ind.isdigit() and ind[:2] in divisions):
            errors.append(RowError(source, row, "行业代码", ind, "应为 GB/T 4754-2017 工业大类（2位，06–46）或小类（4位）代码"))
        if r.size_class is not None and not pd.isna(r.size_class) and r.size_class not in SIZE_CLASSES:
            errors.append(RowError(source, row, "企业规模", str(r.size_class), f"应为 {'/'.join(SIZE_CLASSES)}"))
        if r.ownership is not None and not pd.isna(r.ownership) and r.ownership not in OWNERSHIPS:
            errors.append(RowError(source, row, "登记注册类型", str(r.ownership), f"应为 {'/'.join(OWNERSHIPS)}"))
        if r.frequency not in FREQUENCIES:
            errors.append(RowError(source, row, "监测频率", str(r.frequency), "应为 月/周/日"))
    out["uscc"] = codes
    dup = out["uscc"].duplicated(keep=False)
    for i in out.index[dup.to_numpy()]:
        errors.append(RowError(source, int(out.index.get_loc(i)) + 2, "统一社会信用代码", out.at[i, "uscc"], "代码重复"))
    return out[ENTERPRISE_COLUMNS], errors


def _check_column(df: pd.DataFrame, column: str, source: str) -> None:
    """Every value of ``column`` passes its rule (:data:`yacang.validation.PARAM_FIELDS`); otherwise
    nothing is written and each bad value is named by row (frame position + 2, as a spreadsheet shows it)."""
    rule = PARAM_FIELDS[column]
    errors = []
    for i, v in enumerate(df[column].tolist()):
        _x, reason = check_number(v, rule)
        if reason:
            errors.append(RowError(source, i + 2, rule.label, str(v), reason))
    if errors:
        raise IngestError(f"{source}：发现 {len(errors)} 处错误，未写入。请修正后重新导入。", errors)


def _registry_changed(db) -> None:
    """The reports' divisions and the maintained rows' counties of the enterprises in ``_incoming``: the
    table checked once and stamped once for both (:func:`~yacang.warehouse.report_ytd.one_stamp`)."""
    with one_stamp(db):
        refresh_report_divisions(db, "_incoming")
        refresh_registry(db, "_incoming")


class MicrodataStore:
    """Enterprise microdata in a :class:`~yacang.warehouse.Warehouse` (tables created on first use)."""

    def __init__(self, wh) -> None:
        self.wh = wh
        ensure_microdata_schema(wh)

    # registry --------------------------------------------------------------------------
    def add_enterprises(self, df: pd.DataFrame, *, source: str = "企业名录") -> int:
        """Insert or update registry rows (all-or-nothing); returns the number written."""
        rows, errors = validate_enterprises(df, source)
        if errors:
            raise IngestError(f"{source}：发现 {len(errors)} 处错误，企业名录未改动。请修正后重新导入。", errors)
        # a changed industry moves the enterprise's reports to the new division, a changed county its
        # maintained 当月/累计 rows, in the same transaction
        return self._upsert("enterprises", rows, then=_registry_changed)

    def set_scale_years(self, df: pd.DataFrame) -> int:
        """Record 规上 status by year: columns uscc, year, above_scale (set each January)."""
        rows = df[["uscc", "year", "above_scale"]].copy()
        rows["year"] = rows["year"].astype(int)
        rows["above_scale"] = rows["above_scale"].astype(bool)
        known = set(self.wh.db.execute("SELECT uscc FROM enterprises").df()["uscc"])
        unknown = sorted(set(rows["uscc"]) - known)
        if unknown:
            raise IngestError(f"规上名单中有 {len(unknown)} 家企业不在企业名录中（如 {unknown[0]}），请先导入企业名录")
        self._upsert("enterprise_years", rows, then=lambda db: refresh_registry(db, "_incoming"))
        return len(rows)

    def set_division_params(self, df: pd.DataFrame) -> int:
        """增加值率 by (year, division)."""
        _check_column(df, "va_rate", "增加值率参数")
        return self._upsert("division_params", df[["year", "division", "va_rate"]])

    def set_division_ppi(self, df: pd.DataFrame) -> int:
        """PPI by (period, division), 上年同月 = 100."""
        _check_column(df, "index_yoy", "分行业PPI")
        # the reports of the (period, division) pairs are deflated anew in their 当月/累计 sums
        return self._upsert("division_ppi", df[["period", "division", "index_yoy"]],
                            then=lambda db: refresh_report_ytd(db, reports_of_ppi("_incoming")))

    def set_targets(self, df: pd.DataFrame) -> int:
        """Annual growth targets (%) by (region, year, indicator)."""
        rows = df.copy()
        if "indicator" not in rows.columns:
            rows["indicator"] = "iva"
        _check_column(rows, "growth", "增长目标")
        return self._upsert("targets", rows[["region", "year", "indicator", "growth"]])

    def _upsert(self, table: str, rows: pd.DataFrame, then: Callable[[object], None] | None = None) -> int:
        """Insert or replace ``rows`` (registered as ``_incoming``), then ``then(db)``, in one transaction."""
        db = self.wh.db
        with transaction(db):
            db.register("_incoming", rows)
            cols = ", ".join(rows.columns)
            db.execute(f"INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM _incoming")
            if then is not None:
                then(db)
            db.unregister("_incoming")
        return len(rows)

    # reading ---------------------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        return self.wh.table(name)

    def enterprises(self) -> pd.DataFrame:
        return self.wh.db.execute("SELECT * FROM enterprises ORDER BY uscc").df()

    def enterprise(self, uscc: str) -> dict | None:
        """One registry row (uscc, name, region, industry, size_class), or None."""
        df = self.wh.db.execute(
            "SELECT uscc, name, region, industry, size_class FROM enterprises WHERE uscc = ?", [uscc]).df()
        return None if df.empty else df.iloc[0].to_dict()

    def above_scale(self, year: int) -> set[str]:
        q = "SELECT uscc FROM enterprise_years WHERE year = ? AND above_scale"
        return set(self.wh.db.execute(q, [year]).df()["uscc"])

    def entered_and_left(self, year: int) -> tuple[set[str], set[str]]:
        """Enterprises entering (规上 this year, not last) and leaving (规上 last year, not this) the set."""
        now, before = self.above_scale(year), self.above_scale(year - 1)
        return now - before, before - now

    # report status ---------------------------------------------------------------------
    def set_status(self, uscc: str, period: str, status: str, *, reason: str = "", by: str = "",
                   at: dt.datetime | None = None) -> None:
        """Change a report's status (submitted → returned/accepted …) and append it to the history."""
        if status not in STATUSES:
            raise ValueError(f"未知的报表状态：{status}（应为 {'/'.join(STATUSES)}）")
        db = self.wh.db
        n = self.wh.scalar("SELECT count(*) FROM reports WHERE uscc = ? AND period = ?", [uscc, period])
        if not n:
            raise IngestError(f"没有企业 {uscc} {period} 的报表，无法设为“{STATUS_ZH[status]}”")
        when = at or dt.datetime.now().replace(microsecond=0)
        with transaction(db):
            db.execute("UPDATE reports SET status = ? WHERE uscc = ? AND period = ?", [status, uscc, period])
            refresh_report_ytd(db, "(SELECT ? AS uscc, ? AS period)", [uscc, period])  # counted or not
            db.execute(
                "INSERT INTO report_status_history VALUES (?, ?, ?, ?, ?, ?, NULL)",
                [uscc, period, status, reason, by, when],
            )

    def status_of(self, uscc: str, period: str) -> str | None:
        """The report's status, or None when there is no report (or its status is unset)."""
        status = self.wh.scalar("SELECT status FROM reports WHERE uscc = ? AND period = ?", [uscc, period])
        return None if status is None else str(status)

    def request_revision(self, uscc: str, period: str, reason: str, *, by: str = "") -> None:
        """The enterprise asks to correct a report an officer already accepted (更正申请)."""
        if not reason.strip():
            raise ValueError("申请更正须说明原因")
        status = self.status_of(uscc, period)
        if status != "accepted":
            raise ValueError(f"只有已审核通过的报表需要申请更正（{uscc} {period} 当前为"
                             f"“{STATUS_ZH.get(status or '', '无报表')}”，可直接重新报送）")
        self.set_status(uscc, period, "revision_requested", reason=reason.strip(), by=by)

    def grant_revision(self, uscc: str, period: str, *, by: str = "", reason: str = "同意更正") -> None:
        """An officer grants a pending revision request: the report is reopened (已退回) for resubmission."""
        if self.status_of(uscc, period) != "revision_requested":
            raise ValueError(f"{uscc} {period} 没有待审核的更正申请")
        self.set_status(uscc, period, "returned", reason=reason, by=by)

    def reports_of(self, uscc: str, period: str | None = None) -> pd.DataFrame:
        """One enterprise's reports (all periods, or one), oldest first."""
        where, params = "uscc = ?", [uscc]
        if period:
            where, params = where + " AND period = ?", [*params, period]
        return self.wh.db.execute(f"SELECT * FROM reports WHERE {where} ORDER BY period", params).df()

    def history_of(self, uscc: str, period: str | None = None) -> pd.DataFrame:
        """One enterprise's status changes (all periods, or one), in order."""
        where, params = "uscc = ?", [uscc]
        if period:
            where, params = where + " AND period = ?", [*params, period]
        return self.wh.db.execute(
            f"SELECT * FROM report_status_history WHERE {where} ORDER BY changed_at, rowid", params).df()

    def status_history(self, uscc: str, period: str) -> pd.DataFrame:
        return self.wh.db.execute(
            "SELECT * FROM report_status_history WHERE uscc = ? AND period = ? ORDER BY changed_at, rowid",
            [uscc, period],
        ).df()
