"""Calls into the other areas (measures, alerts, microdata, report, warehouse loaders).

Each function imports its module lazily: when an area is not installed or not ready yet, it raises
:class:`~yacang.web.state.Unavailable` and the API answers 503 with a Chinese message, while the pages
show “暂无数据”. Nothing here computes statistics itself.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

import pandas as pd

from yacang.web.state import Unavailable


def _import(module: str, what_zh: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Unavailable(what_zh) from exc


def _attr(module: str, name: str, what_zh: str) -> Any:
    mod = _import(module, what_zh)
    if not hasattr(mod, name):
        raise Unavailable(what_zh)
    return getattr(mod, name)


def frame_records(df: pd.DataFrame) -> list[dict]:
    """A DataFrame as JSON-safe records (NaN → None, timestamps → ISO text)."""
    if df is None or df.empty:
        return []
    out = df.astype(object).where(pd.notna(df), None)
    recs = out.to_dict("records")
    for r in recs:
        for k, v in r.items():
            if isinstance(v, pd.Timestamp | dt.datetime | dt.date):
                r[k] = v.isoformat()
            elif hasattr(v, "item"):
                r[k] = v.item()
    return recs


# measures ------------------------------------------------------------------------------
def monthly_measures(wh, period: str, region: str, regions, industry: str = "TOTAL"):
    fn = _attr("yacang.measures.monthly", "monthly_measures", "指标计算")
    return fn(wh.con, period, region=region, industry=industry, regions=regions)


def rank_table(current: pd.Series, previous: pd.Series | None, parent: float | None, parent_name: str):
    fn = _attr("yacang.measures.rankings", "rank_table", "排名")
    return fn(current, previous, parent=parent, parent_name=parent_name)


# alerts --------------------------------------------------------------------------------
def alert_history(wh, *, period: str | None = None, state: str | None = None) -> pd.DataFrame:
    fn = _attr("yacang.alerts.store", "load_history", "预警")
    return fn(wh, period=period, state=state)


def ack_alert(wh, fingerprint: str, author: str, comment: str) -> None:
    _attr("yacang.alerts.store", "add_ack", "预警确认")(wh, fingerprint, author, comment)


def silence_alert(wh, matchers: list[str], author: str, reason: str, expires_at: dt.datetime) -> str:
    silences = _import("yacang.alerts.silences", "预警静默")
    store = _import("yacang.alerts.store", "预警静默")
    s = silences.Silence(silences.parse_matchers(matchers), author, reason, expires_at)
    return store.add_silence(wh, s)


def materials(wh) -> list[dict]:
    """Latest 红黄蓝 level of every configured material whose series are in the warehouse."""
    fn = _attr("yacang.alerts.materials", "assess_warehouse", "原材料红黄蓝预警")
    out = []
    for a in fn(wh):
        latest = a.at()
        row: dict = {"material": a.code, "name": a.name, "date": None, "level": None, "level_name": "", "reason": ""}
        if latest is not None:
            row.update(date=str(latest.name)[:10], level=_scalar(latest.get("level")),
                       level_name=_scalar(latest.get("level_name")) or "", reason=_scalar(latest.get("reason")) or "")
        out.append(row)
    return out


def _scalar(v):
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def signal_lights(wh, region: str = "100000", start: str | None = None, end: str | None = None) -> list[dict]:
    """景气信号灯 by month (Chinese table of the alerts module: values, zones, 总分, 信号灯)."""
    fn = _attr("yacang.alerts.lights", "lights_from_warehouse", "景气信号灯")
    try:
        lights = fn(wh, region=region)
    except ValueError:  # LightsError: too few indicators in the warehouse
        return []
    return frame_records(lights.table(start, end))


# microdata -----------------------------------------------------------------------------
def review_rows(reports: pd.DataFrame) -> pd.DataFrame:
    """The microdata review's pure checks on report rows (needs industry and size_class columns)."""
    fn = _attr("yacang.microdata.review", "check_reports", "报表审核")
    return fn(reports)


def set_report_status(wh, uscc: str, period: str, status: str, reason: str, by: str) -> None:
    store = _attr("yacang.microdata.store", "MicrodataStore", "企业直报")
    store(wh).set_status(uscc, period, status, reason=reason, by=by)


def parse_report_file(path: Path):
    return _attr("yacang.microdata.report_workbook", "parse_report_file", "企业报表导入")(path)


def load_reports(wh, batch) -> object:
    return _attr("yacang.microdata.report_workbook", "load_reports", "企业报表导入")(wh, batch)


# uploads of statistics -----------------------------------------------------------------
def load_statistics_file(wh, path: Path):
    """The ingest helper's loader: parse any supported source file and write the batch."""
    fn = _attr("yacang.warehouse.load", "load_file", "数据导入")
    return fn(wh, path)


def parse_statistics_file(path: Path):
    """Parse without writing (to check the regions in the file against the uploader's scope)."""
    mod = _import("yacang.warehouse.load", "数据导入")
    fn = getattr(mod, "parse_file", None)
    return fn(path) if fn else None


# bulletin ------------------------------------------------------------------------------
def build_bulletin(wh, period: str, region: str, regions):
    """The bulletin document (needs the warehouse; rendering is separate so the lock is short)."""
    bulletin = _import("yacang.report.bulletin", "通报生成")
    source = None
    if region != "100000":
        source_cls = _attr("yacang.report.measures_source", "MeasuresSource", "分地区通报")
        source = source_cls(wh.con, regions)
    return bulletin.build_bulletin(wh, period, region, source=source)


def write_bulletin(doc, out_dir: Path, formats: list[str]) -> list[Path]:
    fn = _attr("yacang.report.bulletin", "write_bulletin", "通报生成")
    return [Path(p) for p in fn(doc, out_dir, formats)]


def report_errors() -> tuple[type[Exception], ...]:
    """The report area's error types (Chinese messages), for a 422 answer."""
    try:
        from yacang.report.errors import ReportError
    except ImportError:
        return ()
    return (ReportError,)


def batch_summary_zh(result) -> str:
    """A loader's BatchResult in one Chinese line."""
    if hasattr(result, "text_zh"):
        return result.text_zh()
    again = "（该文件此前已导入，内容相同）" if getattr(result, "already_loaded", False) else ""
    return (f"{result.source_file}：{result.n_series} 个序列、{result.n_observations} 个观测值，新增 {result.n_new}，"
            f"修订 {result.n_revised}，未变 {result.n_unchanged}{again}")
