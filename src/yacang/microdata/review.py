"""审核 of monthly reports: logic checks, swing checks, missing reports (催报), and the review queue.

- Logic (错误, the report is returned): negative amounts; 工业销售产值 differing from 工业总产值 by more
  than a tolerance; 出口交货值 above 工业销售产值. (The form keeps no 累计 columns — 累计 is summed from
  the months — so the 累计 ≥ 当月 check has nothing to compare and is not run.)
- Swing (提示, the enterprise must explain): 工业总产值 同比 beyond a threshold against its own 上年同期,
  and far from the median 同比 of its peer group (same industry code and size class, at least
  ``min_peers`` others; the median includes the enterprise itself, which keeps it robust).
- Missing (催报): 规上 enterprises of the year without a counted report for the period; reporting rate
  by region.

``run_review`` replaces the period's unresolved queue entries (idempotent); ``apply_review`` returns
reports with errors, accepts clean ones and leaves those with only 提示 for a person, all with history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from yacang import validation
from yacang.catalog.regions import RegionError
from yacang.formatting import compare_to, date_zh, growth
from yacang.microdata.report_periods import ReportPeriodError, report_periods
from yacang.microdata.store import MicrodataStore
from yacang.periods import parse_period
from yacang.warehouse.transaction import transaction

NON_NEGATIVE = {
    "output_value": "工业总产值", "output_value_prev": "工业总产值上年同期", "sales_value": "工业销售产值",
    "sales_value_prev": "工业销售产值上年同期", "export_delivery": "出口交货值", "export_delivery_prev": "出口交货值上年同期",
    "revenue": "营业收入", "revenue_prev": "营业收入上年同期", "electricity": "用电量", "electricity_prev": "用电量上年同期",
    "employment": "从业人员", "employment_prev": "从业人员上年同期",
}
ERROR, HINT = "错误", "提示"


@dataclass(frozen=True)
class ReviewRules:
    sales_output_tolerance: float = 0.10  # |销售产值/总产值 − 1| above this is an error
    yoy_threshold: float = 50.0  # |总产值同比| (%) above this needs an explanation
    peer_gap: float = 30.0  # 百分点 away from the peers' median 同比
    min_peers: int = 3  # peers (excluding the enterprise) needed for the peer check


def _period_reports(wh, period: str) -> pd.DataFrame:
    codes = report_periods(period, cumulative=False)
    marks = ", ".join("?" for _ in codes)
    return wh.db.execute(
        f"""SELECT r.*, e.name, e.region, e.industry, e.size_class FROM reports r
            JOIN enterprises e USING (uscc) WHERE r.period IN ({marks})""", codes).df()


def check_reports(reports: pd.DataFrame, rules: ReviewRules = ReviewRules()) -> pd.DataFrame:
    """Pure checks on a frame of one period's reports; returns uscc, period, rule, severity, message."""
    out: list[tuple[str, str, str, str, str]] = []
    for r in reports.itertuples(index=False):
        for col, label in NON_NEGATIVE.items():
            v = getattr(r, col, None)
            if v is not None and not pd.isna(v) and v < 0:
                out.append((r.uscc, r.period, "logic.non_negative", ERROR, f"{label}为负数（{v:.1f}），请核实"))
        out_v, sales, export = r.output_value, r.sales_value, r.export_delivery
        if not pd.isna(out_v) and not pd.isna(sales) and out_v == 0 and sales > 0:
            out.append((r.uscc, r.period, "logic.sales_vs_output", ERROR,
                        f"工业总产值为0，但工业销售产值为{sales:.1f}万元，请核实"))
        if not pd.isna(out_v) and not pd.isna(sales) and out_v > 0 and abs(sales / out_v - 1) > rules.sales_output_tolerance:
            out.append((r.uscc, r.period, "logic.sales_vs_output", ERROR,
                        f"工业销售产值（{sales:.1f}万元）与工业总产值（{out_v:.1f}万元）相差"
                        f"{abs(sales / out_v - 1) * 100:.1f}%，超过{rules.sales_output_tolerance * 100:.0f}%，请核实"))
        if not pd.isna(export) and not pd.isna(sales) and export > sales:
            out.append((r.uscc, r.period, "logic.export_le_sales", ERROR,
                        f"出口交货值（{export:.1f}万元）大于工业销售产值（{sales:.1f}万元），请核实"))
    df = reports.copy()
    prev = df["output_value_prev"].where(df["output_value_prev"] > 0)  # no 同比 from a zero base
    df["yoy"] = (df["output_value"] / prev - 1.0) * 100.0
    for r in df[(df["output_value_prev"] == 0) & (df["output_value"] > 0)].itertuples(index=False):
        out.append((r.uscc, r.period, "swing.new_base", HINT,
                    f"工业总产值上年同期为0、本期为{r.output_value:.1f}万元，无法计算同比，请说明是否新投产"))
    for r in df[df["yoy"].abs() > rules.yoy_threshold].itertuples(index=False):
        out.append((r.uscc, r.period, "swing.yoy", HINT,
                    f"工业总产值同比{growth(r.yoy)}，超过±{rules.yoy_threshold:.0f}%，请说明原因"))
    df = df[df["yoy"].notna()]
    grp = df.groupby([df["industry"], df["size_class"].fillna("")])["yoy"]
    df = df.assign(peers_n=grp.transform("count") - 1, peer_median=grp.transform("median"))
    for r in df.itertuples(index=False):
        if r.peers_n >= rules.min_peers and abs(r.yoy - r.peer_median) > rules.peer_gap:
            out.append((r.uscc, r.period, "swing.peers", HINT,
                        f"工业总产值同比{growth(r.yoy)}，同行业同规模企业（{r.peers_n + 1}家）中位数为同比"
                        f"{growth(r.peer_median)}，{compare_to(r.yoy, r.peer_median, '中位数')}，请说明原因"))
    return pd.DataFrame(out, columns=["uscc", "period", "rule", "severity", "message"])


