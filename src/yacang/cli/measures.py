"""CLI for yacang.measures: ``yacang measures --period 2022-03 [--region 440000] [--industry C]``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""

    @app.command("measures")
    def measures(
        period: str = typer.Option(..., "--period", "-p", help="报告期，如 2022-03、2022年3月、2022年1-2月"),
        region: str = typer.Option("100000", "--region", "-r", help="地区代码或名称（默认全国 100000）"),
        industry: str = typer.Option("TOTAL", "--industry", "-i", help="行业：TOTAL、B/C/D、大类代码、HT、EQ"),
        top: int = typer.Option(5, "--top", help="拉动/拖累前几名企业"),
        ahead: float | None = typer.Option(None, "--ahead-pp", help="高于目标多少个百分点以上为“超进度”（默认取 yacang.toml [progress]，否则 0）"),
        behind: float | None = typer.Option(None, "--behind-pp", help="低于目标超过多少个百分点为“滞后”（默认 [progress] 或 1）"),
        far_behind: float | None = typer.Option(None, "--far-behind-pp", help="低于目标超过多少个百分点为“严重滞后”（默认 [progress] 或 3）"),
        engine: str | None = typer.Option(None, "--engine", help="计算引擎：duckdb 或 spark（默认取 yacang.toml [engine]，否则 duckdb）"),
    ) -> None:
        """规上工业增加值同口径增速（当月/累计、两年平均）、位次、目标进度、增长面、亏损面、拉动企业。"""
        from yacang.catalog.regions import RegionCatalog
        from yacang.cli.common import (
            abort,
            console,
            fail_known_errors,
            open_warehouse,
            print_frame,
            print_source,
        )
        from yacang.job_config import load_config
        from yacang.measures import monthly
        from yacang.measures.real_growth import MicrodataError, inputs_missing
        from yacang.measures.targets import ProgressThresholds
        from yacang.microdata.store import ensure_microdata_schema
        from yacang.periods import parse_period
        from yacang.warehouse.engine import EngineError, configured_choice, microdata_backend

        with fail_known_errors():
            try:
                base = ProgressThresholds.from_config(load_config())
                th = ProgressThresholds(base.ahead_pp if ahead is None else ahead,
                                        base.behind_pp if behind is None else behind,
                                        base.far_behind_pp if far_behind is None else far_behind)
            except (ValueError, TypeError) as exc:  # ConfigError is a ValueError
                abort(f"目标进度阈值有误（yacang.toml [progress] 或命令行）：{exc}")
            try:
                choice = configured_choice(engine)
            except EngineError as exc:
                abort(str(exc))
            cat = RegionCatalog.load()
            code = region if region.isdigit() else cat.find(region).code
            p = parse_period(period)
            wh = open_warehouse()
            try:
                ensure_microdata_schema(wh)
                missing = inputs_missing(wh.con, p, cumulative=True)
                if missing["ppi"] or missing["va_rate"]:
                    abort("缺少价格指数或增加值率，无法按可比价计算："
                          + "；".join(filter(None, [
                              ("分行业PPI " + "、".join(missing["ppi"][:10])) if missing["ppi"] else "",
                              ("增加值率 " + "、".join(missing["va_rate"])) if missing["va_rate"] else ""])))
                try:
                    con = microdata_backend(wh, choice)
                except EngineError as exc:
                    abort(str(exc))
                try:
                    r = monthly.monthly_measures(con, p.code, region=code, industry=industry, regions=cat,
                                                 thresholds=th, top_n=top)
                except (LookupError, MicrodataError) as exc:
                    abort(str(exc))
                finally:
                    if con is not wh.con:
                        con.disconnect()
                print_source(wh, reports_only=True)
            finally:
                wh.close()
            scope = "" if industry == "TOTAL" else f"（行业 {industry}）"
            print_frame(monthly.summary_zh(r), title=f"{r.region_name}{scope} {p.label_zh()} 规上工业主要指标（同口径）")
            if not r.children.empty:
                print_frame(monthly.children_zh(r), title="分地区（按累计增速排位）")
            print_frame(monthly.divisions_zh(r), title="分行业拉动（前后各五）")
            if not r.pulls_up.empty:
                print_frame(monthly.pulls_zh(r.pulls_up), title=f"拉动最大的{top}家企业")
            if not r.pulls_down.empty:
                print_frame(monthly.pulls_zh(r.pulls_down), title=f"拖累最大的{top}家企业")
            for note in r.notes:
                console.print(f"注：{note}", highlight=False)
            console.print(f"计算引擎：{choice.label()}", highlight=False)
