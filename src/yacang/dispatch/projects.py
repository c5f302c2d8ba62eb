"""Major projects (重大项目): registry, monthly progress, schedule lights, 形成实物工作量, late starts.

Schedule status of a project at the end of a month compares
  计划进度 = share of the planned construction time elapsed (planned start → planned finish, by days)
  实际进度 = 累计完成投资 / 计划总投资
in percent; 落后 = 计划进度 − 实际进度 in 百分点. Lights (configurable, :class:`Thresholds`):
落后 < 10 → 绿, 10 ≤ 落后 ≤ 30 → 黄, 落后 > 30 → 红. 形成实物工作量 is the investment completed in the
period (当月完成投资), summed by region or industry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from yacang.appdb.base import row_id
from yacang.auth.scope import Scope
from yacang.catalog.regions import RegionError, ancestor_at, level_of, region_name
from yacang.dispatch.access import require_official, require_read, scoped
from yacang.dispatch.clock import SYSTEM, Clock
from yacang.dispatch.errors import NAME_MAX, NOTE_MAX, DispatchError, DispatchNotFound, dispatch_text
from yacang.dispatch.listing import Listed, in_subtree, matching, paged
from yacang.dispatch.models import Project, ProjectProgress
from yacang.periods import PeriodError, parse_period
from yacang.validation import PROJECT_FIELDS, Invalid, check_period, check_text, check_value, is_finite_number

LIGHT_ZH = {"green": "绿", "yellow": "黄", "red": "红", "none": "未开工"}


@dataclass(frozen=True)
class Thresholds:
    """落后计划进度 (百分点): ``yellow`` ≤ lag ≤ ``red`` is 黄, above ``red`` is 红."""

    yellow: float = 10.0
    red: float = 30.0

    def __post_init__(self) -> None:
        if not (is_finite_number(self.yellow) and is_finite_number(self.red) and 0 <= self.yellow <= self.red):
            raise Invalid(f"灯号阈值应为有限数字且 0 ≤ 黄灯 ≤ 红灯（落后百分点），收到 黄灯 {self.yellow}、红灯 {self.red}")

    def light(self, lag: float) -> str:
        if lag > self.red:
            return "red"
        if lag >= self.yellow:
            return "yellow"
        return "green"


DEFAULT_THRESHOLDS = Thresholds()


def _month(period: str) -> str:
    try:
        p = parse_period(period)
    except PeriodError as exc:
        raise DispatchError(f"月份“{period}”无效（应为 2022-03 这样的月份）：{exc}") from None
    if p.kind != "month":
        raise DispatchError(f"项目进度按月报送，月份应为 2022-03 这样的单月，收到 {period}")
    return p.code


def _day(value: object, label: str) -> dt.date:
    """A date written as YYYY-MM-DD; anything else (2024-13-01, text) is a :class:`DispatchError`."""
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DispatchError(f"{label}应为有效日期（如 2022-03-15），收到“{str(value)[:40]}”") from None


def register_project(session: Session, scope: Scope, *, code: str, name: str, region: str, industry: str,
                     planned_investment: float, planned_start: dt.date, planned_finish: dt.date, owner: str = "",
                     milestones: list[dict] | None = None) -> Project:
    try:
        level_of(region)
    except RegionError as exc:
        raise DispatchError(f"项目所在地区代码无效：{exc}") from None
    require_official(scope, region, "登记重大项目")
    try:
        planned_investment = check_value(planned_investment, PROJECT_FIELDS["planned_investment"])
        name = check_text(name, "项目名称", max_length=128, required=True)
        owner = check_text(owner, "项目业主", max_length=128)
    except Invalid as exc:
        raise DispatchError(str(exc)) from None
    if planned_investment <= 0:
        raise DispatchError(f"计划总投资应大于0（亿元），收到 {planned_investment}")
    if planned_finish <= planned_start:
        raise DispatchError(f"计划竣工日期（{planned_finish}）应晚于计划开工日期（{planned_start}）")
    if session.scalar(select(Project).where(Project.code == code)):
        raise DispatchError(f"项目编号已存在：{code}")
    ms = []
    for m in milestones or []:
        if not isinstance(m, dict) or "name" not in m or "planned" not in m:
            raise DispatchError(f"里程碑应写作 {{name, planned: YYYY-MM-DD}}，收到 {str(m)[:100]}")
        ms.append({"name": dispatch_text(str(m["name"]), "里程碑名称", max_length=NAME_MAX, required=True),
                   "planned": _day(m["planned"], "里程碑计划日期").isoformat()})
    p = Project(code=code, name=name, region=region, industry=industry, planned_investment=float(planned_investment),
                planned_start=planned_start, planned_finish=planned_finish, owner=owner, milestones=ms)
    session.add(p)
    session.flush()
    return p


def get_project(session: Session, scope: Scope, ref: int | str) -> Project:
    rid = row_id(ref)
    p = session.get(Project, rid) if rid is not None else session.scalar(select(Project).where(Project.code == str(ref)))
    if p is None:
        raise DispatchNotFound(f"没有找到项目 {ref}（或不在本账号的查看范围内）")
    require_read(scope, None, p.region, f"项目 {ref}")
    return p


def projects_query(scope: Scope, *, region: str | None = None, q: str | None = None,
                   industry: str | None = None) -> Select:
    """The projects ``scope`` may read, by region and code, narrowed by region subtree, text (code, name,
    owner) and industry code prefix; their progress rows are loaded with them (one more query)."""
    query = scoped(select(Project), scope, Project.code, Project.region).order_by(Project.region, Project.code)
    query = in_subtree(query, Project.region, region).options(selectinload(Project.progress))
    if industry:
        query = query.where(Project.industry.startswith(industry, autoescape=True))
    return matching(query, q, Project.code, Project.name, Project.owner)


def list_projects(session: Session, scope: Scope, *, region: str | None = None) -> list[Project]:
    return list(session.scalars(projects_query(scope, region=region)))


def schedule_page(session: Session, scope: Scope, period: str, *, light: str | None = None, offset: int = 0,
                  limit: int | None = 50, thresholds: Thresholds | None = None, **filters) -> Listed[dict]:
    """One page of :func:`schedule` rows of the projects matching ``filters`` (see :func:`projects_query`).

    Without a ``light`` filter the page is cut in the database; a light is computed per project, so
    filtering by it computes every matching project's schedule first."""
    thresholds = thresholds or DEFAULT_THRESHOLDS
    if light and light not in LIGHT_ZH:
        raise DispatchError(f"灯号应为 {'/'.join(LIGHT_ZH)}，收到 {light}")
    query = projects_query(scope, **filters)
    if not light:
        found = paged(session, query, offset=offset, limit=limit)
        return Listed([schedule(p, period, thresholds) for p in found.rows], found.total)
    rows = [r for r in (schedule(p, period, thresholds) for p in session.scalars(query)) if r["light"] == light]
    return Listed(rows[offset:] if limit is None else rows[offset:offset + limit], len(rows))


