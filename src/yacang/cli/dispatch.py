"""CLI for yacang.dispatch: ``yacang appeals|whitelist|keyent|projects …`` (Chinese help and tables).

Commands act as the user given with ``--user`` (their role and region apply, exactly as on the web);
without it they act as a local administrator (命令行). Also registers the dispatch demo set with
``yacang demo``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer

from yacang.cli.common import abort, console, date_arg, err_console, print_frame

USER_OPT = typer.Option(None, "--user", "-u", help="以该用户身份操作（按其角色和地区范围）；缺省为本机管理员")

appeals_app = typer.Typer(help="企业诉求（一企一案）：提交、分派、响应、方案、办结、评价、回访结案、超时升级、统计", no_args_is_help=True)
whitelist_app = typer.Typer(help="白名单：重点产业链供应链企业、重点外贸企业、原材料保供企业及自定义类别", no_args_is_help=True)
keyent_app = typer.Typer(help="重点企业：监测名单（月/周/日）、周报日报快报、写入数据仓库", no_args_is_help=True)
projects_app = typer.Typer(help="重大项目：登记、月度进度、进度红黄绿灯、形成实物工作量、逾期未开工", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(appeals_app, name="appeals", help="企业诉求（一企一案）办理与时限督办")
    app.add_typer(whitelist_app, name="whitelist", help="白名单管理与导出")
    app.add_typer(keyent_app, name="keyent", help="重点企业名单与快报")
    app.add_typer(projects_app, name="projects", help="重大项目调度")


@contextmanager
def _session(user: str | None) -> Iterator[tuple[object, object]]:
    """An app-DB session (schema upgraded) and the acting scope; dispatch errors → red message, exit 1."""
    from yacang.appdb.base import app_db_url, get_engine, session_scope
    from yacang.appdb.migrate import upgrade
    from yacang.auth.roles import Role
    from yacang.auth.scope import Scope
    from yacang.auth.service import AuthError, get_user, scope_of
    from yacang.dispatch.errors import DispatchError

    url = app_db_url()
    upgrade(url)
    try:
        with session_scope(get_engine(url)) as s:
            scope = scope_of(get_user(s, user)) if user else Scope(Role.ADMIN, username="命令行")
            yield s, scope
    except (DispatchError, AuthError) as exc:
        err_console.print(f"[bold red]错误[/]：{exc}", highlight=False)
        raise SystemExit(1) from None


def _registered(session, uscc: str):
    """Name and region of ``uscc`` from the server's records (enterprise registry, key-enterprise list)."""
    from yacang.cli.common import open_warehouse
    from yacang.dispatch import registry

    wh = open_warehouse()
    try:
        return registry.resolve(session, wh, uscc)
    finally:
        wh.close()



def _named(df: pd.DataFrame, column: str = "地区") -> pd.DataFrame:
    """Region codes of ``column`` as “杭州市西湖区（330106）” (the code alone when the list lacks it)."""
    if df.empty or column not in df:
        return df
    from yacang.catalog.regions import RegionCatalog, region_label

    regions = RegionCatalog.load()
    labels = {c: region_label(str(c), regions) for c in df[column].dropna().unique()}
    return df.assign(**{column: df[column].map(lambda c: labels.get(c, c))})


# appeals ----------------------------------------------------------------------------------------
def _appeal_table(rows, now) -> pd.DataFrame:
    from yacang.dispatch.appeals import STAGE_ZH, STATUS_ZH, is_overdue, next_due

    out = []
    for a in rows:
        nd = next_due(a)
        out.append({"编号": a.code, "企业": a.enterprise_name, "地区": a.region, "类型": a.appeal_type,
                    "紧急程度": a.urgency, "状态": STATUS_ZH[a.status], "承办部门": a.department,
                    "下一时限": "" if nd is None or a.status in ("resolved", "closed") else f"{STAGE_ZH[nd[0]]} {nd[1]:%m-%d %H:%M}",
                    "超期": "是" if is_overdue(a, now) else "", "满意度": a.satisfaction})
    return _named(pd.DataFrame(out, columns=["编号", "企业", "地区", "类型", "紧急程度", "状态", "承办部门", "下一时限", "超期",
                                             "满意度"]))


