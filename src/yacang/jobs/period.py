"""Which month a bulletin reports on when the user says "latest"."""

from __future__ import annotations

from yacang.catalog.regions import NATION
from yacang.periods import Period, PeriodError, parse_period, reporting_period
from yacang.warehouse import job_queries

COMPLETE_SHARE = 0.95  # a month is complete once this share of the 规上 set has reported


def has_microdata(wh) -> bool:
    return job_queries.has_microdata(wh)


def latest_complete_microdata_period(wh, share: float = COMPLETE_SHARE) -> Period | None:
    """Latest report period whose counted reports cover at least ``share`` of that year's 规上 set."""
    cov = job_queries.scale_coverage_by_period(wh)
    complete = [parse_period(p) for p, n, total in zip(cov["period"], cov["n"], cov["n_scale"], strict=True)
                if total and n / total >= share]
    return max(complete) if complete else None


def latest_published_period(wh, region: str = NATION) -> Period | None:
    """Latest month with a published 规上工业增加值 figure of ``region`` (its 累计同比, or its 当月同比 where it
    publishes only that), as NBS reports it (a February 累计 stored in the February cell is 1-2月); the
    nation's when the region has none (the bulletin then names the regions without figures)."""
    for where, measure in ((region, "ytd_yoy"), (region, "yoy"), (NATION, "ytd_yoy")):
        sid = wh.find_series("iva", measure, region=where)
        df = wh.read(sid) if sid is not None else None
        if df is not None and not df.empty:
            return reporting_period(parse_period(df["period"].iloc[-1]))[0]
    return None


def checked_period(wanted: str) -> Period:
    """``wanted`` parsed, refused (:class:`JobError`) when it is no month or has not begun yet."""
    from yacang.jobs.errors import JobError
    from yacang.validation import Invalid, check_period

    try:
        parse_period(wanted)
    except PeriodError:
        raise JobError(f"通报期“{wanted}”无法识别：应为 YYYY-MM（月份 1–12），如 2022-03；1-2月写 2022-02") from None
    try:
        return check_period(wanted, label="通报期")
    except Invalid as exc:
        raise JobError(f"{exc}；请用 --period 指定已发布数据的月份") from None


def resolve_period(wh, wanted: str, region: str = NATION) -> Period:
    """``wanted`` as a report period; "latest" picks the latest complete month of enterprise reports, or
    without them the latest month ``region`` has a published figure for (:func:`latest_published_period`)."""
    from yacang.jobs.errors import JobError

    if wanted != "latest":
        return reporting_period(checked_period(wanted))[0]
    found = latest_complete_microdata_period(wh) if has_microdata(wh) else latest_published_period(wh, region)
    if found is None:
        raise JobError("仓库中没有可通报的月份：请先导入国家统计局数据或企业月报，或运行 yacang demo。")
    return found
