"""Alert rules read from YAML, validated with errors that name the file, the rule and the field.

A rule pack file looks like::

    metrics:                       # optional: extra metric names this pack may use, with a description
      my_metric: 自定义指标
    mute_windows:                  # recurring windows in which matching rules are not reported
      - name: 1-2月不评当月指标
        months: [1, 2]
        matchers: {measure: 当月}
    rules:
      - id: iva_below_parent
        name: 累计增速低于上级地区
        scope: region              # region / industry / enterprise / material / project
        value: iva_ytd_yoy - parent(iva_ytd_yoy)   # a number per unit and period …
        direction: below           # … compared with thresholds by level (蓝 < 黄 < 橙 < 红)
        levels: {蓝: -1, 黄: -2, 红: -4}
        when: iva_ytd_yoy > -100   # optional extra gate (a truth expression)
        for: 2                     # consecutive periods before it fires (1 = at once)
        keep_firing_for: 1         # periods it stays firing after the condition clears
        labels: {topic: 生产}
        message: "{name}{period_label}累计{iva_ytd_yoy:增减}，比上级地区{value:高低}"

A rule with only ``when`` (a truth expression) fires at its ``severity`` (default 黄). Messages print
numbers through :mod:`yacang.alerts.messages` (``{x:增减}`` → 增长6.5%/下降3.7%/持平, ``{x:百分点}``,
``{x:高低}``, ``{x:.1f}`` rounded half up).
"""

from __future__ import annotations

import itertools
import string
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from yacang.alerts.expr import Expr, ExprError, compile_expr
from yacang.alerts.messages import check_template

