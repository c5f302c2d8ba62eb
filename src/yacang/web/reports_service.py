"""Enterprise online reporting (直报): form values → the microdata loader and review, scoped per caller.

A web form becomes a one-row CSV in the report template's layout and goes through the microdata
helper's parser (located errors: row, column, what to do) and its review checks (审核), so the
browser, the CLI and file uploads share one set of rules.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from yacang.ingest.errors import IngestError
from yacang.microdata.report_workbook import parse_report_file
from yacang.microdata.review import check_reports
from yacang.warehouse import report_queries

# (form field, template header, label shown on the form)
FIELDS: list[tuple[str, str, str]] = [
    ("output_value", "工业总产值(当期价格)", "工业总产值（当期价格）"),
    ("output_value_prev", "工业总产值上年同期", "工业总产值上年同期"),
    ("sales_value", "工业销售产值", "工业销售产值"),
    ("sales_value_prev", "工业销售产值上年同期", "工业销售产值上年同期"),
    ("export_delivery", "出口交货值", "出口交货值"),
    ("export_delivery_prev", "出口交货值上年同期", "出口交货值上年同期"),
    ("revenue", "营业收入", "营业收入"),
    ("revenue_prev", "营业收入上年同期", "营业收入上年同期"),
    ("profit", "利润总额", "利润总额"),
    ("profit_prev", "利润总额上年同期", "利润总额上年同期"),
    ("electricity", "用电量(万千瓦时)", "用电量（万千瓦时）"),
    ("electricity_prev", "用电量上年同期(万千瓦时)", "用电量上年同期（万千瓦时）"),
    ("employment", "从业人员(人)", "从业人员（人）"),
    ("employment_prev", "从业人员上年同期(人)", "从业人员上年同期（人）"),
]
MONEY_FIELDS = {f for f, h, _ in FIELDS if "用电" not in h and "人员" not in h}


@dataclass
class Checked:
    batch: object | None
    errors: list[dict] = field(default_factory=list)  # must fix (parse errors and 错误 review results)
    hints: list[dict] = field(default_factory=list)   # 提示: explain, may submit

    @property
    def ok(self) -> bool:
        return self.batch is not None and not self.errors


def check_form(wh, uscc: str, name: str, period: str, values: dict[str, str], unit: str = "千元") -> Checked:
    """Parse and review one report from form values; nothing is written."""
    header = {f: h for f, h, _ in FIELDS}
    label = {h: lbl for _, h, lbl in FIELDS}
    if unknown := sorted(set(values) - set(header)):  # a misspelt field would otherwise vanish
        return Checked(None, [{"column": "", "field": k, "value": "", "reason": f"表单中没有字段“{k}”，请使用报表模板的字段"}
                              for k in unknown])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "网上直报.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["统一社会信用代码", "企业名称", "报告期", *header.values(), "计量单位"])
            w.writerow([uscc, name, period, *(str(values.get(f, "") or "").strip() for f in header), unit])
        try:
            batch = parse_report_file(path)
        except IngestError as exc:  # a malformed file (missing columns …)
            return Checked(None, [{"column": "", "value": "", "reason": str(exc)}])
    out = Checked(batch)
    for e in batch.errors:
        out.errors.append({"column": label.get(e.column, e.column), "field": _field_of(e.column),
                           "value": e.value, "reason": e.reason})
    if out.errors or batch.reports.empty:
        return out
    ent = report_queries.enterprise_of(wh, uscc)
    if ent is None:
        out.errors.append({"column": "统一社会信用代码", "field": "", "value": uscc,
                           "reason": "企业不在企业名录中，请联系所在地区运行监测部门登记"})
        return out
    frame = batch.reports.assign(**{k: ent[k] for k in ("industry", "size_class", "region")})
    review = check_reports(frame)
    for r in review.itertuples(index=False):
        item = {"column": "", "field": _rule_field(r.rule), "value": "", "reason": r.message, "rule": r.rule}
        (out.errors if r.severity == "错误" else out.hints).append(item)
    return out


def _field_of(header: str) -> str:
    for f, h, _ in FIELDS:
        if h == header:
            return f
    return ""


def _rule_field(rule: str) -> str:
    return {"logic.sales_vs_output": "sales_value", "logic.export_le_sales": "export_delivery",
            "swing.yoy": "output_value", "swing.peers": "output_value", "swing.new_base": "output_value_prev"}.get(rule, "")


def reports_in_scope(wh, scope, period: str | None = None) -> pd.DataFrame:
    """Reports the scope may see, with the enterprise's name and region (money in 万元)."""
    return report_queries.reports_in_scope(wh, scope_where(scope), period)


def enterprise_of(wh, uscc: str) -> dict | None:
    return report_queries.enterprise_of(wh, uscc)


STATUS_ZH = {"submitted": "已报送", "returned": "已退回", "accepted": "已通过"}
REPORT_COLUMNS = [("name", "企业名称"), ("uscc", "统一社会信用代码"), ("region_label", "地区"), ("period_label", "报告期"),
                  ("output_value", "工业总产值(万元)"), ("output_value_prev", "上年同期(万元)"),
                  ("sales_value", "工业销售产值(万元)"), ("revenue", "营业收入(万元)"), ("profit", "利润总额(万元)"),
                  ("status_zh", "状态")]


def report_periods(wh, scope) -> list[str]:
    """Report periods present in the scope, newest first (the filter's choices; the newest is the default)."""
    from yacang.periods import parse_period

    return sorted(report_queries.report_periods(wh, scope_where(scope)), key=parse_period, reverse=True)


def scope_where(scope) -> tuple[str, list]:
    """The scope as a predicate on reports ``r`` / enterprises ``e``: an enterprise its own reports, a
    region user the enterprises located in the region's subtree."""
    if scope.role == "enterprise":
        return "r.uscc = ?", [scope.uscc or ""]
    return scope.sql_region_filter("e.region")


def reports_page(wh, scope, *, period: str | None, q: str = "", region: str | None = None,
                 status: str | None = None, offset: int = 0, limit: int | None = 50) -> tuple[pd.DataFrame, int]:
    """One page of the reports the scope may see (money in 万元), filtered, with the total count.

    ``q`` matches the enterprise name or USCC; ``region`` keeps a subtree (inside the scope: the scope's
    filter applies as well); ``limit=None`` returns every matching row (for an export)."""
    from yacang.catalog.regions import region_prefix

    return report_queries.reports_page(wh, scope_where(scope), period=period, q=q,
                                       region_prefix=region_prefix(region) if region else None, status=status,
                                       offset=offset, limit=limit)
