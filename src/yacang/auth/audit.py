"""The audit log: append an event; list events (newest first)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from yacang.auth.models import AuditEvent

ACTION_ZH = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出",
    "upload": "上传数据", "export": "导出", "report_submit": "企业报送", "report_review": "报表审核",
    "ack": "确认预警", "silence": "静默预警", "bulletin": "生成通报", "user_add": "新增用户",
    "user_disable": "停用用户", "token_create": "创建令牌", "token_revoke": "撤销令牌",
    "password_change": "修改密码", "password_reset": "重置密码", "denied": "拒绝访问",
    "report_revision_request": "申请更正报表", "report_revision_grant": "同意更正报表",
    "appeal_file": "提交诉求", "appeal_attachment": "上传诉求附件", "whitelist_apply": "申请白名单",
    "whitelist_review": "审核白名单", "whitelist_reject": "白名单不通过", "whitelist_publish": "发布白名单",
    "key_register": "维护重点企业", "quick_report": "报送快报", "project_register": "登记重大项目",
    "project_progress": "报送项目进度",
}


def record(session: Session, action: str, *, user_id: int | None = None, username: str = "",
           target: str = "", detail: dict | str | None = None, ip: str = "") -> AuditEvent:
    text = detail if isinstance(detail, str) else json.dumps(detail or {}, ensure_ascii=False, default=str)
    ev = AuditEvent(user_id=user_id, username=username, action=action, target=target, detail=text, ip=ip)
    session.add(ev)
    session.flush()
    return ev


def events(session: Session, *, action: str | None = None, limit: int = 200) -> list[AuditEvent]:
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        q = q.where(AuditEvent.action == action)
    return list(session.scalars(q))
