"""Reference tables: regions (GB/T 2260), industries (GB/T 4754-2017), indicators and measures."""

from yacang.catalog.indicators import INDICATORS, MEASURES, Indicator, Measure, indicator, measure
from yacang.catalog.industries import (
    EQUIPMENT,
    HIGH_TECH,
    TOTAL,
    IndustryCatalog,
    division_codes,
    divisions,
    grouping,
)
from yacang.catalog.regions import NATION, Region, RegionCatalog, mainland_provinces, provinces

__all__ = [
    "EQUIPMENT",
    "HIGH_TECH",
    "INDICATORS",
    "MEASURES",
    "NATION",
    "TOTAL",
    "Indicator",
    "IndustryCatalog",
    "Measure",
    "Region",
    "RegionCatalog",
    "division_codes",
    "divisions",
    "grouping",
    "indicator",
    "mainland_provinces",
    "measure",
    "provinces",
]
