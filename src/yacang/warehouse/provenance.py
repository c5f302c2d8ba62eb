"""Which data a warehouse (or one output built from it) rests on, in the words officials read.

Every output says it: 示例数据 (the project's generated demo), 国家统计局 (national releases, directly or
via Wind/iFinD), 省统计局 (a province's or its cities' published figures), 企业月报 (enterprise monthly
reports loaded by the user). :func:`provenance` is the one function the bulletin, the run summary and the
web header call; :func:`has_real_data` and :func:`has_demo_data` let ``yacang run`` keep the demo apart.
The reads are Ibis expressions (:func:`provenance_of` takes any backend), so DuckDB and Spark agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
from ibis.common.exceptions import TableNotFound

# How the demo marks its rows (yacang.demo.generator: DEMO_SOURCE_FILE, DEMO_ORG_PREFIX); repeated here
# because the warehouse may not import the demo (data flow runs the other way).
DEMO_SOURCE_FILE = "yacang demo"
DEMO_ORG_PREFIX = "DM"  # characters 9-10 of every demo USCC
ORDER = ("示例数据", "国家统计局", "省统计局", "企业月报", "其他来源")
VENDORS = {"wind": "Wind", "ifind": "同花顺iFinD"}
# Who a stored series' ``source`` code is, in words (series show, check consistency, materials' sources).
SOURCE_NAMES = {"nbs": "国家统计局", "provincial": "省统计局", **VENDORS, "mysteel": "我的钢铁网",
                "worldbank": "世界银行", "investing": "Investing.com", "demo": "示例数据", "report": "企业月报"}


def source_name(code: object) -> str:
    """A series' source code in words (``nbs`` → 国家统计局, ``ifind`` → 同花顺iFinD); an unknown code as it is."""
    text = "" if code is None else str(code)
    return SOURCE_NAMES.get(text, text)


@dataclass(frozen=True)
class Provenance:
    """The kinds of data present, in :data:`ORDER`, and the vendors they came through."""

    kinds: tuple[str, ...]
    via: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind → vendors (Wind …)
    direct: tuple[str, ...] = ()  # kinds (also) loaded from the publisher's own files

    @property
    def is_demo(self) -> bool:
        return "示例数据" in self.kinds

    @property
    def is_mixed(self) -> bool:
        """Demo and real data in one place: never allowed in one output."""
        return self.is_demo and len(self.kinds) > 1

    def words(self) -> str:
        """``国家统计局（经Wind）、省统计局`` — for a sentence or a header."""
        parts = []
        for k in self.kinds:
            via = "、".join(self.via.get(k, ()))
            if via and k in self.direct:
                parts.append(f"{k}（部分经{via}转载）")
            else:
                parts.append(f"{k}（经{via}转载）" if via else k)
        return "、".join(parts) if parts else "无数据"

    def sentence(self) -> str:
        """The 注 line of a bulletin or summary."""
        if not self.kinds:
            return "数据仓库中没有数据。"
        if self.kinds == ("示例数据",):
            return "本期数据为系统生成的示例数据（yacang demo），不是真实统计数据，仅供演示。"
        return f"本期数据来源：{self.words()}。"


def provenance(wh, *, regions: set[str] | None = None, series_ids: list[str] | None = None) -> Provenance:
    """What ``wh`` holds (optionally only the series of ``regions``, or only ``series_ids``: what one analysis
    read), as a :class:`Provenance`."""
    return provenance_of(wh.con, regions=regions, series_ids=series_ids)


def provenance_of(con: ibis.BaseBackend, *, regions: set[str] | None = None,
                  series_ids: list[str] | None = None) -> Provenance:
    """:func:`provenance` of the ``series`` and ``reports`` tables of any Ibis backend (DuckDB, Spark)."""
    kinds: set[str] = set()
    via: dict[str, set[str]] = {}
    direct: set[str] = set()
    derived = False
    t = con.table("series")
    if series_ids is not None:
        t = t.filter(t.series_id.isin(list(series_ids)))
    rows = t.select(source=t.source.fill_null(""), region=t.region.fill_null(""),
                    mapped=t.indicator.fill_null("raw") != "raw").distinct().to_pandas()
    for source, region, mapped in rows.itertuples(index=False):
        if regions is not None and region not in regions:
            continue
        if source == "report":  # aggregates of the microdata: as real or demo as the reports themselves
            derived = True
            continue
        kind = _kind(source, region, bool(mapped))
        kinds.add(kind)
        if source in VENDORS:
            via.setdefault(kind, set()).add(VENDORS[source])
        else:
            direct.add(kind)
    if series_ids is None or derived:  # the reports count when the series read were made from them
        demo_reports, real_reports = _reports(con)
        if demo_reports:
            kinds.add("示例数据")
        if real_reports or (derived and not demo_reports):
            kinds.add("企业月报")
    ordered = tuple(k for k in ORDER if k in kinds)
    return Provenance(ordered, {k: tuple(sorted(v)) for k, v in via.items()}, tuple(sorted(direct)))


def reports_provenance(wh) -> Provenance:
    """What the enterprise reports in ``wh`` are (示例数据 and/or 企业月报): the data of the measures computed
    from the microdata alone, whatever series the warehouse also holds."""
    demo_reports, real_reports = _reports(wh.con)
    return Provenance(tuple(k for k, n in (("示例数据", demo_reports), ("企业月报", real_reports)) if n))


def has_demo_data(wh) -> bool:
    return provenance(wh).is_demo


def has_real_data(wh) -> bool:
    return any(k != "示例数据" for k in provenance(wh).kinds)


def _kind(source: str | None, region: str | None, mapped: bool = True) -> str:
    """The kind of a series: a vendor's series that maps to no catalog indicator (商品房成交, spot prices …)
    is market data, not a statistics bureau's release."""
    if source == "demo":
        return "示例数据"
    if source == "report":
        return "企业月报"
    if source == "provincial":
        return "省统计局"
    if source in VENDORS and not mapped:
        return "其他来源"
    if source == "nbs":  # the NBS portal's own release, its 分省 tables included
        return "国家统计局"
    if source in ("wind", "ifind"):  # a vendor's province series copies the province's bureau
        return "国家统计局" if region in (None, "", "100000") else "省统计局"
    return "其他来源"


def report_kinds_expr(con: ibis.BaseBackend) -> ir.Table:
    """One row: ``demo`` and ``other``, the counts of demo reports and of all others."""
    t = con.table("reports")
    demo = t.source_file.fill_null("").startswith(DEMO_SOURCE_FILE) | (t.uscc.substr(8, 2) == DEMO_ORG_PREFIX)
    flag = demo.fill_null(False).cast("int64")
    return t.aggregate(demo=flag.sum().fill_null(0), other=(1 - flag).sum().fill_null(0))


def _reports(con: ibis.BaseBackend) -> tuple[int, int]:
    """(demo reports, other reports) in the microdata tables, 0/0 when there are none."""
    try:
        report_kinds = report_kinds_expr(con)
    except TableNotFound:  # a warehouse that never held microdata
        return 0, 0
    row = report_kinds.to_pandas().iloc[0]
    return int(row["demo"]), int(row["other"])