def report_progress(session: Session, scope: Scope, ref: int | str, *, period: str, invest_cum: float,
                    milestones_done: dict[str, str] | None = None, actual_start: dt.date | None = None,
                    note: str = "", clock: Clock = SYSTEM) -> ProjectProgress:
    """Monthly progress: 累计完成投资 to the month's end; the month's own investment is the difference."""
    p = get_project(session, scope, ref)
    require_official(scope, p.region, "报送项目进度")
    period = _month(period)
    try:
        invest_cum = check_value(invest_cum, PROJECT_FIELDS["invest_cum"])
        check_period(period, on=clock.now().date(), label="进度月份")
    except Invalid as exc:
        raise DispatchError(str(exc)) from None
    before = [x for x in p.progress if x.period < period]
    after = [x for x in p.progress if x.period > period]
    prev = before[-1].invest_cum if before else 0.0
    if invest_cum + 1e-9 < prev:
        raise DispatchError(f"{p.name} {period} 累计完成投资 {invest_cum:.2f} 亿元小于上次报送的 {prev:.2f} 亿元")
    if after and invest_cum > after[0].invest_cum + 1e-9:
        raise DispatchError(f"{p.name} {period} 累计完成投资大于以后月份（{after[0].period}）已报送的值")
    known = {m["name"] for m in p.milestones or []}
    done = {}
    for name, day in (milestones_done or {}).items():
        if name not in known:
            raise DispatchError(f"项目 {p.code} 没有里程碑“{str(name)[:50]}”（现有：{'、'.join(known) or '无'}）")
        done[name] = _day(day, f"里程碑“{name}”完成日期").isoformat()
    note = dispatch_text(note, "进度说明", max_length=NOTE_MAX)
    if actual_start is not None:
        p.actual_start = actual_start
    elif invest_cum > 0 and p.actual_start is None:
        p.actual_start = parse_period(period).end_date
    row = next((x for x in p.progress if x.period == period), None)
    if row is None:
        row = ProjectProgress(period=period, invest_cum=0.0)
        p.progress.append(row)
    row.invest_cum, row.invest_month = float(invest_cum), float(invest_cum) - prev
    row.milestones_done, row.note, row.reported_by, row.reported_at = done, note, scope.username, clock.now()
    if after:  # the next month's own investment depends on this month's cumulative figure
        after[0].invest_month = after[0].invest_cum - float(invest_cum)
    session.flush()
    return row


