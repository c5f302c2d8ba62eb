"""Charts of the warnings: the signal-light board and the materials warning timeline (PNG + HTML).

PNGs are drawn with matplotlib using a CJK font (Noto Sans CJK from Debian's fonts-noto-cjk); HTML
pages are self-contained (inline styles and base64 images, nothing from a CDN) for offline use.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from yacang.alerts.lights import ZONE_COLORS, ZONE_MEANING, ZONES, Lights, method_words
from yacang.alerts.materials import LEVEL_NAMES, Assessment
from yacang.assets import pyplot

MATERIAL_COLORS = {1: "#1f6fd1", 2: "#f2c200", 3: "#d62728"}


def _setup() -> None:
    pyplot()  # the CJK font and a real minus sign: the one set-up (yacang.assets)


def _footnote(fig, ax, source: str | None) -> None:
    """The 数据来源 line under the legend, so that a chart passed on alone still says what it was built from."""
    if not source:
        return
    fig.canvas.draw()
    below = (ax.get_legend() or ax).get_window_extent().transformed(fig.transFigure.inverted())
    fig.text(0.01, below.y0 - 0.02, source, ha="left", va="top", fontsize=8, color="#555")


def _png_bytes(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def lights_png(lights: Lights, start: str | None = None, end: str | None = None, title: str = "工业景气预警信号灯",
               source: str | None = None) -> bytes:
    """The signal-light board: one row per indicator plus the composite, one column per month; ``source``
    (the ``数据来源：…`` line) under it."""
    _setup()
    tab = lights.table(start, end)
    comp = lights.composite.loc[lights.composite.index.isin(_months(lights, start, end))]
    rows = [(ind.name, lights.scores[ind.code].reindex(comp.index)) for ind in lights.indicators]
    n_m = len(comp)
    fig, ax = plt.subplots(figsize=(max(8, 0.28 * n_m + 3), 0.55 * (len(rows) + 1) + 1.6))
    for r, (_name, scores) in enumerate(rows):
        for c, sc in enumerate(scores):
            if pd.notna(sc):
                ax.scatter(c, len(rows) - r, s=70, color=ZONE_COLORS[ZONES[int(sc) - 1]], edgecolors="none")
    for c, light in enumerate(comp["light"]):
        if isinstance(light, str):
            ax.scatter(c, 0, s=110, color=ZONE_COLORS[light], edgecolors="black", linewidths=0.5)
    ax.set_yticks(range(len(rows) + 1), ["综合信号灯", *[n for n, _ in rows][::-1]])
    ax.set_xticks(*month_ticks(comp.index), rotation=90, fontsize=8)
    ax.set_xlim(-1, n_m)
    ax.set_ylim(-0.7, len(rows) + 0.7)
    ax.axhline(0.5, color="#999", linewidth=0.6)
    ax.set_title(f"{title}（{tab['月份'].iloc[0]}—{tab['月份'].iloc[-1]}）" if len(tab) else title)
    ax.legend(handles=[Patch(color=ZONE_COLORS[z], label=f"{z}（{ZONE_MEANING[z]}）") for z in ZONES[::-1]],
              loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=5, frameon=False, fontsize=8)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    _footnote(fig, ax, source)
    return _png_bytes(fig)


def month_ticks(months: pd.PeriodIndex, most: int = 24) -> tuple[list[int], list[str]]:
    """Positions and labels (2019年1月, as officials write a month) of at most about ``most`` evenly spaced months."""
    step = max(1, len(months) // most)
    ticks = list(range(0, len(months), step))
    return ticks, [f"{months[i].year}年{months[i].month}月" for i in ticks]


def _months(lights: Lights, start: str | None, end: str | None) -> pd.PeriodIndex:
    idx = lights.composite.index
    tab = lights.table(start, end)
    return idx[(idx >= _first(tab, idx)) & (idx <= _last(tab, idx))]


def _first(tab: pd.DataFrame, idx: pd.PeriodIndex) -> pd.Period:
    return _parse_month(tab["月份"].iloc[0]) if len(tab) else idx.max()


def _last(tab: pd.DataFrame, idx: pd.PeriodIndex) -> pd.Period:
    return _parse_month(tab["月份"].iloc[-1]) if len(tab) else idx.min()


def _parse_month(label: str) -> pd.Period:
    y, m = label.rstrip("月").split("年")
    return pd.Period(year=int(y), month=int(m), freq="M")


def lights_html(lights: Lights, start: str | None = None, end: str | None = None,
                title: str = "工业景气预警信号灯", versions: list | None = None, source: str | None = None) -> str:
    """Self-contained HTML: the board image and the month-by-month table with coloured lights."""
    tab = lights.table(start, end)
    png = base64.b64encode(lights_png(lights, start, end, title, source)).decode()
    light_cols = [c for c in tab.columns if c.endswith("灯")]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in tab.columns)
    body = []
    for _, row in tab.iterrows():
        cells = []
        for c in tab.columns:
            v = row[c]
            if c in light_cols and isinstance(v, str) and v in ZONE_COLORS:
                cells.append(f'<td><span class="dot" style="background:{ZONE_COLORS[v]}"></span>{v}</td>')
            elif isinstance(v, float):
                cells.append(f"<td class='n'>{'' if pd.isna(v) else f'{v:.1f}'}</td>")
            else:
                cells.append(f"<td>{html.escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return _page(title, f'<img alt="{html.escape(title)}" src="data:image/png;base64,{png}">'
                 f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                 f"<p class='note'>{html.escape(method_words(lights.method, versions))}</p>" + _note(source))


def materials_png(assessments: list[Assessment], start: str | None = None, end: str | None = None,
                  title: str = "大宗原材料供给“红黄蓝”预警时间线", source: str | None = None) -> bytes:
    """One row per material, coloured spans where a level (蓝/黄/红) is on; ``source`` under it."""
    _setup()
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(assessments) + 1.8))
    lo = pd.Timestamp(start) if start else None
    hi = pd.Timestamp(end) if end else None
    labels = []
    for r, a in enumerate(assessments):
        y = len(assessments) - 1 - r
        labels.append((y, a.name))
        lv = a.frame["level"] if not a.frame.empty else pd.Series(dtype=int)
        if lo is not None:
            lv = lv[lv.index >= lo]
        if hi is not None:
            lv = lv[lv.index <= hi]
        if lv.empty:
            continue
        ends = [*list(lv.index[1:]), lv.index[-1] + pd.Timedelta(days=1)]
        for (when, level), stop in zip(lv.items(), ends, strict=True):
            if level > 0:
                ax.broken_barh([(mdates.date2num(when), mdates.date2num(stop) - mdates.date2num(when))],
                               (y - 0.35, 0.7), facecolors=MATERIAL_COLORS[int(level)], edgecolor="none")
    ax.set_yticks([y for y, _ in labels], [n for _, n in labels])
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y年"))
    if lo is not None or hi is not None:
        ax.set_xlim(mdates.date2num(lo) if lo is not None else None, mdates.date2num(hi) if hi is not None else None)
    ax.set_ylim(-0.7, len(assessments) - 0.3)
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    ax.set_title(title)
    ax.legend(handles=[Patch(color=MATERIAL_COLORS[k], label=f"{LEVEL_NAMES[k]}色") for k in (1, 2, 3)],
              loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False)
    _footnote(fig, ax, source)
    return _png_bytes(fig)


def materials_html(assessments: list[Assessment], start: str | None = None, end: str | None = None,
                   source: str | None = None) -> str:
    """Self-contained HTML: timeline image and each material's warning episodes."""
    from yacang.alerts.materials import episodes

    png = base64.b64encode(materials_png(assessments, start, end, source=source)).decode()
    parts = [f'<img alt="原材料预警时间线" src="data:image/png;base64,{png}">']
    for a in assessments:
        e = episodes(a.frame["level"]) if not a.frame.empty else pd.DataFrame()
        if start:
            e = e[pd.to_datetime(e["end"]) >= pd.Timestamp(start)] if len(e) else e
        if end:
            e = e[pd.to_datetime(e["start"]) <= pd.Timestamp(end)] if len(e) else e
        rows = "".join(f"<tr><td>{r.start}</td><td>{r.end}</td><td>{r.peak}</td><td>{r.peak_date}</td>"
                       f"<td class='n'>{r.days}</td></tr>" for r in e.itertuples())
        parts.append(f"<h2>{html.escape(a.name)}</h2><table><thead><tr><th>开始</th><th>结束</th><th>最高级别</th>"
                     f"<th>最高级别日期</th><th>天数</th></tr></thead><tbody>{rows or '<tr><td colspan=5>无预警</td></tr>'}"
                     "</tbody></table>")
    return _page("大宗原材料供给“红黄蓝”预警", "".join(parts) + _note(source))


def _note(source: str | None) -> str:
    return f"<p class='note'>{html.escape(source)}</p>" if source else ""


def _page(title: str, body: str) -> str:
    return ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>"
            "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em;color:#222}"
            "img{max-width:100%}table{border-collapse:collapse;margin:1em 0;font-size:13px}"
            "th,td{border:1px solid #ccc;padding:2px 6px}td.n{text-align:right}"
            ".dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:3px}"
            ".note{color:#666;font-size:12px}</style></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>")


def write_chart(content: bytes | str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
