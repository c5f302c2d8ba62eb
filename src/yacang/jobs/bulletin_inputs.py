"""Alerts, 红黄蓝 materials and signal lights as the bulletin's input rows.

``yacang run`` evaluates the default 苗头性问题 rule pack over every fact the warehouse has (published
series and microdata measures), stores the states in the alert history, and hands the firing,
unsilenced alerts of the bulletin's month to the bulletin, with the materials' levels at the end of
that month and the signal lights of the last six months.
"""

from __future__ import annotations

import pandas as pd

from yacang.alerts.evaluate import evaluate_alerts
from yacang.catalog.regions import ancestor_at
from yacang.formatting import date_zh
from yacang.periods import Period, jan_feb_merged
from yacang.report.inputs import AlertRow, LightRow, MaterialRow

LEVEL_CODE = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue"}
LEVELS_DESC = ("红", "橙", "黄", "蓝")
MATERIAL_LEVEL = {"红": "red", "黄": "yellow", "蓝": "blue", "无": "none", "": "none"}
LIGHT_CODE = {"红灯": "red", "黄灯": "yellow", "绿灯": "green", "浅蓝灯": "lightblue", "蓝灯": "blue",
              "红": "red", "黄": "yellow", "绿": "green", "浅蓝": "lightblue", "蓝": "blue"}
CHILD_NAME = {"nation": "个省份", "province": "个地市", "prefecture": "个区县"}


def _bulletin_unit(region: str):
    """Map an alert's stored region to the unit the bulletin shows it under: the bulletin region itself
    or the direct child containing it (None outside the subtree)."""
    from yacang.catalog.regions import is_descendant, level_of

    child_level = {"nation": "province", "province": "prefecture", "prefecture": "county"}.get(level_of(region))

    def unit(code: str) -> str | None:
        if code == region:
            return region
        if child_level is None or not is_descendant(code, region):
            return None
        return ancestor_at(code, child_level)

    return unit


BULLETIN_MIN_LEVEL = "黄"  # 蓝色 (提示) alerts stay in the alert system (yacang alerts list, web 预警 page)


def alert_rows(firing: pd.DataFrame, region: str, *, min_level: str = BULLETIN_MIN_LEVEL) -> list[AlertRow]:
    """The bulletin's alert rows: firing alerts of the bulletin region and its direct children, grouped
    by rule and region, most severe first.

    - the region of an alert is the stored one (:mod:`yacang.alerts.regions`): an enterprise's or an
      industry's alert is listed under the child region it lies in; region alerts of units further
      down (a city in the national bulletin) belong to their own region's bulletin;
    - a child's alert that repeats the bulletin region's alert of the same rule is folded into it
      ("另有…等N个省份同时触发");
    - ``min_level`` gates what reaches the bulletin (default 黄: the 蓝色 提示 level stays in the alert
      system); the report puts red in the text and the rest in the 附表.
    """
    if firing.empty:
        return []
    from yacang.alerts.fact_table import names_for
    from yacang.catalog.regions import level_of
    from yacang.periods import parse_period

    keep = set(LEVELS_DESC[: LEVELS_DESC.index(min_level) + 1])
    unit_of = _bulletin_unit(region)
    df = firing[firing["severity"].isin(keep)].copy()
    df["unit"] = [unit_of(str(c)) for c in df["region"]]
    df = df[df["unit"].notna()]
    region_rows = df["scope"] == "region"
    df = df[~region_rows | (df["key"] == df["unit"])]  # cities in a national bulletin: their own bulletin
    repeats = df[region_rows.reindex(df.index) & (df["repeat_of"].fillna("") == region)]
    df = df.drop(repeats.index)
    stored = {}  # names stored with region alerts at evaluation (e.g. the demo's cities), for codes the catalog lacks
    if "name" in firing:
        regional = firing[firing["scope"] == "region"].dropna(subset=["name"])
        stored = dict(zip(regional["key"].astype(str), regional["name"].astype(str), strict=True))

    def named(codes: pd.Series) -> dict[str, str]:
        found = dict(zip(codes.astype(str), names_for(codes.astype(str)), strict=True))
        return {c: (stored.get(c, n) if n == c else n) for c, n in found.items()}

    names = named(df["unit"])
    short = named(repeats["key"])
    folded = repeats.groupby("rule_id")["key"].apply(list).to_dict()
    child = CHILD_NAME.get(level_of(region), "个下级地区")
    df["_o"] = df["severity"].map({lv: i for i, lv in enumerate(LEVELS_DESC)})
    rows = []
    for (rule_id, unit), g in df.sort_values(["_o", "key"]).groupby(["rule_id", "unit"], sort=False):
        top = g.iloc[0]  # the most severe alert of the group
        message = _group_message(g, str(names[unit]))
        if len(g) == 1 and top.scope == "region" and top.key == unit:
            message = _without_unit_and_period(message, str(names[unit]), top.get("period"))
        also = folded.get(rule_id, []) if unit == region else []
        if also:
            message += f"（{_also_firing([short[k] for k in sorted(also)], child)}）"
        since = min((s for s in g["since"] if isinstance(s, str) and s), key=lambda c: parse_period(c).sort_key(),
                    default="")
        rows.append(AlertRow(region_code=str(unit), region_name=str(names[unit]), rule=str(top.rule_name),
                             severity=LEVEL_CODE.get(str(top.severity), "blue"), message=message,
                             since=parse_period(since).label_zh() if since else ""))
    order = {"red": 0, "orange": 1, "yellow": 2, "blue": 3}
    return sorted(rows, key=lambda a: (order.get(a.severity, 4), a.region_code, a.rule))


