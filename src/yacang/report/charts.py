"""Charts of the bulletin: static PNG (matplotlib, Noto CJK) for PDF/DOCX, ECharts options for HTML.

Boundaries for maps are never shipped with the package: the user imports a GeoJSON once
(:func:`import_boundaries`, kept under ``YACANG_HOME/geo/<parent code>.geojson``). Without them the
map falls back to a tile grid (static) or a bar chart (ECharts). ECharts itself comes from npm
(``package.json`` at the repository root) and is inlined into the HTML (:func:`yacang.assets.echarts_js`).
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from yacang import formatting as fmt
from yacang.assets import pyplot
from yacang.catalog.regions import NATION, ancestor_at, level_of
from yacang.report.errors import ReportError
from yacang.report.model import LIGHTS, Chart

COLORS = {"month": "#c23531", "ytd": "#2f4554", "up": "#c23531", "down": "#3b6ea8", "ref": "#888888"}


# fonts --------------------------------------------------------------------------------------
def _mpl():
    return pyplot(font_size=9)  # the one CJK font set-up (yacang.assets)


# boundaries ------------------------------------------------------------------------------------
def geo_dir() -> Path:
    from yacang.settings import get_settings

    return get_settings().home / "geo"


def import_boundaries(path: Path | str) -> Path:
    """Store a copy of a boundary GeoJSON (e.g. DataV's ``100000_full``) under ``YACANG_HOME/geo``.

    The file is named after the parent code of its features (``100000`` for provinces, ``440000``
    for the prefectures of Guangdong). Returns the stored path; raises :class:`ReportError` (Chinese)
    if the file is not a FeatureCollection of regions with 6-digit ``adcode``/``code`` properties.
    """
    src = Path(path)
    try:
        gj = json.loads(src.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{src}：无法读取为 GeoJSON（{exc}）。请提供 DataV.GeoAtlas 等导出的 FeatureCollection 文件。") from exc
    feats = gj.get("features") if isinstance(gj, dict) else None
    if not feats:
        raise ReportError(f"{src}：不是 GeoJSON FeatureCollection（缺少 features）。")
    codes = []
    for i, f in enumerate(feats, 1):
        code = _feature_code(f)
        if code is None:
            raise ReportError(f"{src}：第{i}个要素缺少6位行政区划代码（properties.adcode 或 code），请检查文件。")
        codes.append(code)
    regions = [c for c in codes if c != "100000" or len(codes) == 1]
    parent = _parent_of(regions)
    out = geo_dir() / f"{parent}.geojson"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(gj, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return out


def _feature_code(f: dict[str, Any]) -> str | None:
    props = f.get("properties") or {}
    code = props.get("adcode", props.get("code"))
    code = str(code) if code is not None else ""
    return code if len(code) == 6 and code.isdigit() else None


def _parent_of(codes: list[str]) -> str:
    """The region a chart's codes lie in: the nation for provinces, else the province or prefecture."""
    levels = {level_of(c) for c in codes}
    if levels <= {"nation", "province"}:
        return NATION
    return ancestor_at(codes[0], "province" if "county" not in levels else "prefecture")


@cache
def _load(path: str, mtime: float) -> dict[str, Any]:
    return json.loads(Path(path).read_text("utf-8"))


def load_boundaries(parent: str) -> dict[str, Any] | None:
    """The imported GeoJSON whose features are the children of ``parent``; for the nation, the
    province map installed from npm when none was imported; else None."""
    p = geo_dir() / f"{parent}.geojson"
    if not p.is_file():
        if parent == NATION:
            from yacang.assets import china_provinces_geojson

            return china_provinces_geojson()
        return None
    return _load(str(p), p.stat().st_mtime)



# colours ---------------------------------------------------------------------------------------
def growth_color(value: float | None, ref: float | None, spread: float = 6.0) -> str:
    """Red above the reference, blue below (Chinese convention: red = up), grey for no data."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "#dddddd"
    d = max(-1.0, min(1.0, (value - (ref or 0.0)) / spread))
    if d >= 0:
        r, g, b = 255, int(235 - 160 * d), int(220 - 170 * d)
    else:
        r, g, b = int(225 + 175 * d), int(235 + 110 * d), 245
    return f"#{r:02x}{g:02x}{b:02x}"


# static rendering --------------------------------------------------------------------------------
def render_png(chart: Chart, path: Path, *, dpi: int = 200) -> Path:
    """Draw ``chart`` to a PNG file (for PDF and DOCX)."""
    plt = _mpl()
    draw = {"line": _line, "bar": _bar, "map": _map, "lights": _lights}[chart.kind]
    fig = draw(plt, chart)
    fig.savefig(path, dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return path


def png_images(charts, *, dpi: int = 160) -> dict[str, bytes]:
    """Each chart drawn once as PNG bytes, by chart id: the same images go into HTML, PDF and DOCX."""
    import tempfile

    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for c in charts:
            out[c.id] = render_png(c, Path(tmp) / f"{c.id}.png", dpi=dpi).read_bytes()
    return out


def _finite(vals: list[Any]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in vals]


def _line(plt, chart: Chart):
    d = chart.data
    fig, ax = plt.subplots(figsize=(7.2, 3.0))
    x = list(range(len(d["x"])))
    for s, color in zip(d["series"], (COLORS["month"], COLORS["ytd"]), strict=False):
        color = COLORS.get(s.get("kind", ""), color)  # 累计 keeps its colour when 当月 is left out
        ax.plot(x, _finite(s["values"]), marker="o", markersize=2.5, linewidth=1.6, color=color, label=s["name"])
    for h in d.get("hlines", []):
        ax.axhline(h["value"], linestyle="--", linewidth=1, color=COLORS["ref"])
        ax.annotate(h["name"], (x[0], h["value"]), xytext=(2, 3), textcoords="offset points",
                    fontsize=7, color="#555555")
    step = max(1, math.ceil(len(x) / 9))
    ticks = x[::-1][::step][::-1]  # always label the latest period
    ax.set_xticks(ticks, [d["x"][i] for i in ticks], rotation=0, fontsize=7)
    ax.axhline(0, color="#444444", linewidth=0.6)
    ax.set_ylabel(d.get("unit", ""))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="best", fontsize=8, frameon=False)
    ax.set_title(chart.title, fontsize=10)
    for sp in ("top", "right"):
        ax.spines[sp].set_visible(False)
    return fig


def _bar(plt, chart: Chart):
    d = chart.data
    cats, vals = d["categories"], _finite(d["values"])
    horizontal = d.get("horizontal", False)
    ref = d["hlines"][0]["value"] if d.get("hlines") else 0.0
    colors = [COLORS["up"] if (not math.isnan(v) and v >= ref) else COLORS["down"] for v in vals]
    if horizontal:
        fig, ax = plt.subplots(figsize=(7.2, max(3.0, 0.2 * len(cats) + 0.8)))
        ax.barh(range(len(cats)), vals, color=colors, height=0.7)
        ax.set_yticks(range(len(cats)), cats, fontsize=7)
        for h in d.get("hlines", []):
            ax.axvline(h["value"], linestyle="--", linewidth=1, color=COLORS["ref"], label=h["name"])
        ax.axvline(0, color="#444444", linewidth=0.6)
        ax.set_xlabel(d.get("unit", ""))
        ax.grid(axis="x", alpha=0.3)
    else:
        fig, ax = plt.subplots(figsize=(7.2, 3.2))
        ax.bar(range(len(cats)), vals, color=colors, width=0.7)
        ax.set_xticks(range(len(cats)), cats, rotation=90 if len(cats) > 12 else 0, fontsize=7)
        for h in d.get("hlines", []):
            ax.axhline(h["value"], linestyle="--", linewidth=1, color=COLORS["ref"], label=h["name"])
        ax.axhline(0, color="#444444", linewidth=0.6)
        ax.set_ylabel(d.get("unit", ""))
        ax.grid(axis="y", alpha=0.3)
    if d.get("hlines"):
        ax.legend(fontsize=7, frameon=False, loc="best")
    ax.set_title(chart.title, fontsize=10)
    for sp in ("top", "right"):
        ax.spines[sp].set_visible(False)
    return fig


def _polygons(geom: dict[str, Any]) -> list[list[list[float]]]:
    """Outer rings of a (Multi)Polygon, or the lines of a (Multi)LineString."""
    t, c = geom.get("type"), geom.get("coordinates", [])
    if t == "Polygon":
        return [c[0]] if c else []
    if t == "MultiPolygon":
        return [p[0] for p in c if p]
    if t == "LineString":
        return [c]
    if t == "MultiLineString":
        return list(c)
    return []


def _map(plt, chart: Chart):
    d = chart.data
    geo = load_boundaries(d.get("parent", "100000"))
    if geo is None:
        return _tiles(plt, chart)
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Polygon as MplPolygon

    values = {str(k): v for k, v in d["values"].items()}
    ref = d.get("reference")
    fig, ax = plt.subplots(figsize=(7.2, 5.6))
    inset = None
    is_nation = d.get("parent", "100000") == "100000"
    if is_nation:
        inset = fig.add_axes((0.80, 0.10, 0.13, 0.22))
    rings_drawn: list[list[list[float]]] = []
    colors: list[str] = []
    for f in geo["features"]:
        code = _feature_code(f)
        rings = _polygons(f.get("geometry") or {})
        if code == d.get("parent"):  # 南海诸岛 lines of the national map
            for ring in rings:
                xs, ys = zip(*[(pt[0], pt[1]) for pt in ring], strict=False)
                (inset or ax).plot(xs, ys, color="#666666", linewidth=0.5)
            continue
        color = growth_color(values.get(code), ref)
        rings_drawn += rings
        colors += [color] * len(rings)
        props = f.get("properties") or {}
        center = props.get("centroid") or props.get("center")
        name = d["names"].get(code) or props.get("name", "")
        if center and code in values and center[1] > 17 and code not in ("810000", "820000"):
            label = f"{_short(name)}\n{fmt.fmt(values[code])}" if values[code] is not None else _short(name)
            ax.annotate(label, center, ha="center", va="center", fontsize=5.2, color="#222222")
    for target in ([ax, inset] if inset is not None else [ax]):  # one collection per axes: drawn in one pass
        target.add_collection(PatchCollection([MplPolygon(r, closed=True) for r in rings_drawn], facecolors=colors,
                                              edgecolors="#777777", linewidths=0.3))
    if is_nation:
        ax.set_xlim(73, 136)
        ax.set_ylim(17.5, 54)
        assert inset is not None
        inset.set_xlim(105, 124)
        inset.set_ylim(2, 24)
        inset.set_aspect(1 / math.cos(math.radians(13)))
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_title("南海诸岛", fontsize=6)
    else:
        ax.autoscale_view()
    ax.set_aspect(1 / math.cos(math.radians(35 if is_nation else 30)))
    ax.axis("off")
    ax.set_title(chart.title + ("（%）" if d.get("unit") == "%" else ""), fontsize=10)
    _legend(ax, ref)
    return fig


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _legend(ax, ref: float | None) -> None:
    from matplotlib.patches import Patch

    r = ref or 0.0
    items = [(r + 6, f"{fmt.fmt(r + 6)}%及以上"), (r + 3, f"{fmt.fmt(r + 3)}%"), (r, f"{fmt.fmt(r)}%（平均）"),
             (r - 3, f"{fmt.fmt(r - 3)}%"), (r - 6, f"{fmt.fmt(r - 6)}%及以下"), (None, "无数据")]
    ax.legend(handles=[Patch(facecolor=growth_color(v, ref), edgecolor="#777777", label=t) for v, t in items],
              loc="lower left", fontsize=6, frameon=False)


def _tiles(plt, chart: Chart):
    """Fallback when boundaries are not imported: a grid of tiles in rank order."""
    d = chart.data
    items = sorted(d["values"].items(), key=lambda kv: -(kv[1] if kv[1] is not None else -1e9))
    n = len(items)
    cols = 8 if n > 24 else 6
    rows = math.ceil(n / cols)
    fig, ax = plt.subplots(figsize=(7.2, 0.8 * rows + 0.8))
    ref = d.get("reference")
    for i, (code, v) in enumerate(items):
        r, c = divmod(i, cols)
        ax.add_patch(plt.Rectangle((c, -r), 0.94, 0.9, facecolor=growth_color(v, ref), edgecolor="white"))
        name = _short(d["names"].get(code, code))
        ax.text(c + 0.47, -r + 0.58, name, ha="center", va="center", fontsize=7)
        ax.text(c + 0.47, -r + 0.26, "—" if v is None else f"{fmt.fmt(v)}%", ha="center", va="center", fontsize=7)
    ax.set_xlim(0, cols)
    ax.set_ylim(-rows + 0.9, 1)
    ax.axis("off")
    ax.set_title(chart.title + "（按增速排序；未导入边界数据）", fontsize=10)
    return fig


def _lights(plt, chart: Chart):
    d = chart.data
    rows, cols = d["rows"], d["columns"]
    fig, ax = plt.subplots(figsize=(7.2, 0.32 * len(rows) + 1.0))
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        for j, code in enumerate(row["lights"]):
            ax.scatter(j, y, s=70, color=LIGHTS.get(code, LIGHTS["grey"])[1], edgecolor="#555555", linewidth=0.3)
    ax.set_yticks(range(len(rows)), [r["name"] for r in reversed(rows)], fontsize=7)
    step = max(1, len(cols) // 12)
    ax.set_xticks(range(0, len(cols), step), cols[::step], fontsize=7)
    ax.set_xlim(-0.6, len(cols) - 0.4)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_title(chart.title + "（红 过热 · 黄 偏热 · 绿 正常 · 浅蓝 偏冷 · 蓝 过冷）", fontsize=9)
    for sp in ("top", "right"):
        ax.spines[sp].set_visible(False)
    return fig


# ECharts ------------------------------------------------------------------------------------------
def _rounded(values: list[Any]) -> list[float | None]:
    """Chart data as printed (half up, one decimal), so tooltips show the bulletin's figures."""
    return [fmt.rounded_float(v) if isinstance(v, int | float) else None for v in values]


def echarts_option(chart: Chart) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """ECharts option for ``chart`` and the GeoJSON to register (map charts with boundaries)."""
    d = chart.data
    title = {"text": chart.title, "left": "center", "textStyle": {"fontSize": 14}}
    if chart.kind == "line":
        series = [{"name": s["name"], "type": "line", "data": _rounded(s["values"]), "connectNulls": False,
                   "symbolSize": 4, **({"color": COLORS[s["kind"]]} if s.get("kind") in COLORS else {})}
                  for s in d["series"]]
        if d.get("hlines") and series:
            series[0]["markLine"] = {"symbol": "none", "lineStyle": {"type": "dashed"},
                                     "data": [{"yAxis": h["value"], "name": h["name"],
                                               "label": {"formatter": h["name"], "position": "insideStartTop"}}
                                              for h in d["hlines"]]}
        return {"title": title, "tooltip": {"trigger": "axis"}, "legend": {"top": 28},
                "grid": {"top": 60, "left": 40, "right": 20, "bottom": 30},
                "xAxis": {"type": "category", "data": d["x"]}, "yAxis": {"type": "value", "name": d.get("unit", "")},
                "series": series}, None
    if chart.kind == "bar" or (chart.kind == "map" and load_boundaries(d.get("parent", "100000")) is None):
        if chart.kind == "map":
            pairs = sorted(d["values"].items(), key=lambda kv: -(kv[1] if kv[1] is not None else -1e9))
            cats, vals, hl = [d["names"].get(k, k) for k, _ in pairs], [v for _, v in pairs], []
            if d.get("reference") is not None:
                hl = [{"name": "平均", "value": d["reference"]}]
            title["subtext"] = "未导入边界数据，以条形图代替地图"
        else:
            cats, vals, hl = d["categories"], d["values"], d.get("hlines", [])
        horizontal = d.get("horizontal", False)
        cat_axis = {"type": "category", "data": cats, "axisLabel": {"interval": 0, "rotate": 0 if horizontal else 60}}
        val_axis = {"type": "value", "name": d.get("unit", "")}
        s: dict[str, Any] = {"type": "bar", "data": _rounded(vals), "itemStyle": {"color": COLORS["up"]}}
        if hl:
            s["markLine"] = {"symbol": "none", "lineStyle": {"type": "dashed"},
                             "data": [{("xAxis" if horizontal else "yAxis"): h["value"], "name": h["name"],
                                       "label": {"formatter": h["name"]}} for h in hl]}
        return {"title": title, "tooltip": {"trigger": "axis"},
                "grid": {"top": 60, "left": 150 if horizontal else 40, "right": 30, "bottom": 90},
                "xAxis": val_axis if horizontal else cat_axis, "yAxis": cat_axis if horizontal else val_axis,
                "series": [s]}, None
    if chart.kind == "map":
        geo = load_boundaries(d.get("parent", "100000"))
        names = {}
        for f in geo["features"]:  # type: ignore[index]
            code = _feature_code(f)
            if code:
                names[code] = (f.get("properties") or {}).get("name", code)
        vals = [v for v in d["values"].values() if v is not None]
        data = [{"name": names.get(str(k), d["names"].get(k, k)), "value": fmt.rounded_float(v)}
                for k, v in d["values"].items()]
        ref = d.get("reference") or 0.0
        lo, hi = (min(vals), max(vals)) if vals else (ref - 5, ref + 5)
        return {"title": title, "tooltip": {"trigger": "item", "formatter": "{b}：{c}%"},
                "visualMap": {"min": math.floor(lo), "max": math.ceil(hi), "left": 10, "bottom": 10,
                              "text": ["高", "低"], "calculable": True,
                              "inRange": {"color": ["#3b6ea8", "#dfe9f5", "#fff2e6", "#c23531"]}},
                "series": [{"type": "map", "map": f"yacang_{d.get('parent', '100000')}", "roam": True,
                            "label": {"show": False}, "data": data}]}, geo
    # lights
    data, cols = [], d["columns"]
    color_map = {k: v[1] for k, v in LIGHTS.items()}
    for i, row in enumerate(d["rows"]):
        for j, code in enumerate(row["lights"]):
            data.append({"value": [j, len(d["rows"]) - 1 - i], "itemStyle": {"color": color_map.get(code, "#bbb")},
                         "name": LIGHTS.get(code, LIGHTS["grey"])[0]})
    return {"title": title, "tooltip": {"formatter": "{b}"},
            # containLabel: the grid grows to the longest name (规上工业增加值当月同比 was cut at the left edge)
            "grid": {"top": 50, "left": 10, "right": 20, "bottom": 40, "containLabel": True},
            "xAxis": {"type": "category", "data": cols},
            "yAxis": {"type": "category", "data": [r["name"] for r in reversed(d["rows"])]},
            "series": [{"type": "scatter", "symbolSize": 16, "data": data}]}, None
