"""A small, safe expression language for alert conditions, evaluated on whole grids at once.

Rules say things like ``iva_ytd_yoy - parent(iva_ytd_yoy)`` or ``iva_yoy < lag(iva_yoy, 1)``. The text
is parsed with :mod:`ast` and only a whitelist of node kinds is accepted (numbers, metric names,
``+ - * /``, comparisons, ``and or not``, and the functions below); nothing is ever passed to Python's
``eval``. Evaluation works on ``keys × periods`` float arrays, so one rule is a handful of numpy
operations whatever the number of regions.

Functions::

    parent(x)        x of the parent unit (region above, region of an industry or enterprise)
    lag(x, n)        x n periods earlier on the period axis (n ≥ 1)
    change(x, n=1)   x - lag(x, n)
    last_year(x)     x in the same period one year earlier (1-2月 ↔ 1-2月)
    abs(x), min(a, b), max(a, b)
    coalesce(x, v)   x where it is known, else v (e.g. ``coalesce(enterprise_count, 1000) >= 30``)
    round(x, n)      x rounded half up to n decimals as printed (四舍五入, :mod:`yacang.formatting`)

Truth values are three-valued (1 true, 0 false, NaN unknown): a comparison with a missing value is
unknown, never true, so a missing figure cannot raise a warning on its own.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

FUNCTIONS = {"parent": (1, 1), "lag": (2, 2), "change": (1, 2), "last_year": (1, 1),
             "abs": (1, 1), "min": (2, 2), "max": (2, 2), "round": (2, 2),
             "coalesce": (2, 2)}


class ExprError(ValueError):
    """An expression that is not valid in the rule language."""


class Context(Protocol):
    """What an expression needs from the grid it runs on."""

    def metric(self, name: str) -> np.ndarray: ...  # keys × periods
    def parent_rows(self) -> np.ndarray: ...  # row index of each key's parent, -1 if none
    def last_year_cols(self) -> np.ndarray: ...  # column of the same period a year earlier, -1 if none


Node = Callable[[Context], np.ndarray]


@dataclass(frozen=True)
class Expr:
    """A compiled expression: its text, the metrics it reads and the evaluator."""

    text: str
    metrics: frozenset[str]
    is_boolean: bool
    _fn: Node

    def __call__(self, ctx: Context) -> np.ndarray:
        out = self._fn(ctx)
        return np.asarray(out, dtype=float)


def compile_expr(text: str) -> Expr:
    """Parse and compile ``text``; raises :class:`ExprError` saying what is not allowed."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"表达式语法错误：{text!r}（{exc.msg}）") from None
    metrics: set[str] = set()
    fn, is_bool = _compile(tree.body, metrics, text)
    return Expr(str(text), frozenset(metrics), is_bool, fn)


