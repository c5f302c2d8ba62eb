"""The 成效明显市（州） 申报 workflow: call → submissions → checks → score → shortlist → publish.

Every function takes the caller's :class:`~yacang.auth.scope.Scope`; the region, name and issuer come
from the server's records (the caller's account, the region catalog), never from the request. Any doubt
about who may see or change something denies: a call or submission the caller may not see is "not
found". Each change writes an audit event in the same transaction.

Who may do what:
- issue a call: an officer (or admin) for the level directly below their region;
- submit: an officer whose region is of the call's level inside the issuer's subtree, while it is open;
- see a submission: its own region's users, and users of the issuer's region or above;
- review (check, veto, score, shortlist, publish): officers of the issuer's region, or admin.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from yacang.auth import audit
from yacang.auth.models import utcnow
from yacang.auth.roles import Role
from yacang.auth.scope import Scope
from yacang.catalog.regions import RegionCatalog, RegionError, is_descendant, level_of
from yacang.evaluation.errors import EvaluationError, EvaluationForbidden, EvaluationNotFound
from yacang.evaluation.models import EvalAttachment, EvalCall, EvalCheck, EvalSubmission
from yacang.evaluation.scoring import EvalInput, EvalResult, score
from yacang.evaluation.system import IndicatorSystem, load_system

LEVEL_BELOW = {"nation": "province", "province": "prefecture", "prefecture": "county"}
LEVEL_ZH = {"province": "省份", "prefecture": "市（州）", "county": "县（市、区）"}
STATUS_ZH = {"open": "申报中", "reviewing": "评审中", "scored": "已评分", "published": "已公布",
             "draft": "草稿", "submitted": "已提交"}
MAX_ATTACHMENT = 10 * 1024 * 1024
MAX_NARRATIVE = 20_000
PERCENT_UNITS = {"%", "百分点"}


def region_name(code: str) -> str:
    """The region's name from the catalog (imported list or the built-in provinces), else the code."""
    try:
        return RegionCatalog.load().name(code)
    except (RegionError, KeyError, OSError):
        return code


def _audit(session: Session, scope: Scope, ip: str, action: str, *, target: str, detail: dict) -> None:
    """One audit event in the caller's transaction (user id from the account when it exists)."""
    from yacang.auth.models import User

    uid = session.scalars(select(User.id).where(User.username == scope.username)).first() if scope.username else None
    audit.record(session, action, user_id=uid, username=scope.username, target=target, detail=detail, ip=ip)


# visibility ------------------------------------------------------------------------------------
def is_reviewer(scope: Scope, call: EvalCall) -> bool:
    if scope.is_admin:
        return True
    return scope.writes and scope.region == call.issuer_region


def _sees_call(scope: Scope, call: EvalCall) -> bool:
    if scope.is_admin:
        return True
    if scope.role == Role.ENTERPRISE:
        return False
    try:
        return scope.covers(call.issuer_region) or is_descendant(scope.region, call.issuer_region)
    except RegionError:
        return False


def _sees_submission(scope: Scope, call: EvalCall, sub: EvalSubmission) -> bool:
    if scope.is_admin:
        return True
    if scope.role == Role.ENTERPRISE:
        return False
    return sub.region == scope.region or scope.covers(call.issuer_region)


def get_call(session: Session, scope: Scope, call_id: int) -> EvalCall:
    call = session.get(EvalCall, call_id)
    if call is None or not _sees_call(scope, call):
        raise EvaluationNotFound(f"没有编号为 {call_id} 的申报通知")
    return call


def list_calls(session: Session, scope: Scope) -> list[EvalCall]:
    calls = session.scalars(select(EvalCall).order_by(EvalCall.id.desc())).all()
    return [c for c in calls if _sees_call(scope, c)]


def submissions(session: Session, scope: Scope, call: EvalCall) -> list[EvalSubmission]:
    subs = session.scalars(select(EvalSubmission).where(EvalSubmission.call_id == call.id)
                           .order_by(EvalSubmission.region)).all()
    return [s for s in subs if _sees_submission(scope, call, s)]


