"""Series identifiers: readable, stable keys built from what a series measures and where it comes from.

``wind:iva.yoy.100000.TOTAL`` is Wind's national 规上工业增加值 当月同比; ``nbs:iva.ytd_yoy.100000.TOTAL`` the
same concept's 累计同比 from the NBS data portal. The same concept from two sources is two series, so
sources can be cross-checked. A series the catalog cannot map keeps its original name and gets
``raw.<hash>``.
"""

from __future__ import annotations

import hashlib

from yacang.catalog.industries import TOTAL
from yacang.catalog.regions import NATION


def series_id(
    source: str,
    indicator: str,
    measure: str,
    region: str = NATION,
    industry: str = TOTAL,
    category: str = "",
    variant: str = "",
) -> str:
    parts = [indicator, measure, region, industry] + ([category] if category else [])
    sid = f"{source}:{'.'.join(parts)}"
    return f"{sid}~{variant}" if variant else sid


def raw_series_id(source: str, original_name: str) -> str:
    digest = hashlib.sha1(original_name.encode("utf-8")).hexdigest()[:12]
    return f"{source}:raw.{digest}"
