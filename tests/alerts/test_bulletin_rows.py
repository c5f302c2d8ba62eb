"""The bulletin's alert rows: stored region, grouping by rule and region, repeats folded, severity gate."""

from __future__ import annotations

import pandas as pd

from yacang.jobs.bulletin_inputs import alert_counts, alert_rows

NAMES = {"440100": "广州市"}  # a city name as stored at evaluation (the catalog has only provinces)


def _row(rule_id, rule_name, scope, key, parent, region, severity, message, repeat_of=None, since="2022-11"):
    return {"name": NAMES.get(key, key), "rule_id": rule_id, "rule_name": rule_name, "scope": scope, "key": key, "parent": parent,
            "region": region, "severity": severity, "message": message, "repeat_of": repeat_of, "since": since,
            "state": "firing", "period": "2022-12"}


FIRING = pd.DataFrame([
    _row("neg", "当月工业负增长", "region", "100000", "", "100000", "黄", "全国…下降0.5%"),
    _row("neg", "当月工业负增长", "region", "440000", "100000", "440000", "红", "广东省2022年12月规上工业增加值同比下降4.0%"),  # own row
    _row("neg", "当月工业负增长", "region", "320000", "100000", "320000", "黄", "江苏省…下降1.0%", repeat_of="100000"),
    _row("neg", "当月工业负增长", "region", "440100", "440000", "440100", "红", "广州市…下降6.0%", repeat_of="440000"),
    _row("neg", "当月工业负增长", "region", "360000", "100000", "360000", "黄", "江西省…下降0.2%", repeat_of="100000"),
    _row("drag", "重点企业拖累地区增速", "enterprise", "91440101A", "440000", "440106", "红", "甲公司下拉1.2个百分点"),
    _row("drag", "重点企业拖累地区增速", "enterprise", "91440101B", "440000", "440106", "黄", "乙公司下拉0.6个百分点"),
    _row("gap", "累计增速低于上级地区", "region", "330000", "100000", "330000", "蓝", "浙江省…低2.1个百分点"),
])


def test_national_bulletin_groups_folds_and_gates(yacang_home):
    rows = alert_rows(FIRING, "100000")
    got = [(r.region_name, r.rule, r.severity, r.message) for r in rows]
    assert got == [
        # two key enterprises of 广东 under one rule: one row, the most severe first, listed under 广东省
        # the row names the region and the bulletin the period: the message starts after them
        ("广东省", "当月工业负增长", "red", "规上工业增加值同比下降4.0%"),
        ("广东省", "重点企业拖累地区增速", "red", "广东省共2家企业触发：甲公司下拉1.2个百分点；乙公司下拉0.6个百分点"),
        # provinces repeating the nation's alert at the same level are folded into it; 广州 is in 广东's bulletin
        ("全国", "当月工业负增长", "yellow", "…下降0.5%（另有江苏省、江西省2个省份同时触发）"),
    ]  # 浙江's 蓝色 提示 stays in the alert system
    assert rows[0].since == "2022年11月"
    assert len(alert_rows(FIRING, "100000", min_level="蓝")) == 4


def test_province_bulletin_shows_its_own_and_its_cities(yacang_home):
    rows = alert_rows(FIRING, "440000")
    got = [(r.region_name, r.rule, r.message) for r in rows]
    assert ("广东省", "当月工业负增长", "规上工业增加值同比下降4.0%（另有广州市同时触发）") in got
    assert ("广州市", "重点企业拖累地区增速",
            "广州市共2家企业触发：甲公司下拉1.2个百分点；乙公司下拉0.6个百分点") in got  # registered in 天河区
    assert not any(r.region_code == "320000" for r in rows)


def test_counts_by_level_and_repeats():
    line = alert_counts(FIRING)
    assert line == ("预警：各地区正在触发的共 8 条（红色 3 条、黄色 4 条、蓝色 1 条）；"
                    "其中 3 条与上级地区同一规则同时触发，归并到上级，独立预警 5 条")