def get_submission(session: Session, scope: Scope, sub_id: int) -> tuple[EvalCall, EvalSubmission]:
    sub = session.get(EvalSubmission, sub_id)
    call = None if sub is None else session.get(EvalCall, sub.call_id)
    if sub is None or call is None or not _sees_submission(scope, call, sub):
        raise EvaluationNotFound(f"没有编号为 {sub_id} 的申报材料")
    return call, sub


def own_submission(session: Session, scope: Scope, call: EvalCall) -> EvalSubmission | None:
    return session.scalars(select(EvalSubmission).where(EvalSubmission.call_id == call.id,
                                                        EvalSubmission.region == scope.region)).first()


def published_list(session: Session, call: EvalCall) -> list[EvalSubmission]:
    """The published shortlist (visible to every region that sees the call)."""
    if call.status != "published":
        return []
    return list(session.scalars(select(EvalSubmission).where(EvalSubmission.call_id == call.id,
                                                             EvalSubmission.shortlisted.is_(True))
                                .order_by(EvalSubmission.rank)))


# steps ----------------------------------------------------------------------------------------
def _text(value: str, label: str, max_length: int) -> str:
    """:func:`yacang.validation.check_text` for the workflow's free texts: too long is refused, not cut."""
    from yacang.validation import Invalid, check_text

    try:
        return check_text(value, label, max_length=max_length)
    except Invalid as exc:
        raise EvaluationError(str(exc)) from None


def _codes_text(codes: list) -> str:
    """Codes a request sent, for an error: each once, at most ten, each cut to 64 characters."""
    unique = list(dict.fromkeys(str(c) for c in codes))
    return ", ".join(c[:64] for c in unique[:10]) + ("等" if len(unique) > 10 else "")


def _builtin(system: str) -> str:
    """A call's system is one shipped with the package, by code: the server reads no file a request names,
    and the call's later steps load the system by the code stored on it."""
    from yacang.evaluation.system import builtin_systems

    shipped = builtin_systems()
    if str(system) not in shipped:
        raise EvaluationError(f"申报通知的指标体系应为内置体系之一：{'、'.join(sorted(shipped))}（收到“{str(system)[:64]}”）")
    return str(system)


def create_call(session: Session, scope: Scope, *, year: int, quota: int, system: str = "zhizao_gaozhiliang",
                title: str = "", deadline: dt.date | None = None, ip: str = "") -> EvalCall:
    if not scope.writes:
        raise EvaluationForbidden("无权发布申报通知：需要地区运行监测人员或管理员角色")
    if not 2000 <= int(year) <= 2100:
        raise EvaluationError(f"年度无效：{year}")
    if not 1 <= int(quota) <= 1000:
        raise EvaluationError(f"名额须为 1 至 1000 的整数：{quota}")
    sys_ = load_system(_builtin(system))
    level = LEVEL_BELOW.get(level_of(scope.region))
    if level is None:
        raise EvaluationForbidden("县级账号不能发布申报通知（没有下级地区）")
    if level not in sys_.levels:
        raise EvaluationError(f"指标体系“{sys_.name}”不适用于{LEVEL_ZH[level]}评价")
    name = region_name(scope.region)
    title = _text(title, "通知标题", 200)
    call = EvalCall(title=title or f"{year}年度工业稳增长和转型升级成效明显{LEVEL_ZH[level]}申报",
                    year=int(year), level=level, system=sys_.code, quota=int(quota), issuer_region=scope.region,
                    deadline=deadline, created_by=scope.username, status="open")
    session.add(call)
    session.flush()
    _audit(session, scope, ip, "eval_call_create", target=f"call:{call.id}",
                 detail={"year": call.year, "level": level, "quota": call.quota, "system": sys_.code, "issuer": name})
    return call


