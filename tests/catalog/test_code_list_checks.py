"""A code list with a malformed or repeated code is refused with the file, the row(s) and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from yacang.catalog.imports import CatalogImportError, parse_industries, parse_regions


def _csv(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "codes.csv"
    path.write_text("code,name\n" + "".join(f"{c},{n}\n" for c, n in rows), encoding="utf-8")
    return path


def test_malformed_region_code_names_its_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, [("440300", "深圳市"), ("44030", "南山区")])  # line 3 of the file
    with pytest.raises(CatalogImportError, match="第3行，列“代码”，值“44030”：行政区划代码应为6位数字，请修正后重新导入"):
        parse_regions(path)


def test_repeated_region_code_names_every_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, [("440300", "深圳市"), ("440305", "南山区"), ("440100", "广州市"), ("440305", "南山")])
    with pytest.raises(CatalogImportError, match="代码 440305 重复出现在第 3、5 行，请删去重复行"):
        parse_regions(path)


def test_industry_codes_checked_alike(tmp_path: Path) -> None:
    with pytest.raises(CatalogImportError, match="第2行，列“代码”，值“C3”：行业代码应为门类字母或2–4位数字"):
        parse_industries(_csv(tmp_path, [("C3", "制造业"), ("36", "汽车制造业")]))
    with pytest.raises(CatalogImportError, match="行业代码 36 重复出现在第 2、4 行"):
        parse_industries(_csv(tmp_path, [("36", "汽车制造业"), ("C", "制造业"), ("36", "汽车")]))
