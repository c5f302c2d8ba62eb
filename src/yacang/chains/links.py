"""Supplier→customer links from XLSX, as enterprises declare them in whitelist applications and surveys.

Columns (:data:`LINK_FORM`): 供应商统一社会信用代码, 客户统一社会信用代码, 供货占比 (share of the
customer's inputs, 0–1 or a percentage like ``35%``), 可替代程度 (share of a lost supply the customer could
replace, 0–1; default 0), 库存天数 (the customer's stock of this input, days; default 0), and optionally
产品, 产品行业代码 (GB/T 4754-2017), 产业链代码. Checks: both enterprises in the registry, no self-link,
finite numbers in range, the product class known, the chain known, a customer's declared shares summing
to at most 1, no pair twice. Any problem refuses the whole file; loading the same file again replaces
its rows (idempotent).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yacang.chains.errors import RowError, fail
from yacang.chains.sheets import number, read_form, text
from yacang.warehouse import chains as store

LINK_FORM = {
    "供应商统一社会信用代码": "supplier", "客户统一社会信用代码": "customer", "供货占比": "share",
    "可替代程度": "substitutability", "库存天数": "inventory_days", "产品": "product",
    "产品行业代码": "product_class", "产业链代码": "chain",
}
REQUIRED = ("供应商统一社会信用代码", "客户统一社会信用代码", "供货占比")
MAX_INVENTORY_DAYS = 365


def parse_links(wh, path: Path | str) -> pd.DataFrame:
    """Validated link rows (``store.LINK_COLUMNS``); :class:`ChainError` listing every located problem."""
    from yacang.chains.maps import _Checker, _known_classes

    p = Path(path)
    rows = read_form(p, LINK_FORM, REQUIRED, "供货关系表")
    ents = set(store.enterprise_table(wh)["uscc"])
    chains = set(store.maps(wh)["chain"])
    ck = _Checker(p.name, _known_classes(), set())
    errors = ck.errors
    out, seen = [], {}
    for r, rec in rows:
        sup, cus = text(rec.get("supplier")), text(rec.get("customer"))
        bad = len(errors)
        for col, code in (("供应商统一社会信用代码", sup), ("客户统一社会信用代码", cus)):
            if code not in ents:
                errors.append(RowError(p.name, r, col, code, "企业名录中没有这家企业，请先导入企业名录或核对代码"))
        if sup and sup == cus:
            errors.append(RowError(p.name, r, "客户统一社会信用代码", cus, "供应商和客户不能是同一家企业"))
        vals = {}
        for field, col, lo, hi, default, what in (
                ("share", "供货占比", 0.0, 1.0, None, "占客户全部投入的份额，0–1 之间（或 0%–100%）"),
                ("substitutability", "可替代程度", 0.0, 1.0, 0.0, "断供后可由其他来源替代的比例，0–1 之间"),
                ("inventory_days", "库存天数", 0.0, MAX_INVENTORY_DAYS, 0.0, f"客户的库存可用天数，0–{MAX_INVENTORY_DAYS}")):
            raw = rec.get(field)
            v = number(raw) if text(raw) else default
            if v is None:
                errors.append(RowError(p.name, r, col, text(raw), f"应为数字：{what}"))
            elif v < lo:
                errors.append(RowError(p.name, r, col, text(raw), f"不能为负数：{what}"))
            elif v > hi:
                errors.append(RowError(p.name, r, col, text(raw), f"超过 {hi:g}：{what}"))
            vals[field] = v
        if vals.get("share") == 0:
            errors.append(RowError(p.name, r, "供货占比", text(rec.get("share")), "供货占比为0的关系无需填报，请删去该行或填写实际占比"))
        cls = text(rec.get("product_class"))
        if cls:
            ck.industry(r, "产品行业代码", cls)
        chain = text(rec.get("chain"))
        if chain and chain not in chains:
            errors.append(RowError(p.name, r, "产业链代码", chain, "未知的产业链，请先用 yacang chains import 导入图谱"))
        if (sup, cus) in seen:
            errors.append(RowError(p.name, r, "客户统一社会信用代码", cus, f"与第{seen[(sup, cus)]}行重复（同一供应商—客户只填一行）"))
        seen.setdefault((sup, cus), r)
        if len(errors) == bad:
            out.append({"supplier": sup, "customer": cus, **vals, "product": text(rec.get("product")) or None,
                        "chain": chain or None, "source_file": p.name, "source_row": r})
    df = pd.DataFrame(out, columns=store.LINK_COLUMNS)
    if not errors and not df.empty:
        total = df.groupby("customer")["share"].sum()
        for cus, s in total[total > 1 + 1e-9].items():
            r = int(df.loc[df["customer"] == cus, "source_row"].max())
            errors.append(RowError(p.name, r, "供货占比", f"{s:.2f}",
                                   f"客户 {cus} 的各供应商供货占比合计 {s:.2f}，超过1：请核对占比（占客户全部投入的份额）"))
    fail(p.name, errors, "供货关系表")
    return df


def import_links(wh, path: Path | str) -> int:
    """Parse and store a links form (replacing the rows an earlier load of the same file stored)."""
    df = parse_links(wh, path)
    return store.save_links(wh, df, replace_source=Path(path).name)