def _validate_values(system: IndicatorSystem, values: dict) -> dict[str, float]:
    out: dict[str, float] = {}
    for code, raw in (values or {}).items():
        ind = system.indicator(str(code))  # unknown code → error naming it
        if raw is None or raw == "":
            continue
        try:
            v = float(raw)
        except (TypeError, ValueError) as exc:
            raise EvaluationError(f"指标“{ind.name}”的数值“{raw}”不是数字，请填写数字（单位：{ind.unit}）") from exc
        if not math.isfinite(v):
            raise EvaluationError(f"指标“{ind.name}”的数值须为有限数")
        if ind.unit in PERCENT_UNITS and not -100 <= v <= 1000:
            raise EvaluationError(f"指标“{ind.name}”的数值 {v} 超出合理范围（-100 至 1000{ind.unit}）")
        if ind.unit not in PERCENT_UNITS and abs(v) > 1e9:
            raise EvaluationError(f"指标“{ind.name}”的数值 {v} 超出合理范围")
        out[ind.code] = v
    return out


def submit(session: Session, scope: Scope, call_id: int, *, values: dict, narrative: str = "",
           vetoes: list[str] | None = None, bonuses: list[str] | None = None, final: bool = True,
           ip: str = "") -> EvalSubmission:
    """Save (``final=False``: draft) or submit the caller's region's submission."""
    call = get_call(session, scope, call_id)
    if scope.role != Role.OFFICER or level_of(scope.region) != call.level or \
            not is_descendant(scope.region, call.issuer_region):
        raise EvaluationForbidden(f"只有{region_name(call.issuer_region)}所辖{LEVEL_ZH[call.level]}的运行监测人员可以申报")
    if call.status != "open":
        raise EvaluationError("申报已截止，不能再提交或修改")
    system = load_system(call.system)
    clean = _validate_values(system, values)
    if len(narrative or "") > MAX_NARRATIVE:
        raise EvaluationError(f"申报说明不超过 {MAX_NARRATIVE} 字")
    veto_codes = {v.code for v in system.vetoes if v.indicator is None}
    bonus_codes = {b.code for b in system.bonuses}
    bad = [c for c in (vetoes or []) if c not in veto_codes] + [c for c in (bonuses or []) if c not in bonus_codes]
    if bad:
        raise EvaluationError(f"否决项或加分项代码无效：{_codes_text(bad)}（可用否决项 {', '.join(sorted(veto_codes)) or '无'}，"
                              f"加分项 {', '.join(sorted(bonus_codes)) or '无'}）")
    sub = own_submission(session, scope, call)
    if sub is None:
        sub = EvalSubmission(call_id=call.id, region=scope.region, region_name=region_name(scope.region))
        session.add(sub)
    sub.values, sub.narrative = clean, (narrative or "").strip()
    sub.vetoes, sub.bonuses = sorted(set(vetoes or [])), sorted(set(bonuses or []))
    sub.status = "submitted" if final else "draft"
    sub.submitted_by, sub.updated_at = scope.username, utcnow()
    if final:
        sub.submitted_at = utcnow()
    session.flush()
    missing = [i.name for i in system.indicators if i.code not in clean]
    _audit(session, scope, ip, "eval_submit" if final else "eval_draft",
                 target=f"submission:{sub.id}", detail={"call": call.id, "region": sub.region, "values": clean,
                                                        "missing": missing})
    return sub


def attach(session: Session, scope: Scope, sub_id: int, filename: str, data: bytes, *, ip: str = "") -> EvalAttachment:
    from yacang.dispatch.attachments import safe_name
    from yacang.dispatch.errors import DispatchError

    call, sub = get_submission(session, scope, sub_id)
    if sub.region != scope.region or scope.role != Role.OFFICER:
        raise EvaluationForbidden("只能为本地区的申报上传附件")
    if call.status != "open":
        raise EvaluationError("申报已截止，不能再上传附件")
    if len(data) > MAX_ATTACHMENT:
        raise EvaluationError(f"附件“{filename}”超过 {MAX_ATTACHMENT // 1024 // 1024} MB")
    try:
        name = safe_name(filename)
    except DispatchError as exc:
        raise EvaluationError(str(exc)) from None
    att = EvalAttachment(submission_id=sub.id, filename=name, size=len(data),
                         sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by=scope.username)
    session.add(att)
    session.flush()
    _audit(session, scope, ip, "eval_attach", target=f"submission:{sub.id}",
                 detail={"file": name, "size": len(data), "sha256": att.sha256})
    return att


def attachments(session: Session, scope: Scope, sub_id: int) -> list[EvalAttachment]:
    _, sub = get_submission(session, scope, sub_id)
    return list(session.scalars(select(EvalAttachment).where(EvalAttachment.submission_id == sub.id)))


