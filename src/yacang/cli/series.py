"""``yacang series``: list series in the warehouse and show one, optionally as of a past date."""

from __future__ import annotations

import pandas as pd
import typer

from yacang.cli.common import abort, console, open_warehouse, print_frame, region_arg

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_cmd(
    indicator: str | None = typer.Option(None, help="指标代码，如 iva"),
    measure: str | None = typer.Option(None, help="口径代码，如 yoy / ytd_yoy"),
    region: str | None = typer.Option(None, help="地区：代码或名称，如 100000、江苏"),
    industry: str | None = typer.Option(None, help="行业代码，如 TOTAL、C、36"),
    source: str | None = typer.Option(None, help="来源，如 nbs / wind"),
    search: str | None = typer.Option(None, "--search", "-s", help="按原始名称模糊查找"),
) -> None:
    """列出仓库中的序列。"""
    region = region_arg(region)
    wh = open_warehouse(read_only=True)
    df = wh.series(indicator=indicator, measure=measure, region=region, industry=industry, source=source)
    if search:
        df = df[df["original_name"].fillna("").str.contains(search, regex=False)]
    if df.empty:
        console.print("没有符合条件的序列。先用 yacang ingest 导入数据，或放宽筛选条件。")
        return
    counts = wh.observations().group_by("series_id").agg(n=lambda t: t.count(), last=lambda t: t.period_end.max()).to_pandas()
    df = df.merge(counts, on="series_id", how="left")
    print_frame(
        df[["series_id", "original_name", "unit", "frequency", "n", "last"]].rename(
            columns={"original_name": "原始名称", "unit": "单位", "frequency": "频率", "n": "观测数", "last": "最新"}
        ),
        f"序列（{len(df)} 条）",
    )


@app.command("show")
def show_cmd(
    series_id: str | None = typer.Argument(None, help="序列ID；或用 --indicator/--measure 等定位"),
    indicator: str = typer.Option("iva", help="指标代码"),
    measure: str = typer.Option("yoy", help="口径代码"),
    region: str = typer.Option("100000", help="地区：代码或名称（如 440000、广东、深圳市）"),
    industry: str = typer.Option("TOTAL", help="行业代码"),
    source: str | None = typer.Option(None, help="来源"),
    as_of: str | None = typer.Option(None, "--as-of", help="查看截至该日期的版本，如 2022-05-01"),
    start: str | None = typer.Option(None, "--from", help="起始时期，如 2021-01"),
    end: str | None = typer.Option(None, "--to", help="截止时期，如 2022-12"),
) -> None:
    """显示一条序列的观测值（含1-2月合并标记、版本时间）。"""
    from yacang.catalog.indicators import MEASURES
    from yacang.periods import parse_period

    region = region_arg(region)
    wh = open_warehouse(read_only=True)
    sid = series_id or wh.find_series(indicator, measure, region, industry, source=source)
    if sid is None:
        have = wh.series(indicator=indicator, region=region)
        have = sorted(set(have.loc[have["industry"] == industry, "measure"]))
        hint = ("；该地区已有口径：" + "、".join(f"{m}（{MEASURES[m].name if m in MEASURES else m}）" for m in have)
                + "，请用 --measure 指定") if have else "。先用 yacang ingest 导入数据。"
        abort(f"仓库中没有 {indicator}/{measure}/{region}/{industry} 的序列{hint}")
    meta = wh.series(series_id=sid)
    if meta.empty:
        abort(f"仓库中没有序列 {sid}。可用 yacang series list 查看。")
    m = meta.iloc[0]
    df = wh.read(sid, as_of=as_of)
    if start:
        df = df[df["period_end"] >= pd.Timestamp(parse_period(start).end_date)]
    if end:
        df = df[df["period_end"] <= pd.Timestamp(parse_period(end).end_date)]
    cumulative = MEASURES[m["measure"]].cumulative if m["measure"] in MEASURES else False
    df = df.assign(时期=[parse_period(p).label_zh(cumulative=cumulative) for p in df["period"]])
    console.print(f"[bold]{sid}[/]  {m['original_name']}  单位：{m['unit']}  来源：{m['source']}"
                  + (f"  截至 {as_of} 的版本" if as_of else ""))
    print_frame(
        df[["period", "时期", "value", "flags", "vintage"]].rename(
            columns={"period": "代码", "value": "数值", "flags": "标记", "vintage": "版本时间"}
        ),
        max_rows=1000,
    )