# pure schedule math ----------------------------------------------------------------------------
def planned_pct(start: dt.date, finish: dt.date, on: dt.date) -> float:
    """Share of the planned construction time elapsed by ``on`` (%), 0 before start, 100 after finish."""
    total = (finish - start).days
    return 100.0 * min(max((on - start).days, 0), total) / total


def progress_at(p: Project, period: str) -> ProjectProgress | None:
    rows = [x for x in p.progress if x.period <= period]
    return rows[-1] if rows else None


def schedule(p: Project, period: str, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict[str, object]:
    """计划进度, 实际进度, 落后 and light of a project at the end of ``period``."""
    period = _month(period)
    end = parse_period(period).end_date
    plan = planned_pct(p.planned_start, p.planned_finish, end)
    pr = progress_at(p, period)
    cum = pr.invest_cum if pr else 0.0
    actual = 100.0 * cum / p.planned_investment
    lag = plan - actual
    started = p.actual_start is not None and p.actual_start <= end
    # a project not yet due to start gets no light
    light = "none" if not started and p.planned_start > end else thresholds.light(lag)
    return {"code": p.code, "name": p.name, "region": p.region, "industry": p.industry, "period": period,
            "planned_investment": p.planned_investment, "invest_cum": cum, "invest_month": pr.invest_month if pr and pr.period == period else 0.0,
            "planned_pct": round(plan, 1), "actual_pct": round(actual, 1), "lag": round(lag, 1),
            "light": light, "light_zh": LIGHT_ZH[light], "started": started}


def schedule_table(session: Session, scope: Scope, period: str, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    rows = [schedule(p, period, thresholds) for p in list_projects(session, scope)]
    return pd.DataFrame(rows, columns=["code", "name", "region", "industry", "period", "planned_investment", "invest_cum",
                                       "invest_month", "planned_pct", "actual_pct", "lag", "light", "light_zh", "started"])


def not_started(session: Session, scope: Scope, on: dt.date | None = None, clock: Clock = SYSTEM) -> pd.DataFrame:
    """Projects past their planned start with no start recorded, latest first by days late."""
    on = on or clock.now().date()
    rows = [{"编号": p.code, "项目": p.name, "地区": p.region, "计划开工": p.planned_start.isoformat(),
             "逾期天数": (on - p.planned_start).days, "计划投资（亿元）": round(p.planned_investment, 1), "业主": p.owner}
            for p in list_projects(session, scope)
            if p.planned_start < on and (p.actual_start is None or p.actual_start > on)]
    df = pd.DataFrame(rows, columns=["编号", "项目", "地区", "计划开工", "逾期天数", "计划投资（亿元）", "业主"])
    return df.sort_values("逾期天数", ascending=False, kind="stable").reset_index(drop=True)


def workload(session: Session, scope: Scope, period: str, by: str = "region", *, region_level: str = "prefecture") -> pd.DataFrame:
    """形成实物工作量 (亿元): the period's completed investment and the year-to-date sum, by region or industry."""
    if by not in ("region", "industry"):
        raise DispatchError(f"汇总维度应为 region 或 industry，收到 {by}")
    period = _month(period)
    year = period[:4]
    rows = []
    for p in list_projects(session, scope):
        key = p.region if by == "region" else (p.industry[:2] or "未分类")
        if by == "region":
            key = ancestor_at(key, region_level)
        month = sum(x.invest_month for x in p.progress if x.period == period)
        ytd = sum(x.invest_month for x in p.progress if x.period[:4] == year and x.period <= period)
        rows.append({"key": key, "projects": 1, "month": month, "ytd": ytd})
    label = "地区" if by == "region" else "行业"
    if not rows:
        return pd.DataFrame(columns=[label, "项目数", "当月完成投资（亿元）", f"{year}年累计完成投资（亿元）"])
    df = pd.DataFrame(rows).groupby("key", sort=True).sum().reset_index()
    total = df[["projects", "month", "ytd"]].sum()
    df = pd.concat([df, pd.DataFrame([{"key": "合计", **total.to_dict()}])], ignore_index=True)
    df.columns = [label, "项目数", "当月完成投资（亿元）", f"{year}年累计完成投资（亿元）"]
    df["项目数"] = df["项目数"].astype(int)
    catalog = _catalog(by)
    df.insert(1, "名称", [_name(k, by, catalog) for k in df[label]])
    return df


def _catalog(by: str):
    """The region or industry catalogue, loaded once for a table's names."""
    from yacang.catalog.industries import IndustryCatalog
    from yacang.catalog.regions import RegionCatalog

    return RegionCatalog.load() if by == "region" else IndustryCatalog.load()


def _name(key: str, by: str, catalog) -> str:
    if key == "合计":
        return ""
    name = region_name(key, catalog) if by == "region" else industry_name(key, catalog)
    return "" if name == key else name


def industry_name(code: str, catalog=None) -> str:
    """The GB/T 4754 name of an industry code (the code itself when unknown); ``catalog``: an
    :class:`~yacang.catalog.industries.IndustryCatalog` already loaded."""
    from yacang.catalog.industries import IndustryCatalog, IndustryError

    try:
        return (catalog or IndustryCatalog.load()).get(code).name
    except (IndustryError, KeyError):  # an unknown code: the code is shown instead
        return code


def industry_label(code: str, catalog=None) -> str:
    """“软件和信息技术服务业（65）”: :meth:`~yacang.catalog.industries.IndustryCatalog.label` of the code."""
    from yacang.catalog.industries import IndustryCatalog

    return (catalog or IndustryCatalog.load()).label(code or "")


def latest_period(session: Session, scope: Scope) -> str | None:
    """The latest month with reported progress among the projects ``scope`` may read."""
    ids = projects_query(scope).with_only_columns(Project.id).order_by(None)
    return session.scalar(select(func.max(ProjectProgress.period)).where(ProjectProgress.project_id.in_(ids)))


def to_dict(p: Project) -> dict[str, object]:
    return {"id": p.id, "code": p.code, "name": p.name, "region": p.region, "industry": p.industry,
            "planned_investment": p.planned_investment, "planned_start": p.planned_start.isoformat(),
            "planned_finish": p.planned_finish.isoformat(), "owner": p.owner, "milestones": p.milestones,
            "actual_start": p.actual_start.isoformat() if p.actual_start else None,
            "progress": [{"period": x.period, "invest_cum": x.invest_cum, "invest_month": x.invest_month,
                          "milestones_done": x.milestones_done, "note": x.note} for x in p.progress]}