SCOPES = ("region", "industry", "enterprise", "material", "project")
SCOPE_ZH = {"region": "地区", "industry": "行业", "enterprise": "企业", "material": "原材料", "project": "项目"}
LEVELS = ("蓝", "黄", "橙", "红")  # ascending severity
LEVEL_COLORS = {"蓝": "#1f6fd1", "黄": "#f2c200", "橙": "#f07f13", "红": "#d62728"}
# Placeholders every message template may use, besides the metric names the rule reads.
MESSAGE_FIELDS = {"rule", "rule_name", "key", "name", "parent", "parent_name", "scope", "period",
                  "period_label", "value", "abs_value", "severity", "state"}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file, rule and field."""


class Rule(BaseModel):
    """One alert rule."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    scope: Literal["region", "industry", "enterprise", "material", "project"]
    value: str | None = None
    when: str | None = None
    direction: Literal["above", "below"] = "above"
    levels: dict[str, float] = Field(default_factory=dict)
    severity: str = "黄"
    for_: int = Field(default=1, alias="for", ge=1)
    keep_firing_for: int = Field(default=0, ge=0)
    labels: dict[str, str] = Field(default_factory=dict)
    message: str = "{name}{period_label}触发“{rule_name}”"
    description: str = ""

    @field_validator("levels")
    @classmethod
    def _levels(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k in v if k not in LEVELS]
        if bad:
            raise ValueError(f"级别名 {bad} 无效，只能用 {'/'.join(LEVELS)}")
        return {k: float(v[k]) for k in LEVELS if k in v}

    @field_validator("severity")
    @classmethod
    def _severity(cls, v: str) -> str:
        if v not in LEVELS:
            raise ValueError(f"级别名 {v!r} 无效，只能用 {'/'.join(LEVELS)}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.value is None and self.when is None:
            raise ValueError("value 与 when 至少要有一个")
        if self.value is not None and not self.levels:
            raise ValueError("有 value 时必须给出 levels（各级阈值）")
        if self.value is None and self.levels:
            raise ValueError("levels 只能与 value 一起使用")
        th = list(self.levels.values())
        ok = all(a < b for a, b in itertools.pairwise(th)) if self.direction == "above" else all(
            a > b for a, b in itertools.pairwise(th))
        if not ok:
            order = "递增" if self.direction == "above" else "递减"
            raise ValueError(f"levels 阈值次序不对：direction={self.direction} 时按 蓝→黄→橙→红 应{order}，现为 {self.levels}")
        return self

    # compiled pieces (cached on first use) ------------------------------------------------------
    def compiled(self) -> tuple[Expr | None, Expr | None]:
        cache = self.__dict__.get("_compiled")
        if cache is None:
            cache = (compile_expr(self.value) if self.value else None, compile_expr(self.when) if self.when else None)
            self.__dict__["_compiled"] = cache
        return cache

    @property
    def metrics(self) -> frozenset[str]:
        out: set[str] = set()
        for e in self.compiled():
            if e is not None:
                out |= e.metrics
        return frozenset(out)

    @property
    def level_names(self) -> list[str]:
        return list(self.levels) if self.levels else [self.severity]


class MuteWindow(BaseModel):
    """A recurring window (months of the year) in which matching alerts are kept but not reported."""

    model_config = ConfigDict(extra="forbid")

    name: str
    months: list[int] = Field(min_length=1)
    matchers: dict[str, str] = Field(default_factory=dict)

    @field_validator("months")
    @classmethod
    def _months(cls, v: list[int]) -> list[int]:
        if any(not 1 <= m <= 12 for m in v):
            raise ValueError(f"月份应在 1–12 之间，现为 {v}")
        return v


class RulePack(BaseModel):
    """A validated set of rules plus mute windows."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    metrics: dict[str, str] = Field(default_factory=dict)
    mute_windows: list[MuteWindow] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    source: str = ""

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def default_pack_path() -> Path:
    return Path(__file__).with_name("packs") / "default.yaml"


def load_pack(path: Path | str | None = None, *, known_metrics: set[str] | None = None) -> RulePack:
    """Read and validate a rule pack; ``known_metrics`` (default: :data:`yacang.alerts.fact_table.METRICS`)."""
    p = Path(path) if path is not None else default_pack_path()
    if not p.is_file():
        raise FileNotFoundError(f"规则文件不存在：{p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RuleError(f"规则文件 {p}：YAML 格式错误（{exc}）") from None
    return parse_pack(data, source=str(p), known_metrics=known_metrics)


def parse_pack(data: dict, *, source: str = "<rules>", known_metrics: set[str] | None = None) -> RulePack:
    """Validate an already-parsed pack; every problem is reported with rule id and field."""
    if not isinstance(data, dict):
        raise RuleError(f"规则文件 {source}：顶层应为映射（rules: …）")
    if known_metrics is None:
        from yacang.alerts.fact_table import METRICS

        known_metrics = set(METRICS)
    known = set(known_metrics) | set((data.get("metrics") or {}).keys())
    problems: list[str] = []
    rules: list[Rule] = []
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raise RuleError(f"规则文件 {source}：rules 应为列表")
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules, start=1):
        rid = raw.get("id", f"第{i}条") if isinstance(raw, dict) else f"第{i}条"
        where = f"规则文件 {source} 规则 {rid!r}"
        if not isinstance(raw, dict):
            problems.append(f"{where}：应为映射")
            continue
        try:
            rule = Rule.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(x) for x in err["loc"]) or "(整条规则)"
                field = "for" if field == "for_" else field
                msg = err["msg"].removeprefix("Value error, ")
                problems.append(f"{where} 字段 {field!r}：{_zh(msg, err['type'])}")
            continue
        if rule.id in seen:
            problems.append(f"{where} 字段 'id'：与前面的规则重复")
        seen.add(rule.id)
        for field in ("value", "when"):
            text = getattr(rule, field)
            if text is None:
                continue
            try:
                e = compile_expr(text)
            except ExprError as exc:
                problems.append(f"{where} 字段 {field!r}：{exc}")
                continue
            unknown = sorted(e.metrics - known)
            if unknown:
                problems.append(f"{where} 字段 {field!r}：未知指标 {', '.join(unknown)}（可用指标见 yacang.alerts.fact_table.METRICS，"
                                "或在规则文件 metrics: 中声明）")
            if field == "when" and not e.is_boolean:
                problems.append(f"{where} 字段 'when'：应为判断式（含比较，如 iva_yoy < 0），现为 {text!r}")
            if field == "value" and e.is_boolean:
                problems.append(f"{where} 字段 'value'：应为数值表达式，判断式请写在 when 中")
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(rule.message) if f}
        except ValueError as exc:
            problems.append(f"{where} 字段 'message'：模板格式错误（{exc}）")
            names = set()
        bad = sorted({n.split(".")[0].split("[")[0] for n in names} - MESSAGE_FIELDS - known)
        if bad:
            problems.append(f"{where} 字段 'message'：模板中有未知占位符 {', '.join(bad)}")
        try:
            check_template(rule.message)
        except ValueError as exc:
            problems.append(f"{where} 字段 'message'：{exc}")
        rules.append(rule)
    try:
        windows = [MuteWindow.model_validate(w) for w in data.get("mute_windows") or []]
    except ValidationError as exc:
        problems.append(f"规则文件 {source} 字段 'mute_windows'：{exc.errors()[0]['msg']}")
        windows = []
    extra = set(data) - {"description", "metrics", "mute_windows", "rules"}
    if extra:
        problems.append(f"规则文件 {source}：未知的顶层字段 {sorted(extra)}")
    if problems:
        raise RuleError("；\n".join(problems))
    return RulePack(description=data.get("description", ""), metrics=data.get("metrics") or {},
                    mute_windows=windows, rules=rules, source=source)


def _zh(msg: str, kind: str) -> str:
    table = {"missing": "缺少必填字段", "extra_forbidden": "不认识的字段（拼写错误？）",
             "literal_error": f"取值无效（{msg}）", "greater_than_equal": f"取值过小（{msg}）",
             "string_pattern_mismatch": "只能用小写字母、数字和下划线，且以字母开头",
             "int_parsing": "应为整数", "float_parsing": "应为数字"}
    return table.get(kind, msg)
