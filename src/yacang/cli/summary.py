"""The short terminal summary of ``yacang run``."""

from __future__ import annotations

from yacang.jobs.main_job import RunSummary


def headline_lines(s: RunSummary) -> list[tuple[str, float]]:
    """(label, figure) of the headline growth rates; in 1-2月 the 当月 and 累计 figure are one period, said once."""
    h, p = s.headline, s.period
    merged = p.is_merged_jan_feb
    lines = (("month", f"{p.label_zh(with_year=False)}规上工业增加值同比"),
             ("ytd", f"{p.label_zh(cumulative=True, with_year=False)}" + ("规上工业增加值同比" if merged else "累计同比")),
             ("two_year_ytd", "累计两年平均"))
    return [(label, h[key]) for key, label in lines
            if h.get(key) is not None and not (merged and key == "month" and h.get("ytd") is not None)]


def print_summary(s: RunSummary, seconds: float) -> None:
    from rich.markup import escape

    from yacang.cli.common import console
    from yacang.formatting import fmt

    console.print(f"[bold]yacang run 完成[/]：{escape(s.region_name)} {s.period.label_zh()}（用时 {seconds:.1f} 秒）")
    for line in s.loaded:
        console.print(f"  {line}", highlight=False, markup=False)  # file names are text, not markup
    for label, value in headline_lines(s):
        console.print(f"  {label}：{fmt(value)}%")  # half up, as in the bulletin
    if s.alert_counts:
        console.print(f"  {s.alert_counts}", highlight=False, markup=False)
    console.print(f"  本通报列出预警 {len(s.alerts)} 条（按规则和地区分组，蓝色提示不进通报）" + ("" if not s.alerts else "，例如："))
    for line in s.alerts[:5]:
        console.print(f"    - {line}", highlight=False, markup=False)
    if s.materials:
        console.print("  原材料红黄蓝：" + "；".join(s.materials), highlight=False, markup=False)
    for note in s.notes:
        console.print(f"  注：{note}", markup=False)
    console.print("  通报文件：")
    for f in s.files:
        console.print(f"    {f}", highlight=False, markup=False)
