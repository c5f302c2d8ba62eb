"""The one monthly calendar of a 当月 series: 1-2月 merged since 2013, whatever was published before.

NBS has surveyed and released January and February together since 2013 (1-2月). Before 2013 the
releases varied: some years have a merged 1-2月 figure only (e.g. 2008: 15.4), others a February
figure of its own **and** the 1-2月 figure (2009: 2月 11.0, 1-2月 3.8, January never published alone).
Data portals store both in the same "February" cell, so a consumer that reads "the February value"
as "January and February" gets 2009 wrong. Every monthly consumer (alerts, signal lights, turning
points, seasonal adjustment, nowcast) goes through the two functions here:

``calendar_view(values, ytd=None, merged=None) -> pd.Series``
    The periods as published, as warehouse period codes in time order: ``2009-01/02`` (1-2月),
    ``2009-02`` (February alone, where published), ``2009-03`` …; one ``YYYY-01/02`` per year since
    2013. The 累计 (年初至今) series, when given, tells what a pre-2013 February cell is: if it equals the
    February 累计 it *is* the 1-2月 figure; otherwise it is February alone and 1-2月 is the 累计 value.
    Without the 累计 series a lone pre-2013 February value stays February alone (no January made up).

``merged_view(values, ytd=None) -> pd.Series``
    The view on the merged release calendar throughout: every year's published 1-2月, and a year's
    single January/February values left out wherever it has one (the nowcast's target).

``flow_view(values, ytd) -> pd.Series``
    The same rule for a 当月值 *flow* (亿元, not a rate): 1-2月 is the February 累计值 (the merged
    January–February flow); a missing month is the difference of consecutive 累计值.

``monthly_grid(view) -> pd.DataFrame``
    A regular monthly ``PeriodIndex`` (for models that need one value per month) with columns
    ``value``, ``period`` (the code the value comes from) and ``joint`` (the value is the merged 1-2月).
    January and February both carry the 1-2月 value unless January itself was published; a February
    alone value is used on the grid only when January was published too (it stays in the view for
    display). So a grid never shows February's single-month value as January (never 2009-01 = 11.0).

Values after 2013 that sit in a single January or February cell (e.g. a vendor's own split of 1-2月)
are not NBS releases: they are left out of the view and named in ``view.attrs["notes"]``.
"""

from __future__ import annotations

import pandas as pd

from yacang.periods import JAN_FEB_MERGED_SINCE, Period, PeriodError, parse_period

__all__ = ["CalendarError", "calendar_view", "flow_view", "grid_series", "merged_view", "monthly_grid",
           "view_labels"]


class CalendarError(ValueError):
    """A series whose periods cannot be put on the monthly calendar."""


def _codes(series: pd.Series | None, what: str) -> dict[str, float]:
    out: dict[str, float] = {}
    if series is None:
        return out
    for code, v in series.items():
        if pd.isna(v):
            continue
        try:
            p = parse_period(str(code))
        except PeriodError as exc:
            raise CalendarError(f"{what}的时期 {code!r} 无法识别：{exc}") from exc
        if p.kind in ("month", "jan_feb"):
            key = p.code
        else:
            continue  # quarters, days and other spans are not monthly releases
        if key in out and out[key] != float(v):
            raise CalendarError(f"{what}在 {key} 有两个不同的值（{out[key]} 与 {float(v)}），请先去重")
        out[key] = float(v)
    return out


def _released_merged(val: dict[str, float], merged_since: int) -> bool:
    """Whether a series follows the merged 1-2月 release (规上工业 survey data) or a monthly one
    (PMI, PPI, CPI: January and February each published): a merged code, or a year since
    ``merged_since`` with a March value but no January value, marks the former."""
    if any(k.endswith("/02") for k in val):
        return True
    years = {int(k[:4]) for k in val if int(k[:4]) >= merged_since}
    return any(f"{y}-03" in val and f"{y}-01" not in val for y in years)


