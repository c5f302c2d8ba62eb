"""The XLSX 评分表 and the DOCX 结果通报 of a stored evaluation run (read from the warehouse tables)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import xlsxwriter
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from yacang.docx_style import BODY_FONT, HEADING_FONT, TABLE_FONT, TITLE_FONT
from yacang.docx_style import add_paragraph as _para
from yacang.docx_style import set_font as _font
from yacang.evaluation.engine import METHOD_ZH
from yacang.evaluation.explain import basis_lines
from yacang.exports import neutralise
from yacang.formatting import rounded_float

LEVEL_ZH = {"province": "省份", "prefecture": "市（州）", "county": "县（市、区）"}


def _interval(row) -> str:
    if row["rank"] <= 0 or pd.isna(row.get("p05")):
        return ""
    return f"{int(row['p05'])}–{int(row['p95'])}"


def remark_text(row, *, short: bool = False) -> str:
    """The 说明 of a ranking row: veto/exclusion, imputed gaps, how values were obtained (``short``: a ※
    mark whose text :func:`remark_notes` prints once under the table)."""
    parts = [row["status"]] if row["status"] else []
    if row["gaps"]:
        parts.append(f"{int(row['gaps'])} 项缺值已按规则补齐")
    if isinstance(row.get("remark"), str) and row["remark"]:
        parts.append("※" if short else row["remark"])
    return "；".join(parts)


def remark_notes(scores: pd.DataFrame) -> list[str]:
    """One line per distinct remark: "※ regions：remark"."""
    if "remark" not in scores:
        return []
    out = []
    for remark in dict.fromkeys(r for r in scores["remark"] if isinstance(r, str) and r):
        names = "、".join(scores.loc[scores["remark"] == remark, "name"])
        out.append(f"※ {names}：{remark}")
    return out


def ranking_rows(scores: pd.DataFrame, *, short: bool = False) -> list[list]:
    return [[str(int(r["rank"])) if r["rank"] > 0 else "—", r["name"], round(float(r["score"]), 1),
             round(float(r["base"]), 1), round(float(r["bonus"]), 1), _interval(r), remark_text(r, short=short)]
            for _, r in scores.iterrows()]


def _system(run: dict):
    """The run's indicator system, or None when it is no longer on this server (a YAML file used once)."""
    from yacang.evaluation.errors import EvaluationError
    from yacang.evaluation.system import load_system

    try:
        return load_system(run["system"])
    except EvaluationError:
        return None


def _units(run: dict) -> dict[str, str]:
    s = _system(run)
    return {} if s is None else {i.code: i.unit for i in s.indicators}


def _basis(run: dict, scores: pd.DataFrame, items: pd.DataFrame) -> list[str]:
    """How each indicator's 标准化值 comes from its values (the run's notes when the system is not at hand)."""
    s = _system(run)
    if s is None:
        return [n for n in str(run.get("notes") or "").splitlines() if n]
    return basis_lines(s, items, run.get("notes") or "", dict(zip(scores["region"], scores["name"], strict=True)))


def title_of(run: dict) -> str:
    return f"{run['period']}年各{LEVEL_ZH.get(run['level'], '地区')}{run['system_name']}结果"


