"""Indicator systems as data: indicators, groups, weights, vetoes and bonus items, read from YAML.

A system file (see ``systems/*.yaml``) names each indicator with its definition, source (a warehouse
measure or a value the region submits), unit, direction (正向/逆向/适度), normalisation (min–max,
z-score, 功效系数 with thresholds, target attainment) and its group. Weights are given per group and
within each group (expert numbers, an AHP judgement matrix, entropy, CRITIC, equal), optionally blended
with an objective method over all indicators (组合赋权). Vetoes (一票否决) remove a region from the
ranking; bonus items add capped points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from yacang.evaluation.errors import EvaluationError

DIRECTIONS = {"正向": "benefit", "逆向": "cost", "适度": "moderate",
              "benefit": "benefit", "cost": "cost", "moderate": "moderate"}
DIRECTION_ZH = {"benefit": "正向", "cost": "逆向", "moderate": "适度"}
NORMALISATIONS = ("minmax", "zscore", "efficacy", "target")
NORMALISATION_ZH = {"minmax": "极差标准化", "zscore": "Z-score 标准化", "efficacy": "功效系数法",
                    "target": "目标达成度"}
WITHIN_METHODS = ("expert", "ahp", "entropy", "critic", "equal")
WEIGHTING_ZH = {"expert": "专家打分", "ahp": "层次分析法（AHP）", "entropy": "熵值法", "critic": "CRITIC 法",
                "equal": "等权"}
OBJECTIVE_METHODS = ("entropy", "critic")
GAP_POLICIES = {"median": "以同级地区中位数（标准化后）补齐", "worst": "按同级地区最差值（标准化后）计",
                "exclude": "不参加排名"}
_THRESHOLD = re.compile(r"^\s*(national|全国)\s*(?:([+-])\s*(\d+(?:\.\d+)?))?\s*$")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    group: str
    unit: str
    direction: str  # benefit / cost / moderate
    normalisation: str = "minmax"
    definition: str = ""
    source: str = "submitted"  # "submitted" or "warehouse:<measure>"
    weight: float | None = None  # expert weight within the group
    good: float | str | None = None  # 功效系数 满意值 / target, a number or "national+3"
    bad: float | str | None = None  # 功效系数 不允许值
    target: float | str | None = None  # target attainment
    ideal: tuple[float, float] | None = None  # 适度: the ideal interval

    @property
    def direction_zh(self) -> str:
        return DIRECTION_ZH[self.direction]


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    weight: float | None = None
    within: str = "expert"  # expert / ahp / entropy / critic / equal
    ahp: tuple[tuple[float, ...], ...] | None = None  # judgement matrix over the group's indicators


@dataclass(frozen=True)
class Veto:
    code: str
    name: str
    indicator: str | None = None  # rule on an indicator: vetoed when value < below (or > above)
    below: float | None = None
    above: float | None = None


@dataclass(frozen=True)
class Bonus:
    code: str
    name: str
    points: float


@dataclass(frozen=True)
class IndicatorSystem:
    code: str
    name: str
    description: str
    references: tuple[str, ...]
    levels: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    group_weighting: str = "expert"  # expert / ahp
    group_ahp: tuple[tuple[float, ...], ...] | None = None
    objective: str | None = None  # entropy / critic blended with the subjective weights
    alpha: float = 1.0  # share of the subjective weights in the blend
    vetoes: tuple[Veto, ...] = ()
    bonuses: tuple[Bonus, ...] = ()
    bonus_cap: float = 0.0
    gaps: str = "median"
    cr_threshold: float = 0.10
    source_path: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        known = "、".join(i.code for i in self.indicators)
        raise EvaluationError(f"指标体系“{self.name}”中没有指标 {str(code)[:64]}（可用 {known}）")

    def group(self, code: str) -> Group:
        for g in self.groups:
            if g.code == code:
                return g
        raise EvaluationError(f"指标体系“{self.name}”中没有维度 {code}")

    def members(self, group: str) -> list[Indicator]:
        return [i for i in self.indicators if i.group == group]


def builtin_systems() -> dict[str, Path]:
    """Shipped systems by code (file stem)."""
    folder = resources.files("yacang.evaluation") / "systems"
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def load_system(name_or_path: str | Path) -> IndicatorSystem:
    """A shipped system by code (``wenzengzhang``, ``zhizao_gaozhiliang``) or a YAML file path."""
    shipped = builtin_systems()
    path = shipped.get(str(name_or_path)) or Path(name_or_path)
    if not path.is_file():
        raise EvaluationError(f"找不到指标体系“{name_or_path}”：可用 {', '.join(sorted(shipped))}，或给出 YAML 文件路径")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise EvaluationError(f"{path.name}：YAML 格式有误（{exc}）") from exc
    except UnicodeDecodeError:
        raise EvaluationError(f"{path.name}：不是 UTF-8 编码的 YAML 文本，指标体系应为 .yaml 文件") from None
    except OSError as exc:
        raise EvaluationError(f"{path.name}：无法读取（{exc.strerror or exc}）") from None
    return parse_system(data, path.name)


def _num(value, where: str, *, allow_expr: bool = False):
    if value is None:
        return None
    if allow_expr and isinstance(value, str):
        if not _THRESHOLD.match(value):
            raise EvaluationError(f"{where}：阈值“{value}”无法识别，应为数值或“national+3”这样的全国值加减")
        return value
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise EvaluationError(f"{where}：“{value}”不是数值") from exc
    if out != out or out in (float("inf"), float("-inf")):
        raise EvaluationError(f"{where}：数值必须有限")
    return out


def _matrix(value, where: str) -> tuple[tuple[float, ...], ...] | None:
    if value is None:
        return None
    rows = tuple(tuple(float(_frac(x, where)) for x in row) for row in value)
    n = len(rows)
    if any(len(r) != n for r in rows):
        raise EvaluationError(f"{where}：判断矩阵须为方阵（{n}×{n}）")
    for i in range(n):
        if abs(rows[i][i] - 1) > 1e-9:
            raise EvaluationError(f"{where}：判断矩阵对角线须为 1（第 {i + 1} 行）")
        for j in range(n):
            if rows[i][j] <= 0 or abs(rows[i][j] * rows[j][i] - 1) > 1e-6:
                raise EvaluationError(f"{where}：判断矩阵须正互反，a[{i + 1}][{j + 1}]×a[{j + 1}][{i + 1}] 应为 1")
    return rows


def _frac(x, where: str) -> float:
    if isinstance(x, str) and "/" in x:
        a, b = x.split("/", 1)
        return float(a) / float(b)
    try:
        return float(x)
    except (TypeError, ValueError) as exc:
        raise EvaluationError(f"{where}：判断矩阵元素“{x}”不是数值（可写 3 或 1/3）") from exc


def parse_system(data: dict, source: str = "") -> IndicatorSystem:
    """Validate a system's mapping (as read from YAML); errors name the file and the item."""
    if not isinstance(data, dict):
        raise EvaluationError(f"{source}：指标体系应为 YAML 映射")
    where = source or str(data.get("code", ""))
    groups = []
    for g in data.get("groups") or []:
        gw = f"{where} 维度 {g.get('code')}"
        within = g.get("within", "expert")
        if within not in WITHIN_METHODS:
            raise EvaluationError(f"{gw}：组内赋权方法“{within}”无效（可用 {', '.join(WITHIN_METHODS)}）")
        groups.append(Group(code=str(g["code"]), name=str(g.get("name", g["code"])),
                            weight=_num(g.get("weight"), gw), within=within, ahp=_matrix(g.get("ahp"), gw)))
    gcodes = {g.code for g in groups}
    indicators = []
    for raw in data.get("indicators") or []:
        iw = f"{where} 指标 {raw.get('code')}"
        direction = DIRECTIONS.get(str(raw.get("direction", "")))
        if direction is None:
            raise EvaluationError(f"{iw}：方向“{raw.get('direction')}”无效，应为 正向/逆向/适度")
        norm = raw.get("normalisation", "minmax")
        if norm not in NORMALISATIONS:
            raise EvaluationError(f"{iw}：标准化方法“{norm}”无效（可用 {', '.join(NORMALISATIONS)}）")
        if raw.get("group") not in gcodes:
            raise EvaluationError(f"{iw}：所属维度“{raw.get('group')}”未在 groups 中定义")
        ideal = raw.get("ideal")
        if direction == "moderate":
            if not (isinstance(ideal, list | tuple) and len(ideal) == 2):
                raise EvaluationError(f"{iw}：适度指标须给出理想区间 ideal: [下限, 上限]")
            ideal = (float(_num(ideal[0], iw)), float(_num(ideal[1], iw)))
            if ideal[0] > ideal[1]:
                raise EvaluationError(f"{iw}：理想区间下限大于上限")
        ind = Indicator(code=str(raw["code"]), name=str(raw["name"]), group=str(raw["group"]),
                        unit=str(raw.get("unit", "")), direction=direction, normalisation=norm,
                        definition=str(raw.get("definition", "")), source=str(raw.get("source", "submitted")),
                        weight=_num(raw.get("weight"), iw), good=_num(raw.get("good"), iw, allow_expr=True),
                        bad=_num(raw.get("bad"), iw, allow_expr=True),
                        target=_num(raw.get("target"), iw, allow_expr=True),
                        ideal=ideal if direction == "moderate" else None)
        if norm == "efficacy" and (ind.good is None or ind.bad is None):
            raise EvaluationError(f"{iw}：功效系数法须给出满意值 good 与不允许值 bad")
        if norm == "target" and ind.target is None:
            raise EvaluationError(f"{iw}：目标达成度须给出目标值 target")
        indicators.append(ind)
    if not indicators:
        raise EvaluationError(f"{where}：没有指标")
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        raise EvaluationError(f"{where}：指标代码重复")
    for g in groups:
        members = [i for i in indicators if i.group == g.code]
        if not members:
            raise EvaluationError(f"{where} 维度 {g.code}：没有指标")
        if g.within == "expert" and any(i.weight is None for i in members):
            raise EvaluationError(f"{where} 维度 {g.code}：专家赋权须给每个指标 weight")
        if g.within == "ahp" and (g.ahp is None or len(g.ahp) != len(members)):
            raise EvaluationError(f"{where} 维度 {g.code}：AHP 判断矩阵阶数须等于指标数 {len(members)}")
    weighting = data.get("weighting") or {}
    group_method = weighting.get("groups", "expert")
    if group_method == "ahp":
        gm = _matrix(weighting.get("group_ahp"), f"{where} 维度判断矩阵")
        if gm is None or len(gm) != len(groups):
            raise EvaluationError(f"{where}：维度 AHP 判断矩阵阶数须等于维度数 {len(groups)}")
    elif group_method == "expert":
        gm = None
        if any(g.weight is None for g in groups):
            raise EvaluationError(f"{where}：专家赋权须给每个维度 weight")
    else:
        raise EvaluationError(f"{where}：维度赋权方法“{group_method}”无效（expert 或 ahp）")
    objective = weighting.get("objective")
    if objective is not None and objective not in OBJECTIVE_METHODS:
        raise EvaluationError(f"{where}：客观赋权方法“{objective}”无效（entropy 或 critic）")
    alpha = float(_num(weighting.get("alpha", 1.0 if objective is None else 0.5), where))
    if not 0 <= alpha <= 1:
        raise EvaluationError(f"{where}：组合赋权系数 alpha 须在 0 到 1 之间")
    vetoes = []
    for v in data.get("vetoes") or []:
        if v.get("indicator") is not None and v["indicator"] not in codes:
            raise EvaluationError(f"{where} 否决项 {v.get('code')}：指标 {v['indicator']} 不存在")
        vetoes.append(Veto(code=str(v["code"]), name=str(v["name"]), indicator=v.get("indicator"),
                           below=_num(v.get("below"), where), above=_num(v.get("above"), where)))
    bonuses = [Bonus(code=str(b["code"]), name=str(b["name"]), points=float(_num(b["points"], where)))
               for b in data.get("bonuses") or []]
    gaps = data.get("gaps", "median")
    if gaps not in GAP_POLICIES:
        raise EvaluationError(f"{where}：缺值处理“{gaps}”无效（可用 {', '.join(GAP_POLICIES)}）")
    return IndicatorSystem(
        code=str(data.get("code", Path(source).stem)), name=str(data.get("name", "")),
        description=str(data.get("description", "")), references=tuple(data.get("references") or ()),
        levels=tuple(data.get("levels") or ("province", "prefecture", "county")),
        indicators=tuple(indicators), groups=tuple(groups), group_weighting=group_method, group_ahp=gm,
        objective=objective, alpha=alpha, vetoes=tuple(vetoes), bonuses=tuple(bonuses),
        bonus_cap=float(_num(data.get("bonus_cap", 0), where)), gaps=gaps,
        cr_threshold=float(_num(data.get("cr_threshold", 0.10), where)), source_path=source,
    )


def resolve_threshold(value: float | str | None, national: float | None, where: str) -> float | None:
    """A threshold as a number; ``national+3`` needs the national value of the indicator."""
    if value is None or isinstance(value, float | int):
        return value
    m = _THRESHOLD.match(value)
    if m is None:
        raise EvaluationError(f"{where}：阈值“{value}”无法识别")
    if national is None:
        raise EvaluationError(f"{where}：阈值“{value}”引用全国值，但没有该指标的全国数据")
    delta = float(m.group(3) or 0)
    return national + delta if m.group(2) != "-" else national - delta
