"""Which month a bulletin reports on when the user says "latest"."""

from __future__ import annotations

from yacang.periods import Period, parse_period, reporting_period

COMPLETE_SHARE = 0.95  # a month is complete once this share of the 规上 set has reported


def has_microdata(wh) -> bool:
    return bool(wh.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'reports'")) and bool(
        wh.scalar("SELECT count(*) FROM reports")
    )


def latest_complete_microdata_period(wh, share: float = COMPLETE_SHARE) -> Period | None:
    """Latest report period whose counted reports cover at least ``share`` of that year's 规上 set."""
    rows = wh.db.execute(
        """SELECT r.period, count(DISTINCT r.uscc) AS n, any_value(s.n_scale) AS n_scale
           FROM reports r
           JOIN (SELECT year, count(*) AS n_scale FROM enterprise_years WHERE above_scale GROUP BY year) s
             ON s.year = CAST(substr(r.period, 1, 4) AS INTEGER)
           JOIN enterprise_years e ON e.uscc = r.uscc AND e.year = s.year AND e.above_scale
           WHERE r.status IN ('submitted', 'accepted')
           GROUP BY r.period"""
    ).fetchall()
    complete = [parse_period(p) for p, n, total in rows if total and n / total >= share]
    return max(complete) if complete else None


def latest_national_period(wh) -> Period | None:
    """Latest month with a published national IVA 累计同比."""
    sid = wh.find_series("iva", "ytd_yoy")
    if sid is None:
        return None
    df = wh.read(sid)
    return parse_period(df["period"].iloc[-1]) if not df.empty else None


def resolve_period(wh, wanted: str) -> Period:
    """``wanted`` as a report period; "latest" picks the latest complete month in the warehouse."""
    from yacang.jobs.errors import JobError

    if wanted != "latest":
        return reporting_period(parse_period(wanted))[0]
    found = latest_complete_microdata_period(wh) if has_microdata(wh) else latest_national_period(wh)
    if found is None:
        raise JobError("仓库中没有可通报的月份：请先导入国家统计局数据或企业月报，或运行 yacang demo。")
    return found
