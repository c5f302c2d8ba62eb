"""HTML bulletin: one self-contained file (ECharts, map boundaries and fallback images inlined).

For the 政务内网 nothing is fetched from the network: ECharts is read from npm's ``node_modules`` and
inlined; charts also exist as PNG data URIs, shown when ECharts is absent (with a notice) or when
printing. The same template, in static mode, is what WeasyPrint turns into the PDF.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from yacang.assets import echarts_js
from yacang.formatting import date_zh
from yacang.report import charts as ch
from yacang.report.format import format_cell, is_numeric, light_color
from yacang.report.model import Bulletin, Table

SUBHEAD = re.compile(r"^（[一二三四五六七八九十]+）")
KEEP_ROWS = 18  # a table this short is kept whole on one page with its title
NO_ECHARTS = "未找到本地 ECharts 库（请在项目根目录运行 npm install），交互图表不可用，以下图表以静态图片显示。"


@cache
def _env() -> Environment:
    return Environment(autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


@cache
def _compiled(text: str):
    """The template compiled once per text (HTML and PDF render the same one)."""
    return _env().from_string(text)


def _template_text(name: str) -> str:
    return resources.files("yacang.report").joinpath("templates").joinpath(name).read_text("utf-8")


def text_width(text: str) -> float:
    """Width in body characters: full-width 1, half-width ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def signature_indents(issuer: str, date: str) -> tuple[float, float]:
    """Right indents (characters) of the 发文机关署名 and the 成文日期 without a seal (GB/T 9704 §7.3.5.2):
    署名 右空二字, the date's first character two right of the 署名's; a longer date is 右空二字 and
    the 署名 moves left to keep the two-character offset."""
    wi, wd = text_width(issuer), text_width(date)
    if wd + 2 <= wi:
        return 2.0, 2.0 + (wi - 2 - wd)
    return 2.0 + wd + 2 - wi, 2.0


def subheading_split(text: str) -> tuple[str, str]:
    """A paragraph opening with "（一）": its heading sentence (楷体) and the rest; ('', text) otherwise."""
    if not SUBHEAD.match(text):
        return "", text
    end = text.find("。")
    return (text[: end + 1], text[end + 1:]) if 0 < end < 40 else (text, "")


def para_html(text: str) -> Markup:
    head, rest = subheading_split(text)
    return (Markup('<span class="kai">') + head + Markup("</span>") if head else Markup("")) + escape(rest)


def table_html(t: Table) -> Markup:
    """A table with caption, unit-bearing headers, right-aligned numbers and coloured lights."""
    out = [f'<table class="data" id="table-{escape(t.id)}"><caption>{escape(t.title)}</caption><thead><tr>']
    out += [f"<th>{escape(c.header)}</th>" for c in t.columns]
    out.append("</tr></thead><tbody>")
    for row in t.rows:
        out.append("<tr>")
        for c in t.columns:
            v = row.get(c.key)
            text = escape(format_cell(v, c))
            if c.fmt == "light" and light_color(v):
                text = Markup(f'<span class="light" style="background:{light_color(v)}"></span>') + text
            if is_numeric(c):
                out.append(f'<td class="num">{text}</td>')
            else:  # a light and its word, or a short state ("严重滞后"), stay on one line
                short = c.fmt == "light" or len(str(format_cell(v, c))) <= 4
                out.append(f'<td class="short">{text}</td>' if short else f"<td>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    out += [f'<p class="note">注：{escape(n)}</p>' for n in t.notes]
    return Markup("".join(out))


def _png_data_uris(b: Bulletin, pngs: dict[str, bytes] | None = None) -> dict[str, str]:
    """Data URIs of the charts' PNGs (``pngs`` from :func:`~yacang.report.charts.png_images`, drawn when None)."""
    pngs = pngs if pngs is not None else ch.png_images(b.all_charts())
    return {cid: "data:image/png;base64," + base64.b64encode(data).decode("ascii") for cid, data in pngs.items()}


def _script_json(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def html_string(b: Bulletin, *, static: bool = False, images: dict[str, str] | None = None) -> str:
    """The bulletin as HTML text. ``static``: images only (for print/PDF)."""
    js = None if static else echarts_js()
    notice = NO_ECHARTS if (not static and js is None and b.all_charts()) else ""
    images = images if images is not None else _png_data_uris(b)
    options, maps, heights = [], {}, {}
    for c in b.all_charts():
        opt, geo = ch.echarts_option(c)
        if geo is not None:
            maps[opt["series"][0]["map"]] = geo
        options.append({"id": c.id, "option": opt})
        n = len(c.data.get("categories", []))
        heights[c.id] = 560 if c.kind == "map" else (max(320, 16 * n + 120) if c.data.get("horizontal") else 340)
    tpl = _compiled(_template_text("bulletin.html"))
    return tpl.render(
        b=b, css=Markup(_template_text("bulletin.css")), issue_date=date_zh(b.issue_date), notice=notice,
        echarts_js=Markup(js.replace("</script", "<\\/script")) if js else None, images=images,
        charts_json=Markup(_script_json(options)), maps_json=Markup(_script_json(maps)), heights=heights,
        table_html=table_html, para_html=para_html, keep_rows=KEEP_ROWS,
        sig_right=signature_indents(b.issuer, date_zh(b.issue_date)))


def render_html(b: Bulletin, path: Path, *, images: dict[str, str] | None = None) -> Path:
    path.write_text(html_string(b, images=images), "utf-8")
    return path
