"""``yacang catalog``: import code lists and browse regions, industries and indicators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from yacang.cli.common import abort, console, err_console, open_warehouse, print_frame

app = typer.Typer(no_args_is_help=True)

_LEVEL_ZH = {"nation": "全国", "province": "省级", "prefecture": "地级", "county": "县级",
             "section": "门类", "division": "大类", "group": "中类", "class": "小类", "grouping": "分组", "total": "合计"}


@app.command("import-regions")
def import_regions_cmd(
    file: Path = typer.Argument(..., help="GB/T 2260 代码表（CSV 或 民政部“代码 名称”文本）"),
    year: int | None = typer.Option(None, "--year", help="多年份文件中要导入的年份（默认最新）"),
) -> None:
    """导入地市、区县行政区划代码。"""
    from yacang.catalog.imports import CatalogImportError, import_regions

    on_demo_regions = _demo_on_its_own_regions()
    try:
        s = import_regions(file, year)
    except CatalogImportError as exc:
        abort(str(exc))
    counts = "，".join(f"{_LEVEL_ZH.get(k, k)} {v} 个" for k, v in sorted(s.by_level.items()))
    console.print(f"已导入 {file}{f'（{s.year}年）' if s.year else ''}：{counts}")
    if on_demo_regions:
        err_console.print("[bold yellow]注意[/]：数据仓库中的示例数据建在 yacang demo 合成的占位地市、区县上（如“广东省示例市01”），"
                          "导入后这些占位代码按真实区划显示地名（或只显示代码），与示例数据并不对应。如需示例数据落在真实地市，"
                          "请另用一个数据目录（export YACANG_HOME=…），先导入区划，再运行 yacang demo。", highlight=False)


def _demo_on_its_own_regions() -> bool:
    """Whether the warehouse holds the demo and the region list is the one the demo synthesised."""
    from yacang.demo.build import own_region_list
    from yacang.settings import get_settings
    from yacang.warehouse.provenance import provenance

    home = get_settings().home
    if not own_region_list(home / "catalog") or not get_settings().warehouse_path.exists():
        return False
    with open_warehouse(read_only=True) as wh:
        return provenance(wh).is_demo


@app.command("import-industries")
def import_industries_cmd(file: Path = typer.Argument(..., help="GB/T 4754-2017 行业分类 CSV")) -> None:
    """导入国民经济行业分类（中类、小类）。"""
    from yacang.catalog.imports import CatalogImportError, import_industries

    try:
        s = import_industries(file)
    except CatalogImportError as exc:
        abort(str(exc))
    counts = "，".join(f"{_LEVEL_ZH.get(k, k)} {v} 个" for k, v in sorted(s.by_level.items()))
    console.print(f"已导入 {file}：{counts}")


@app.command("regions")
def regions_cmd(
    parent: str = typer.Option("100000", "--parent", help="列出此地区的下级：代码或名称（默认全国→各省）"),
    ancestors: bool = typer.Option(False, "--ancestors", help="改为列出此地区的各级上级"),
) -> None:
    """列出地区（下级或上级）。"""
    from yacang.catalog.regions import RegionCatalog, RegionError

    cat = RegionCatalog.load()
    try:
        parent = cat.resolve(parent).code
    except RegionError as exc:
        abort(str(exc))
    regions = cat.ancestors(parent) if ancestors else cat.children(parent)
    df = pd.DataFrame(
        [(r.code, r.name, _LEVEL_ZH.get(r.level, r.level), r.parent or "", r.nbs_region or "") for r in regions],
        columns=["代码", "名称", "级别", "上级", "区域"],
    )
    print_frame(df, f"{cat.name(parent)} 的{'上级' if ancestors else '下级'}地区")


@app.command("find")
def find_cmd(
    name: str = typer.Argument(..., help="地区名称或代码：内蒙古、深圳市、南山区、440305 …"),
    within: str | None = typer.Option(None, "--within", help="只在此地区（名称或代码）范围内查找"),
) -> None:
    """查找地区：代码或名称（全称、简称），不唯一时列出候选。"""
    from yacang.catalog.regions import RegionCatalog, RegionError

    cat = RegionCatalog.load()
    try:
        parent = cat.resolve(within).code if within else None
        r = cat.resolve(name, within=parent)
    except RegionError as exc:
        abort(str(exc))
    console.print(f"{r.code} {r.name}（{_LEVEL_ZH.get(r.level, r.level)}；上级 {cat.name(r.parent) if r.parent else '—'}）",
                  highlight=False)


@app.command("industries")
def industries_cmd(parent: str = typer.Option("TOTAL", "--parent", help="列出此行业的下级（默认全部工业→门类）")) -> None:
    """列出行业（下级）。"""
    from yacang.catalog.industries import IndustryCatalog

    cat = IndustryCatalog.load()
    df = pd.DataFrame(
        [(i.code, i.name, _LEVEL_ZH.get(i.level, i.level)) for i in cat.children(parent)],
        columns=["代码", "名称", "级别"],
    )
    print_frame(df, f"{cat.name(parent)} 的下级行业")


@app.command("groupings")
def groupings_cmd() -> None:
    """列出国家统计局行业分组（高技术制造业、装备制造业）及其定义来源。"""
    from yacang.catalog.industries import GROUPINGS

    for g in GROUPINGS.values():
        console.print(f"[bold]{g.code} {g.name}[/]：大类 {', '.join(g.divisions) or '—'}；小类 {len(g.classes)} 个")
        console.print(f"  来源：{g.source}；{g.note}")


@app.command("indicators")
def indicators_cmd() -> None:
    """列出指标与口径定义。"""
    from yacang.catalog.indicators import INDICATORS, MEASURES

    print_frame(pd.DataFrame([(i.code, i.name, i.unit, i.frequency, i.kind) for i in INDICATORS.values()],
                             columns=["代码", "指标", "单位", "频率", "类型"]), "指标")
    print_frame(pd.DataFrame([(m.code, m.name, "是" if m.cumulative else "", m.note) for m in MEASURES.values()],
                             columns=["代码", "口径", "累计", "说明"]), "口径")
