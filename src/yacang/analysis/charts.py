"""Charts (matplotlib PNG with a CJK font) and a self-contained HTML page for the analyses.

The PNGs use Noto Sans CJK (Debian ``fonts-noto-cjk``) when installed, so Chinese labels render;
the HTML embeds them as data URIs and carries no external asset, for offline intranets.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from yacang.assets import pyplot


def _setup():
    return pyplot()  # Agg, the CJK font and a real minus sign: the one set-up (yacang.assets)


def line_chart(
    frame: pd.DataFrame,
    path: Path,
    *,
    title: str,
    ylabel: str = "",
    shade: pd.Series | None = None,
    marks: Sequence[tuple[pd.Period, float, str]] = (),
    hline: float | None = None,
) -> Path:
    """Lines of ``frame`` (PeriodIndex) to a PNG.

    ``shade`` (−1/+1 regime on the same index) greys contractions; ``marks`` are labelled points
    such as turning points (period, value, "峰"/"谷").
    """
    plt = _setup()
    fig, ax = plt.subplots(figsize=(10, 4.2), dpi=110)
    x = frame.index.to_timestamp() if isinstance(frame.index, pd.PeriodIndex) else frame.index
    for col in frame.columns:
        ax.plot(x, frame[col].to_numpy(dtype=float), label=str(col), linewidth=1.3)
    if shade is not None:
        sx = shade.index.to_timestamp()
        ax.fill_between(sx, 0, 1, where=(shade == -1).to_numpy(), color="grey", alpha=0.18,
                        transform=ax.get_xaxis_transform(), label="收缩期")
    for p, v, text in marks:
        ax.annotate(text, (p.to_timestamp(), v), textcoords="offset points", xytext=(0, 6 if text == "峰" else -14),
                    ha="center", fontsize=8, color="firebrick" if text == "峰" else "navy")
        ax.plot([p.to_timestamp()], [v], "o", color="firebrick" if text == "峰" else "navy", markersize=3)
    if hline is not None:
        ax.axhline(hline, color="black", linewidth=0.6)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def html_page(
    path: Path,
    *,
    title: str,
    images: Sequence[Path] = (),
    tables: Sequence[tuple[str, pd.DataFrame]] = (),
    notes: Sequence[str] = (),
) -> Path:
    """A single self-contained HTML file: title, notes, embedded PNGs and tables (one decimal)."""
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em;max-width:1100px}"
        "table{border-collapse:collapse;margin:0.8em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
        "th{background:#f3f3f3}img{max-width:100%}p.note{color:#555}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    parts += [f"<p class='note'>{html.escape(n)}</p>" for n in notes]
    for img in images:
        data = base64.b64encode(Path(img).read_bytes()).decode("ascii")
        parts.append(f"<img alt='{html.escape(Path(img).stem)}' src='data:image/png;base64,{data}'>")
    for caption, df in tables:
        parts.append(f"<h2>{html.escape(caption)}</h2>")
        parts.append(df.to_html(index=False, float_format=lambda v: f"{v:.1f}", na_rep="", border=0))
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