def _reviewer(session: Session, scope: Scope, call_id: int) -> EvalCall:
    call = get_call(session, scope, call_id)
    if not is_reviewer(scope, call):
        raise EvaluationForbidden(f"只有{region_name(call.issuer_region)}的运行监测人员可以评审本次申报")
    return call


def warehouse_value(wh, indicator_source: str, region: str, year: int) -> tuple[float | None, str]:
    """The warehouse's full-year value for ``warehouse:<indicator>.<measure>`` in a region, or None."""
    if not indicator_source.startswith("warehouse:") or wh is None:
        return None, ""
    concept = indicator_source.split(":", 1)[1]
    indicator, _, measure = concept.partition(".")
    sid = wh.find_series(indicator, measure, region=region)
    if sid is None:
        return None, ""
    v = wh.values(sid).get(f"{year}-12")
    return (None if v is None or pd.isna(v) else float(v)), sid


def check_values(session: Session, scope: Scope, call_id: int, wh, *, ip: str = "") -> list[EvalCheck]:
    """Compare each submitted value with the warehouse; a difference after rounding to 0.1 is flagged."""
    call = _reviewer(session, scope, call_id)
    system = load_system(call.system)
    if call.status == "open":
        call.status = "reviewing"
    out: list[EvalCheck] = []
    for sub in submissions(session, scope, call):
        if sub.status != "submitted":
            continue
        for old in session.scalars(select(EvalCheck).where(EvalCheck.submission_id == sub.id)):
            session.delete(old)
        for ind in system.indicators:
            if not ind.source.startswith("warehouse:"):
                continue
            mine = sub.values.get(ind.code)
            theirs, sid = warehouse_value(wh, ind.source, sub.region, call.year)
            if theirs is None:
                flagged, note = False, "仓库中没有该地区该指标的数据，未核对"
            elif mine is None:
                flagged, note = True, f"未填报；仓库数据为 {theirs:.1f}{ind.unit}"
            else:
                flagged = round(mine, 1) != round(theirs, 1)
                note = (f"填报 {mine:.1f}{ind.unit}，仓库 {theirs:.1f}{ind.unit}，相差 {mine - theirs:+.1f}"
                        if flagged else "与仓库数据一致")
            chk = EvalCheck(submission_id=sub.id, indicator=ind.code, submitted=mine, warehouse=theirs,
                            series_id=sid, flagged=flagged, note=note, checked_by=scope.username)
            session.add(chk)
            out.append(chk)
    session.flush()
    _audit(session, scope, ip, "eval_check", target=f"call:{call.id}",
                 detail={"checked": len(out), "flagged": sum(c.flagged for c in out)})
    return out


def checks(session: Session, scope: Scope, sub_id: int) -> list[EvalCheck]:
    _, sub = get_submission(session, scope, sub_id)
    return list(session.scalars(select(EvalCheck).where(EvalCheck.submission_id == sub.id).order_by(EvalCheck.id)))


def set_vetoes(session: Session, scope: Scope, sub_id: int, vetoes: list[str], note: str = "", *,
               ip: str = "") -> EvalSubmission:
    call, sub = get_submission(session, scope, sub_id)
    if not is_reviewer(scope, call):
        raise EvaluationForbidden("只有评审单位可以认定一票否决事项")
    if call.status == "published":
        raise EvaluationError("结果已公布，不能再认定一票否决事项")
    codes = {v.code for v in load_system(call.system).vetoes if v.indicator is None}
    bad = [c for c in vetoes if c not in codes]
    if bad:
        raise EvaluationError(f"否决项代码无效：{_codes_text(bad)}（可用 {', '.join(sorted(codes)) or '无'}）")
    before = list(sub.vetoes or [])
    sub.vetoes, sub.review_note = sorted(set(vetoes)), _text(note, "认定说明", 2000)
    rescore = call.status == "scored" and sub.vetoes != sorted(set(before))
    if rescore:  # the ranks and shortlist no longer follow from the vetoes: score again before shortlisting
        _clear_scores(session, scope, call)
    _audit(session, scope, ip, "eval_veto", target=f"submission:{sub.id}",
                 detail={"before": before, "after": sub.vetoes, "note": sub.review_note, "scores_cleared": rescore})
    return sub


