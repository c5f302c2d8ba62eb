"""A province's bulletin (microdata measures) with its published 效益, 投资 and 比重 series.

The published figures below are typed by hand for the test (illustrative, not a real release): they
check that the province path reads the region's own series, words them and lists them in the 附表.
"""

from __future__ import annotations

import pandas as pd

from tests.microdata import handbuilt
from yacang.catalog.series_ids import series_id
from yacang.ingest.batch import SERIES_COLUMNS, Batch
from yacang.periods import parse_period

GD = "440000"
# (indicator, measure, industry, category, unit, {period: value})
PUBLISHED = [
    ("profit", "ytd_value", "TOTAL", "", "亿元", {"2022-03": 3612.35}),
    ("profit", "ytd_yoy", "TOTAL", "", "%", {"2022-03": -10.25}),
    ("revenue", "ytd_value", "TOTAL", "", "亿元", {"2022-03": 42010.0}),
    ("revenue", "ytd_yoy", "TOTAL", "", "%", {"2022-03": 8.45}),
    ("profit_margin", "ytd_value", "TOTAL", "", "%", {"2022-03": 5.62}),
    ("fai", "ytd_yoy", "TOTAL", "工业", "%", {"2022-02": 15.0, "2022-03": 13.2}),
    ("fai", "ytd_yoy", "C", "", "%", {"2022-02": 9.9, "2022-03": 10.35}),
    ("manufacturing_share", "level", "TOTAL", "", "%", {"2020": 31.7, "2021": 32.25}),
]


def _batch() -> Batch:
    series, obs = [], []
    for ind, measure, industry, cat, unit, values in PUBLISHED:
        sid = series_id("gdstats", ind, measure, GD, industry, cat)
        series.append({"series_id": sid, "indicator": ind, "measure": measure, "region": GD, "industry": industry,
                       "category": cat, "frequency": "Y" if ind == "manufacturing_share" else "M", "unit": unit,
                       "source": "gdstats", "original_name": f"广东:{ind}:{measure}", "jan_feb": ""})
        obs += [{"series_id": sid, "period": p, "value": v, "flags": "", "source_row": 0, "source_col": ""}
                for p, v in values.items()]
    o = pd.DataFrame(obs)
    o["source_row"] = o["source_row"].astype("int64")
    return Batch(source_file="typed-by-hand", format="test", sha256="test-gd-published",
                 series=pd.DataFrame(series, columns=SERIES_COLUMNS).astype("string"), observations=o)


def test_province_bulletin_has_efficiency_investment_share(wh, yacang_home):
    from yacang.report.measures_source import MeasuresSource
    from yacang.report.regional import compose

    handbuilt.build(wh)
    wh.write_batch(_batch())
    inp = MeasuresSource.from_warehouse(wh).bulletin_input(GD, parse_period("2022-03"))
    e = inp.efficiency
    assert (e.profit, e.profit_yoy, e.revenue, e.profit_margin) == (3612.35, -10.25, 42010.0, 5.62)
    assert e.loss_count is not None  # microdata 亏损面 of the same period kept
    b = compose(inp)
    text = b.text()
    assert "1-3月，全省规模以上工业企业实现营业收入42010.0亿元，同比增长8.5%；实现利润总额3612.4亿元，同比下降10.3%；" \
           "营业收入利润率为5.6%" in text
    assert "1-3月，全省工业投资同比增长13.2%，比1-2月回落1.8个百分点；制造业投资同比增长10.4%，比1-2月加快0.5个百分点。" in text
    assert "2021年，全省制造业增加值占地区生产总值比重为32.3%，比上年上升0.6个百分点。" in text
    titles = [s.title for s in b.sections]
    assert "效益、投资和比重" in titles or "效益与出口、投资和比重" in titles
    ids = {t.id for t in b.all_tables()}
    assert {"efficiency", "investment", "structure"} <= ids
    inv = {r["name"]: r for r in next(t for t in b.all_tables() if t.id == "investment").rows}
    assert inv["制造业投资"]["change"] == 0.5  # 10.4 − 9.9 on the printed figures
    assert "未列投资情况" not in text and "未列比重情况" not in text