@appeals_app.command("list")
def appeals_list(status: str = typer.Option(None, "--status", help="按状态筛选：filed/assigned/responded/planned/resolved/closed/reopened"),
                 appeal_type: str = typer.Option(None, "--type", help="按诉求类型筛选，如 缺芯"),
                 user: str = USER_OPT) -> None:
    """列出本账号范围内的企业诉求。"""
    from yacang.dispatch.appeals import list_appeals
    from yacang.dispatch.clock import SYSTEM

    with _session(user) as (s, scope):
        rows = list_appeals(s, scope, status=status, appeal_type=appeal_type)
        print_frame(_appeal_table(rows, SYSTEM.now()), f"企业诉求（{len(rows)} 件）")


@appeals_app.command("show")
def appeals_show(ref: str = typer.Argument(..., help="诉求编号（如 SQ2022120100001）或序号"), user: str = USER_OPT) -> None:
    """显示一件诉求的详情和完整办理时间线。"""
    from yacang.dispatch import appeals as ap
    from yacang.dispatch.clock import SYSTEM

    with _session(user) as (s, scope):
        a = ap.get_appeal(s, scope, ref)
        console.print(f"[bold]{a.code}[/] {a.enterprise_name}（{a.uscc}，{a.region}）｜{a.appeal_type}｜{a.urgency}｜"
                      f"{ap.STATUS_ZH[a.status]}｜督办层级：{ap.LEVEL_ZH.get(a.handler_level, '')}（{a.handler_region}）")
        console.print(f"内容：{a.description}")
        sla = ap.sla_state(a, SYSTEM.now())
        console.print("时限：" + "；".join(f"{ap.STAGE_ZH[k]} {d:%Y-%m-%d %H:%M}（{sla[k]}）" for k, d in
                                          (("respond", a.respond_due), ("plan", a.plan_due), ("resolve", a.resolve_due))))
        tl = pd.DataFrame(ap.timeline(a)).drop(columns=["action"])
        print_frame(tl, "办理时间线")


@appeals_app.command("file")
def appeals_file(uscc: str = typer.Option(..., help="企业统一社会信用代码（名称与地区以企业名录登记为准）"),
                 appeal_type: str = typer.Option(..., "--type", help="诉求类型：缺芯/缺柜/缺工/用能/物流/资金/用地/审批/其他"),
                 description: str = typer.Option(..., "--text", help="诉求内容"),
                 urgency: str = typer.Option("一般", help="紧急程度：一般/紧急/特急"),
                 attachment: list[str] = typer.Option(None, "--attachment", help="附件文件名（可重复）"),
                 user: str = USER_OPT) -> None:
    """提交企业诉求（企业本身或地区人员代为提交）。"""
    from yacang.dispatch.appeals import file_appeal

    with _session(user) as (s, scope):
        reg = _registered(s, uscc)
        a = file_appeal(s, scope, uscc=uscc, enterprise_name=reg.name, region=reg.region, appeal_type=appeal_type,
                        description=description, urgency=urgency, attachments=attachment or [])
        console.print(f"已受理：{a.code}，响应时限 {a.respond_due:%Y-%m-%d %H:%M}，办结时限 {a.resolve_due:%Y-%m-%d %H:%M}")


def _step(action: str, ref: str, user: str | None, *args) -> None:
    from yacang.dispatch import appeals as ap

    with _session(user) as (s, scope):
        a = getattr(ap, action)(s, scope, ref, *args)
        console.print(f"{a.code}：{ap.ACTION_ZH[action]}完成，当前状态「{ap.STATUS_ZH[a.status]}」")


@appeals_app.command("assign")
def appeals_assign(ref: str, department: str = typer.Option(..., "--dept", help="承办部门"), user: str = USER_OPT) -> None:
    """分派到承办部门。"""
    _step("assign", ref, user, department)


@appeals_app.command("respond")
def appeals_respond(ref: str, note: str = typer.Option("", "--note", help="响应情况"), user: str = USER_OPT) -> None:
    """响应（已联系企业）。"""
    _step("respond", ref, user, note)


@appeals_app.command("plan")
def appeals_plan(ref: str, note: str = typer.Option(..., "--note", help="办理方案"), user: str = USER_OPT) -> None:
    """制定办理方案。"""
    _step("plan", ref, user, note)


@appeals_app.command("resolve")
def appeals_resolve(ref: str, note: str = typer.Option(..., "--note", help="办理结果说明（必填）"), user: str = USER_OPT) -> None:
    """办结（须填写办理结果说明）。"""
    _step("resolve", ref, user, note)


