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


_PRINTED: dict[str, dict[float, str]] = {}  # spec → number → text, shared by every rendering
_PRINTED_MAX = 1_000_000


def _format_numbers(values: np.ndarray, spec: str) -> Coded:
    """Distinct numbers printed once each (and remembered across calls: a rule pack prints the same few
    thousand numbers in every rule), with one code per row."""
    arr = np.asarray(values, dtype=float).reshape(-1)
    codes, uniq = pd.factorize(arr, use_na_sentinel=False)
    f = number_formatter(spec)
    printed = _PRINTED.setdefault(spec, {})
    if len(printed) > _PRINTED_MAX:
        printed.clear()
    out = []
    for u in uniq.tolist():
        text = printed.get(u)
        if text is None:
            text = f(u)
            if u == u:  # NaN is never found again: not remembered
                printed[u] = text
        out.append(text)
    return Coded(codes, np.array(out, dtype=object))


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
    parts: list[str | Coded] = []
    for literal, field, spec, _ in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if field is None:
            continue
        if field in numbers:
            parts.append(_format_numbers(numbers[field], spec or ""))
        elif field in text:
            col = coded(text[field])
            if field in spaced:
                col = Coded(col.codes, with_space_if_digit_end(np.asarray(col.texts, dtype=object)))
            parts.append(col)
        else:
            parts.append(fm.NO_DATA)
    if not n:
        return pa.array([], pa.string())
    cols = _merge_parts(parts, n)
    if len(cols) == 1 and isinstance(cols[0], str):  # literals only
        return pa.array(np.full(n, cols[0], dtype=object), pa.string())
    arrays = [pa.scalar(c, pa.string()) if isinstance(c, str) else
              pc.take(c.texts if isinstance(c.texts, pa.Array) else pa.array(c.texts, pa.string()),
                      pa.array(c.codes, pa.int32())) for c in cols]
    return pc.binary_join_element_wise(*arrays, "") if len(arrays) > 1 else arrays[0]


def _merge_parts(parts: list[str | Coded], n: int) -> list[str | Coded]:
    """Fewer, wider parts: literals are folded into a neighbouring coded part's texts, and two adjacent
    coded parts whose distinct combinations are few (period label × value text) become one, so Arrow
    assembles each row from as few pieces as possible."""
    out: list[str | Coded] = []
    for p in parts:
        prev = out[-1] if out else None
        if isinstance(p, str) and isinstance(prev, str):
            out[-1] = prev + p
        elif isinstance(p, str) and isinstance(prev, Coded):
            out[-1] = Coded(prev.codes, _texts(prev) + p)
        elif isinstance(p, Coded) and isinstance(prev, str):
            out[-1] = Coded(p.codes, prev + _texts(p))
        elif isinstance(p, Coded) and isinstance(prev, Coded) and len(prev.texts) * len(p.texts) <= max(n // 4, 64):
            a, b = _texts(prev), _texts(p)
            out[-1] = Coded(prev.codes.astype(np.int64) * len(b) + p.codes,
                            (a[:, None] + b[None, :]).reshape(-1))
        else:
            out.append(p)
    return out


def _texts(c: Coded) -> np.ndarray:
    return c.texts.to_numpy(zero_copy_only=False).astype(object) if isinstance(c.texts, pa.Array) else \
        np.asarray(c.texts, dtype=object)


def render(template: str, n: int, text: Mapping[str, np.ndarray | Coded], numbers: Mapping[str, np.ndarray], *,
           prespaced: bool = False) -> np.ndarray:
    """:func:`render_arrow` as an object array of str."""
    return np.asarray(render_arrow(template, n, text, numbers, prespaced=prespaced).to_numpy(zero_copy_only=False),
                      dtype=object)