def _also_firing(names: list[str], child: str) -> str:
    """另有辽宁省同时触发 / 另有辽宁省、吉林省2个省份同时触发 / 另有辽宁省、吉林省、黑龙江省等5个省份同时触发."""
    if len(names) == 1:
        return f"另有{names[0]}同时触发"
    listed = "、".join(names[:3])
    return f"另有{listed}{'等' if len(names) > 3 else ''}{len(names)}{child}同时触发"


def _without_unit_and_period(message: str, unit_name: str, period: object) -> str:
    """A region's message without its leading name and the bulletin's period ("北京市2022年1-12月规上…" →
    "规上…"): the bulletin row already names the region and the bulletin the period."""
    from yacang.periods import parse_period

    out = message.removeprefix(unit_name).lstrip()
    if isinstance(period, str) and period:
        p = parse_period(period)
        for label in sorted({p.label_zh(), p.label_zh(cumulative=True)}, key=len, reverse=True):
            if out.startswith(label):
                return out.removeprefix(label)
    return out


def _group_message(g: pd.DataFrame, unit_name: str) -> str:
    """One alert's message, or for several (industries, enterprises of one region under one rule) a count
    and the most severe three."""
    msgs = [str(m or "") for m in g["message"]]
    if len(g) == 1:
        return msgs[0]
    what = {"industry": "个行业", "enterprise": "家企业", "project": "个项目"}.get(str(g["scope"].iloc[0]), "项")
    shown = "；".join(msgs[:3])
    return f"{unit_name}共{len(g)}{what}触发：{shown}{'等' if len(g) > 3 else ''}"


def alert_counts(firing: pd.DataFrame) -> str:
    """One line for the run summary: firing alerts by level, and how many repeat a parent's alert."""
    if firing.empty:
        return "预警：没有正在触发的预警"
    counts = firing["severity"].value_counts()
    by_level = "、".join(f"{lv}色 {int(counts[lv])} 条" for lv in LEVELS_DESC if lv in counts)
    rep = int(firing["repeat_of"].notna().sum()) if "repeat_of" in firing else 0
    tail = f"；其中 {rep} 条与上级地区同一规则同时触发，归并到上级，独立预警 {len(firing) - rep} 条" if rep else ""
    return f"预警：各地区正在触发的共 {len(firing)} 条（{by_level}）{tail}"


def stored_firing(wh, period: Period) -> pd.DataFrame:
    """The alerts of ``period`` that the last evaluation stored as firing (not silenced, not muted):
    what the bulletin reports, read without evaluating anything."""
    from yacang.alerts.silences import reported
    from yacang.alerts.store import load_history

    return reported(load_history(wh, period=period.code, state="firing"))


def material_rows(wh, period: Period) -> list[MaterialRow]:
    """Each configured material's 红黄蓝 level at the end of ``period`` (those with data by then), with the
    price it was read from (the series the warning used, in its unit)."""
    from yacang.alerts.materials import assess_warehouse, series_values

    found = assess_warehouse(wh, asof=pd.Timestamp(period.end_date))  # the series current at the period's end
    meta = wh.series().set_index("series_id") if found else pd.DataFrame()
    prices = {}
    for a in found:
        sid = a.frame.attrs.get("series", {}).get("price")
        if sid is not None:
            prices[a.code] = (series_values(wh, sid), str(meta.loc[sid, "unit"] or "") if sid in meta.index else "")
    return material_rows_of(found, period, prices)


