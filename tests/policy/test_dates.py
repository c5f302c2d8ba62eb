"""Document dates in every form real copies give them, and the release calendar, with the reason."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from yacang.policy.clean import clean_text, read_document
from yacang.policy.dates import date_from_url, find_date, latest_period_end, release_date

REAL = Path(__file__).parents[1] / "fixtures" / "policy" / "real"


@pytest.mark.parametrize(
    ("text", "date", "why"),
    [
        ("（2022年5月16日）\n国家统计局\n今年以来，受国际环境更趋复杂严峻…", dt.date(2022, 5, 16), "单独成行"),
        ("三部门联合印发《关于巩固回升向好趋势加力振作工业经济的通知》\n时间:2022-11-30 | 来源:工业和信息化部\n正文",
         dt.date(2022, 11, 30), "页面日期行"),
        ("来源：国家统计局 发表日期：2022-11-30\n正文", dt.date(2022, 11, 30), "页面日期行"),
        ("发布时间:2023-03-24 10:42:20 来源: 内蒙古日报 责任编辑:郭惠心\n正文", dt.date(2023, 3, 24), "页面日期行"),
        ("广东省人民政府办公厅\n2023年3月17日\n正文", dt.date(2023, 3, 17), "单独成行"),
        ("附件: 2005年市区工业经济“争先创优”竞赛办法\n二○○五年一月十四日", dt.date(2005, 1, 14), "落款"),
        ("2022年8月份规模以上工业生产主要数据\n指标 8月 1-8月", dt.date(2022, 9, 15), "发布日历"),
        ("2019年7月份，规模以上工业增加值同比实际增长4.8%。1-7月份，规模以上工业增加值同比增长5.8%。",
         dt.date(2019, 8, 15), "发布日历"),
        ("2025年一季度，全国规模以上工业增加值同比增长6.5%。", dt.date(2025, 4, 17), "发布日历"),
        ("中新社北京3月15日电 …1-2月份，中国规模以上工业增加值同比增长2.4%，比2022年12月份加快1.1个百分点。",
         dt.date(2023, 3, 15), "未写年份"),
        ("1月19日，国家统计局发布2025年经济运行情况。2025年，中国制造业稳中提质。", dt.date(2026, 1, 19), "未写年份"),
    ],
)
def test_date_forms(text, date, why):
    doc = clean_text(text + "\n规模以上工业增加值同比增长5.0%，比上月加快0.2个百分点。")
    assert doc.date == date
    assert why in doc.date_how


def test_rfc2822_front_matter():
    doc = clean_text("---\ntitle: 工业生产\ndate: Fri, 16 Jul 2021 03:38:15 GMT\n---\n上半年，规模以上工业增加值同比增长15.9%。")
    assert doc.date == dt.date(2021, 7, 16) and "元数据" in doc.date_how


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://sputniknews.cn/amp/20220117/202196-1037129306.html", dt.date(2022, 1, 17)),
        ("http://cqtresearch.com/kuaixun/2023/0516/212011.html", dt.date(2023, 5, 16)),
        ("http://amraq.com/szb/pc/col/202411/29/content_260969.html", dt.date(2024, 11, 29)),
        ("http://sztj.shuozhou.gov.cn/tjsj/tjxx/" "2025" "03/t2025" "0328_723523.html", dt.date(2025, 3, 28)),
        ("https://economy.neamco.com/2024-07/05/content_37424025.htm", dt.date(2024, 7, 5)),
        ("https://100ppi.com/news/detail-20240627-3437018.html", dt.date(2024, 6, 27)),
        ("http://jianhong365.com/down/3077344.shtml", None),
    ],
)
def test_dates_in_source_addresses(url, date):
    assert date_from_url(url) == date


def test_release_calendar():
    assert release_date(dt.date(2022, 8, 31)) == dt.date(2022, 9, 15)
    assert release_date(dt.date(2022, 12, 31)) == dt.date(2023, 1, 17)  # a quarter's end month: the 17th
    assert latest_period_end("比2022年12月份加快1.1个百分点，2023年3月17日") == dt.date(2022, 12, 31)
    assert find_date("正文", {}, None, None) is None
    # targets are not periods reported on (notice_miit_2022_160.txt)
    assert latest_period_end("确保2022年四季度工业经济运行在合理区间，为2023年实现“开门稳”") is None


def test_every_real_text_gets_a_date_except_the_undated_news():
    with (REAL / "index.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    undated = [r["file"] for r in rows if read_document(REAL / r["file"], source_url=r["source_url"]).date is None]
    assert undated == ["news_160_trad.txt"]  # "21日联合印发": a day without month or year