def write_xlsx(path: Path, run: dict, scores: pd.DataFrame, items: pd.DataFrame) -> Path:
    """评分表: ranking, points per indicator, values per indicator, method and sources."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    head = wb.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True, "align": "center"})
    num = wb.add_format({"num_format": "0.0", "border": 1})
    txt = wb.add_format({"border": 1})
    ws = wb.add_worksheet("评分表")
    ws.write(0, 0, neutralise(title_of(run)) + f"（{METHOD_ZH.get(run['method'], run['method'])}）",
             wb.add_format({"bold": True, "font_size": 14}))
    header = ["名次", "地区", "总得分", "基础得分", "加分", "名次区间(5%–95%)", "说明"]
    ws.write_row(2, 0, header, head)
    for i, row in enumerate(ranking_rows(scores), start=3):
        for j, v in enumerate(row):
            ws.write(i, j, v, num) if isinstance(v, float) else ws.write_string(i, j, neutralise(str(v)), txt)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 5, 12)
    ws.set_column(6, 6, 40)
    ws.write(len(scores) + 4, 0, neutralise(f"数据来源：{run['source']}"))
    order = list(scores["region"])
    names = dict(zip(scores["region"], scores["name"], strict=True))
    units = dict(zip(items["name"], items["indicator"].map(_units(run)), strict=False))
    for sheet, col in (("分项得分", "points"), ("指标数值", "value")):
        pv = items.pivot(index="region", columns="name", values=col).reindex(order)
        cols = list(dict.fromkeys(items["name"]))
        pv = pv[cols]
        w = wb.add_worksheet(sheet)
        heads = [f"{c}（{units[c]}）" if col == "value" and units.get(c) else c for c in cols]
        w.write_row(0, 0, ["地区", *heads], head)
        for i, (code, vals) in enumerate(pv.iterrows(), start=1):
            w.write_string(i, 0, names[code], txt)
            for j, v in enumerate(vals, start=1):  # the figure a reader sees, not the full float
                w.write(i, j, rounded_float(v), num) if pd.notna(v) else w.write_string(i, j, "缺值", txt)
        w.set_column(0, 0, 18)
        w.set_column(1, len(cols), 14)
    notes = wb.add_worksheet("说明")
    weights = json.loads(run.get("weights") or "{}")
    ind_names = dict(zip(items["indicator"], items["name"], strict=False))
    lines = [f"指标体系：{run['system_name']}（{run['system']}）", f"评价方法：{METHOD_ZH.get(run['method'])}",
             f"评价期：{run['period']}年", f"数据来源：{run['source']}",
             "权重：" + "，".join(f"{ind_names.get(k, k)} {v:.1%}" for k, v in weights.items()),
             score_rule(run["method"]) + "；名次区间为权重随机扰动后名次的第 5 至第 95 百分位",
             "标准化依据：", *_basis(run, scores, items)]
    for i, line in enumerate(lines):
        notes.write_string(i, 0, neutralise(line))
    notes.set_column(0, 0, 120)
    wb.close()
    return path


SCORE_RULES = {
    "wsum": "得分 = 100 × 权重 × 标准化值（逐项得分之和）",
    "topsis": ("TOPSIS 得分 = 100 × 与负理想解的加权距离 ÷（与理想解的加权距离 + 与负理想解的加权距离），"
               "逐项得分（100 × 权重 × 标准化值）只说明各指标的贡献，其和不等于总得分"),
    "vikor": ("VIKOR 得分 = 100 × (1 − Q)，Q 为群体效用与个体遗憾的折衷值（v = 0.5），"
              "逐项得分（100 × 权重 × 标准化值）只说明各指标的贡献，其和不等于总得分"),
}


def score_rule(method: str) -> str:
    """How a run's total score is obtained, in words (the sum of the items for 加权综合 only)."""
    return SCORE_RULES.get(method, SCORE_RULES["wsum"])


def write_docx(path: Path, run: dict, scores: pd.DataFrame, items: pd.DataFrame) -> Path:
    """结果通报 (公文 style): summary, the ranking table, method and sources."""
    path = Path(path)
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(26)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    _para(doc, f"关于{title_of(run)}的通报", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    ranked = scores[scores["rank"] > 0]
    top = "、".join(ranked.head(5)["name"])
    vetoed = scores[scores["status"].str.startswith("一票否决")]
    _para(doc, "一、总体情况", HEADING_FONT, 16)
    text = (f"按照《{run['system_name']}》指标体系，采用{METHOD_ZH.get(run['method'])}，对{len(scores)}个"
            f"{LEVEL_ZH.get(run['level'], '地区')}{run['period']}年情况进行了评价，{len(ranked)}个参加排名。"
            f"综合得分居前的是：{top}。")
    if not vetoed.empty:
        text += f"{'、'.join(vetoed['name'])}因一票否决事项不参加排名。"
    _para(doc, text, BODY_FONT, 16, indent=True)
    _para(doc, "二、评价结果", HEADING_FONT, 16)
    rows = ranking_rows(scores, short=True)
    table = doc.add_table(rows=1 + len(rows), cols=5)
    table.style = "Table Grid"
    for j, h in enumerate(["名次", "地区", "总得分", "名次区间", "说明"]):
        cell = table.rows[0].cells[j]
        cell.text = ""
        _font(cell.paragraphs[0].add_run(h), HEADING_FONT, 10.5, bold=True)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate([r[0], r[1], f"{r[2]:.1f}", r[5], r[6]]):
            cell = table.rows[i].cells[j]
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(v)), TABLE_FONT, 10.5)
    for note in remark_notes(scores):
        _para(doc, note, BODY_FONT, 12)
    _para(doc, "三、说明", HEADING_FONT, 16)
    _para(doc, score_rule(run["method"]) + "，加分项另计（封顶）；名次区间为各权重随机扰动后名次的第 5 至第 95 百分位，"
               "区间越窄排名越稳定。缺值按指标体系规定补齐并在评分表中逐项列明，不按零计。", BODY_FONT, 16, indent=True)
    for n in _basis(run, scores, items):
        _para(doc, n, BODY_FONT, 14, indent=True)
    _para(doc, f"数据来源：{run['source']}。", BODY_FONT, 14, indent=True)
    doc.save(str(path))
    return path