@appeals_app.command("rate")
def appeals_rate(ref: str, score: int = typer.Option(..., "--score", help="满意度 1–5"),
                 comment: str = typer.Option("", "--comment", help="评价意见"), user: str = USER_OPT) -> None:
    """企业评价满意度（只能由提出诉求的企业账号评价）。"""
    _step("rate", ref, user, score, comment)


@appeals_app.command("close")
def appeals_close(ref: str, callback: str = typer.Option(..., "--callback", help="回访情况（必填）"), user: str = USER_OPT) -> None:
    """回访结案（须企业已评价）。"""
    _step("close", ref, user, callback)


@appeals_app.command("reopen")
def appeals_reopen(ref: str, reason: str = typer.Option(..., "--reason", help="重新打开的原因"), user: str = USER_OPT) -> None:
    """重新打开已办结或已结案的诉求（时限重新计算）。"""
    _step("reopen", ref, user, reason)


@appeals_app.command("escalate")
def appeals_escalate() -> None:
    """检查全部在办诉求的时限，超时的升级到上一级督办（可由定时任务每几分钟运行一次）。"""
    from yacang.dispatch.appeals import run_escalation

    with _session(None) as (s, _scope):
        out = run_escalation(s)
    for code, note in out:
        console.print(f"{code}：{note}")
    console.print(f"本次升级 {len(out)} 项")


@appeals_app.command("overdue")
def appeals_overdue(user: str = USER_OPT) -> None:
    """超期在办诉求清单。"""
    from yacang.dispatch.stats import overdue_table

    with _session(user) as (s, scope):
        df = overdue_table(s, scope)
    print_frame(df, f"超期在办诉求（{len(df)} 件）")


@appeals_app.command("stats")
def appeals_stats(by: str = typer.Option("type", "--by", help="统计维度：type 类型 / region 地区 / department 部门 / month 月份"),
                  level: str = typer.Option("prefecture", "--level", help="按地区统计时的层级：province/prefecture/county"),
                  user: str = USER_OPT) -> None:
    """诉求办理统计（受理、办结、办结率、超期在办、曾超时、平均满意度）。"""
    from yacang.dispatch.stats import BY, appeal_stats

    if by not in BY:
        err_console.print(f"[bold red]错误[/]：--by 应为 {'/'.join(BY)}")
        raise SystemExit(1)
    with _session(user) as (s, scope):
        df = appeal_stats(s, scope, by, region_level=level)
    print_frame(df, f"企业诉求办理情况（按{BY[by]}）")


@appeals_app.command("sla")
def appeals_sla(appeal_type: str = typer.Argument(None, help="诉求类型；不给则列出全部"),
                respond: int = typer.Option(None, "--respond", help="响应时限（分钟）"),
                plan: int = typer.Option(None, "--plan", help="方案时限（分钟）"),
                resolve: int = typer.Option(None, "--resolve", help="办结时限（分钟）"),
                user: str = USER_OPT) -> None:
    """查看或设置各类诉求的办理时限（默认 响应60分钟、方案24小时、办结7天）。"""
    from yacang.dispatch.appeals import APPEAL_TYPES, set_sla, sla_for

    with _session(user) as (s, scope):
        if appeal_type and None not in (respond, plan, resolve):
            set_sla(s, scope, appeal_type, respond=respond, plan=plan, resolve=resolve)
        rows = [{"类型": t, "响应（分钟）": x.respond, "方案（小时）": x.plan / 60, "办结（天）": x.resolve / 1440}
                for t in ([appeal_type] if appeal_type else APPEAL_TYPES) for x in [sla_for(s, t)]]
    print_frame(pd.DataFrame(rows), "办理时限")


# whitelist --------------------------------------------------------------------------------------
def _entries_frame(entries) -> pd.DataFrame:
    from yacang.dispatch.whitelists import STATUS_ZH

    return pd.DataFrame([{"序号": e.id, "类别": e.category.name, "企业": e.enterprise_name, "信用代码": e.uscc,
                          "地区": e.region, "状态": STATUS_ZH[e.status], "有效期": f"{e.valid_from}～{e.valid_to}",
                          "理由": e.reason} for e in entries],
                        columns=["序号", "类别", "企业", "信用代码", "地区", "状态", "有效期", "理由"]).pipe(_named)


