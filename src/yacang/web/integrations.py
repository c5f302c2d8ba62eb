"""Thin calls from the web into the other areas, imported directly (an error in an area is an error).

Kept only while the API modules move to direct imports; nothing here computes statistics.
"""

from __future__ import annotations

from pathlib import Path

from yacang.web.data import records as frame_records  # noqa: F401  (re-exported for the API modules)


def review_rows(reports):
    """The microdata review's pure checks on report rows (needs industry and size_class columns)."""
    from yacang.microdata.review import check_reports

    return check_reports(reports)


def set_report_status(wh, uscc: str, period: str, status: str, reason: str, by: str) -> None:
    from yacang.microdata.store import MicrodataStore

    MicrodataStore(wh).set_status(uscc, period, status, reason=reason, by=by)


def parse_report_file(path: Path):
    from yacang.microdata.report_workbook import parse_report_file as parse

    return parse(path)


def load_reports(wh, batch) -> object:
    from yacang.microdata.report_workbook import load_reports as load

    return load(wh, batch)


def load_statistics_file(wh, path: Path):
    from yacang.warehouse.load import load_file

    return load_file(wh, path)


def parse_statistics_file(path: Path):
    """Parse without writing (to check the regions in the file against the uploader's scope)."""
    from yacang.warehouse.load import parse_file

    return parse_file(path)


def build_bulletin(wh, period: str, region: str, regions=None):
    """The same bulletin as ``yacang report bulletin`` and ``yacang run`` (one builder, a pure read)."""
    from yacang.jobs.run import build_full_bulletin
    from yacang.periods import parse_period

    return build_full_bulletin(wh, parse_period(period), region)


def write_bulletin(doc, out_dir: Path, formats: list[str]) -> list[Path]:
    from yacang.report.bulletin import write_bulletin as write

    return [Path(p) for p in write(doc, out_dir, formats)]


def report_errors() -> tuple[type[Exception], ...]:
    """The report area's error types (Chinese messages), for a 422 answer."""
    from yacang.jobs.errors import JobError
    from yacang.report.errors import ReportError

    return (ReportError, JobError)


def batch_summary_zh(result) -> str:
    """A loader's BatchResult in one Chinese line."""
    if hasattr(result, "text_zh"):
        return result.text_zh()
    again = "（该文件此前已导入，内容相同）" if getattr(result, "already_loaded", False) else ""
    return (f"{result.source_file}：{result.n_series} 个序列、{result.n_observations} 个观测值，新增 {result.n_new}，"
            f"修订 {result.n_revised}，未变 {result.n_unchanged}{again}")
