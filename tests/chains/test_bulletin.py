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
        "产业链冲击推演“上海停产10天”：本地区直接停减产企业 0 家，受上游波及企业 1 家，波及企业产值损失约 127.2万元（企业月报与申报）",
        "单一来源依赖（一半以上投入来自一家难以替代的供应商）的企业 1 家，存在卡点风险"]
    # nation: 2 direct (上海), 3 downstream: 148 + 187.2 + 127.2 = 462.4 万元; single sources: E4, E6, E3
    nat = bulletin_lines(chain_wh, "100000")
    assert nat[0] == ("产业链冲击推演“上海停产10天”：本地区直接停减产企业 2 家，受上游波及企业 3 家，"
                      "波及企业产值损失约 462.4万元（企业月报与申报）")
    assert nat[1].startswith("单一来源依赖") and "企业 3 家" in nat[1]
    # 北京: untouched, no links
    assert bulletin_lines(chain_wh, "110000") == []