def _clear_scores(session: Session, scope: Scope, call: EvalCall) -> None:
    """Back to 评审中: every submission's score, rank and shortlisting are dropped (to be scored again)."""
    for s in submissions(session, scope, call):
        s.score, s.rank, s.shortlisted = None, None, False
    call.status = "reviewing"


def call_input(session: Session, scope: Scope, call: EvalCall, national: dict[str, float]) -> EvalInput:
    subs = [s for s in submissions(session, scope, call) if s.status == "submitted"]
    if len(subs) < 2:
        raise EvaluationError("已提交的申报不足 2 份，无法比较评分")
    system = load_system(call.system)
    values = pd.DataFrame({s.region: {c: s.values.get(c) for c in system.codes} for s in subs}).T.astype(float)
    return EvalInput(values=values, names={s.region: s.region_name for s in subs}, period=str(call.year),
                     level=call.level, source=f"{region_name(call.issuer_region)}所辖地区申报数据（经评审核对）",
                     vetoes={s.region: list(s.vetoes or []) for s in subs},
                     bonuses={s.region: list(s.bonuses or []) for s in subs}, national=national)


def score_call(session: Session, scope: Scope, call_id: int, *, national: dict[str, float],
               method: str = "wsum", wh=None, ip: str = "") -> EvalResult:
    """Score the submitted values; ranks stored on the submissions (and the run in the warehouse)."""
    call = _reviewer(session, scope, call_id)
    if call.status == "published":
        raise EvaluationError("结果已公布，不能重新评分")
    inp = call_input(session, scope, call, national)
    system = load_system(call.system)
    res = score(system, inp, method)
    for sub in submissions(session, scope, call):
        if sub.region in res.score.index:
            sub.score, sub.rank = float(res.score[sub.region]), int(res.rank[sub.region])
        sub.shortlisted = False
    call.status = "scored"
    if wh is not None:
        from yacang.evaluation.runs import evaluate

        evaluate(wh, system, inp, method=method, data_kind=f"call{call.id}", draws=500)
    _audit(session, scope, ip, "eval_score", target=f"call:{call.id}",
                 detail={"method": method, "ranks": {r: int(v) for r, v in res.rank.items()}})
    return res


def shortlist(session: Session, scope: Scope, call_id: int, regions: list[str] | None = None, *,
              ip: str = "") -> list[EvalSubmission]:
    """Shortlist the given regions (default: the top ``quota`` ranked), never more than the quota."""
    call = _reviewer(session, scope, call_id)
    if call.status != "scored":
        raise EvaluationError("请先评分，再确定入围名单")
    subs = {s.region: s for s in submissions(session, scope, call)}
    ranked = sorted((s for s in subs.values() if s.rank and s.rank > 0), key=lambda s: (s.rank, s.region))
    chosen = [s.region for s in ranked[:call.quota]] if regions is None else list(dict.fromkeys(regions))
    if len(chosen) > call.quota:
        raise EvaluationError(f"入围 {len(chosen)} 个，超过名额 {call.quota} 个")
    for code in chosen:
        s = subs.get(code)
        if s is None or not s.rank:
            raise EvaluationError(f"地区 {code} 没有参加排名（未申报、被否决或未评分），不能入围")
    for s in subs.values():
        s.shortlisted = s.region in chosen
    _audit(session, scope, ip, "eval_shortlist", target=f"call:{call.id}",
                 detail={"quota": call.quota, "regions": chosen})
    return [subs[c] for c in chosen]


def publish(session: Session, scope: Scope, call_id: int, *, ip: str = "") -> EvalCall:
    call = _reviewer(session, scope, call_id)
    chosen = [s for s in submissions(session, scope, call) if s.shortlisted]
    if call.status != "scored" or not chosen:
        raise EvaluationError("请先评分并确定入围名单，再公布")
    call.status, call.published_at = "published", utcnow()
    _audit(session, scope, ip, "eval_publish", target=f"call:{call.id}",
                 detail={"regions": [s.region for s in chosen]})
    return call
