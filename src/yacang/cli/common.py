"""Shared CLI pieces: the console, error handling, opening the warehouse, table printing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


@contextmanager
def fail_known_errors() -> Iterator[None]:
    """Turn the project's own errors into a red message and exit code 1."""
    from yacang.catalog.indicators import IndicatorError
    from yacang.catalog.industries import IndustryError
    from yacang.catalog.regions import RegionError
    from yacang.ingest.errors import IngestError
    from yacang.periods import PeriodError

    try:
        yield
    except (IngestError, PeriodError, RegionError, IndustryError, IndicatorError, FileNotFoundError) as exc:
        err_console.print(f"[bold red]错误[/]：{exc}", highlight=False, markup=True)
        raise SystemExit(1) from None


def region_arg(text: str | None) -> str | None:
    """A ``--region`` value (code or name at any level: 广东, 广东省, 440000, 深圳) as its code; an
    unknown or ambiguous name stops the command with the candidates (the one resolver, catalog.regions)."""
    if text is None or text == "":
        return text
    from yacang.catalog.regions import RegionError, resolve_region

    try:
        return resolve_region(text).code
    except RegionError as exc:
        abort(str(exc))
        raise  # unreachable: abort exits


def period_arg(text: str) -> str:
    """A ``--period`` value as the period NBS reports (2022-02 → 2022年1-2月, said on stderr)."""
    from yacang.periods import PeriodError, parse_period, reporting_period

    try:
        p, note = reporting_period(parse_period(text))
    except PeriodError as exc:
        abort(str(exc))
        raise
    if note:
        err_console.print(f"注：{note}", highlight=False)
    return p.code


def print_source(wh, region: str | None = None, *, reports_only: bool = False,
                 series_ids: list[str] | None = None) -> None:
    """The ``数据来源：…`` line of an output built from the warehouse: of ``region``'s series, or of the series
    ``series_ids`` it read, if given; of the enterprise reports alone with ``reports_only``, for measures
    computed from the microdata."""
    console.print(source_line(wh, region, reports_only=reports_only, series_ids=series_ids), highlight=False)


def source_line(wh, region: str | None = None, *, reports_only: bool = False,
                series_ids: list[str] | None = None) -> str:
    """The line :func:`print_source` prints, for outputs that carry it elsewhere (a chart's footnote)."""
    from yacang.warehouse.provenance import provenance, reports_provenance

    p = (reports_provenance(wh) if reports_only
         else provenance(wh, regions={region} if region else None, series_ids=series_ids))
    return p.sentence() if p.is_demo else f"数据来源：{p.words()}"


def chart_arg(chart: Path | None) -> Path | None:
    """A ``--chart`` file: .png or .html (the suffix decides what is written), refused otherwise."""
    if chart is not None and chart.suffix.lower() not in (".png", ".html"):
        abort(f"--chart 应为 .png 或 .html 文件，收到“{chart}”")
    return chart


def region_names(codes) -> list[str]:
    """「名称（代码）」 for region codes, as tables for officials show them."""
    from yacang.catalog.regions import RegionCatalog

    cat = RegionCatalog.load()
    return [f"{cat.name(c)}（{c}）" if c in cat else str(c) for c in codes]


LOCK_WAIT_SECONDS = 120  # how long a CLI command waits for another process to release the warehouse


def output_root(cfg, fallback: Path) -> Path:
    """The output directory of the CLI commands and the server (:meth:`yacang.job_config.Config.output_path`)."""
    return cfg.output_path(fallback)


