"""``yacang alerts run|list|silence|ack``, ``yacang materials`` and ``yacang lights``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import typer

from yacang.cli.common import abort, console, open_warehouse, print_frame

alerts_app = typer.Typer(help="苗头性问题预警：运行规则、查看、静默、确认", no_args_is_help=True)

STATE_ZH = {"pending": "待定", "firing": "告警", "resolved": "已解除", "inactive": "正常"}


@alerts_app.command("run")
def run_cmd(
    period: str = typer.Option(..., "--period", help="评估到的月份，如 2022-03"),
    rules: Path | None = typer.Option(None, "--rules", help="规则文件（默认内置“苗头性问题”规则包）"),
    region: str | None = typer.Option(None, "--region", help="只显示此地区及其下级的预警"),
) -> None:
    """按规则评估到指定月份，保存预警历史，列出本期正在告警（未静默）的预警。"""
    from yacang.alerts.rules import RuleError
    from yacang.alerts.run import evaluate_alerts
    from yacang.periods import parse_period

    wh = open_warehouse()
    try:
        rows = evaluate_alerts(wh, parse_period(period), rules)
    except RuleError as exc:
        abort(str(exc))
    finally:
        wh.close()
    if region and not rows.empty:
        rows = rows[rows["key"].astype(str).str.startswith(region.rstrip("0")) |
                    rows["parent"].astype(str).str.startswith(region.rstrip("0"))]
    if rows.empty:
        console.print(f"{period}：没有正在告警的预警。")
        return
    console.print(f"[bold]{period} 正在告警的预警（{len(rows)} 条）[/]")
    order = {"红": 0, "橙": 1, "黄": 2, "蓝": 3}
    rows = rows.assign(_o=rows["severity"].map(order).fillna(9)).sort_values(["_o", "rule_id", "key"])
    for r in rows.head(200).itertuples(index=False):
        console.print(f"  [{r.severity}] {r.rule_name}：{r.message}", highlight=False, markup=False)
    if len(rows) > 200:
        console.print(f"  …另有 {len(rows) - 200} 条，用 yacang alerts list 查看")


@alerts_app.command("list")
def list_cmd(
    period: str | None = typer.Option(None, "--period", help="月份，如 2022-03"),
    state: str = typer.Option("firing", "--state", help="firing / pending / resolved / all"),
    rule: str | None = typer.Option(None, "--rule", help="规则ID"),
) -> None:
    """查看保存的预警历史（含已静默、已屏蔽的记录）。"""
    from yacang.alerts.store import load_history

    wh = open_warehouse()
    try:
        df = load_history(wh, period=period, state=None if state == "all" else state, rule_id=rule)
    finally:
        wh.close()
    if df.empty:
        console.print("没有符合条件的预警记录。先运行 yacang alerts run --period 2022-03。")
        return
    console.print(f"[bold]预警记录（{len(df)} 条）[/]")
    for r in df.head(300).itertuples(index=False):
        marks = "".join(m for m, on in (("，已静默", r.silenced), ("，已屏蔽", r.muted)) if bool(on))
        text = r.message if isinstance(r.message, str) and r.message else f"{r.key}"
        console.print(f"  {r.period} [{r.severity}] {r.rule_name}（{STATE_ZH.get(r.state, r.state)}{marks}）："
                      f"{text}  指纹 {r.fingerprint}", highlight=False, markup=False)


@alerts_app.command("silence")
def silence_cmd(
    match: list[str] = typer.Option(..., "--match", "-m", help="匹配条件，如 key=440000、rule_id=target_gap（可多个）"),
    reason: str = typer.Option(..., "--reason", help="静默原因（必填）"),
    author: str = typer.Option(..., "--author", help="操作人"),
    hours: float = typer.Option(24 * 30, "--hours", help="静默时长（小时，默认30天）"),
) -> None:
    """静默匹配的预警：仍然记录，但不再通报；到期自动恢复。"""
    from yacang.alerts.silences import Silence, SilenceError, parse_matchers
    from yacang.alerts.store import add_silence

    try:
        s = Silence(matchers=parse_matchers(match), author=author, reason=reason,
                    expires_at=dt.datetime.now().replace(microsecond=0) + dt.timedelta(hours=hours))
    except SilenceError as exc:
        abort(str(exc))
    wh = open_warehouse()
    try:
        sid = add_silence(wh, s)
    finally:
        wh.close()
    console.print(f"已静默（编号 {sid}）：{'，'.join(match)}，至 {s.expires_at:%Y-%m-%d %H:%M}；原因：{reason}")


@alerts_app.command("ack")
def ack_cmd(
    fingerprint: str = typer.Argument(..., help="预警指纹（yacang alerts list 中的“指纹”列）"),
    author: str = typer.Option(..., "--author", help="确认人"),
    comment: str = typer.Option("", "--comment", help="处理说明"),
) -> None:
    """确认一条预警（记录确认人和说明）。"""
    from yacang.alerts.store import add_ack

    wh = open_warehouse()
    try:
        add_ack(wh, fingerprint, author, comment)
    finally:
        wh.close()
    console.print(f"已确认预警 {fingerprint}（{author}）")


@alerts_app.command("capacity")
def capacity_cmd(month: str | None = typer.Option(None, "--month", help="月份，如 2023-06（默认最新）")) -> None:
    """产能预警：各行业/产品产能利用率所处区间（低于70%红、70–75%黄、75–85%合理，可配置）。"""
    from yacang.alerts.capacity import assess_capacity_warehouse

    wh = open_warehouse(read_only=True)
    try:
        found = assess_capacity_warehouse(wh)
    finally:
        wh.close()
    if not found:
        console.print("仓库中没有开工率或产能利用率序列。先导入高频数据（high_frequency_supply_prices）。")
        return
    rows = []
    for df in found.values():
        sel = df.loc[:pd.Period(month, "M")] if month else df
        if sel.empty:
            continue
        last = sel.iloc[-1]
        rows.append((df.attrs["name"], str(sel.index[-1]), round(float(last["utilisation"]), 1), last["band"]))
    print_frame(pd.DataFrame(rows, columns=["行业/产品", "月份", "利用率(%)", "区间"]), "产能预警")


def materials_cmd(
    date: str | None = typer.Option(None, "--date", help="评估日期，如 2021-10-20（默认最新）"),
    chart: Path | None = typer.Option(None, "--chart", help="输出预警时间线图（.png 或 .html）"),
    start: str | None = typer.Option(None, "--from", help="时间线起始日期（默认截止日前5年）"),
) -> None:
    """大宗原材料供给“红黄蓝”预警：各材料当前等级与触发原因。"""
    from yacang.alerts.materials import assess_warehouse

    wh = open_warehouse(read_only=True)
    try:
        found = assess_warehouse(wh)
    finally:
        wh.close()
    if not found:
        console.print("仓库中没有原材料价格或开工率序列。先导入高频数据，例如 yacang ingest …/high_frequency_supply_prices/observations.csv")
        return
    rows = []
    for a in found:
        r = a.at(date)
        rows.append((a.name, "" if r is None else str(r.get("level_name", "")), "" if r is None else str(r.get("reason", "") or ""),
                     "" if r is None else str(r.name.date())))
    print_frame(pd.DataFrame(rows, columns=["材料", "等级", "原因", "数据日期"]), f"红黄蓝预警（{date or '最新'}）")
    if chart is not None:
        from yacang.alerts.charts import materials_html, materials_png, write_chart

        end = pd.Timestamp(date) if date else max(a.frame.index.max() for a in found if not a.frame.empty)
        start = start or str((end - pd.DateOffset(years=5)).date())  # World Bank prices go back to 1960
        content = (materials_html(found, start=start, end=date) if chart.suffix == ".html"
                   else materials_png(found, start=start, end=date))
        console.print(f"时间线图：{write_chart(content, chart)}")


def lights_cmd(
    start: str | None = typer.Option(None, "--from", help="起始月份，如 2019-01"),
    end: str | None = typer.Option(None, "--to", help="截止月份，如 2022-12"),
    region: str = typer.Option("100000", "--region", help="地区代码"),
    chart: Path | None = typer.Option(None, "--chart", help="输出信号灯图（.png 或 .html）"),
) -> None:
    """景气预警信号灯：各指标五区（红/黄/绿/浅蓝/蓝）与综合灯。"""
    from yacang.alerts.lights import LightsError, lights_from_warehouse

    wh = open_warehouse(read_only=True)
    try:
        lights = lights_from_warehouse(wh, region)
    except LightsError as exc:
        abort(str(exc))
    finally:
        wh.close()
    table = lights.table(start, end)
    compact = table[["月份", *(c for c in table.columns if c.endswith("灯") and c != "信号灯"), "总分", "信号灯"]]
    print_frame(compact.rename(columns=lambda c: c.removesuffix("灯") if c != "信号灯" else c),
                "景气预警信号灯（各指标分区与综合灯）", max_rows=400)
    if chart is not None:
        from yacang.alerts.charts import lights_html, lights_png, write_chart

        content = lights_html(lights, start, end) if chart.suffix == ".html" else lights_png(lights, start, end)
        console.print(f"信号灯图：{write_chart(content, chart)}")


def register(app: typer.Typer) -> None:
    """Add ``alerts``, ``materials`` and ``lights`` to the main app."""
    app.add_typer(alerts_app, name="alerts")
    app.command("materials")(materials_cmd)
    app.command("lights")(lights_cmd)
