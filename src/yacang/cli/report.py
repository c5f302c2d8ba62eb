"""CLI for yacang.report: ``yacang report bulletin`` writes the monthly bulletin (按月通报)."""

from __future__ import annotations

from pathlib import Path

import typer

from yacang.cli.common import abort, console, fail_known_errors, open_warehouse, output_root, region_arg
from yacang.formatting import date_zh

app = typer.Typer(no_args_is_help=True, help="按月通报：生成 HTML、PDF、DOCX、XLSX 格式的工业经济运行情况通报。")


@app.command("bulletin")
def bulletin(
    period: str = typer.Option(..., "--period", "-p", help="通报月份，如 2022-03、2022年3月、2022-01/02（1-2月）"),
    region: str = typer.Option("100000", "--region", "-r", help="地区：代码或名称，如 440000、广东、江苏省（默认全国）"),
    formats: str = typer.Option("html,pdf,docx,xlsx", "--format", "-f", help="输出格式，逗号分隔"),
    out: Path | None = typer.Option(None, "--out", "-o", help="输出目录（默认 yacang.toml 的 output_dir，否则 ./yacang-output）"),
    target: float | None = typer.Option(None, "--target", help="年度增长目标（%），用于目标进度"),
    issuer: str | None = typer.Option(None, "--issuer", help="发文机关（默认取 yacang.toml [bulletin] issuer）"),
    doc_number: str | None = typer.Option(None, "--doc-number", help="文号，如 工运监〔2022〕3号（默认按 [bulletin] doc_number 格式编号）"),
    signer: str | None = typer.Option(None, "--signer", help="签发人"),
    issue_date: str | None = typer.Option(None, "--issue-date", help="成文日期，如 2022-04-18（默认取 [bulletin] issue_date）"),
    config: Path | None = typer.Option(None, "--config", help="配置文件（默认当前目录的 yacang.toml）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度"),
) -> None:
    """生成指定地区、月份的通报（有企业月报时按同口径测算分地区指标，并附预警、原材料、信号灯、调度），
    按公文格式（GB/T 9704-2012）排版，并登记为该地区、该月份通报的新版本。"""
    import getpass

    from yacang.cli.common import job_progress
    from yacang.job_config import ConfigError, load_config
    from yacang.jobs.main_job import bulletin_job
    from yacang.periods import parse_period, reporting_period
    from yacang.report.errors import ReportError
    from yacang.report.issue import resolve_meta
    from yacang.settings import get_settings

    with fail_known_errors():
        try:
            region = region_arg(region) or region
            whole = load_config(config)
            cfg = whole.bulletin
            resolve_meta(cfg, issuer=issuer, doc_number=doc_number, signer=signer, issue_date=issue_date)  # early
            typed = parse_period(period)
            asked, merged_note = reporting_period(typed)  # 2022-01 → 1-2月, as yacang run does
            if merged_note and typed.end == 1:  # 2022-02 is the usual code of 1-2月: no note for it
                console.print(f"注：{merged_note}", highlight=False)
            with job_progress(quiet) as progress:
                b, paths, row = bulletin_job(
                    lambda: open_warehouse(read_only=False), asked, region,
                    out_dir=out or output_root(whole, get_settings().output_dir), formats=formats.split(","), cfg=cfg,
                    issued_by=f"命令行（{getpass.getuser()}）", channel="cli", target=target, progress=progress,
                    issuer=issuer, doc_number=doc_number, signer=signer, issue_date=issue_date)
        except (ReportError, ConfigError) as exc:
            abort(str(exc))
            return
    console.print(f"[bold]{b.title}[/]")
    console.print(f"第{row.version}版  {b.doc_number or '（无文号）'}  {b.issuer}  成文日期 {date_zh(b.issue_date)}",
                  highlight=False)
    for p in paths:
        console.print(str(p), highlight=False)


@app.command("import-boundaries")
def import_boundaries_cmd(path: Path = typer.Argument(..., help="GeoJSON 文件（如 DataV.GeoAtlas 的 100000_full.json）")) -> None:
    """导入地区边界（GeoJSON）供通报地图使用，保存在 YACANG_HOME/geo；全国省级地图默认取自 npm 安装的 ECharts 地图数据。"""
    from yacang.report.charts import import_boundaries
    from yacang.report.errors import ReportError

    try:
        stored = import_boundaries(path)
    except ReportError as exc:
        abort(str(exc))
        return
    console.print(f"已导入边界数据：{stored}", highlight=False)
