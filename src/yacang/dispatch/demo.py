"""The dispatch demo set: appeals (with SLA history), whitelist entries, key enterprises with quick
reports, and major projects with monthly progress — built from the demo enterprises.

:func:`demo_hook` is the entry point ``dispatch`` of group ``yacang.demo_sets`` (see :mod:`yacang.plugins`), so
``yacang demo`` writes the set into the app database (upgraded to the latest migration first) and
the quick reports into the warehouse. Idempotent: rows of demo enterprises (USCC characters 9–10 =
the demo prefix) and projects coded ``DEMO-…`` are replaced. Time runs on a
:class:`~yacang.dispatch.clock.FixedClock` over the last three months of the demo panel, so the SLA
history (late responses, escalations) is the same on every run with the same seed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import ancestor_at, level_of
from yacang.dispatch import appeals as ap
from yacang.dispatch import key_enterprises as ke
from yacang.dispatch import projects as pj
from yacang.dispatch import whitelists as wl
from yacang.dispatch.clock import FixedClock
from yacang.dispatch.models import (
    Appeal,
    KeyEnterprise,
    Project,
    ProjectProgress,
    QuickReport,
    WhitelistEntry,
)
from yacang.periods import parse_period
from yacang.validation import PROJECT_FIELDS, QUICK_FIELDS, check_day, check_fields, check_period, check_value

DEMO_PREFIX = "DM"  # = yacang.demo.generator.DEMO_ORG_PREFIX (kept here so this module imports lightly)
OFFICER = Scope(Role.ADMIN, username="示例调度员")
REVIEWER = Scope(Role.ADMIN, username="示例审核员")  # separation of duties: apply, review and publish by
PUBLISHER = Scope(Role.ADMIN, username="示例发布员")  # three different people
DEPARTMENTS = {"缺芯": "工业和信息化局电子信息科", "缺柜": "商务局外贸科", "缺工": "人力资源和社会保障局",
               "用能": "发展和改革委员会（能源局）", "物流": "交通运输局", "资金": "地方金融监督管理局",
               "用地": "自然资源和规划局", "审批": "行政审批服务局", "其他": "工业和信息化局运行监测科"}
TEXTS = {"缺芯": "主控芯片到货延迟，现有库存仅够两周生产，请求协调供应商保供",
         "缺柜": "出口订单集中交付，港口空箱紧张，请求协调集装箱舱位",
         "缺工": "新增生产线缺少熟练操作工约80人，请求协助招聘",
         "用能": "有序用电期间限电比例过高，影响订单交付，请求调整用电时段",
         "物流": "原材料运输车辆通行受阻，请求办理重点物资运输通行证",
         "资金": "流动资金周转紧张，请求对接银行续贷及贴息政策",
         "用地": "扩建项目用地指标尚未落实，请求协调土地供应",
         "审批": "技改项目环评审批进度慢，请求并联审批",
         "其他": "请求协调解决厂区周边道路施工影响货车进出"}
PROJECT_NAMES = ("新能源汽车整车及零部件产业园", "高端装备制造基地", "集成电路封装测试项目", "锂电池材料一体化项目",
                 "绿色石化产业链延伸项目", "生物医药产业园", "光伏组件智能工厂", "工业互联网创新中心",
                 "高性能纤维及复合材料项目", "智能家电生产基地", "特钢精品线技术改造", "数据中心及算力中心",
                 "氢能装备产业园", "新型显示面板项目", "医疗器械研发生产基地", "轨道交通装备项目")


def _demo_usccs(session: Session, model) -> None:
    session.execute(delete(model).where(model.uscc.like(f"________{DEMO_PREFIX}%")))


def clear(session: Session) -> None:
    """Remove the previous demo rows (appeals' events and entries' history cascade)."""
    for a in session.scalars(select(Appeal).where(Appeal.uscc.like(f"________{DEMO_PREFIX}%"))):
        session.delete(a)
    for e in session.scalars(select(WhitelistEntry).where(WhitelistEntry.uscc.like(f"________{DEMO_PREFIX}%"))):
        session.delete(e)
    for p in session.scalars(select(Project).where(Project.code.like("DEMO-%"))):
        session.delete(p)
    _demo_usccs(session, QuickReport)
    _demo_usccs(session, KeyEnterprise)
    session.flush()


def seed_dispatch_demo(session: Session, wh, enterprises: pd.DataFrame, last_period: str,
                       rng: np.random.Generator) -> dict[str, int]:
    """Write the dispatch demo for ``enterprises`` (the demo registry) ending at ``last_period``."""
    clear(session)
    end = parse_period(last_period).end_date
    ents = enterprises[enterprises["uscc"].str[8:10] == DEMO_PREFIX]
    key = ents[ents["is_key"]] if "is_key" in ents else ents
    key = key.sort_values("uscc").head(400)
    if key.empty:
        key = ents.sort_values("uscc").head(100)
    counts = {"key": 0, "quick": 0, "whitelist": 0, "appeals": 0, "projects": 0, "open": 0}
    clock = FixedClock(dt.datetime.combine(end, dt.time(18, 0)))

    # key enterprises and their quick reports (added in bulk: one flush, not one per row) -----------------
    freq = key["frequency"] if "frequency" in key else pd.Series("月", index=key.index)
    session.add_all([_key_row(r, str(f), i) for i, (r, f) in enumerate(zip(key.itertuples(index=False), freq, strict=True))])
    counts["key"] += len(key)
    reporters = [(r.uscc, str(f)) for r, f in zip(key.itertuples(index=False), freq, strict=True) if f in ("周", "日")][:40]
    reports = []
    for uscc, f in reporters:
        days = [end - dt.timedelta(weeks=w) for w in range(4)] if f == "周" else [end - dt.timedelta(days=d) for d in range(14)]
        base = float(rng.uniform(500, 5000))
        rate = float(rng.uniform(70, 95))
        for d in sorted(days):
            shock = 0.8 if rng.random() < 0.1 else 1.0
            reports.append(_quick_row(uscc, d, f, clock.now(), production=round(base * shock * rng.uniform(0.9, 1.1), 1),
                                      electricity=round(base * 0.12 * shock * rng.uniform(0.9, 1.1), 1),
                                      orders=round(base * 1.5 * rng.uniform(0.8, 1.2), 1),
                                      operating_rate=round(min(100.0, rate * shock * rng.uniform(0.95, 1.05)), 1),
                                      problems="物流受阻，原材料到货延迟" if shock < 1 else ""))
    session.add_all(reports)
    session.flush()
    counts["quick"] += len(reports)
    if wh is not None and reporters:
        ke.feed_warehouse(session, wh)

    # whitelists ---------------------------------------------------------------------------------
    wl.ensure_categories(session)
    year_start = dt.date(end.year, 1, 1)
    pool = key.sample(frac=1.0, random_state=int(rng.integers(1 << 31))).head(36)
    cats = ["supply_chain"] * 14 + ["foreign_trade"] * 12 + ["raw_materials"] * 10
    reasons = {"supply_chain": "产业链链主（关键配套）企业，纳入重点产业链供应链企业“白名单”保障生产",
               "foreign_trade": "出口交货值占比高，纳入重点外贸企业服务保障",
               "raw_materials": "承担大宗原材料保供任务"}
    for i, (r, c) in enumerate(zip(pool.itertuples(index=False), cats, strict=False)):
        clock.set(dt.datetime.combine(year_start, dt.time(9, 0)) + dt.timedelta(days=int(rng.integers(0, 60))))
        e = wl.apply(session, OFFICER, category_ref=c, uscc=r.uscc, enterprise_name=r.name, region=r.region,
                     reason=reasons[c], valid_from=year_start, valid_to=dt.date(end.year + 1, 12, 31), clock=clock)
        if i % 9 != 8:  # a few stay at 已申请 / 已审核
            clock.advance(days=3)
            wl.review(session, REVIEWER, e.id, note="材料齐全，符合条件", clock=clock)
            if i % 9 != 7:
                clock.advance(days=2)
                wl.publish(session, PUBLISHER, e.id, clock=clock)
        counts["whitelist"] += 1

    # appeals over the last three months -------------------------------------------------------------
    month_starts = [pd.Timestamp(end.year, end.month, 1) - pd.DateOffset(months=k) for k in (2, 1, 0)]
    filers = key.sample(n=60, replace=len(key) < 60, random_state=int(rng.integers(1 << 31)))
    for i, r in enumerate(filers.itertuples(index=False)):
        start = month_starts[i % 3].to_pydatetime()
        span = (min(end, (month_starts[i % 3] + pd.DateOffset(months=1)).date() - dt.timedelta(days=1)) - start.date()).days
        clock.set(start + dt.timedelta(days=int(rng.integers(0, max(span, 1))), hours=int(rng.integers(8, 18)),
                                       minutes=int(rng.integers(0, 60))))
        if clock.now() > dt.datetime.combine(end, dt.time(23, 0)):
            clock.set(dt.datetime.combine(end, dt.time(9, 0)))
        kind = ap.APPEAL_TYPES[int(rng.integers(0, len(ap.APPEAL_TYPES)))]
        ent = Scope(Role.ENTERPRISE, r.region, r.uscc, username=f"企业{r.uscc[-6:]}")
        a = ap.file_appeal(session, ent, uscc=r.uscc, enterprise_name=r.name, region=r.region, appeal_type=kind,
                           description=f"{TEXTS[kind]}（{clock.now().month}月{clock.now().day}日反映）", urgency=("一般", "紧急", "特急")[int(rng.choice(3, p=[0.6, 0.3, 0.1]))],
                           clock=clock)
        counts["appeals"] += 1
        # how far the case has got: older cases are mostly closed, the last month's are still moving
        odds = [0.0, 0.02, 0.02, 0.03, 0.03, 0.90] if i % 3 < 2 else [0.05, 0.05, 0.1, 0.1, 0.2, 0.5]
        stop = int(rng.choice(6, p=odds))
        # minutes after the previous step: mostly within the SLA (响应60分钟/方案24小时/办结7天), some late
        steps = [("assign", 3, 20), ("respond", 5, 50), ("plan", 120, 1400), ("resolve", 1440, 8800),
                 ("rate", 60, 2880)]
        for name, lo, hi in steps[:stop]:
            clock.advance(minutes=int(rng.integers(lo, hi)))
            if clock.now() > dt.datetime.combine(end, dt.time(23, 0)):
                break
            ap.escalate_if_breached(a, clock.now())
            if name == "assign":
                ap.assign(session, OFFICER, a.id, DEPARTMENTS[kind], clock=clock)
            elif name == "respond":
                ap.respond(session, OFFICER, a.id, "已电话联系企业，了解具体情况", clock=clock)
            elif name == "plan":
                ap.plan(session, OFFICER, a.id, f"由{DEPARTMENTS[kind]}牵头，协调相关单位一周内解决", clock=clock)
            elif name == "resolve":
                ap.resolve(session, OFFICER, a.id, "已协调解决，企业生产恢复正常", clock=clock)
            elif name == "rate":
                ap.rate(session, ent, a.id, int(rng.choice([3, 4, 5], p=[0.1, 0.3, 0.6])), clock=clock)
                clock.advance(hours=2)
                ap.close(session, OFFICER, a.id, "电话回访，企业对办理结果表示认可", clock=clock)
        if a.status in ap.OPEN:
            counts["open"] += 1
    clock.set(dt.datetime.combine(end, dt.time(23, 0)))
    ap.run_escalation(session, clock)

    # major projects -----------------------------------------------------------------------------------
    counties = ents["region"].unique()  # a few thousand counties for 20,000 enterprises
    prefecture = ents["region"].map(dict(zip(counties, [ancestor_at(c, "prefecture") for c in counties], strict=True)))
    regions = ents.groupby(prefecture).size().sort_values(ascending=False).head(16).index.tolist()
    industries = ("36", "35", "39", "38", "26", "27", "39", "65", "28", "38", "31", "65", "34", "39", "35", "37")
    for i, (name, region) in enumerate(zip(PROJECT_NAMES, regions, strict=False)):
        start = dt.date(end.year - 1, 1 + int(rng.integers(0, 12)), 1) + dt.timedelta(days=int(rng.integers(0, 300)))
        finish = start + dt.timedelta(days=int(rng.integers(540, 1100)))
        total = float(round(rng.uniform(8, 150), 1))
        p = pj.register_project(session, OFFICER, code=f"DEMO-{end.year}-{i + 1:03d}", name=name, region=region,
                                industry=industries[i], planned_investment=total, planned_start=start,
                                planned_finish=finish, owner=f"{name[:4]}建设有限公司",
                                milestones=[{"name": "开工", "planned": start.isoformat()},
                                            {"name": "主体完工", "planned": (start + (finish - start) * 2 / 3).isoformat()},
                                            {"name": "竣工投产", "planned": finish.isoformat()}])
        counts["projects"] += 1
        if i % 7 == 6 and start < end:
            continue  # 逾期未开工
        pace = float(rng.choice([1.0, 0.85, 0.7, 0.5], p=[0.5, 0.2, 0.2, 0.1]))
        m = pd.Period(start, "M")
        cum = 0.0
        while m <= pd.Period(end, "M"):
            plan = pj.planned_pct(start, finish, m.end_time.date()) / 100
            cum = max(cum, round(total * min(1.0, plan * pace * float(rng.uniform(0.95, 1.05))), 2))
            clock.set(dt.datetime.combine(m.end_time.date(), dt.time(17, 0)))
            first = m == pd.Period(start, "M")
            _progress(p, str(m), cum, {"开工": start.isoformat()} if first else {}, start if first else None, clock.now())
            m += 1
    session.flush()
    return counts


def _key_row(r, frequency: str, i: int) -> KeyEnterprise:
    """The row :func:`yacang.dispatch.key_enterprises.register` stores for a new key enterprise (its checks:
    a known frequency, a region code of the catalog; the demo's officer is an administrator)."""
    if frequency not in ke.FREQUENCIES:
        raise ValueError(f"监测频次“{frequency}”无效")
    level_of(r.region)
    return KeyEnterprise(uscc=r.uscc, name=r.name, region=r.region, industry=str(r.industry)[:4], frequency=frequency,
                         contact_name=f"联络员{i + 1:03d}", contact_phone=f"0000-{i + 1:07d}", active=True)


def _quick_row(uscc: str, day: dt.date, frequency: str, now: dt.datetime, *, problems: str,
               **values: float) -> QuickReport:
    """The row :func:`yacang.dispatch.key_enterprises.submit` stores for a first report of that day or week,
    sent by the enterprise's own account (the same checks of the values and the day)."""
    checked = check_fields(values, QUICK_FIELDS)
    check_day(day, on=now.date(), label="报送日期")
    return QuickReport(uscc=uscc, frequency=frequency, day=ke.week_end(day) if frequency == "周" else day,
                       problems=problems.strip(), submitted_by=f"企业{uscc[-6:]}", submitted_at=now, **checked)


def _progress(p: Project, month: str, invest_cum: float, done: dict[str, str], actual_start: dt.date | None,
              now: dt.datetime) -> None:
    """The row :func:`yacang.dispatch.projects.report_progress` adds for the month after the last one reported
    (by the demo's officer), without a flush per month: 当月完成投资 = the cumulative figure's increase."""
    check_value(invest_cum, PROJECT_FIELDS["invest_cum"])
    check_period(month, on=now.date(), label="进度月份")
    prev = p.progress[-1].invest_cum if p.progress else 0.0
    if invest_cum + 1e-9 < prev:
        raise ValueError(f"{p.name} {month} 累计完成投资小于上月")
    if actual_start is not None:
        p.actual_start = actual_start
    elif invest_cum > 0 and p.actual_start is None:
        p.actual_start = parse_period(month).end_date
    p.progress.append(ProjectProgress(period=month, invest_cum=float(invest_cum), invest_month=float(invest_cum) - prev,
                                      milestones_done=done, note="", reported_by=OFFICER.username, reported_at=now))


def summary_line(c: dict[str, int]) -> str:
    return (f"调度示例：企业诉求 {c['appeals']} 件（在办 {c['open']} 件），白名单 {c['whitelist']} 条，"
            f"重点企业 {c['key']} 家（快报 {c['quick']} 条），重大项目 {c['projects']} 个")


def demo_hook(wh, data, rng: np.random.Generator) -> str:
    """The ``yacang demo`` extra set: write into the app database under YACANG_HOME (or its URL)."""
    from yacang.appdb.base import app_db_url, get_engine, session_scope
    from yacang.appdb.migrate import upgrade

    url = app_db_url()
    upgrade(url)
    with session_scope(get_engine(url)) as s:
        counts = seed_dispatch_demo(s, wh, data.enterprises, data.periods[-1], rng)
    return summary_line(counts)

