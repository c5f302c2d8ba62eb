"""Front-end assets installed from npm and served locally (政务内网: nothing from a CDN).

* ECharts 5 (``node_modules/echarts``) for interactive charts.
* China boundaries from ECharts 4's map data (``node_modules/echarts-china-v4/map/json``, the npm
  package ``echarts@4.9.0`` installed under an alias), decoded here from ECharts' compressed
  "UTF8Encoding" form into plain GeoJSON, with GB/T 2260 codes and full names.

A user-imported GeoJSON (``YACANG_HOME/geo/``) takes precedence over the npm map; see
:mod:`yacang.report.charts`.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

ECHARTS_REL = Path("node_modules/echarts/dist/echarts.min.js")
CHINA_MAP_REL = Path("node_modules/echarts-china-v4/map/json/china.json")


def npm_roots() -> list[Path]:
    """Where ``node_modules`` may be: ``YACANG_NODE_ROOT``, the working directory, the source checkout."""
    roots = []
    if os.environ.get("YACANG_NODE_ROOT"):
        roots.append(Path(os.environ["YACANG_NODE_ROOT"]))
    roots += [Path.cwd(), Path(__file__).resolve().parents[2]]
    return roots


def find_npm_file(rel: Path) -> Path | None:
    for root in npm_roots():
        if (root / rel).is_file():
            return root / rel
    return None


def decode_polygon(ring: str, offsets: list[int], scale: float) -> list[list[float]]:
    """One ring of ECharts' compressed coordinates: zig-zag varint deltas from ``offsets``, over ``scale``."""
    out: list[list[float]] = []
    x, y = offsets
    for i in range(0, len(ring) - 1, 2):
        dx, dy = ord(ring[i]) - 64, ord(ring[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        out.append([x / scale, y / scale])
    return out


def decode_echarts_geojson(data: dict[str, Any]) -> dict[str, Any]:
    """Plain GeoJSON from an ECharts map file (unchanged if it is not compressed)."""
    if not data.get("UTF8Encoding"):
        return data
    scale = float(data.get("UTF8Scale") or 1024)
    features = []
    for f in data["features"]:
        g = f["geometry"]
        offs = g["encodeOffsets"]
        if g["type"] == "Polygon":
            coords = [decode_polygon(r, offs[i], scale) for i, r in enumerate(g["coordinates"])]
        else:
            coords = [[decode_polygon(r, offs[p][i], scale) for i, r in enumerate(poly)]
                      for p, poly in enumerate(g["coordinates"])]
        features.append({"type": "Feature", "properties": dict(f.get("properties", {})),
                         "geometry": {"type": g["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


@cache
def _china_from(path: str, mtime: float) -> dict[str, Any]:
    from yacang.catalog.regions import provinces

    names = {p.code: p.name for p in provinces()}
    geo = decode_echarts_geojson(json.loads(Path(path).read_text("utf-8")))
    for f in geo["features"]:
        code = str(f["properties"].get("id", ""))
        f["properties"] = {"adcode": code, "name": names.get(code, f["properties"].get("name", "")),
                           "center": f["properties"].get("cp")}
    return geo


def china_provinces_geojson() -> dict[str, Any] | None:
    """Province boundaries with ``adcode`` and full ``name``, from npm; None when not installed."""
    path = find_npm_file(CHINA_MAP_REL)
    if path is None:
        return None
    return _china_from(str(path), path.stat().st_mtime)


def echarts_js_path() -> Path | None:
    if os.environ.get("YACANG_ECHARTS_JS") and Path(os.environ["YACANG_ECHARTS_JS"]).is_file():
        return Path(os.environ["YACANG_ECHARTS_JS"])
    return find_npm_file(ECHARTS_REL)
