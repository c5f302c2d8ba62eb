"""Chinese alert messages from rule templates, in NBS wording, rendered column-wise.

A template is a ``str.format`` string (see :mod:`yacang.alerts.rules`). Numbers are printed by
:mod:`yacang.formatting` only (half-up rounding, never ``-0.0``), with these format specs::

    {x}  {x:.1f}     6.5 / -1.2 / 0.0 (digits from the spec; ``—`` when missing)
    {x:增减}         增长6.5% / 下降3.7% / 持平          (so never "增长-3.7%")
    {x:百分点}       3.7个百分点 (absolute value; the words around it carry the sign)
    {x:高低}         高1.2个百分点 / 低1.2个百分点 / 持平 ("比上级地区{value:高低}")

Each distinct (value, spec) and each distinct text is prepared once; the rows are then assembled by
Arrow's string kernels (``take`` of the distinct texts, ``binary_join_element_wise``), so rendering
millions of rows runs no Python code per row.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


@dataclass(frozen=True)
class Coded:
    """A text column as distinct texts and one code per row (``texts[codes]``)."""

    codes: np.ndarray
    texts: np.ndarray | pa.Array  # object array of str, or Arrow strings (prepared once by the caller)


def coded(values: np.ndarray | Coded) -> Coded:
    """``values`` (an object array) as distinct texts and codes; anything not a string prints as ``—``."""
    if isinstance(values, Coded):
        return values
    codes, uniq = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    texts = np.array([u if isinstance(u, str) else fm.NO_DATA for u in uniq], dtype=object)
    return Coded(codes, texts)


def _format_numbers(values: np.ndarray, spec: str) -> Coded:
    f = number_formatter(spec)
    arr = np.asarray(values, dtype=float).reshape(-1)
    codes, uniq = pd.factorize(arr, use_na_sentinel=False)
    return Coded(codes, np.array([f(float(u)) for u in uniq], dtype=object))


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


def render_arrow(template: str, n: int, text: Mapping[str, np.ndarray | Coded], numbers: Mapping[str, np.ndarray],
                 *, prespaced: bool = False) -> pa.Array:
    """``n`` messages as an Arrow string array: ``text`` fields are object arrays or :class:`Coded`,
    ``numbers`` float arrays (NaN → ``—``). Text fields that may run into a following digit are spaced
    here (:func:`spaced_fields`) unless the caller did it (``prespaced``)."""
    spaced = set() if prespaced else spaced_fields(template)
    parts: list = []
    for literal, field, spec, _ in string.Formatter().parse(template):
        if literal:
            parts.append(pa.scalar(literal, pa.string()))
        if field is None:
            continue
        if field in numbers:
            col = _format_numbers(numbers[field], spec or "")
        elif field in text:
            col = coded(text[field])
            if field in spaced:
                col = Coded(col.codes, with_space_if_digit_end(np.asarray(col.texts, dtype=object)))
        else:
            parts.append(pa.scalar(fm.NO_DATA, pa.string()))
            continue
        texts = col.texts if isinstance(col.texts, pa.Array) else pa.array(col.texts, pa.string())
        parts.append(pc.take(texts, pa.array(col.codes, pa.int32())))
    if not n:
        return pa.array([], pa.string())
    if not any(isinstance(p, pa.Array) for p in parts):  # literals only
        return pa.array(np.full(n, "".join(p.as_py() for p in parts), dtype=object), pa.string())
    return pc.binary_join_element_wise(*parts, "")


def render(template: str, n: int, text: Mapping[str, np.ndarray | Coded], numbers: Mapping[str, np.ndarray], *,
           prespaced: bool = False) -> np.ndarray:
    """:func:`render_arrow` as an object array of str."""
    return np.asarray(render_arrow(template, n, text, numbers, prespaced=prespaced).to_numpy(zero_copy_only=False),
                      dtype=object)
