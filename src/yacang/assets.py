"""The one home of the assets every output uses, all local (政务内网: nothing from a CDN).

* ECharts 5 (``node_modules/echarts``) for interactive charts: :func:`echarts_js_path`, searched in
  one order for every caller — ``YACANG_ECHARTS_JS``, ``YACANG_HOME/assets/echarts.min.js`` (a copy),
  then ``node_modules`` under ``YACANG_NODE_ROOT``, the working directory and the source checkout.
* China boundaries: a user-imported GeoJSON (``YACANG_GEOJSON`` or ``YACANG_HOME/geo/``,
  :func:`imported_boundaries`) takes precedence over ECharts 4's map data from npm
  (``node_modules/echarts-china-v4``, the package ``echarts@4.9.0`` under an alias), decoded here
  from ECharts' compressed "UTF8Encoding" form into GeoJSON with GB/T 2260 codes and full names.
* The CJK font for matplotlib charts (Noto CJK from Debian's fonts-noto-cjk): :func:`pyplot`.
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


def echarts_js_path(home: Path | None = None) -> Path | None:
    """The ECharts library file (see the module docstring for the order), or None."""
    env = os.environ.get("YACANG_ECHARTS_JS")
    if env and Path(env).is_file():
        return Path(env)
    copy = (home or _home()) / "assets" / "echarts.min.js"
    if copy.is_file():
        return copy
    return find_npm_file(ECHARTS_REL)


def echarts_js(home: Path | None = None) -> str | None:
    """The ECharts library text (to inline into a self-contained HTML file), or None."""
    path = echarts_js_path(home)
    return path.read_text("utf-8") if path is not None else None


def imported_boundaries(home: Path | None = None, explicit: Path | str | None = None) -> Path | None:
    """A user's boundary GeoJSON: ``explicit``, ``YACANG_GEOJSON``, or the first file under ``home/geo``."""
    if explicit:
        p = Path(explicit)
        return p if p.is_file() else None
    env = os.environ.get("YACANG_GEOJSON")
    if env and Path(env).is_file():
        return Path(env)
    geo = (home or _home()) / "geo"
    if geo.is_dir():
        for pattern in ("*100000*.geojson", "*100000*.json", "*.geojson", "*.json"):
            found = sorted(geo.glob(pattern))
            if found:
                return found[0]
    return None


def _home() -> Path:
    from yacang.settings import get_settings

    return get_settings().home


# fonts ------------------------------------------------------------------------------------------
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK SC",
                "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei", "Microsoft YaHei")


@cache
def cjk_font_family() -> str | None:
    """The first installed CJK font family matplotlib can use; None means Chinese would show as boxes
    (install Debian's fonts-noto-cjk)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((fam for fam in CJK_FAMILIES if fam in names), None)


def pyplot(font_size: float | None = None):
    """matplotlib's pyplot on the Agg backend with the CJK font and a real minus sign set up."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fam = cjk_font_family()
    plt.rcParams["font.family"] = [fam, "DejaVu Sans"] if fam else ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    if font_size is not None:
        plt.rcParams["font.size"] = font_size
    return plt
