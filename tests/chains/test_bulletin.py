"""Bulletin sentences from stored chain results, checked by hand on the conftest world."""

from __future__ import annotations

import datetime as dt

from yacang.chains.bulletin import bulletin_lines
from yacang.chains.shocks import Scenario, run_scenario


def test_bulletin_lines_by_region(chain_wh):
    run_scenario(chain_wh, Scenario("region", dt.date(2022, 4, 1), 10, 14, region="310000", name="上海停产10天"))
    # 浙江: E5 (宁波) affected by the 上海 stop: 127.2 万元 (test_shocks, by hand); no direct stop.
    # Single sources into 浙江: E7→E4 (杭州) only → 1 enterprise.
    assert bulletin_lines(chain_wh, "330000") == [
        "产业链冲击推演“上海停产10天”：本地区直接停减产企业 0 家，受上游波及企业 1 家，波及企业产值损失约127.2万元（企业月报与申报）",
        "单一来源依赖（一半以上投入来自一家难以替代的供应商）的企业 1 家，存在卡点风险"]
    # nation: 2 direct (上海), 3 downstream: 148 + 187.2 + 127.2 = 462.4 万元; single sources: E4, E6, E3
    nat = bulletin_lines(chain_wh, "100000")
    assert nat[0] == ("产业链冲击推演“上海停产10天”：本地区直接停减产企业 2 家，受上游波及企业 3 家，"
                      "波及企业产值损失约462.4万元（企业月报与申报）")
    assert nat[1].startswith("单一来源依赖") and "企业 3 家" in nat[1]
    # 北京: untouched, no links
    assert bulletin_lines(chain_wh, "110000") == []


def test_a_loss_no_report_can_estimate_is_not_said_to_be_zero(chain_wh):
    """Reports start in 2022-03 (conftest): a stop on 2022-01-01 affects E5 in 浙江, which has no report before
    it. The sentence summed the known losses only and said “约0.0万元”."""
    run_scenario(chain_wh, Scenario("region", dt.date(2022, 1, 1), 3, 7, region="310000", name="上海停产3天"))
    line = bulletin_lines(chain_wh, "330000")[0]
    assert line == ("产业链冲击推演“上海停产3天”：本地区直接停减产企业 0 家，受上游波及企业 1 家，"
                    "波及企业冲击前均无月报，产值损失无法估算（企业月报与申报）")


def test_the_bulletin_carries_the_chain_sentences_under_its_warnings(chain_wh):
    """The one bulletin builder adds the stored chain results (never recomputed) to 预警提示; a warehouse
    that never used chains gets nothing and no error."""
    from yacang.jobs.main_job import _add_chain_lines
    from yacang.periods import parse_period
    from yacang.report.model import Bulletin, Section
    from yacang.warehouse import Warehouse

    def bulletin() -> Bulletin:
        return Bulletin("通报", "330000", "浙江省", parse_period("2022-04"), "（发文机关）", dt.date(2022, 5, 20),
                        [Section("一", "总体情况"), Section("二", "预警提示", paragraphs=["本期预警规则均未触发。"])])

    run_scenario(chain_wh, Scenario("region", dt.date(2022, 4, 1), 10, 14, region="310000", name="上海停产10天"))
    b = bulletin()
    _add_chain_lines(chain_wh, b, "330000")
    assert b.sections[1].paragraphs[-1] == (
        "产业链供应链方面，产业链冲击推演“上海停产10天”：本地区直接停减产企业 0 家，受上游波及企业 1 家，"
        "波及企业产值损失约127.2万元（企业月报与申报）；单一来源依赖（一半以上投入来自一家难以替代的供应商）的企业 1 家，"
        "存在卡点风险。")
    empty = Warehouse.memory()
    b = bulletin()
    _add_chain_lines(empty, b, "330000")
    assert b.sections[1].paragraphs == ["本期预警规则均未触发。"]