def material_rows_of(found: list, period: Period,
                     prices: dict[str, tuple[pd.Series, str]] | None = None) -> list[MaterialRow]:
    """:func:`material_rows` from the assessments ``found`` (and each material's price series and unit,
    ``prices`` by material code), through the one reading of a material on a day
    (:func:`~yacang.alerts.materials.material_status`): a material whose data had all stopped long before
    the period's end has no level in it (``stopped``: 数据停更), no price, and its note says the data
    stopped (and what the level was then) — a futures price that ended in 2022 is not a warning of 2024.
    较常态偏离 is the price against its mean of the year before (the ``price_1y`` signal), in %."""
    from yacang.alerts.materials import material_status, source_words

    end = pd.Timestamp(period.end_date)
    statuses = material_status(found, end)
    out = []
    for a, st in zip(found, statuses, strict=True) if statuses else ():
        if st.date is None:  # before its first reading
            continue
        price, unit, note = None, "", st.reason
        price_current = not st.stopped
        if price_current and a.code in (prices or {}):
            series, series_unit = prices[a.code]  # type: ignore[index]
            # the material may still be read from its other signals while its price has stopped
            price, stopped_on = _last_price(series, end)
            price_current, unit = price is not None, series_unit if price is not None else ""
            if stopped_on is not None:
                note = "；".join(x for x in (note, f"价格数据至{date_zh(stopped_on)}已停更，不列价格") if x)
        change = None
        if price_current and "price_1y" in a.frame:  # its last reading (the rows of other series have none)
            dev = a.frame["price_1y"].loc[: st.date].dropna()
            change = float(dev.iloc[-1]) * 100.0 if len(dev) else None
        level = "stopped" if st.stopped else MATERIAL_LEVEL.get(st.level_name, "none")
        out.append(MaterialRow(material=a.name, level=level, price=price, unit=unit, change=change,
                               note=note, source=source_words(a)))
    return out



def _last_price(series: pd.Series, end: pd.Timestamp) -> tuple[float | None, pd.Timestamp | None]:
    """The price on ``end``: its last reading when no older than the series can stand
    (:func:`~yacang.alerts.materials.stale_after`); else None and, when it had readings, the date of the
    last one (stopped)."""
    from yacang.alerts.materials import stale_after

    upto = series.loc[:end].dropna()
    if upto.empty:
        return None, None
    if end - upto.index[-1] <= stale_after(series):
        return float(upto.iloc[-1]), None
    return None, upto.index[-1]

def light_rows(wh, period: Period, months: int = 6) -> tuple[list[LightRow], list[str], str | None]:
    """景气信号灯 of each indicator and the composite over the ``months`` months up to ``period``, and the
    bulletin's note when they could not be computed (a bad points file, too short a history): the reader is
    told why the lights are missing rather than shown nothing. No light series at all is no lights, no note."""
    from yacang.alerts.lights import LightsError, NoLightSeries, lights_from_warehouse

    try:
        lights = lights_from_warehouse(wh)
    except NoLightSeries:
        return [], [], None
    except LightsError as exc:
        return [], [], f"景气预警信号灯未能计算（{exc}），本期通报未列信号灯。"
    end = pd.Period(period.end_date, freq="M")
    table = lights.table(start=str(end - months + 1), end=str(end))
    if table.empty:
        return [], [], None
    stamps = [pd.Period(label.replace("年", "-").rstrip("月"), freq="M") for label in table["月份"]]
    merged = [jan_feb_merged(m.year) and m.month <= 2 for m in stamps]
    table = table[[not (j and m.month == 1) for j, m in zip(merged, stamps, strict=True)]]  # 1-2月 is one column
    cols = ["1-2月" if j else f"{m.month}月" for j, m in zip(merged, stamps, strict=True) if not (j and m.month == 1)]
    rows = [LightRow(name=ind.name, lights=[LIGHT_CODE.get(str(v), "") for v in table[f"{ind.name}灯"]])
            for ind in lights.indicators]
    rows.append(LightRow(name="综合", lights=[LIGHT_CODE.get(str(v), "") for v in table["信号灯"]]))
    return rows, cols, None


__all__ = ["alert_counts", "alert_rows", "evaluate_alerts", "light_rows", "material_rows", "material_rows_of",
           "stored_firing"]
