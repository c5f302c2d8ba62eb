"""npm assets: ECharts, and China boundaries decoded from ECharts 4's compressed map data."""

import json
from pathlib import Path

import pytest

from yacang.assets import china_provinces_geojson, decode_polygon, echarts_js_path


def _bbox(geom: dict) -> tuple[float, float, float, float]:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    pts = [p for poly in polys for ring in poly for p in ring]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def test_decode_polygon_by_hand() -> None:
    # '@@' is a zero delta; 'B' (66) → 2 → zig-zag +1; 'A' (65) → 1 → zig-zag −1
    ring = "@@BA"
    assert decode_polygon(ring, [1024, 2048], 1024) == [[1.0, 2.0], [1 + 1 / 1024, 2 - 1 / 1024]]


def test_echarts_js_installed() -> None:
    path = echarts_js_path()
    assert path is not None and path.stat().st_size > 500_000, "run scripts/setup.sh (npm install)"


def test_china_map_matches_datav_boundaries(shared_data: Path) -> None:
    geo = china_provinces_geojson()
    assert geo is not None, "run scripts/setup.sh (npm install)"
    ours = {f["properties"]["adcode"]: f for f in geo["features"]}
    assert len(ours) == 34
    assert ours["440000"]["properties"]["name"] == "广东省"
    datav = json.loads((shared_data / "china_province_geojson/china_provinces_datav_100000_full.geojson").read_text("utf-8"))
    checked = 0
    for f in datav["features"]:
        code = str(f["properties"].get("adcode"))
        if code not in ours or code == "460000":
            continue  # DataV's 海南 includes the South China Sea islands (to 3.8°N); ECharts draws them as an inset
        a, b = _bbox(ours[code]["geometry"]), _bbox(f["geometry"])
        # two independent sources of the same boundaries: bounding boxes agree within 0.5 degree
        assert all(abs(x - y) < 0.5 for x, y in zip(a, b, strict=True)), (code, a, b)
        checked += 1
    assert checked == 33


@pytest.mark.parametrize("code", ["110000", "650000"])
def test_known_capitals_inside_bbox(code: str) -> None:
    geo = china_provinces_geojson()
    assert geo is not None
    f = next(f for f in geo["features"] if f["properties"]["adcode"] == code)
    x0, y0, x1, y1 = _bbox(f["geometry"])
    lon, lat = {"110000": (116.40, 39.90), "650000": (87.62, 43.83)}[code]
    assert x0 < lon < x1 and y0 < lat < y1


def test_the_dashboard_map_falls_back_to_the_npm_china_map(tmp_path, monkeypatch):
    """Without imported boundaries the web serves the province map installed from npm (31 provinces
    and more, each with its GB/T 2260 code), so the 总览 map draws on a fresh machine."""
    from fastapi.testclient import TestClient

    from yacang.settings import reset_settings
    from yacang.warehouse import Warehouse
    from yacang.web import create_app

    monkeypatch.setenv("YACANG_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("YACANG_GEOJSON", raising=False)
    reset_settings()
    app = create_app(warehouse=Warehouse.memory(), app_db_url=f"sqlite:///{tmp_path / 'app.sqlite'}")
    r = TestClient(app).get("/geo/china.json")
    assert r.status_code == 200
    codes = {str(f["properties"].get("adcode")) for f in r.json()["features"]}
    assert {"440000", "110000", "650000"} <= codes and len(codes) >= 31
    reset_settings()


def test_one_order_for_the_echarts_file(tmp_path, monkeypatch):
    from yacang.assets import echarts_js_path

    monkeypatch.delenv("YACANG_ECHARTS_JS", raising=False)
    copy = tmp_path / "assets" / "echarts.min.js"
    copy.parent.mkdir()
    copy.write_text("/* a local copy */", encoding="utf-8")
    assert echarts_js_path(tmp_path) == copy  # the home's copy before npm's
    env = tmp_path / "mine.js"
    env.write_text("/* explicit */", encoding="utf-8")
    monkeypatch.setenv("YACANG_ECHARTS_JS", str(env))
    assert echarts_js_path(tmp_path) == env  # the explicit setting first
