"""Locate the locally served assets: ECharts (from npm's node_modules) and China boundaries (GeoJSON).

Nothing is fetched from the internet. ECharts is looked up in, in order: ``YACANG_ECHARTS_JS``,
``YACANG_HOME/assets/echarts.min.js`` (a copy), and ``node_modules/echarts/dist/echarts.min.js`` in the
working directory or any parent of it or of this package (the repo root after ``npm ci``).
Boundaries: an explicit path, ``YACANG_GEOJSON``, or the first ``*.geojson``/``*.json`` under
``YACANG_HOME/geo`` (written by ``yacang.report.charts.import_boundaries``).
"""

from __future__ import annotations

import os
from pathlib import Path

ECHARTS_REL = Path("node_modules/echarts/dist/echarts.min.js")


def find_echarts(home: Path) -> Path | None:
    env = os.environ.get("YACANG_ECHARTS_JS")
    candidates = [Path(env)] if env else []
    candidates.append(home / "assets" / "echarts.min.js")
    for base in (Path.cwd(), Path(__file__).resolve()):
        for parent in (base, *base.parents):
            candidates.append(parent / ECHARTS_REL)
    return next((p for p in candidates if p.is_file()), None)


def find_geojson(home: Path, explicit: Path | str | None = None) -> Path | None:
    if explicit:
        p = Path(explicit)
        return p if p.is_file() else None
    env = os.environ.get("YACANG_GEOJSON")
    if env and Path(env).is_file():
        return Path(env)
    geo = home / "geo"
    if geo.is_dir():
        for pattern in ("*100000*.geojson", "*100000*.json", "*.geojson", "*.json"):
            found = sorted(geo.glob(pattern))
            if found:
                return found[0]
    return None
