"""The one-page 一链一策 report (HTML; PDF through WeasyPrint), from :func:`yacang.chains.brief.brief`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from yacang.chains.brief import brief, segment_svg

TEMPLATES = Path(__file__).with_name("templates")


def _fmt(v: float | None, spec: str = ".1f", suffix: str = "") -> str:
    import math

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v:{spec}}{suffix}"


def context(b: dict, *, scope_label: str = "全部地区", today: dt.date | None = None) -> dict:
    """Template values: numbers formatted to one decimal in 万元, %, as officials read them."""
    from yacang.periods import parse_period

    c = b["chain"]
    seg_names = {s.code: s.name for s in c.segments}
    names = b["names"]
    leaders = []
    for r in b["leaders"].itertuples():
        period = getattr(r, "period", None)
        yoy = getattr(r, "yoy", None)
        leaders.append({"name": r.name, "role": r.role, "segment_name": seg_names.get(r.segment, r.segment),
                        "region": r.region, "period_label": parse_period(period).label_zh() if isinstance(period, str) else "—",
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
    scen = [{**s, "lost": f"{s['output_lost']:,.1f}"} for s in b["scenarios"]]
    return {"b": b, "c": c, "svg": segment_svg(c), "leaders": leaders, "single": single, "doms": b["dominators"],
            "dep": dep_rows, "flags": flags, "appeals": b.get("appeals", []), "whitelist": b.get("whitelist", []),
            "scenarios": scen, "scope_label": scope_label, "today": (today or dt.date.today()).isoformat()}


def render_html(b: dict, **kw) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("chain_report.html").render(**context(b, **kw))


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
    return paths
