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
    uniq, inv = np.unique(arr, return_inverse=True)
    texts = np.array([f(float(u)) for u in uniq], dtype=object)
    return texts[inv.reshape(-1)] if len(arr) else np.array([], dtype=object)


def render(template: str, n: int, text: Mapping[str, np.ndarray], numbers: Mapping[str, np.ndarray]) -> np.ndarray:
    """``n`` messages: ``text`` fields are object arrays, ``numbers`` float arrays (NaN → ``—``)."""
    parts: list[np.ndarray | str] = []
    for literal, field, spec, _ in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if field is None:
            continue
        if field in numbers:
            parts.append(_format_numbers(numbers[field], spec or ""))
        elif field in text:
            parts.append(np.asarray(text[field], dtype=object))
        else:
            parts.append(fm.NO_DATA)
    out = pd.Series([""] * n, dtype=object)
    for p in parts:
        nxt = pd.Series([p] * n, dtype=object) if isinstance(p, str) else pd.Series(p, dtype=object).fillna(
            fm.NO_DATA).astype(str)
        # a name ending in a digit ("示例市10") never runs into a year ("2022年"): a space between them
        glued = out.str[-1:].str.isdigit() & nxt.str[:1].str.isdigit()
        out = out + glued.map({True: " ", False: ""}) + nxt
    return out.to_numpy(dtype=object)
