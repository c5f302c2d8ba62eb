"""``yacang check``: data consistency checks."""

from __future__ import annotations

import pandas as pd
import typer
from rich.markup import escape

from yacang.cli.common import console, open_warehouse, print_frame
from yacang.periods import period_label
from yacang.warehouse.provenance import source_name

app = typer.Typer(no_args_is_help=True)


@app.command("consistency")
def consistency_cmd(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="列出每个不一致的时期"),
) -> None:
    """核对：同一指标两个来源（国家统计局导出 对 Wind）是否一致，累计值是否等于当月值之和。"""
    from yacang.checks.consistency import CROSS_TOLERANCE, YTD_ABS_TOLERANCE, YTD_REL_TOLERANCE
    from yacang.checks.report import Missing, cross_source, ytd_checks

    with open_warehouse() as wh:
        cross = cross_source(wh)
        ytd = ytd_checks(wh)
    console.print(f"[bold]一、不同来源核对[/]（一位小数口径：|差| ≤ {CROSS_TOLERANCE:g} 视为一致）")
    for c in cross:
        if isinstance(c, Missing):
            console.print(f"  [yellow]跳过[/] {c.label}：仓库中缺少 {escape(c.wanted)}，请先用 yacang ingest 导入", highlight=False)
            continue
        _cross_line(c)
        if len(c.mismatches) and (verbose or "PPI" in c.label):
            print_frame(_mismatch_frame(c), f"{c.label}：不一致的时期")
    console.print(f"[bold]二、累计值与当月值之和[/]（|Σ当月−累计| ≤ max({YTD_REL_TOLERANCE:.0%}×累计, {YTD_ABS_TOLERANCE:g}) 视为一致；"
                  "当月缺1-2月时从1-2月累计起算）")
    if not ytd:
        console.print("  [yellow]跳过[/]：仓库中没有同时有当月值和累计值的序列（如出口交货值、利润总额）")
    else:
        print_frame(pd.DataFrame([_ytd_row(c) for c in ytd]), "累计核对")
    if verbose:
        for c in ytd:
            if len(c.mismatches):
                print_frame(_mismatch_frame(c), f"{c.label}：不一致的时期")


def _cross_line(c) -> None:
    bad = len(c.mismatches)
    head = f"  {c.label}：比较 {len(c.table)} 期，[green]一致 {c.n_agree} 期[/]"
    head += f"，[red]不一致 {bad} 期[/]" if bad else "，不一致 0 期"
    if bad:
        first, last = c.mismatches["period"].iloc[0], c.mismatches["period"].iloc[-1]
        head += f"（{period_label(first)} 至 {period_label(last)}）"
    only = []
    if c.only_left:
        shown = "、".join(period_label(p) for p in c.only_left[:6])
        only.append(f"仅{source_name(c.left.split(':')[0])}有 {len(c.only_left)} 期（{shown}{'…' if len(c.only_left) > 6 else ''}）")
    if c.only_right:
        only.append(f"仅{source_name(c.right.split(':')[0])}有 {len(c.only_right)} 期")
    console.print(head + ("；" + "；".join(only) if only else ""), highlight=False)


def _mismatch_frame(c) -> pd.DataFrame:
    m = c.mismatches
    return pd.DataFrame({"时期": [period_label(p) for p in m["period"]], c.left: m["left"].round(2), c.right: m["right"].round(2),
                         "差": m["diff"].round(2)})


def _ytd_row(c) -> dict[str, object]:
    t = c.table
    return {"核对项": c.label, "比较期数": len(t), "一致": int(t["agree"].sum()), "不一致": int((~t["agree"]).sum()),
            "最大差": float(t["diff"].abs().max()) if len(t) else float("nan")}
