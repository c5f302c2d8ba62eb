"""Which report periods make up 当月 and 累计 under NBS practice (1-2月 merged since 2013)."""

from __future__ import annotations

from yacang.periods import Period, PeriodError, parse_period


class ReportPeriodError(PeriodError):
    """A period that is not a month or the merged 1-2月."""


def report_periods(period: str | Period, *, cumulative: bool) -> list[str]:
    """Report period codes that make up 当月 or 累计 for ``period`` (a month or the merged 1-2月)."""
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    if p.kind not in ("month", "jan_feb"):
        raise ReportPeriodError(f"微观数据测算的报告期应为月份或1-2月，而不是 {p.code}")
    y = p.year
    jf = [f"{y}-01/02", f"{y}-01", f"{y}-02"]
    if p.kind == "jan_feb" or p.end <= 2:
        return jf
    if not cumulative:
        return [p.code]
    return jf + [f"{y}-{m:02d}" for m in range(3, p.end + 1)]


def previous_period(period: str | Period) -> str:
    """The report period before ``period`` under NBS practice (2022-03 → 2022-01/02 → 2021-12)."""
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    if p.start <= 2:
        return f"{p.year - 1}-12"
    if p.end == 3:
        return f"{p.year}-01/02"
    return f"{p.year}-{p.end - 1:02d}"


def same_period_last_year(period: str | Period) -> str:
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    return p.shift_years(-1).code
