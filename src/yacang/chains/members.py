"""Enterprises on chains: attached by industry class (from the microdata registry) or by declaration.

Roles: 链主 (the chain's leading enterprise), 关键节点 (key node), 配套 (supporting). Attachment by class
gives 配套 (basis 行业); a declaration (XLSX: 产业链代码, 环节代码, 统一社会信用代码, 角色) sets the role
(basis 申报) and may place an enterprise whose class the map does not list. A declaration file with any
problem (unknown chain, segment or enterprise, unknown role) is refused as a whole.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yacang.chains.errors import RowError, fail
from yacang.chains.maps import ROLES
from yacang.chains.sheets import read_form, text
from yacang.warehouse import chains as store

MEMBER_FORM = {"产业链代码": "chain", "环节代码": "segment", "统一社会信用代码": "uscc", "角色": "role"}


def attach_by_industry(wh, chains: list[str] | None = None) -> int:
    """Attach registry enterprises to every stored segment listing their class (or its division)."""
    segs = store.segments(wh)
    if chains:
        segs = segs[segs["chain"].isin(chains)]
    ents = store.enterprise_table(wh)[["uscc", "industry"]]
    rows = []
    for s in segs.itertuples():
        codes = [c for c in s.industries.split(",") if c]
        hit = ents[ents["industry"].isin(codes) | ents["industry"].str[:2].isin([c for c in codes if len(c) == 2])]
        rows.append(pd.DataFrame({"chain": s.chain, "segment": s.segment, "uscc": hit["uscc"], "role": "配套",
                                  "basis": "行业", "source_file": "企业名录（按行业小类）"}))
    df = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=store.MEMBER_COLUMNS)
    declared = store.members(wh)
    declared = declared[declared["basis"] != "行业"]
    if not declared.empty:  # a declaration wins over the class rule
        key = ["chain", "segment", "uscc"]
        df = df.merge(declared[key], on=key, how="left", indicator=True)
        df = df[df["_merge"] == "left_only"].drop(columns="_merge")
    return store.save_members(wh, df, replace_basis="行业")


def import_members(wh, path: Path | str) -> int:
    """Load a declaration form; all-or-nothing."""
    segs = store.segments(wh)
    rows = check_members(wh, path, set(zip(segs["chain"], segs["segment"], strict=True)))
    return store.save_members(wh, rows)


def check_members(wh, path: Path | str, known_seg: set[tuple[str, str]]) -> pd.DataFrame:
    """The rows of a declaration form against ``known_seg`` (chain, segment) and the registry, nothing stored;
    any problem refuses the whole file (a ChainError listing file, row, column)."""
    p = Path(path)
    rows = read_form(p, MEMBER_FORM, tuple(MEMBER_FORM), "企业上链申报表")
    known_chain = {c for c, _ in known_seg}
    ents = set(store.enterprise_table(wh)["uscc"])
    errors: list[RowError] = []
    out = []
    for r, rec in rows:
        chain, seg, uscc, role = (text(rec.get(k)) for k in ("chain", "segment", "uscc", "role"))
        bad = len(errors)
        if chain not in known_chain:
            errors.append(RowError(p.name, r, "产业链代码", chain, "未知的产业链，请先用 yacang chains import 导入图谱"))
        elif (chain, seg) not in known_seg:
            errors.append(RowError(p.name, r, "环节代码", seg, f"产业链 {chain} 中没有这个环节（yacang chains show {chain}）"))
        if uscc not in ents:
            errors.append(RowError(p.name, r, "统一社会信用代码", uscc, "企业名录中没有这家企业，请先导入企业名录或核对代码"))
        if role not in ROLES:
            errors.append(RowError(p.name, r, "角色", role, f"角色应为 {'/'.join(ROLES)}"))
        if len(errors) == bad:
            out.append({"chain": chain, "segment": seg, "uscc": uscc, "role": role, "basis": "申报",
                        "source_file": p.name})
    fail(p.name, errors, "企业上链申报表")
    return pd.DataFrame(out, columns=store.MEMBER_COLUMNS)
