"""The one-page 一链一策 report (HTML; PDF through WeasyPrint; DOCX), from :func:`yacang.chains.brief.brief`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from yacang.chains.brief import brief, region_label, segment_svg
from yacang.chains.losses import Losses
from yacang.chains.materials import segment_materials_zh

TEMPLATES = Path(__file__).with_name("templates")


def _fmt(v: float | None, spec: str = ".1f", suffix: str = "") -> str:
    import math

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v:{spec}}{suffix}"


def lost_text(s: dict) -> str:
    """A scenario's loss as :meth:`Losses.text` words it (``s`` has affected, output_lost, unknown)."""
    return Losses(s["affected"], s["output_lost"], s.get("unknown", 0)).text()


def context(b: dict, *, scope_label: str = "全部地区", today: dt.date | None = None) -> dict:
    """Template values: numbers formatted to one decimal in 万元, %, as officials read them."""
    from yacang.periods import parse_period

    c = b["chain"]
    seg_names = {s.code: s.name for s in c.segments}
    names = b["names"]
    from yacang.catalog.regions import RegionCatalog

    rc = RegionCatalog.load()
    leaders = []
    for r in b["leaders"].itertuples():
        period = getattr(r, "period", None)
        yoy = getattr(r, "yoy", None)
        leaders.append({"name": r.name, "role": r.role, "segment_name": seg_names.get(r.segment, r.segment),
                        "region": region_label(r.region, rc), "period_label": parse_period(period).label_zh() if isinstance(period, str) else "—",
                        "output": _fmt(getattr(r, "output_value", None), ",.1f"),
                        "yoy": "—" if yoy is None or yoy != yoy else (f"增长{yoy:.1f}%" if yoy >= 0 else f"下降{-yoy:.1f}%")})
    single = [{"supplier": names.get(r.supplier, r.supplier), "customer": names.get(r.customer, r.customer),
               "share": f"{r.share * 100:.1f}%", "sub": f"{r.substitutability * 100:.1f}%", "inv": f"{r.inventory_days:.1f}",
               "other": "是" if str(r.supplier_region)[:2] != str(r.customer_region)[:2] else "否"}
              for r in b["single_source"].head(6).itertuples()]
    dep = b["dependence"]
    dep_rows = [] if dep.empty else [{"name": r.name, "pct": f"{r.other_province * 100:.1f}%"}
                                     for r in dep[dep["other_province"] > 0].head(5).itertuples()]
    flags = [{"material_name": f.material_name, "level": f.level, "segments": f.segments, "share_pct": f"{f.share * 100:.0f}%"}
             for f in b["material_flags"].itertuples()]
    scen = [{**s, "lost": lost_text(s)} for s in b["scenarios"]]
    return {"b": b, "c": c, "svg": segment_svg(c), "leaders": leaders, "single": single, "doms": b["dominators"],
            "dep": dep_rows, "flags": flags, "appeals": b.get("appeals", []), "whitelist": b.get("whitelist", []),
            "scenarios": scen, "scope_label": scope_label, "today": (today or dt.date.today()).isoformat()}


def render_html(b: dict, **kw) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("chain_report.html").render(**context(b, **kw))


def write_docx(b: dict, path: Path, **kw) -> Path:
    """The same content as DOCX (公文 fonts of the bulletin, with Noto CJK fall-backs); the diagram as a table."""
    from docx import Document
    from docx.shared import Mm

    from yacang.docx_style import BODY_FONT, HEADING_FONT, TABLE_FONT, TITLE_FONT
    from yacang.docx_style import add_paragraph as _para
    from yacang.docx_style import set_font as _font

    ctx = context(b, **kw)
    c = ctx["c"]
    doc = Document()
    sec = doc.sections[0]
    sec.top_margin = sec.bottom_margin = Mm(15)
    sec.left_margin = sec.right_margin = Mm(15)
    _para(doc, f"一链一策：{c.name}产业链", TITLE_FONT, 18, space_after=4)
    _para(doc, f"数据来源：{b['data_source']}；范围：{ctx['scope_label']}；编制日期：{ctx['today']}。{c.description}",
          BODY_FONT, 10)

    def table(headers: list[str], rows: list[list[str]]) -> None:
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, headers, strict=True):
            _font(cell.paragraphs[0].add_run(h), TABLE_FONT, 9, bold=True)
        for r in rows:
            cells = t.add_row().cells
            for cell, v in zip(cells, r, strict=True):
                _font(cell.paragraphs[0].add_run(str(v)), TABLE_FONT, 9)

    _para(doc, "一、产业链图谱", HEADING_FONT, 12, space_after=2)
    table(["链位", "环节", "行业小类", "上游环节", "原材料（占投入成本）"],
          [[s.stage, s.name, "、".join(s.industries), "、".join(c.segment(i).name for i in s.inputs),
            segment_materials_zh(s.materials)] for s in c.segments])
    _para(doc, "二、链主与关键节点（最新月份工业总产值同比，同口径、现价）", HEADING_FONT, 12, space_after=2)
    table(["企业", "角色", "环节", "月份", "当月产值（万元）", "同比"],
          [[r["name"], r["role"], r["segment_name"], r["period_label"], r["output"], r["yoy"]] for r in ctx["leaders"][:8]])
    _para(doc, "三、原材料预警（红黄蓝）", HEADING_FONT, 12, space_after=2)
    flags = ctx["flags"]
    _para(doc, "；".join(f"{f['material_name']}{f['level']}色预警，涉及{f['segments']}" for f in flags) if flags
          else "本链投入品目前无黄色及以上预警。", BODY_FONT, 10)
    _para(doc, f"预警依据（数据仓库中各原材料的最新数据）：{b['material_basis']}", BODY_FONT, 9)
    _para(doc, "四、堵点卡点（单一来源依赖）", HEADING_FONT, 12, space_after=2)
    table(["供应商", "客户", "供货占比", "可替代程度", "库存天数", "外省"],
          [[r["supplier"], r["customer"], r["share"], r["sub"], r["inv"], r["other"]] for r in ctx["single"]])
    _para(doc, "五、最近情景推演", HEADING_FONT, 12, space_after=2)
    table(["情景", "本链受影响企业", "本链产值损失（万元）", "数据"],
          [[s["name"], s["affected"], s["lost"], s["data_source"]] for s in ctx["scenarios"]])
    doc.save(path)
    return path


def write_report(wh, chain: str, out_dir: Path, *, formats: tuple[str, ...] = ("html",), region_prefix: str = "",
                 session=None, scope_label: str = "全部地区", on: dt.date | None = None) -> list[Path]:
    """Write ``一链一策_<chain>.html`` (and ``.pdf``) into ``out_dir``; returns the paths."""
    from yacang.chains.brief import dispatch_items

    b = brief(wh, chain, region_prefix=region_prefix, session=session, on=on)
    b["appeals"], b["whitelist"] = dispatch_items(session, sorted(b["members"]["uscc"].unique()))
    html = render_html(b, scope_label=scope_label)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    stem = f"一链一策_{b['chain'].name}"
    if "html" in formats:
        p = out_dir / f"{stem}.html"
        p.write_text(html, encoding="utf-8")
        paths.append(p)
    if "pdf" in formats:
        import logging

        from weasyprint import HTML

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        p = out_dir / f"{stem}.pdf"
        HTML(string=html).write_pdf(p)
        paths.append(p)
    if "docx" in formats:
        paths.append(write_docx(b, out_dir / f"{stem}.docx", scope_label=scope_label))
    return paths