@whitelist_app.command("categories")
def wl_categories(add: str = typer.Option(None, "--add", help="新增类别：代码=名称，如 specialized=专精特新企业"),
                  user: str = USER_OPT) -> None:
    """列出（或新增）白名单类别。"""
    from yacang.dispatch.whitelists import add_category, ensure_categories

    with _session(user) as (s, scope):
        if add:
            code, _, name = add.partition("=")
            add_category(s, scope, code.strip(), name.strip())
        cats = ensure_categories(s)
        print_frame(pd.DataFrame([{"代码": c.code, "名称": c.name, "内置": "是" if c.builtin else ""} for c in cats]), "白名单类别")


@whitelist_app.command("list")
def wl_list(category: str = typer.Option(None, "--category", help="类别代码或名称"),
            status: str = typer.Option(None, "--status", help="applied/reviewed/published/rejected"),
            on: str = typer.Option(None, "--on", help="只列该日有效的已发布条目（2022-06-30）"),
            user: str = USER_OPT) -> None:
    """列出白名单条目。"""
    from yacang.dispatch.whitelists import list_entries

    with _session(user) as (s, scope):
        rows = list_entries(s, scope, category_ref=category, status=status, in_force_on=date_arg(on, "--on") if on else None)
        print_frame(_entries_frame(rows), f"白名单（{len(rows)} 条）")


@whitelist_app.command("apply")
def wl_apply(category: str = typer.Option(..., "--category", help="类别代码或名称"),
             uscc: str = typer.Option(..., help="企业统一社会信用代码（名称与地区以企业名录登记为准）"),
             reason: str = typer.Option(..., help="列入理由"),
             valid_from: str = typer.Option(..., "--from", help="有效期起 2022-01-01"),
             valid_to: str = typer.Option(..., "--to", help="有效期止 2022-12-31"), user: str = USER_OPT) -> None:
    """申请（或推荐）列入白名单。"""
    from yacang.dispatch.whitelists import apply

    with _session(user) as (s, scope):
        reg = _registered(s, uscc)
        e = apply(s, scope, category_ref=category, uscc=uscc, enterprise_name=reg.name, region=reg.region, reason=reason,
                  valid_from=date_arg(valid_from, "有效期起"), valid_to=date_arg(valid_to, "有效期止"))
        console.print(f"已申请：序号 {e.id}（{e.category.name}）")


@whitelist_app.command("review")
def wl_review(entry: int, reject: bool = typer.Option(False, "--reject", help="审核不通过"),
              note: str = typer.Option("", "--note", help="审核意见（不通过时必填）"), user: str = USER_OPT) -> None:
    """审核白名单申请。"""
    from yacang.dispatch.whitelists import STATUS_ZH, review

    with _session(user) as (s, scope):
        e = review(s, scope, entry, approve=not reject, note=note)
        console.print(f"序号 {e.id}：{STATUS_ZH[e.status]}")


@whitelist_app.command("publish")
def wl_publish(entry: int, user: str = USER_OPT) -> None:
    """发布已审核的白名单条目。"""
    from yacang.dispatch.whitelists import publish

    with _session(user) as (s, scope):
        e = publish(s, scope, entry)
        console.print(f"序号 {e.id}：已发布，有效期 {e.valid_from}～{e.valid_to}")


@whitelist_app.command("export")
def wl_export(out: Path = typer.Option(Path("白名单.xlsx"), "--out", "-o", help="输出 XLSX 文件"),
              category: str = typer.Option(None, "--category"), user: str = USER_OPT) -> None:
    """导出白名单为 XLSX（每个类别一张表）。"""
    from yacang.dispatch.whitelists import export_xlsx, list_entries

    with _session(user) as (s, scope):
        rows = list_entries(s, scope, category_ref=category)
        out.write_bytes(export_xlsx(rows))
    console.print(f"已导出 {len(rows)} 条：{out}")


# key enterprises ----------------------------------------------------------------------------------
@keyent_app.command("list")
def ke_list(frequency: str = typer.Option(None, "--frequency", help="月/周/日"), user: str = USER_OPT) -> None:
    """重点企业监测名单。"""
    from yacang.catalog.industries import IndustryCatalog
    from yacang.dispatch.key_enterprises import list_key
    from yacang.dispatch.whitelists import marks

    with _session(user) as (s, scope):
        rows = list_key(s, scope, frequency=frequency)
        wl = marks(s, [k.uscc for k in rows])
        industries = IndustryCatalog.load()
        df = pd.DataFrame([{"信用代码": k.uscc, "企业": k.name, "地区": k.region, "行业": industries.label(k.industry or ""),
                            "频次": k.frequency,
                            "联系人": k.contact_name, "电话": k.contact_phone, "白名单": "、".join(wl.get(k.uscc, []))}
                           for k in rows], columns=["信用代码", "企业", "地区", "行业", "频次", "联系人", "电话", "白名单"]).pipe(_named)
    print_frame(df, f"重点企业（{len(df)} 家）")


