"""Chain maps: a chain is a graph of segments (上游/中游/下游 → 环节 → products) mapped to GB/T 4754-2017
classes and to the raw materials of the 红黄蓝 warning (:mod:`yacang.alerts.materials`).

Shipped maps are YAML files under ``chains/maps/``; users import their own as YAML (same layout) or XLSX
(one row per segment, columns :data:`XLSX_COLUMNS`). Every problem is reported with the file, the line
(YAML) or row (XLSX), the field and what to do; a map with any problem is refused as a whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import yaml

from yacang.chains.errors import RowError, fail

MAPS_DIR = Path(__file__).with_name("maps")
STAGES = ("上游", "中游", "下游")
ROLES = ("链主", "关键节点", "配套")
DEFAULT_MATERIAL_SHARE = 0.2
XLSX_COLUMNS = {
    "产业链代码": "chain", "产业链名称": "chain_name", "环节代码": "code", "环节名称": "name", "链位": "stage",
    "上游环节": "inputs", "行业代码": "industries", "原材料": "materials", "产品": "products",
}


@dataclass(frozen=True)
class Segment:
    code: str
    name: str
    stage: str  # 上游 / 中游 / 下游
    industries: tuple[str, ...]  # GB/T 4754-2017 classes (4 digits) or divisions (2 digits)
    inputs: tuple[str, ...] = ()  # codes of the segments that supply this one
    materials: dict[str, float] = field(default_factory=dict)  # 红黄蓝 material code -> share of input cost
    products: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChainMap:
    code: str
    name: str
    segments: tuple[Segment, ...]
    description: str = ""
    sources: tuple[str, ...] = ()
    source_file: str = ""
    sha256: str = ""

    def segment(self, code: str) -> Segment:
        for s in self.segments:
            if s.code == code:
                return s
        raise KeyError(code)

    @property
    def materials(self) -> dict[str, list[str]]:
        """Material code -> the segments that use it."""
        out: dict[str, list[str]] = {}
        for s in self.segments:
            for m in s.materials:
                out.setdefault(m, []).append(s.code)
        return out

    def graph(self) -> nx.DiGraph:
        """Segment graph, edges input → user."""
        g = nx.DiGraph()
        g.add_nodes_from(s.code for s in self.segments)
        g.add_edges_from((i, s.code) for s in self.segments for i in s.inputs)
        return g


# validation -------------------------------------------------------------------------------------------
class _Checker:
    """Collects located errors while reading one file."""

    def __init__(self, file: str, known_classes: set[str] | None, known_materials: set[str]) -> None:
        self.file = file
        self.errors: list[RowError] = []
        self.known_classes = known_classes
        self.known_materials = known_materials
        self.cols: dict[str, str] = {}  # field -> column header (XLSX)
        self.input_rows: dict[str, int] = {}  # segment code -> line of its inputs (YAML)

    def add(self, row: int, column: str, value: object, reason: str) -> None:
        self.errors.append(RowError(self.file, row, column, "" if value is None else str(value), reason))

    def industry(self, row: int, column: str, code: str) -> None:
        from yacang.catalog.industries import division_codes

        ok_shape = code.isdigit() and len(code) in (2, 4) and code[:2] in set(division_codes())
        if not ok_shape:
            self.add(row, column, code, "未知的行业代码：应为 GB/T 4754-2017 工业大类（2位，06–46）或小类（4位），如 3841")
        elif len(code) == 4 and self.known_classes is not None and code not in self.known_classes:
            self.add(row, column, code, "GB/T 4754-2017 中没有这个小类，请核对行业代码（可用 yacang catalog industries 查看）")

    def material(self, row: int, column: str, code: str, share: object) -> float | None:
        if code not in self.known_materials:
            self.add(row, column, code, f"未知的原材料代码，可用：{'、'.join(sorted(self.known_materials))}"
                     "（见 yacang/alerts/materials.yaml）")
            return None
        try:
            v = float(share)
        except (TypeError, ValueError):
            self.add(row, column, share, f"原材料 {code} 的占比应为数字（0–1）")
            return None
        if not (0 < v <= 1):
            self.add(row, column, share, f"原材料 {code} 的占比应大于0且不超过1（投入成本中的份额）")
            return None
        return v


def _known_materials() -> set[str]:
    from yacang.alerts.materials import load_materials_config

    return set(load_materials_config().materials)


def _known_classes() -> set[str] | None:
    """4-digit classes from the imported GB/T 4754-2017 list, or None if none was imported."""
    from yacang.catalog.industries import IndustryCatalog

    cat = IndustryCatalog.load()
    classes = {i.code for i in cat.by_level("class")}
    return classes or None


def _split(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, list | tuple):
        return [str(x).strip() for x in v if str(x).strip()]
    text = str(v).replace("，", ",").replace("、", ",").replace("；", ",").replace(";", ",")
    return [x.strip() for x in text.split(",") if x.strip()]


def _check_graph(ck: _Checker, segs: list[tuple[int, Segment]]) -> None:
    codes = {s.code for _, s in segs}
    rows = {s.code: ck.input_rows.get(s.code, r) for r, s in segs}
    g = nx.DiGraph()
    g.add_nodes_from(s.code for _, s in segs)  # in file order: the reported cycle does not depend on hashing
    for _, s in segs:
        r = rows[s.code]
        for i in s.inputs:
            if i not in codes:
                ck.add(r, ck.cols.get("inputs", "inputs"), i, f"上游环节 {i} 不在本产业链中，请先定义该环节或改正代码")
            elif i == s.code:
                ck.add(r, ck.cols.get("inputs", "inputs"), i, "环节不能以自己为上游")
            else:
                g.add_edge(i, s.code)
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return
    path = " → ".join([a for a, _ in cycle] + [cycle[0][0]])
    first = min(cycle, key=lambda e: rows[e[1]])[1]
    ck.add(rows[first], ck.cols.get("inputs", "inputs"), path, f"环节之间构成循环（{path}），产业链环节图应无环：请删去其中一条上游关系")


def _segment(ck: _Checker, row: int, raw: dict, cols: dict[str, str], lines: dict[str, int] | None = None
             ) -> Segment | None:
    def col(k: str) -> str:
        return cols.get(k, k)

    def at(k: str) -> int:  # the field's own line in YAML, the row in XLSX
        return (lines or {}).get(k, row)

    code = str(raw.get("code") or "").strip()
    name = str(raw.get("name") or "").strip()
    stage = str(raw.get("stage") or "").strip()
    if not code:
        ck.add(at("code"), col("code"), "", "缺少环节代码")
    if not name:
        ck.add(at("name"), col("name"), "", "缺少环节名称")
    if stage not in STAGES:
        ck.add(at("stage"), col("stage"), stage, f"链位应为 {'/'.join(STAGES)}")
    industries = _split(raw.get("industries"))
    if not industries:
        ck.add(at("industries"), col("industries"), "", "至少填写一个 GB/T 4754-2017 行业代码")
    for c in industries:
        ck.industry(at("industries"), col("industries"), c)
    mats_raw = raw.get("materials") or {}
    if isinstance(mats_raw, str):  # XLSX: "lithium_carbonate:0.4, copper"
        pairs = [p.partition(":")[::2] if ":" in p else p.partition("：")[::2] for p in _split(mats_raw)]
        mats_raw = {k.strip(): (v.strip() or DEFAULT_MATERIAL_SHARE) for k, v in pairs}
    elif isinstance(mats_raw, list):
        mats_raw = {str(k): DEFAULT_MATERIAL_SHARE for k in mats_raw}
    if not isinstance(mats_raw, dict):
        ck.add(at("materials"), col("materials"), mats_raw, "原材料应写成“代码: 占比”的映射")
        mats_raw = {}
    materials = {}
    for k, v in mats_raw.items():
        share = ck.material(at("materials"), col("materials"), str(k), v)
        if share is not None:
            materials[str(k)] = share
    if not code:
        return None
    return Segment(code, name, stage, tuple(industries), tuple(_split(raw.get("inputs"))), materials,
                   tuple(_split(raw.get("products"))))


def _build(ck: _Checker, code: str, name: str, segs: list[tuple[int, Segment]], *, description: str = "",
           sources: tuple[str, ...] = (), sha: str = "") -> ChainMap:
    seen: dict[str, int] = {}
    for r, s in segs:
        if s.code in seen:
            ck.add(r, ck.cols.get("code", "code"), s.code, f"环节代码重复（第{seen[s.code]}行已有），每个环节代码在一条产业链中只能出现一次")
        seen.setdefault(s.code, r)
    _check_graph(ck, segs)
    return ChainMap(code, name, tuple(s for _, s in segs), description, sources, ck.file, sha)


# YAML ------------------------------------------------------------------------------------------------
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: the same documents, ~10× faster


def _line_numbers(text: str) -> tuple[dict[str, int], list[dict[str, int]]]:
    """Lines (1-based) of the top-level keys and, per item of ``segments``, of the item ('') and its fields."""
    node = yaml.compose(text, Loader=_LOADER)
    top: dict[str, int] = {}
    items: list[dict[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            top[str(k.value)] = k.start_mark.line + 1
            if k.value == "segments" and isinstance(v, yaml.SequenceNode):
                for x in v.value:
                    lines = {"": x.start_mark.line + 1}
                    if isinstance(x, yaml.MappingNode):
                        lines |= {str(fk.value): fk.start_mark.line + 1 for fk, _ in x.value}
                    items.append(lines)
    return top, items


def parse_chain_yaml(text: str, *, file: str = "<yaml>", known_classes: set[str] | None = None,
                     known_materials: set[str] | None = None) -> ChainMap:
    """A chain map from YAML text; :class:`~yacang.chains.errors.ChainError` with located errors."""
    ck = _Checker(file, known_classes, known_materials if known_materials is not None else _known_materials())
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader
        top, lines = _line_numbers(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        ck.add(mark.line + 1 if mark else 1, "", "", f"YAML 格式错误（{getattr(exc, 'problem', exc)}），请检查缩进和冒号")
        fail(file, ck.errors, "产业链图谱")
        raise AssertionError("unreachable") from None
    if not isinstance(data, dict):
        ck.add(1, "", "", "顶层应为映射（code: / name: / segments:）")
        fail(file, ck.errors, "产业链图谱")
    code, name = str(data.get("code") or "").strip(), str(data.get("name") or "").strip()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        ck.add(top.get("code", 1), "code", code, "产业链代码应为英文字母、数字或下划线，如 battery")
    if not name:
        ck.add(top.get("name", 1), "name", "", "缺少产业链名称")
    extra = set(data) - {"code", "name", "description", "sources", "segments"}
    for k in sorted(extra):
        ck.add(top.get(k, 1), k, "", "不认识的字段（拼写错误？可用 code/name/description/sources/segments）")
    raw_segs = data.get("segments") or []
    if not isinstance(raw_segs, list) or not raw_segs:
        ck.add(top.get("segments", 1), "segments", "", "segments 应为非空列表")
        raw_segs = []
    segs: list[tuple[int, Segment]] = []
    for i, raw in enumerate(raw_segs):
        at = lines[i] if i < len(lines) else {"": top.get("segments", 1)}
        row = at[""]
        if not isinstance(raw, dict):
            ck.add(row, "segments", raw, "每个环节应为映射（code/name/stage/industries…）")
            continue
        unknown = set(raw) - {"code", "name", "stage", "industries", "inputs", "materials", "products"}
        for k in sorted(unknown):
            ck.add(row, k, "", "不认识的环节字段（可用 code/name/stage/industries/inputs/materials/products）")
        s = _segment(ck, row, raw, {}, at)
        if s is not None:
            ck.input_rows[s.code] = at.get("inputs", row)
            segs.append((row, s))
    sources = tuple(str(x) for x in (data.get("sources") or []))
    chain = _build(ck, code, name, segs, description=str(data.get("description") or ""), sources=sources,
                   sha=hashlib.sha256(text.encode("utf-8")).hexdigest())
    fail(file, ck.errors, "产业链图谱")
    return chain


def load_chain_file(path: Path | str, *, known_classes: set[str] | None = None,
                    known_materials: set[str] | None = None, check_catalog: bool = True) -> list[ChainMap]:
    """Chains from a YAML file (one chain) or an XLSX workbook (one or more chains)."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"文件不存在：{p}")
    if known_classes is None and check_catalog:
        known_classes = _known_classes()
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return parse_chain_xlsx(p, known_classes=known_classes, known_materials=known_materials)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(p.name, [RowError(p.name, 0, "", "", "不是 UTF-8 编码的 YAML 文本：图谱应为 .yaml（UTF-8）或 .xlsx 文件")],
             "产业链图谱")
        raise  # unreachable: fail raises
    return [parse_chain_yaml(text, file=p.name, known_classes=known_classes, known_materials=known_materials)]