def calendar_view(values: pd.Series, ytd: pd.Series | None = None, *,
                  merged_since: int = JAN_FEB_MERGED_SINCE, merged: bool | None = None) -> pd.Series:
    """The series on the published monthly calendar (see the module doc), indexed by period codes.

    ``merged``: whether the series is released with 1-2月 merged (True for 规上工业 survey data such
    as 工业增加值, 出口交货值, 利润; False for monthly releases such as PMI and PPI, whose January and
    February values are both kept); None infers it (:func:`_released_merged`). Pass True for a
    vendor series whose post-2013 January values are its own split of 1-2月.
    """
    val = _codes(values, "当月序列")
    cum = _codes(ytd, "累计序列")
    if not val:
        raise CalendarError("当月序列为空，无法建立月度日历")
    if merged is None:
        merged = _released_merged(val, merged_since)
    if not merged:
        order = sorted(val, key=lambda c: Period.parse(c).sort_key())
        view = pd.Series([val[c] for c in order], index=pd.Index(order, dtype=object), name=values.name, dtype=float)
        view.attrs["notes"] = []
        return view
    feb_ytd_years = {int(k[:4]) for k in cum if k.endswith(("-02", "-01/02"))}
    years = sorted({int(k[:4]) for k in val} | {y for y in feb_ytd_years if y >= min(int(k[:4]) for k in val)})
    out: dict[str, float] = {}
    notes: list[str] = []
    for y in years:
        jan, feb, merged = val.get(f"{y}-01"), val.get(f"{y}-02"), val.get(f"{y}-01/02")
        ytd_feb = cum.get(f"{y}-02", cum.get(f"{y}-01/02"))
        if y >= merged_since:
            jf = merged if merged is not None else ytd_feb
            if jf is None and feb is not None and jan is None:
                jf = feb  # a 1-2月 value stored in the February cell
            if jf is None and jan is not None and feb is not None and jan == feb:
                jf = feb
            if jf is not None:
                out[f"{y}-01/02"] = jf
            dropped = [f"{y}-{m:02d}={v}" for m, v in ((1, jan), (2, feb)) if v is not None and v != jf]
            if dropped:
                notes.append(f"{y}年起1-2月合并发布，单月值 {', '.join(dropped)} 不是国家统计局发布值，未采用")
        else:
            if merged is not None:
                out[f"{y}-01/02"] = merged
            elif ytd_feb is not None and feb is not None and jan is None and feb == ytd_feb:
                out[f"{y}-01/02"] = feb  # the February cell holds the merged 1-2月 figure
                feb = None
            elif ytd_feb is not None:
                out[f"{y}-01/02"] = ytd_feb
            if jan is not None:
                out[f"{y}-01"] = jan
            if feb is not None:
                out[f"{y}-02"] = feb
        for m in range(3, 13):
            code = f"{y}-{m:02d}"
            if code in val:
                out[code] = val[code]
    order = sorted(out, key=lambda c: Period.parse(c).sort_key())
    view = pd.Series([out[c] for c in order], index=pd.Index(order, dtype=object), name=values.name, dtype=float)
    view.attrs["notes"] = notes
    return view


def merged_view(values: pd.Series, ytd: pd.Series | None = None) -> pd.Series:
    """:func:`calendar_view` with ``merged=True``, without the single January/February values of the years
    that have a 1-2月 figure (a model on the merged release calendar throughout)."""
    view = calendar_view(values, ytd, merged=True)
    merged_years = {str(code)[:4] for code in view.index if str(code).endswith("-01/02")}
    singles = {f"{y}-01" for y in merged_years} | {f"{y}-02" for y in merged_years}
    out = view[[c not in singles for c in view.index]]
    out.attrs["notes"] = view.attrs.get("notes", [])
    return out


def flow_view(values: pd.Series, ytd: pd.Series) -> pd.Series:
    """A 当月值 flow series with every year's 1-2月 taken from the February 累计值.

    NBS publishes no January (and, in Wind exports, often no February) 当月值; the February
    累计值 is the merged January–February flow. Other months keep their 当月值, and a missing one
    is filled as the difference of consecutive 累计值. Returns warehouse-style period codes.
    """
    def code_map(s: pd.Series) -> dict[str, float]:
        return {str(k): float(v) for k, v in s.items() if pd.notna(v)}

    val, cum = code_map(values), code_map(ytd)
    years = sorted({int(k[:4]) for k in (*val, *cum)})
    out: dict[str, float] = {}
    for year in years:
        feb = cum.get(f"{year}-02", cum.get(f"{year}-01/02"))
        if feb is None:
            feb = val.get(f"{year}-01/02")
        if feb is not None:
            out[f"{year}-01/02"] = feb
        for month in range(3, 13):
            code = f"{year}-{month:02d}"
            if code in val:
                out[code] = val[code]
            elif code in cum and f"{year}-{month - 1:02d}" in cum:
                out[code] = cum[code] - cum[f"{year}-{month - 1:02d}"]
            elif month == 3 and code in cum and feb is not None:
                out[code] = cum[code] - feb
    return pd.Series(out, name=values.name, dtype=float)


def monthly_grid(view: pd.Series) -> pd.DataFrame:
    """One row per calendar month from the first to the last period of ``view`` (see module doc)."""
    if view.empty:
        raise CalendarError("日历为空")
    codes = {str(c): float(v) for c, v in view.items()}
    first, last = parse_period(str(view.index[0])), parse_period(str(view.index[-1]))
    months = pd.period_range(pd.Period(year=first.year, month=first.start, freq="M"),
                             pd.Period(year=last.year, month=last.end, freq="M"), freq="M")
    rows = []
    for p in months:
        y, m = p.year, p.month
        jf, jan = codes.get(f"{y}-01/02"), codes.get(f"{y}-01")
        src: str | None
        if m == 1:
            src = f"{y}-01" if jan is not None else (f"{y}-01/02" if jf is not None else None)
        elif m == 2:
            if jan is not None and f"{y}-02" in codes:
                src = f"{y}-02"
            elif jf is not None:
                src = f"{y}-01/02"
            else:
                src = f"{y}-02" if f"{y}-02" in codes else None
        else:
            src = f"{y}-{m:02d}" if f"{y}-{m:02d}" in codes else None
        rows.append((codes[src] if src else float("nan"), src or "", bool(src and src.endswith("/02"))))
    return pd.DataFrame(rows, index=months, columns=["value", "period", "joint"])


def grid_series(values: pd.Series, ytd: pd.Series | None = None) -> pd.Series:
    """Shortcut: the ``value`` column of ``monthly_grid(calendar_view(values, ytd))``."""
    return monthly_grid(calendar_view(values, ytd))["value"].rename(values.name)


def view_labels(view: pd.Series) -> list[str]:
    """Chinese labels of the view's periods (``2009年1-2月``, ``2009年2月``, ``2009年3月``)."""
    return [parse_period(str(c)).label_zh() for c in view.index]
