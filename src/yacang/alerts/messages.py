"""Chinese alert messages from rule templates, in NBS wording, rendered column-wise.

A template is a ``str.format`` string (see :mod:`yacang.alerts.rules`). Numbers are printed by
:mod:`yacang.formatting` only (half-up rounding, never ``-0.0``), with these format specs::

    {x}  {x:.1f}     6.5 / -1.2 / 0.0 (digits from the spec; ``—`` when missing)
    {x:增减}         增长6.5% / 下降3.7% / 持平          (so never "增长-3.7%")
    {x:百分点}       3.7个百分点 (absolute value; the words around it carry the sign)
    {x:高低}         高1.2个百分点 / 低1.2个百分点 / 持平 ("比上级地区{value:高低}")

Each distinct (value, spec) is formatted once, so rendering many rows costs a dictionary lookup per
row and field rather than a Decimal computation.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from yacang import formatting as fm

TEXT_SPECS = ("增减", "百分点", "高低")
_FIXED = re.compile(r"^\.(\d)f$")


class MessageError(ValueError):
    """A template that cannot be rendered (unknown spec)."""


def number_formatter(spec: str) -> Callable[[float], str]:
    """The function printing one number for a template spec (raises :class:`MessageError`)."""
    if spec in ("", "g"):
        return lambda x: fm.fmt(x)
    m = _FIXED.match(spec)
    if m:
        digits = int(m.group(1))
        return lambda x: fm.fmt(x, digits)
    if spec == "增减":
        return lambda x: fm.NO_DATA if fm.is_missing(x) else fm.growth(x)
    if spec == "百分点":
        return lambda x: fm.NO_DATA if fm.is_missing(x) else fm.pp(x)
    if spec == "高低":
        def high_low(x: float) -> str:
            if fm.is_missing(x):
                return fm.NO_DATA
            s = fm.sign(x)
            return "持平" if s == 0 else f"{'高' if s > 0 else '低'}{fm.pp(x)}"
        return high_low
    raise MessageError(f"模板格式“{spec}”无效：数字可用 .1f、增减、百分点、高低")


def check_template(template: str) -> list[str]:
    """Field names of ``template``; raises :class:`MessageError` (or ValueError) on a bad spec."""
    names = []
    for _, field, spec, _ in string.Formatter().parse(template):
        if field is None:
            continue
        if spec:
            number_formatter(spec)
        names.append(field)
    return names


def _format_numbers(values: np.ndarray, spec: str) -> np.ndarray:
    f = number_formatter(spec)
    arr = np.asarray(values, dtype=float)
    if not len(arr):
        return np.array([], dtype=object)
    uniq, inv = np.unique(arr, return_inverse=True)
    texts = np.array([f(float(u)) for u in uniq], dtype=object)
    return texts[inv.reshape(-1)]


def spaced_fields(template: str) -> set[str]:
    """Text fields directly followed by something that may start with a digit (a field, or a literal
    starting with one): a value ending in a digit there gets a space ("示例市10 2022年12月")."""
    parts = [(lit, field) for lit, field, _, _ in string.Formatter().parse(template)]
    out = set()
    for i, (_, field) in enumerate(parts):
        if field is None or i + 1 >= len(parts):
            continue
        nxt_lit, nxt_field = parts[i + 1]
        if (nxt_lit and nxt_lit[0].isdigit()) or (not nxt_lit and nxt_field is not None):
            out.add(field)
    return out


def with_space_if_digit_end(values: np.ndarray) -> np.ndarray:
    """``values`` with a space appended where they end in a digit (apply to a small array of uniques)."""
    return np.array([v + " " if isinstance(v, str) and v[-1:].isdigit() else v for v in values], dtype=object)


def render(template: str, n: int, text: Mapping[str, np.ndarray], numbers: Mapping[str, np.ndarray], *,
           prespaced: bool = False) -> np.ndarray:
    """``n`` messages: ``text`` fields are object arrays, ``numbers`` float arrays (NaN → ``—``).
    Concatenation is element-wise on object arrays. Text fields that may run into a following digit are
    spaced here (:func:`spaced_fields`) unless the caller did it (``prespaced``)."""
    out = np.full(n, "", dtype=object)
    for literal, field, spec, _ in string.Formatter().parse(template):
        if literal:
            out = out + literal
        if field is None:
            continue
        if field in numbers:
            part = _format_numbers(numbers[field], spec or "")
        elif field in text:
            part = np.asarray(text[field], dtype=object)
            if not prespaced and field in spaced_fields(template):
                codes, uniq = pd.factorize(pd.Series(part, dtype=object))
                part = with_space_if_digit_end(np.asarray(uniq, dtype=object))[codes] if len(part) else part
        else:
            part = np.full(n, fm.NO_DATA, dtype=object)
        out = out + part
    return out
