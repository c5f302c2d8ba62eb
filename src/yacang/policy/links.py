"""Which indicators, alert rules and dispatch items a measure concerns, from the words it uses.

A small explicit table (keyword → target) rather than guesswork: officers can add or remove links by
hand (``yacang policy link``); these are the automatic suggestions, marked ``origin="auto"``.
Alert rule keys are the ids of ``yacang/alerts/packs/default.yaml`` (and ``materials``/``capacity``
for the 红黄蓝 and capacity warnings); dispatch keys name the dispatch areas.
"""

from __future__ import annotations

INDICATOR, ALERT_RULE, DISPATCH = "indicator", "alert_rule", "dispatch"
KIND_ZH = {INDICATOR: "指标", ALERT_RULE: "预警规则", DISPATCH: "调度事项"}

RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("稳增长", "工业经济平稳", "工业生产", "监测调度"), INDICATOR, "iva"),
    (("制造业增加值比重", "制造业比重"), INDICATOR, "manufacturing_share"),
    (("出口", "外贸", "广交会", "跨境电商"), INDICATOR, "export_delivery"),
    (("重大项目", "投资", "技术改造", "设备更新"), INDICATOR, "fai"),
    (("原材料", "保供稳价", "红黄蓝"), INDICATOR, "ppi"),
    (("电力", "用能", "电煤", "有序用电"), INDICATOR, "electricity"),
    (("效益", "利润"), INDICATOR, "profit"),
    (("用工",), INDICATOR, "employment"),
    (("监测调度", "苗头性问题预警", "目标管理", "进度督促"), ALERT_RULE, "target_gap"),
    (("苗头性问题预警",), ALERT_RULE, "consecutive_decline"),
    (("监测调度",), ALERT_RULE, "below_parent"),
    (("出口", "外贸"), ALERT_RULE, "export_collapse"),
    (("有序用电", "用能", "电力"), ALERT_RULE, "power_output_divergence"),
    (("红黄蓝",), ALERT_RULE, "materials"),
    (("产能预警",), ALERT_RULE, "capacity"),
    (("重大项目",), DISPATCH, "projects"),
    (("外贸企业服务保障", "重点外贸企业"), DISPATCH, "foreign_trade"),
    (("堵点卡点", "点对点", "一对一", "诉求", "解决合理需求"), DISPATCH, "appeals"),
    (("白名单",), DISPATCH, "whitelist"),
    (("龙头企业", "链主", "产业链供应链"), DISPATCH, "chains"),
    (("服务保障",), DISPATCH, "enterprise_service"),
)


def suggest_links(text: str) -> list[tuple[str, str, str]]:
    """(kind, key, the word that matched) for every rule whose keyword occurs in ``text``."""
    out: dict[tuple[str, str], str] = {}
    for words, kind, key in RULES:
        for w in words:
            if w in text and (kind, key) not in out:
                out[(kind, key)] = w
    return [(kind, key, word) for (kind, key), word in out.items()]
