"""Hand-made bulletin inputs for a region with sub-regions (stand-in for issue 3's measures and issue 4's alerts).

The numbers are invented for the tests (not published figures); ranks and shares are typed by hand so
the tests can check the composer's wording against them.
"""

from __future__ import annotations

from yacang.catalog.regions import mainland_provinces
from yacang.periods import Period, parse_period
from yacang.report.inputs import (
    AlertRow,
    Breadth,
    BulletinInput,
    DispatchInput,
    Efficiency,
    EnterpriseRow,
    IndustryRow,
    LightRow,
    MaterialRow,
    RegionFigures,
    SubRegionRow,
)

# 21 prefectures of Guangdong with invented 累计/当月 growth, rank now and in 1-2月, target, light.
GUANGDONG = [
    ("440100", "广州市", 5.1, 3.2, 9, 6, 6.0, "yellow"),
    ("440200", "韶关市", 7.9, 6.5, 3, 4, 6.5, "green"),
    ("440300", "深圳市", 6.4, 5.0, 6, 8, 7.0, "yellow"),
    ("440400", "珠海市", 4.2, 1.9, 14, 10, 8.0, "red"),
    ("440500", "汕头市", 8.8, 9.1, 1, 2, 7.0, "green"),
    ("440600", "佛山市", 5.6, 4.4, 8, 9, 6.0, "green"),
    ("440700", "江门市", 6.9, 5.2, 5, 5, 6.5, "green"),
    ("440800", "湛江市", 2.1, -1.5, 19, 17, 6.0, "red"),
    ("440900", "茂名市", 3.0, 2.2, 17, 19, 5.5, "red"),
    ("441200", "肇庆市", 7.3, 8.0, 4, 3, 7.0, "green"),
    ("441300", "惠州市", 8.5, 7.7, 2, 1, 8.0, "green"),
    ("441400", "梅州市", 4.8, 3.9, 11, 12, 6.0, "yellow"),
    ("441500", "汕尾市", 6.0, 6.3, 7, 7, 6.5, "yellow"),
    ("441600", "河源市", 3.7, 2.0, 15, 16, 6.0, "red"),
    ("441700", "阳江市", -0.8, -3.4, 21, 21, 5.0, "red"),
    ("441800", "清远市", 4.9, 4.0, 10, 11, 6.0, "yellow"),
    ("441900", "东莞市", 4.6, 2.8, 12, 13, 6.5, "red"),
    ("442000", "中山市", 4.5, 3.5, 13, 14, 6.0, "yellow"),
    ("445100", "潮州市", 3.3, 1.1, 16, 15, 6.0, "red"),
    ("445200", "揭阳市", 2.6, 0.4, 18, 18, 6.0, "red"),
    ("445300", "云浮市", 1.2, -0.6, 20, 20, 5.5, "red"),
]

# growth of the 31 provinces (invented), in catalog order
PROVINCE_YTD = [8.9, 7.0, 6.3, 8.7, 9.5, 5.8, 7.0, 6.6, 3.2, 7.4, 8.3, 9.1, 8.4, 9.9, 7.3, 8.9, 8.8, 8.0, 6.5,
                9.4, 6.6, 8.4, 7.3, 11.3, 6.8, 13.4, 8.1, 10.5, 15.1, 6.9, 9.6]


def _ranks(values: list[float]) -> list[int]:
    ordered = sorted(values, reverse=True)
    return [ordered.index(v) + 1 for v in values]