def open_warehouse(read_only: bool = False, *, wait: float | None = None):
    """The warehouse for a CLI command. Inside a server job it is the server's (same configuration);
    otherwise, while another process holds the file, wait with a message, then fail with a clear one."""
    import time

    import duckdb

    from yacang.service.capture import in_service
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse

    settings = get_settings()
    settings.ensure_home()
    if in_service():
        return Warehouse.open(settings.warehouse_path)
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    deadline, told = time.monotonic() + wait, False
    while True:
        try:
            return Warehouse.open(settings.warehouse_path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                abort(f"数据仓库 {settings.warehouse_path} 正被另一个进程使用（{_holder(str(exc))}），"
                      f"已等待 {wait:.0f} 秒。请待其完成后重试；若是 yacang serve，请确认本命令使用同一 YACANG_HOME。")
            if not told:
                err_console.print(f"数据仓库正被另一个进程使用（{_holder(str(exc))}），等待其释放（最多 {wait:.0f} 秒）…",
                                  highlight=False)
                told = True
            time.sleep(0.5)


def _holder(message: str) -> str:
    import re

    m = re.search(r"PID (\d+)", message)
    return f"进程 {m.group(1)}" if m else "另一进程"


OUTPUT_FORMATS = ("table", "csv", "json", "xlsx")


def emit_frame(df: pd.DataFrame, fmt: str = "table", *, title: str | None = None, output=None,
               max_rows: int = 200, what: str = "行") -> None:
    """A list command's output: a terminal table (``max_rows``, the rest counted), or every row as CSV
    or JSON (to ``output`` or stdout) or XLSX (``output`` required); spreadsheet text neutralised."""
    import sys

    from yacang.exports import csv_text, write_xlsx_row

    if fmt not in OUTPUT_FORMATS:
        abort(f"--format {fmt!r} 无效：可用 {' / '.join(OUTPUT_FORMATS)}")
    if fmt == "table":
        print_frame(df, title, max_rows=max_rows)
        return
    if fmt == "xlsx":
        if output is None:
            abort("--format xlsx 需要用 --output 指定文件，如 -o 结果.xlsx")
        import xlsxwriter

        book = xlsxwriter.Workbook(str(output), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = book.add_worksheet((title or "数据")[:31].replace("/", "-"))
        write_xlsx_row(ws, 0, [str(c) for c in df.columns], book.add_format({"bold": True}))
        for i, row in enumerate(df.itertuples(index=False), start=1):
            write_xlsx_row(ws, i, [None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in row])
        ws.freeze_panes(1, 0)
        book.close()
        err_console.print(f"已写出 {len(df)} {what}：{output}", highlight=False)
        return
    if fmt == "csv":
        text = csv_text(([None if _missing(v) else v for v in row] for row in df.itertuples(index=False)),
                        [str(c) for c in df.columns])
    else:
        text = df.to_json(orient="records", force_ascii=False, indent=1, date_format="iso")
    if output is not None:
        Path(output).write_text(text, encoding="utf-8")
        err_console.print(f"已写出 {len(df)} {what}：{output}", highlight=False)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _missing(v: object) -> bool:
    """None, NaN and pandas' NA/NaT (a nullable integer column's gap printed “<NA>”)."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v))


def print_frame(df: pd.DataFrame, title: str | None = None, *, max_rows: int = 200) -> None:
    """Print a frame as a rich table; numbers right-aligned to one decimal unless integral. Long cells
    fold onto more lines, so an 80-column terminal shows every column."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col])
        table.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
    for row in df.head(max_rows).itertuples(index=False):
        table.add_row(*(_fmt(v) for v in row))
    console.print(table)
    if len(df) > max_rows:
        console.print(f"…共 {len(df)} 行，仅显示前 {max_rows} 行")


def _fmt(v: object) -> str:
    if _missing(v):
        return ""
    if isinstance(v, float):
        from yacang.formatting import fmt  # half-up, no "-0.0": the same figure as every other output

        return fmt(v) if abs(v - round(v)) > 1e-9 or abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def abort(message: str) -> None:
    """Print ``错误：message`` and exit 1; the message is plain text (``[sources]`` in it stays as written)."""
    err_console.print(f"[bold red]错误[/]：{escape(message)}", highlight=False)
    raise typer.Exit(1)


def out_dir_arg(out: Path, option: str = "-o") -> Path:
    """An output directory option: made if missing; a file of that name or a place that cannot be written
    is a Chinese error (exit 1) before anything is computed."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = "已有同名文件，不是目录" if out.exists() and not out.is_dir() else (exc.strerror or exc)
        abort(f"无法使用输出目录 {out}（{why}）：请用 {option} 指定一个可写的目录")
    return out


def date_arg(text: str, label: str) -> dt.date:
    """An ISO date from the command line, or a Chinese error naming the option (exit 1)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(f"{label.strip()} 的值“{text}”不是有效日期，应为 2022-04-01 这样的日期")
        raise


@contextmanager
def job_progress(quiet: bool = False) -> Iterator[object]:
    """The progress callback of a long command (:mod:`yacang.jobs.progress`): a rich progress display on
    stderr in a terminal; text lines per stage when the command runs as a job of ``yacang serve`` (its
    output is relayed line by line); nothing with ``--quiet`` or when stderr is not a terminal."""
    from yacang.service.capture import in_service

    if quiet:
        yield None
    elif in_service():
        yield _text_stage
    elif err_console.is_terminal:
        with _RichStages() as shown:
            yield shown
    else:
        yield None


def _text_stage(ev) -> None:
    if ev.kind == "start":
        err_console.print(f"{'  ' * ev.depth}… {ev.label}", highlight=False, markup=False)
    elif ev.kind == "end":
        err_console.print(f"{'  ' * ev.depth}✓ {ev.label}（{ev.seconds:.1f} 秒）", highlight=False, markup=False)


class _RichStages:
    """One progress row per top-level stage (spinner, bar when the stage counts items, elapsed time);
    nested stages and items show in the row's description."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=err_console)
        self.rows: list[tuple[object, str]] = []  # (task id, label) of the open top-level stages

    def __enter__(self) -> _RichStages:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, ev) -> None:

        p = self.progress
        if ev.depth == 0 and ev.kind == "start":
            self.rows.append((p.add_task(escape(ev.label), total=None), ev.label))
            return
        if not self.rows:
            return
        task, label = self.rows[-1]
        if ev.depth == 0 and ev.kind == "end":
            total = next((t.total for t in p.tasks if t.id == task), None) or 1  # items counted, else one stage
            p.update(task, total=total, completed=total, description=f"{escape(label)}（{ev.seconds:.1f} 秒）")
            self.rows.pop()
        elif ev.kind == "start":
            p.update(task, description=f"{escape(label)}：{escape(ev.label)}")
        elif ev.kind == "advance":
            p.update(task, total=ev.total, completed=ev.done, description=f"{escape(label)}：{escape(ev.label)}")
