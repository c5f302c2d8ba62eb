"""The four roles and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"            # 系统管理员: everything, user management
    OFFICER = "officer"        # 地区运行监测人员: read and act within a region's subtree
    ANALYST = "analyst"        # 分析人员: read-only within a region's subtree
    ENTERPRISE = "enterprise"  # 企业填报人员: its own USCC only


# least privileged first: forms list roles in this order, so a new user defaults to 分析人员（只读）
ROLES = (Role.ANALYST.value, Role.ENTERPRISE.value, Role.OFFICER.value, Role.ADMIN.value)
ROLE_ZH = {
    Role.ADMIN: "系统管理员",
    Role.OFFICER: "地区运行监测人员",
    Role.ANALYST: "分析人员（只读）",
    Role.ENTERPRISE: "企业填报人员",
}

# Actions that change state; analysts and enterprises may not do the official ones.
OFFICIAL_WRITE = {Role.ADMIN, Role.OFFICER}
STATISTICS_READ = {Role.ADMIN, Role.OFFICER, Role.ANALYST}