def guangdong_input(period: Period | None = None) -> BulletinInput:
    p = period or parse_period("2022-03")
    region = RegionFigures(
        code="440000", name="广东省", scope="全省", ytd=6.5, ytd_prev=6.1, month=5.2, month_prev=6.1,
        two_year_ytd=8.4, two_year_month=7.9, parent_name="全国", parent_ytd=6.3, parent_month=5.0,
        rank=17, prev_rank=20, n_siblings=31, target=5.5, target_needed=5.2, target_light="green",
        history=[("21年12月", 4.2, 9.0), ("22年1-2月", 6.1, 6.1), ("22年3月", 5.2, 6.5)])
    subs = [SubRegionRow(c, n, y, m, r, pr, t, light) for c, n, y, m, r, pr, t, light in GUANGDONG]
    divisions = [
        IndustryRow("39", "计算机、通信和其他电子设备制造业", 8.2, 6.0, 7.0, pull=2.3),
        IndustryRow("38", "电气机械和器材制造业", 9.9, 8.1, 9.0, pull=1.1),
        IndustryRow("36", "汽车制造业", -4.6, -9.8, 1.2, pull=-0.5),
        IndustryRow("44", "电力、热力生产和供应业", 6.0, 4.0, 7.2, pull=0.4),
        IndustryRow("26", "化学原料和化学制品制造业", -2.2, -3.0, 0.5, pull=-0.2),
        IndustryRow("33", "金属制品业", 1.5, 0.2, 2.0, pull=0.1),
    ]
    return BulletinInput(
        period=p, region=region, subregions=subs, subregion_level="prefecture",
        sections=[IndustryRow("B", "采矿业", 3.0, 2.5), IndustryRow("C", "制造业", 6.6, 5.3),
                  IndustryRow("D", "电力、热力、燃气及水生产和供应业", 6.1, 4.4)],
        divisions=divisions,
        groupings=[IndustryRow("HT", "高技术制造业", 8.0, 6.6, 7.1), IndustryRow("EQ", "装备制造业", 7.7, 6.0, 7.5)],
        breadth=Breadth(26, 35),
        efficiency=Efficiency(period=parse_period("2022-02"), revenue=26000.4, revenue_yoy=9.3, profit=1300.2,
                              profit_yoy=-7.5, profit_margin=5.0, loss_count=17500, enterprise_count=65000,
                              loss_depth=32.0, export_period=p, export_value=5100.0, export_yoy=-3.6,
                              export_ytd_yoy=1.2),
        alerts=[
            AlertRow("440800", "湛江市", "增速低于目标", "red", "累计增速低于年度目标3.9个百分点", "2022年1-2月"),
            AlertRow("440800", "湛江市", "当月增速连续回落", "yellow", "当月增速连续3个月回落", "2022年1月"),
            AlertRow("441700", "阳江市", "减产面扩大", "yellow", "减产企业占比达52.0%", "2022年3月"),
        ],
        materials=[MaterialRow("动力煤", "yellow", 1250.0, "元/吨", 38.5, "高于近一年均值"),
                   MaterialRow("碳酸锂", "red", 498000.0, "元/吨", 420.1, "短期涨幅超过20%"),
                   MaterialRow("螺纹钢", "none", 4900.0, "元/吨", 3.2, "")],
        lights=[LightRow("规模以上工业增加值", ["green", "green", "yellow"]),
                LightRow("出口交货值", ["yellow", "green", "lightblue"]),
                LightRow("综合指数", ["green", "green", "green"])],
        light_columns=["2021-12", "2022-01/02", "2022-03"],
        drags=[EnterpriseRow("广东某汽车有限公司", "广州市", "汽车制造业", -18.2, -0.41, "芯片短缺"),
               EnterpriseRow("=HYPERLINK(\"http://x\",\"点我\")", "阳江市", "金属制品业", -30.0, -0.12, "停产检修")],
        gains=[EnterpriseRow("深圳某电子科技有限公司", "深圳市", "计算机、通信和其他电子设备制造业", 21.0, 0.63)],
        has_microdata=True,
    )


def nation_provinces_input(period: Period | None = None) -> BulletinInput:
    """The nation with its 31 provinces (for the province map)."""
    p = period or parse_period("2022-03")
    provs = mainland_provinces()
    ranks = _ranks(PROVINCE_YTD)
    subs = [SubRegionRow(r.code, r.short_name, v, v - 1.0, k) for r, v, k in zip(provs, PROVINCE_YTD, ranks, strict=True)]
    region = RegionFigures(code="100000", name="全国", scope="全国", ytd=6.5, ytd_prev=7.5, month=5.0, month_prev=7.5)
    return BulletinInput(period=p, region=region, subregions=subs, subregion_level="province", has_microdata=True)


class FixtureSource:
    """A :class:`~yacang.report.inputs.RegionalSource` serving the fixtures above."""

    def bulletin_input(self, region: str, period: Period) -> BulletinInput:
        return guangdong_input(period) if region == "440000" else nation_provinces_input(period)


def with_dispatch(inp: BulletinInput) -> BulletinInput:
    inp.dispatch = DispatchInput(
        appeals=[{"企业": "广东某汽车有限公司", "诉求类型": "缺芯", "内容": "车规级芯片供应不足", "状态": "办理中"},
                 {"企业": "东莞某电子厂", "诉求类型": "物流", "内容": "货车通行证", "状态": "已办结"}],
        projects=[{"项目": "某新能源电池基地", "地区": "惠州市", "计划投资（亿元）": 120.0, "进度": "按计划"}])
    return inp
