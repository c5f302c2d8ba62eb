"""What the dispatch area hands to the bulletin: its 调度 rows (the report area imports this type)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DispatchInput:
    """调度 (issue 7): appeals and major projects; the section appears only when there are rows."""

    appeals: list[dict[str, object]] = field(default_factory=list)  # 企业, 诉求类型, 内容, 状态, 办理时限
    projects: list[dict[str, object]] = field(default_factory=list)  # 项目, 地区, 计划投资, 完成, 进度
