"""``yacang ingest`` as a job: enterprise report files and statistics files, each all-or-nothing, with
progress per file (:mod:`yacang.jobs.progress`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yacang.jobs.progress import ProgressCallback, Stages, stages_of


@dataclass
class ReportFileOutcome:
    """One enterprise report file: its load summary, or the error that kept it out."""

    path: Path
    summary: object | None = None
    error: Exception | None = None


def ingest_files(wh, reports: list[Path], statistics: list[Path], format: str = "auto", *,
                 progress: ProgressCallback | Stages | None = None, **options: object):
    """Load ``reports`` (enterprise monthly reports) then ``statistics`` (portal exports, workbooks …).
    Returns (report outcomes, statistics outcomes: :class:`yacang.warehouse.load.FileOutcome`)."""
    from yacang.ingest.errors import IngestError
    from yacang.microdata.report_workbook import load_report_file
    from yacang.warehouse.load import load_files

    stages = stages_of(progress)
    total = len(reports) + len(statistics)
    done = 0
    report_outcomes: list[ReportFileOutcome] = []
    outcomes = []
    with stages.stage("ingest", f"导入 {total} 个文件"):
        for f in reports:
            stages.advance("ingest", f.name, done, total)
            try:
                report_outcomes.append(ReportFileOutcome(f, summary=load_report_file(wh, f)))
            except (IngestError, FileNotFoundError) as exc:
                report_outcomes.append(ReportFileOutcome(f, error=exc))
            done += 1
        for f in statistics:
            stages.advance("ingest", f.name, done, total)
            outcomes += load_files(wh, [f], format, **options)
            done += 1
        stages.advance("ingest", "完成", done, total)
    return report_outcomes, outcomes