def run_review(wh, period: str, rules: ReviewRules = ReviewRules(), *, at: dt.datetime | None = None) -> pd.DataFrame:
    """Check the period's reports and replace the period's unresolved entries in ``review_queue``."""
    MicrodataStore(wh)
    p = parse_period(period).code
    reports = _period_reports(wh, p)
    if reports.empty:  # "审核未发现问题" would claim a review that never happened
        raise ReportPeriodError(f"报告期 {parse_period(p).label_zh()}（{p}）没有企业月报，未审核："
                                "请先导入月报（yacang ingest 或 microdata load）")
    queue = check_reports(reports, rules)
    now = at or dt.datetime.now().replace(microsecond=0)
    queue["created_at"] = now
    queue["resolved"] = False
    codes = report_periods(p, cumulative=False)
    marks = ", ".join("?" for _ in codes)
    db = wh.db
    with transaction(db):
        db.execute(f"DELETE FROM review_queue WHERE period IN ({marks}) AND NOT resolved", codes)
        db.register("_q", queue)
        db.execute("INSERT INTO review_queue SELECT uscc, period, rule, severity, message, created_at, resolved FROM _q")
        db.unregister("_q")
    return queue


def apply_review(wh, period: str, *, by: str = "审核") -> dict[str, int]:
    """Return reports with 错误, accept reports with no queue entry; 提示-only reports stay 已报送."""
    store = MicrodataStore(wh)
    codes = report_periods(period, cumulative=False)
    marks = ", ".join("?" for _ in codes)
    q = wh.db.execute(f"SELECT * FROM review_queue WHERE period IN ({marks}) AND NOT resolved", codes).df()
    reps = wh.db.execute(f"SELECT uscc, period, status FROM reports WHERE period IN ({marks})", codes).df()
    counts = {"returned": 0, "accepted": 0, "pending": 0}
    for r in reps.itertuples(index=False):
        mine = q[(q["uscc"] == r.uscc) & (q["period"] == r.period)]
        errors = mine[mine["severity"] == ERROR]
        if len(errors):
            store.set_status(r.uscc, r.period, "returned", reason="；".join(errors["message"]), by=by)
            counts["returned"] += 1
        elif mine.empty:
            if r.status != "accepted":
                store.set_status(r.uscc, r.period, "accepted", reason="审核通过", by=by)
            counts["accepted"] += 1
        else:
            counts["pending"] += 1
    return counts


def reporting_status(wh, period: str, *, level: str = "province") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reporting rate by region, late enterprises) for the period (催报).

    Expected: the year's 规上 enterprises. Received: a report that is submitted or accepted (a returned
    report must be sent again and counts as not received; the late list's ``status`` says which).
    ``level``: province / prefecture / county.
    """
    widths = {"province": 2, "prefecture": 4, "county": 6}
    if level not in widths:
        raise RegionError(f"地区层级应为 province（省）、prefecture（市）或 county（县），收到“{level}”")
    MicrodataStore(wh)
    p = parse_period(period)
    if p.end_date >= validation.today():  # every enterprise would be listed as late for a month not yet over
        raise ReportPeriodError(f"报告期 {p.label_zh()}（{p.code}）尚未结束（今天是{date_zh(validation.today())}），"
                                "还不到报送时间，不能催报")
    codes = report_periods(p, cumulative=False)
    marks = ", ".join("?" for _ in codes)
    width = widths[level]
    pad = "0" * (6 - width)
    df = wh.db.execute(
        f"""SELECT e.uscc, e.name, e.region, e.industry, e.is_key,
                   left(e.region, {width}) || '{pad}' AS area,
                   EXISTS (SELECT 1 FROM reports r WHERE r.uscc = e.uscc AND r.period IN ({marks})
                           AND r.status IN ('submitted', 'accepted')) AS received,
                   EXISTS (SELECT 1 FROM reports r WHERE r.uscc = e.uscc AND r.period IN ({marks})
                           AND r.status = 'returned') AS returned
            FROM enterprises e JOIN enterprise_years y USING (uscc)
            WHERE y.year = ? AND y.above_scale""", [*codes, *codes, p.year]).df()
    if df.empty:  # empty tables would read as “everyone reported”
        raise ReportPeriodError(f"报告期 {p.label_zh()}（{p.code}）没有应报企业：仓库中没有{p.year}年的规上企业名录，"
                                "无法催报。请先导入企业名录和月报（yacang ingest 或 microdata load）")
    rate = (df.groupby("area").agg(expected=("uscc", "count"), received=("received", "sum")).reset_index()
            .rename(columns={"area": "region"}))
    rate["rate"] = rate["received"] / rate["expected"] * 100.0
    late = df[~df["received"]].assign(status=lambda d: d["returned"].map({True: "已退回，待重报", False: "未报送"}))
    late = late.drop(columns=["received", "returned", "area"]).sort_values(["region", "uscc"]).reset_index(drop=True)
    return rate, late