# ---------------------------------------------------------------------------------------------
def _cmp(op: ast.cmpop) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    ops = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater, ast.GtE: np.greater_equal,
           ast.Eq: np.equal, ast.NotEq: np.not_equal}
    f = ops[type(op)]

    def run(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        with np.errstate(invalid="ignore"):
            out = np.array(f(a, b), dtype=float)
        out[np.isnan(a) | np.isnan(b)] = np.nan
        return out

    return run


def _and(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.where((a == 0) | (b == 0), 0.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 1.0))
    return out


def _or(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where((a == 1) | (b == 1), 1.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 0.0))


def _shift(a: np.ndarray, n: int) -> np.ndarray:
    if np.ndim(a) < 2:
        return a
    out = np.full(a.shape, np.nan)
    if n < a.shape[-1]:
        out[..., n:] = a[..., : a.shape[-1] - n]
    return out


def _take_rows(a: np.ndarray, rows: np.ndarray) -> np.ndarray:
    if np.ndim(a) < 2:
        return a
    out = a[np.maximum(rows, 0)]
    out[rows < 0] = np.nan
    return out


def _take_cols(a: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if np.ndim(a) < 2:
        return a
    out = a[:, np.maximum(cols, 0)]
    out[:, cols < 0] = np.nan
    return out


def round_half_up(a: np.ndarray, digits: int) -> np.ndarray:
    """Round like the printed figures (half up on the decimal representation), once per distinct value."""
    from yacang.formatting import rounded_float

    arr = np.asarray(a, dtype=float)
    uniq, inv = np.unique(arr, return_inverse=True)
    out = np.array([np.nan if np.isnan(u) else rounded_float(u, digits) for u in uniq], dtype=float)
    return out[inv].reshape(arr.shape)


def _int_arg(node: ast.expr, text: str, fname: str, minimum: int = 1) -> int:
    if (isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)
            and node.value >= minimum):
        return node.value
    what = "小数位数应为非负整数" if fname == "round" else "期数应为正整数"
    raise ExprError(f"表达式 {text!r}：{fname}() 的{what}")


def _compile(node: ast.expr, metrics: set[str], text: str) -> tuple[Node, bool]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        v = float(node.value)
        return (lambda ctx: np.float64(v)), False
    if isinstance(node, ast.Name):
        name = node.id
        metrics.add(name)
        return (lambda ctx: ctx.metric(name)), False
    if isinstance(node, ast.UnaryOp):
        inner, _is_bool = _compile(node.operand, metrics, text)
        if isinstance(node.op, ast.USub):
            return (lambda ctx: -inner(ctx)), False
        if isinstance(node.op, ast.UAdd):
            return inner, False
        if isinstance(node.op, ast.Not):
            return (lambda ctx: 1.0 - np.asarray(inner(ctx), dtype=float)), True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, _ = _compile(node.left, metrics, text)
        right, _ = _compile(node.right, metrics, text)
        op = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}[type(node.op)]

        def binop(ctx: Context) -> np.ndarray:
            with np.errstate(divide="ignore", invalid="ignore"):
                out = op(left(ctx), right(ctx))
            return np.where(np.isfinite(out), out, np.nan)

        return binop, False
    if isinstance(node, ast.Compare):
        parts = [_compile(node.left, metrics, text)[0]] + [_compile(c, metrics, text)[0] for c in node.comparators]
        cmps = [_cmp(op) for op in node.ops]

        def compare(ctx: Context) -> np.ndarray:
            vals = [np.asarray(p(ctx), dtype=float) for p in parts]
            out = cmps[0](vals[0], vals[1])
            for i in range(1, len(cmps)):
                out = _and(out, cmps[i](vals[i], vals[i + 1]))
            return out

        return compare, True
    if isinstance(node, ast.BoolOp):
        subs = [_compile(v, metrics, text)[0] for v in node.values]
        comb = _and if isinstance(node.op, ast.And) else _or

        def boolop(ctx: Context) -> np.ndarray:
            out = np.asarray(subs[0](ctx), dtype=float)
            for s in subs[1:]:
                out = comb(out, np.asarray(s(ctx), dtype=float))
            return out

        return boolop, True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return _compile_call(node, metrics, text)
    what = type(node).__name__
    raise ExprError(f"表达式 {text!r} 含不允许的写法（{what}）：只允许数字、指标名、+ - * /、比较、and/or/not 和函数 "
                    + "、".join(FUNCTIONS))


def _compile_call(node: ast.Call, metrics: set[str], text: str) -> tuple[Node, bool]:
    fname = node.func.id  # type: ignore[attr-defined]
    if fname not in FUNCTIONS:
        raise ExprError(f"表达式 {text!r}：未知函数 {fname}()，可用函数：{'、'.join(FUNCTIONS)}")
    lo, hi = FUNCTIONS[fname]
    if not lo <= len(node.args) <= hi:
        raise ExprError(f"表达式 {text!r}：{fname}() 的参数个数不对")
    first, is_bool = _compile(node.args[0], metrics, text)
    if fname == "parent":
        return (lambda ctx: _take_rows(np.asarray(first(ctx), dtype=float), ctx.parent_rows())), is_bool
    if fname == "last_year":
        return (lambda ctx: _take_cols(np.asarray(first(ctx), dtype=float), ctx.last_year_cols())), is_bool
    if fname == "lag":
        n = _int_arg(node.args[1], text, fname)
        return (lambda ctx: _shift(np.asarray(first(ctx), dtype=float), n)), is_bool
    if fname == "change":
        n = _int_arg(node.args[1], text, fname) if len(node.args) > 1 else 1

        def change(ctx: Context) -> np.ndarray:
            a = np.asarray(first(ctx), dtype=float)
            return a - _shift(a, n)

        return change, False
    if fname == "abs":
        return (lambda ctx: np.abs(first(ctx))), False
    if fname == "round":
        digits = _int_arg(node.args[1], text, fname, minimum=0)
        return (lambda ctx: round_half_up(first(ctx), digits)), False
    second, _ = _compile(node.args[1], metrics, text)
    if fname == "coalesce":
        def coalesce(ctx: Context) -> np.ndarray:
            a, b = np.broadcast_arrays(np.asarray(first(ctx), dtype=float), np.asarray(second(ctx), dtype=float))
            return np.where(np.isnan(a), b, a)
        return coalesce, is_bool
    f = np.fmin if fname == "min" else np.fmax
    return (lambda ctx: f(first(ctx), second(ctx))), False
