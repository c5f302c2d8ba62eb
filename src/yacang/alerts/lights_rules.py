"""Critical-point rules compared on the same cited backtest (``yacang lights --compare-rules``).

Each rule is stated in advance and applied to every indicator alike; none is adjusted month by month:

* ``packaged`` — the shipped ``lights_points.yaml`` (2000版: 2000–2012 percentiles, used up to 2012;
  2013版: 2013–2019, from 2013);
* ``single`` — one version from the 2000–2019 percentiles (no 2013 break);
* ``realtime-5y`` — versions every five years (2005, 2010, …), each from the ten years before it (what
  was known when it took effect; the first one also applies before it, there being no earlier decade);
* ``realtime-1y`` — the same, revised every year;
* ``percentile`` — trailing ten-year percentiles month by month (the option kept from the first version).

All use the 10th/25th/75th/90th percentiles (:func:`~yacang.alerts.lights.derive_points`) and the same
series preparation; the fixed-point rules use the official bands, ``percentile`` its nearest-zone bands.
"""

from __future__ import annotations

import pandas as pd

from yacang.alerts.lights import (
    Indicator,
    LightsError,
    PointsVersion,
    compute_lights,
    derive_points,
    load_points,
    prepare,
)
from yacang.alerts.lights_backtest import KINDS, backtest, summary

METHOD = "窗口内月度值的第10/25/75/90百分位数"
RULES = {
    "packaged": "内置临界点文件（2000–2012年窗口用至2012年，2013–2019年窗口自2013年起）",
    "single": "单一版本：2000–2019年窗口",
    "realtime-5y": "每五年修订（2005、2010…年起），各取此前十年",
    "realtime-1y": "每年修订，各取此前十年",
    "percentile": "逐月滚动：此前十年分位数",
}


def window_version(monthly: dict[str, pd.Series], name: str, effective: str, window: tuple[str, str]) -> PointsVersion:
    """One version of critical points from ``window`` for every indicator with at least 24 months in it."""
    points = {}
    for code, s in monthly.items():
        try:
            points[code] = derive_points(s, window)
        except LightsError:
            continue  # too short a history in this window: no points, no score from this version
    return PointsVersion(name, effective, window, METHOD, points)


def realtime_versions(monthly: dict[str, pd.Series], years: list[int], span: int = 10) -> list[PointsVersion]:
    """Versions taking effect in ``years``, each from the ``span`` years before it (the first applies backwards too)."""
    return [window_version(monthly, f"{y}版", "1990-01" if i == 0 else f"{y}-01", (f"{y - span}-01", f"{y - 1}-12"))
            for i, y in enumerate(years)]


def rule_points(rule: str, monthly: dict[str, pd.Series], last_year: int) -> list[PointsVersion] | None:
    """The critical points of a rule (None for the month-by-month percentile rule)."""
    if rule == "packaged":
        from yacang.alerts.lights import POINTS_FILE

        return load_points(POINTS_FILE)
    if rule == "single":
        return [window_version(monthly, "2000–2019", "1990-01", ("2000-01", "2019-12"))]
    if rule == "realtime-5y":
        return realtime_versions(monthly, list(range(2005, last_year + 1, 5)))
    if rule == "realtime-1y":
        return realtime_versions(monthly, list(range(2004, last_year + 1)))
    if rule == "percentile":
        return None
    raise LightsError(f"未知的临界点规则 {rule!r}，应为 {'、'.join(RULES)}")


def compare_rules(series: dict[str, pd.Series], indicators: list[Indicator],
                  ytd: dict[str, pd.Series] | None = None, rules=tuple(RULES)) -> pd.DataFrame:
    """One row per rule: agreement per backtest kind as ``same/within one zone/rows``."""
    ytd = ytd or {}
    monthly = {i.code: prepare(series[i.code], i, ytd=ytd.get(i.code)) for i in indicators if i.code in series}
    last_year = max(s.index.max().year for s in monthly.values())
    rows = []
    for rule in rules:
        pts = rule_points(rule, monthly, last_year)
        method = "percentile" if pts is None else "official"
        lights = compute_lights(series, indicators, ytd=ytd, method=method, points=pts)
        counts = summary(backtest(lights))
        rows.append({"规则": rule, "说明": RULES[rule],
                     **{k: f"{same}/{near}/{n}" for k, (same, near, n) in counts.items() if k in KINDS}})
    return pd.DataFrame(rows)