@keyent_app.command("add")
def ke_add(uscc: str = typer.Option(...),
           name: str = typer.Option("", help="企业名称（企业名录中已有的企业以登记为准）"),
           region: str = typer.Option("", help="地区代码（企业名录中已有的企业以登记为准）"),
           industry: str = typer.Option("", help="行业代码（4位小类或2位大类）"),
           frequency: str = typer.Option("月", help="监测频次 月/周/日"), contact: str = typer.Option("", help="联系人"),
           phone: str = typer.Option("", help="联系电话"), user: str = USER_OPT) -> None:
    """把企业列入（或更新）重点企业名单。"""
    from yacang.cli.common import open_warehouse
    from yacang.dispatch.key_enterprises import register as reg

    with _session(user) as (s, scope):
        wh = open_warehouse()
        try:  # the records decide name and region of a known enterprise (the service, as for the web)
            k = reg(s, scope, wh=wh, uscc=uscc, name=name, region=region, industry=industry, frequency=frequency,
                    contact_name=contact, contact_phone=phone)
        finally:
            wh.close()
        console.print(f"已列入重点企业：{k.name}（{k.frequency}报）")


@keyent_app.command("report")
def ke_report(uscc: str = typer.Option(...), day: str = typer.Option(..., help="日期（周报填本周任一天）"),
              frequency: str = typer.Option(..., help="周 或 日"), production: float = typer.Option(None, help="产量"),
              electricity: float = typer.Option(None, help="用电量（万千瓦时）"), orders: float = typer.Option(None, help="订单（万元）"),
              rate: float = typer.Option(None, "--operating-rate", help="开工率（%）"),
              problems: str = typer.Option("", help="存在问题"), user: str = USER_OPT) -> None:
    """报送周报或日报快报，并写入数据仓库。"""
    from yacang.cli.common import open_warehouse
    from yacang.dispatch.key_enterprises import feed_warehouse, submit

    with _session(user) as (s, scope):
        r = submit(s, scope, uscc=uscc, day=date_arg(day, "--day"), frequency=frequency, production=production,
                   electricity=electricity, orders=orders, operating_rate=rate, problems=problems)
        s.flush()
        wh = open_warehouse()
        try:
            res = feed_warehouse(s, wh, since=r.day)
        finally:
            wh.close()
    console.print(f"已报送 {r.frequency}报（{r.day}），仓库新增观测 {res.n_new if res else 0} 个")


@keyent_app.command("reports")
def ke_reports(uscc: str = typer.Option(None), user: str = USER_OPT) -> None:
    """查看快报。"""
    from yacang.dispatch.key_enterprises import list_reports

    with _session(user) as (s, scope):
        rows = list_reports(s, scope, uscc=uscc)
        df = pd.DataFrame([{"日期": r.day.isoformat(), "频次": r.frequency, "信用代码": r.uscc, "产量": r.production,
                            "用电量": r.electricity, "订单": r.orders, "开工率": r.operating_rate, "问题": r.problems}
                           for r in rows], columns=["日期", "频次", "信用代码", "产量", "用电量", "订单", "开工率", "问题"])
    print_frame(df, f"重点企业快报（{len(df)} 条）", max_rows=50)


@keyent_app.command("feed")
def ke_feed() -> None:
    """把全部快报写入数据仓库（幂等：未变的值不重复写入）。"""
    from yacang.cli.common import open_warehouse
    from yacang.dispatch.key_enterprises import feed_warehouse

    with _session(None) as (s, _scope):
        wh = open_warehouse()
        try:
            res = feed_warehouse(s, wh)
        finally:
            wh.close()
    console.print("没有快报" if res is None else f"序列 {res.n_series} 条，新增观测 {res.n_new} 个，修订 {res.n_revised} 个")


# projects ------------------------------------------------------------------------------------------
def _thresholds(yellow: float, red: float):
    from yacang.dispatch.projects import Thresholds
    from yacang.validation import Invalid

    try:
        return Thresholds(yellow, red)
    except Invalid as exc:
        abort(str(exc))
        raise


