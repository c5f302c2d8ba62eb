"""``yacang series``: list series in the warehouse and show one, optionally as of a past date."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import typer

from yacang.cli.common import abort, console, date_arg, open_warehouse, print_frame, region_arg
from yacang.warehouse.provenance import source_name

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
    df = df.merge(_latest(wh), on="series_id", how="left")
    df["frequency"] = [_frequency_zh(f) for f in df["frequency"]]
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

    region = region_arg(region)
    if as_of:
        as_of = date_arg(as_of, "--as-of ").isoformat()
    first, last = (_period(x, flag) for x, flag in ((start, "--from"), (end, "--to")))
    if first and last and first.end_date > last.end_date:
        abort(f"起始时期 {first.label_zh()} 晚于截止时期 {last.label_zh()}，请对调 --from 与 --to")
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
    if first:  # from the first day of --from: a daily series' 2024-11-01 is in --from 2024-11
        df = df[df["period_end"] >= pd.Timestamp(first.day or dt.date(first.year, first.start, 1))]
    if last:
        df = df[df["period_end"] <= pd.Timestamp(last.end_date)]
    df = df.assign(时期=[_label(p, m["measure"]) for p in df["period"]],
                   vintage=_vintage_text(df["vintage"]))
    console.print(f"[bold]{sid}[/]  {m['original_name']}  单位：{m['unit']}  来源：{source_name(m['source'])}"
                  + (f"  截至 {as_of} 的版本" if as_of else ""))
    if df.empty:
        console.print(f"没有观测值：{'截至 ' + as_of + ' 尚未发布' if as_of else ''}{'（所选时期内）' if start or end else ''}"
                      "。可去掉 --as-of / --from / --to 查看全部", highlight=False)
        return
    print_frame(
        df[["period", "时期", "value", "flags", "vintage"]].rename(
            columns={"period": "代码", "value": "数值", "flags": "标记", "vintage": "版本时间"}
        ),
        max_rows=1000,
    )


def _frequency_zh(code: str | None) -> str:
    """A stored frequency code (M, D, 10D …) in the word officials use (月, 日, 旬 …)."""
    from yacang.ingest.wind import FREQ_ZH

    return next((word for word, c in FREQ_ZH.items() if c == code), code or "")


def _vintage_text(vintages: pd.Series) -> list[str]:
    """A release date as a date (2022-04-15); a time only where a load stamped one."""
    return [v.strftime("%Y-%m-%d" if (v.hour, v.minute, v.second) == (0, 0, 0) else "%Y-%m-%d %H:%M")
            for v in pd.to_datetime(vintages)]


def _latest(wh) -> pd.DataFrame:
    """Per series: the number of observations and its latest period as officials write it
    (2026年1-2月, 2024年1-9月 for a 累计 series), not a timestamp."""
    obs = wh.observations()
    w = ibis.window(group_by=obs.series_id, order_by=ibis.desc(obs.period_end))
    t = obs.mutate(n=obs.count().over(ibis.window(group_by=obs.series_id)), _rn=ibis.row_number().over(w))
    df = t.filter(t._rn == 0).select("series_id", "n", "period").to_pandas()
    sids = wh.series()[["series_id", "measure"]]
    df = df.merge(sids, on="series_id", how="left")
    df["last"] = [_label(p, m) for p, m in zip(df["period"], df["measure"], strict=True)]
    return df[["series_id", "n", "last"]]


def _label(period: str, measure: str | None) -> str:
    """A stored period code labelled in Chinese; a 累计 measure reads 1-N月."""
    from yacang.catalog.indicators import MEASURES
    from yacang.periods import parse_period

    cumulative = MEASURES[measure].cumulative if measure in MEASURES else False
    return parse_period(period).label_zh(cumulative=cumulative)


def _period(text: str | None, flag: str):
    """A ``--from``/``--to`` period, or a Chinese error naming the option."""
    from yacang.periods import PeriodError, parse_period

    if not text:
        return None
    try:
        return parse_period(text)
    except PeriodError as exc:
        abort(f"{flag} 的时期“{text}”无法识别（{exc}）：应为 YYYY-MM，如 2022-03")
        raise
