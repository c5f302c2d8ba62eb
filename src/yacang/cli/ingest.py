"""``yacang ingest``: load source files into the warehouse, each file all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.markup import escape

from yacang.cli.common import abort, console, err_console, open_warehouse
from yacang.ingest.vintage import FLAGS_ONLY_ZH, batch_changes, change_counts_zh, change_lines_zh

FORMATS = "auto|nbs|city_table|panel|wind|ifind|tidy|investing|worldbank|report"


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` command to the main app."""
    app.command("ingest")(ingest_cmd)


def ingest_cmd(
    files: list[Path] = typer.Argument(..., help="要导入的文件（国家统计局导出CSV、Wind/iFinD Excel、长表CSV …）"),
    format: str = typer.Option("auto", "--format", "-f", help=f"文件格式：{FORMATS}"),
    catalog: Path | None = typer.Option(None, "--catalog", help="长表CSV的序列目录（默认自动查找 *_catalog.csv）"),
    source: str | None = typer.Option(None, "--source", help="来源（默认按文件判断：nbs / wind / ifind …）"),
    encoding: str = typer.Option("auto", "--encoding", help="文本编码：auto / utf-8 / gbk"),
    published: str | None = typer.Option(None, "--published", help="文件的发布日期，如 2022-05-16（默认取文件载明的日期，"
                                          "否则按国家统计局发布日程推定：月度工业数据于次月15日前后发布）"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="列出已映射和未映射的指标名称及说明"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度"),
) -> None:
    """导入数据文件：校验、映射指标、按版本入库；有错误的文件整体不入库，已有数据不变。

    企业月报（yacang template report 生成的模板填报后，或同样表头的 CSV）也用此命令导入。
    """
    from yacang.cli.common import job_progress
    from yacang.jobs.ingest import ingest_files
    from yacang.microdata.report_workbook import looks_like_report_file

    _check_paths(files)
    _check_options(encoding, catalog)
    reports = [f for f in files if format == "report" or (format == "auto" and looks_like_report_file(f))]
    statistics = [f for f in files if f not in reports]
    wh = open_warehouse()
    try:
        if statistics:
            _refuse_demo_warehouse(wh, statistics)
        with job_progress(quiet) as progress:
            report_outcomes, outcomes = ingest_files(wh, reports, statistics, format, progress=progress,
                                                     catalog=catalog, source=source, encoding=encoding,
                                                     published=published)
        report_failures = _print_reports(report_outcomes)
        changes = _changes(wh, outcomes) if verbose else {}
    finally:
        wh.close()
    for o in outcomes:
        console.print(_line(o), highlight=False)
        if verbose and o.batch is not None:
            _details(o, changes.get(id(o)))
        if o.error is not None:
            err_console.print(f"[bold red]错误[/]：{escape(str(o.error))}", highlight=False)
    if len(outcomes) > 1:
        t = _summary(outcomes)
        noted = f"，{FLAGS_ONLY_ZH} {t[FLAGS_ONLY_ZH].sum()}" if t[FLAGS_ONLY_ZH].sum() else ""
        console.print(f"合计：{len(t)} 个文件，已导入 {int((t['状态'] == '已导入').sum())} 个；新增 {t['新增'].sum()}，"
                      f"修订 {t['修订'].sum()}{noted}，未变 {t['未变'].sum()}；"
                      f"指标名称已映射 {t['已映射'].sum()}、未映射 {t['未映射'].sum()}", highlight=False)
    failed = [o for o in outcomes if not o.ok]
    if report_failures and not failed:
        raise typer.Exit(1)
    if failed:
        located = any(getattr(o.error, "errors", None) for o in failed)
        others = "其余文件已导入；" if len(outcomes) + len(report_outcomes) > len(failed) else ""
        err_console.print(f"[bold red]{len(failed)} 个文件未导入[/]（{others}仓库中原有数据未改动）。"
                          + ("出错位置已记入隔离表 quarantine，" if located else "") + "请修正后重新导入。", highlight=False)
        raise typer.Exit(1)


def _check_paths(files: list[Path]) -> None:
    """Refuse, before anything is loaded, a folder or a path that does not exist (a typo loads nothing)."""
    for f in files:
        if f.is_dir():
            abort(f"{f} 是文件夹，不是数据文件：请列出其中要导入的文件，例如 yacang ingest {f / '*.csv'}（没有导入任何文件）")
        if not f.is_file():
            abort(f"找不到文件：{f}（没有导入任何文件；请检查路径）")


ENCODINGS = ("auto", "utf-8", "utf8", "utf-8-sig", "gbk", "gb2312", "gb18030")


def _check_options(encoding: str, catalog: Path | None) -> None:
    """Refuse an encoding that is not one Chinese statistics files come in (an unknown name stopped the
    load with a LookupError traceback; latin1 read Chinese as mojibake) and a --catalog that is not a file."""
    if encoding.lower() not in ENCODINGS:
        abort(f"--encoding 的值“{encoding}”不可用：应为 auto（自动识别）、utf-8 或 gbk（没有导入任何文件）")
    if catalog is not None and not catalog.is_file():
        abort(f"找不到 --catalog 指定的序列目录：{catalog}（没有导入任何文件；请检查路径）")


def _refuse_demo_warehouse(wh, files: list[Path]) -> None:
    """Published or vendor files never go into a warehouse of demo data (no output may mix the two):
    refused before anything is loaded, with the way out. Enterprise report files load only for
    enterprises in the registry, which in a demo warehouse are the demo's own."""
    from yacang.jobs.sources import FRESH_HOME
    from yacang.warehouse.provenance import provenance

    if provenance(wh).is_demo:
        names = "、".join(f.name for f in files[:3]) + (f" 等 {len(files)} 个文件" if len(files) > 3 else "")
        abort(f"数据仓库中是示例数据（yacang demo 生成），不能导入真实数据文件 {names}，没有导入任何文件。"
              + FRESH_HOME.format(path=wh.path or "warehouse.duckdb"))


def _print_reports(outcomes: list) -> int:
    """One line per enterprise report file (and its error); returns how many failed."""
    for o in outcomes:
        if o.error is not None:
            console.print(f"[red]✗[/] {escape(o.path.name)} \\[report]：未导入", highlight=False)
            err_console.print(f"[bold red]错误[/]：{escape(str(o.error))}", highlight=False)
        else:
            console.print(f"[green]✓[/] {escape(o.path.name)} \\[report]：{escape(o.summary.text_zh())}",
                          highlight=False)
    return sum(o.error is not None for o in outcomes)


def _changes(wh, outcomes: list) -> dict[int, pd.DataFrame]:
    """Per loaded outcome (by id), the rows it changed: revisions and flags-only changes apart."""
    return {id(o): batch_changes(wh.db, o.result.batch_id) for o in outcomes if o.result is not None}


def _line(o) -> str:
    """One line per file: rows new/revised/flags-only/unchanged and mapped/unmapped original names (several
    names, e.g. a Wind workbook's 1-2月合并 and 拆分 columns, can make one series, so they differ from 序列)."""
    b, r = o.batch, o.result
    mapping = f"指标名称已映射 {len(b.mapped)}、未映射 {len(b.unmapped)}" if b is not None else ""  # names, not series
    if r is not None:
        again = "（相同内容此前已导入）" if r.already_loaded else ""
        skipped = f"；按规则略去 {b.skipped} 个单元格（原因见 --verbose）" if b is not None and b.skipped else ""
        return (f"[green]✓[/] {escape(o.path.name)} \\[{o.format}]：序列 {r.n_series}，观测 {r.n_observations}"
                f"（{change_counts_zh(r)}）{again}；{mapping}{skipped}")
    errors = len(b.errors) if b is not None else len(getattr(o.error, "errors", []))
    why = f"{errors} 处错误" if errors else "原因见下方错误"
    return f"[red]✗[/] {escape(o.path.name)} \\[{o.format}]：未导入，{why}" + (f"；{mapping}" if mapping else "")


def _summary(outcomes: list) -> pd.DataFrame:
    rows = []
    for o in outcomes:
        r, b = o.result, o.batch
        rows.append({
            "文件": o.path.name[:24], "格式": o.format, "状态": "已导入" if o.ok else "未导入",
            "序列": len(b.series) if b is not None else 0,
            "新增": r.n_new if r else 0, "修订": r.n_revised if r else 0,
            FLAGS_ONLY_ZH: r.n_flags_only if r else 0, "未变": r.n_unchanged if r else 0,
            "已映射": len(b.mapped) if b is not None else 0, "未映射": len(b.unmapped) if b is not None else 0,
            "错误": len(b.errors) if b is not None else len(getattr(o.error, "errors", [])),
        })
    return pd.DataFrame(rows)


def _details(o, changes: pd.DataFrame | None = None) -> None:
    b = o.batch
    console.print(f"[bold]{o.path.name}[/]")
    if b.mapped:
        console.print(f"  已映射到目录指标（{len(b.mapped)}）：" + "；".join(b.mapped), highlight=False)
    if b.unmapped:
        console.print(f"  未映射、按原名保存（{len(b.unmapped)}）：" + "；".join(b.unmapped), highlight=False)
    for note in b.notes:
        console.print(f"  说明：{note}", highlight=False)
    for line in change_lines_zh(changes) if changes is not None and not changes.empty else []:
        console.print(f"  {escape(line)}", highlight=False)