@projects_app.command("list")
def pj_list(user: str = USER_OPT) -> None:
    """重大项目名录。"""
    from yacang.catalog.industries import IndustryCatalog
    from yacang.dispatch.projects import list_projects

    industries = IndustryCatalog.load()
    with _session(user) as (s, scope):
        df = pd.DataFrame([{"编号": p.code, "项目": p.name, "地区": p.region, "行业": industries.label(p.industry or ""),
                            "计划投资（亿元）": p.planned_investment, "计划开工": p.planned_start.isoformat(),
                            "计划竣工": p.planned_finish.isoformat(), "业主": p.owner} for p in list_projects(s, scope)])
    print_frame(_named(df), f"重大项目（{len(df)} 个）")


@projects_app.command("add")
def pj_add(code: str = typer.Option(...), name: str = typer.Option(...), region: str = typer.Option(...),
           industry: str = typer.Option(""), investment: float = typer.Option(..., help="计划总投资（亿元）"),
           start: str = typer.Option(..., help="计划开工日期"), finish: str = typer.Option(..., help="计划竣工日期"),
           owner: str = typer.Option(""), milestone: list[str] = typer.Option(None, help="里程碑：名称=日期（可重复）"),
           user: str = USER_OPT) -> None:
    """登记重大项目。"""
    from yacang.dispatch.projects import register_project

    ms = [{"name": m.partition("=")[0], "planned": m.partition("=")[2]} for m in milestone or []]
    with _session(user) as (s, scope):
        p = register_project(s, scope, code=code, name=name, region=region, industry=industry, planned_investment=investment,
                             planned_start=date_arg(start, "计划开工"), planned_finish=date_arg(finish, "计划竣工"), owner=owner,
                             milestones=ms)
        console.print(f"已登记：{p.code} {p.name}")


@projects_app.command("progress")
def pj_progress(ref: str, period: str = typer.Option(..., help="月份 2022-06"),
                invest: float = typer.Option(..., help="累计完成投资（亿元）"),
                milestone: list[str] = typer.Option(None, help="已完成里程碑：名称=日期"), note: str = typer.Option(""),
                user: str = USER_OPT) -> None:
    """报送项目月度进度。"""
    from yacang.dispatch.projects import report_progress

    done = {m.partition("=")[0]: m.partition("=")[2] for m in milestone or []}
    with _session(user) as (s, scope):
        r = report_progress(s, scope, ref, period=period, invest_cum=invest, milestones_done=done, note=note)
        console.print(f"已报送 {r.period}：累计完成 {r.invest_cum:.1f} 亿元，当月 {r.invest_month:.1f} 亿元")


@projects_app.command("status")
def pj_status(period: str = typer.Option(..., help="月份 2022-12"), yellow: float = typer.Option(10, help="黄灯：落后百分点下限"),
              red: float = typer.Option(30, help="红灯：落后超过的百分点"), user: str = USER_OPT) -> None:
    """项目进度与红黄绿灯（计划进度按工期、实际进度按完成投资）。"""
    from yacang.dispatch.projects import schedule_table

    with _session(user) as (s, scope):
        df = schedule_table(s, scope, period, _thresholds(yellow, red))
    df = df.rename(columns={"code": "编号", "name": "项目", "region": "地区", "planned_investment": "计划投资（亿元）",
                            "invest_cum": "累计完成（亿元）", "planned_pct": "计划进度%", "actual_pct": "实际进度%",
                            "lag": "落后（百分点）", "light_zh": "灯"})
    print_frame(_named(df)[["编号", "项目", "地区", "计划投资（亿元）", "累计完成（亿元）", "计划进度%", "实际进度%", "落后（百分点）", "灯"]],
                f"重大项目进度（{period}）")


@projects_app.command("workload")
def pj_workload(period: str = typer.Option(...), by: str = typer.Option("region", help="region 地区 / industry 行业"),
                level: str = typer.Option("prefecture", help="地区层级 province/prefecture/county"), user: str = USER_OPT) -> None:
    """形成实物工作量（当月和年内累计完成投资）。"""
    from yacang.dispatch.projects import workload

    with _session(user) as (s, scope):
        print_frame(workload(s, scope, period, by, region_level=level), f"形成实物工作量（{period}）")


@projects_app.command("late")
def pj_late(on: str = typer.Option(None, help="截至日期，缺省为今天"), user: str = USER_OPT) -> None:
    """逾期未开工项目清单。"""
    from yacang.dispatch.projects import not_started

    with _session(user) as (s, scope):
        df = not_started(s, scope, on=date_arg(on, "--on") if on else None)
    print_frame(_named(df), f"逾期未开工项目（{len(df)} 个）")