def shipped_chains() -> list[ChainMap]:
    """The chain maps shipped with the package (checked against the built-in divisions only)."""
    return [c for p in sorted(MAPS_DIR.glob("*.yaml")) for c in load_chain_file(p, check_catalog=False)]


# XLSX ------------------------------------------------------------------------------------------------
def parse_chain_xlsx(path: Path, *, known_classes: set[str] | None = None,
                     known_materials: set[str] | None = None) -> list[ChainMap]:
    """Chains from a workbook: first sheet, header row 1 with :data:`XLSX_COLUMNS`, one segment a row."""
    from yacang.chains.sheets import sheet_rows

    ck = _Checker(path.name, known_classes, known_materials if known_materials is not None else _known_materials())
    rows = sheet_rows(path, "产业链图谱")
    if not rows:
        ck.add(1, "", "", "工作表为空：第1行应为表头 " + "、".join(XLSX_COLUMNS))
        fail(ck.file, ck.errors, "产业链图谱")
    header = [str(h or "").strip() for h in rows[0]]
    missing = [c for c in ("产业链代码", "产业链名称", "环节代码", "环节名称", "链位", "行业代码") if c not in header]
    for c in missing:
        ck.add(1, c, "", f"缺少列“{c}”（表头应含 {'、'.join(XLSX_COLUMNS)}）")
    fail(ck.file, ck.errors, "产业链图谱")
    idx = {XLSX_COLUMNS[h]: i for i, h in enumerate(header) if h in XLSX_COLUMNS}
    cols = {v: k for k, v in XLSX_COLUMNS.items()}
    ck.cols = cols
    chains: dict[str, tuple[str, list[tuple[int, Segment]]]] = {}
    for r, values in enumerate(rows[1:], start=2):
        raw = {k: (values[i] if i < len(values) else None) for k, i in idx.items()}
        if all(v is None or str(v).strip() == "" for v in raw.values()):
            continue
        chain = str(raw.get("chain") or "").strip()
        if not chain or not chain.replace("_", "").isalnum() or not chain.isascii():
            ck.add(r, "产业链代码", chain, "产业链代码应为英文字母、数字或下划线，如 battery")
            continue
        seg = _segment(ck, r, raw, cols)
        name = str(raw.get("chain_name") or "").strip() or chain
        entry = chains.setdefault(chain, (name, []))
        if seg is not None:
            entry[1].append((r, seg))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    out = [_build(ck, code, name, segs, sha=sha) for code, (name, segs) in chains.items()]
    fail(ck.file, ck.errors, "产业链图谱")
    return out


def stored_map(wh, chain: str):
    """The stored map of ``chain`` as a ChainMap, or None; ``chain`` is its code (battery) or its name
    as ``yacang chains list`` prints it (动力电池, also 动力电池产业链)."""
    from yacang.warehouse.chains import maps, segment_materials, segments

    m = maps(wh)
    text = chain.strip()
    m = m[(m["chain"] == text) | (m["name"] == text) | (m["name"] == text.removesuffix("产业链"))]
    if m.empty:
        return None
    row = m.iloc[0]
    chain = str(row["chain"])
    mats = segment_materials(wh, chain)
    segs = tuple(
        Segment(r.segment, r.name, r.stage, tuple(x for x in r.industries.split(",") if x),
                tuple(x for x in (r.inputs or "").split(",") if x),
                {x.material: float(x.share) for x in mats[mats["segment"] == r.segment].itertuples()},
                tuple(x for x in (r.products or "").split("、") if x))
        for r in segments(wh, chain).itertuples())
    return ChainMap(chain, row["name"], segs, row["description"] or "", tuple(json.loads(row["sources"] or "[]")),
                    row["source_file"] or "", row["sha256"] or "")
