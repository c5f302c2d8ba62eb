"""Wind name mapper against the 885-series catalog (codes and measures worked out by its author).

Deliberate differences from series_catalog.csv:
- 中国:制造业PMI (and its 分项) map to industry TOTAL, as the series-id convention says
  (``wind:pmi.level.100000.TOTAL``: the indicator pmi is itself the manufacturing PMI); the catalog
  writes C.
- names the catalog leaves without a code (PPI totals 全部工业品, 高技术产业, ownership types, PPI 中类)
  get TOTAL/HT/EQ plus a category; the test checks those separately.
- 中国:PPI:Wind季调 has no catalog measure: it stays unmapped (raw).
- Indicators the catalog does not define (管理费用, 存货, 资产负债率, 每百元…, 周转天数 …) stay unmapped.
"""

import pandas as pd
import pytest

from yacang.ingest.names import map_name

MEASURE_OF = {
    "当月同比": "yoy", "累计同比": "ytd_yoy", "累计值": "ytd_value", "当月值": "value", "环比": "mom",
    "季调环比": "sa_mom", "定基指数": "index", "上年同期累计值": "prev_ytd_value", "上年同期": "prev_value",
    "同比": "yoy", "当季同比": "qtr_yoy", "利润总额:累计值": "ytd_value", "当月值(1-2月合并)": "value",
    "当月同比(1-2月合并)": "yoy", "规模以上工业企业": "level", "制造业PMI": "level", "生产": "level",
}
CATALOG_INDICATORS = ("工业增加值", "PPI", "PPIRM", "出口交货值", "营业收入", "主营业务收入", "营业成本", "利润总额",
                      "营业收入利润率", "资产合计", "负债合计", "亏损企业单位数", "亏损企业亏损额", "企业单位数", "产销率",
                      "制造业PMI")


@pytest.fixture(scope="module")
def oracle(shared_data):
    c = pd.read_csv(shared_data / "national_industry_monthly_wind/series_catalog.csv", dtype=str)
    c["mapping"] = c["wind_indicator"].map(map_name)
    return c


def test_all_885_names_are_covered(oracle):
    assert len(oracle) == 885


def test_codes_agree_with_the_catalog(oracle):
    coded = oracle[oracle["gb4754_2017_code"].notna() & oracle["mapping"].notna()]
    pmi = coded["wind_indicator"].str.startswith("中国:制造业PMI")
    got = coded["mapping"].map(lambda m: m.industry)
    assert (got[~pmi] == coded.loc[~pmi, "gb4754_2017_code"]).all(), coded[~pmi][got[~pmi] != coded.loc[~pmi, "gb4754_2017_code"]]
    assert (got[pmi] == "TOTAL").all()
    # every division 06–46 and section B/C/D the catalog names is reached
    assert len(set(got)) >= 44


def test_measures_agree_with_the_catalog(oracle):
    mapped = oracle[oracle["mapping"].notna()]
    expected = mapped["measure"].map(MEASURE_OF)
    got = mapped["mapping"].map(lambda m: m.measure)
    assert (got == expected).all(), mapped[got != expected][["wind_indicator", "measure"]]


def test_unmapped_only_where_the_catalog_has_no_indicator(oracle):
    unmapped = oracle[oracle["mapping"].isna()]["wind_indicator"]
    for name in unmapped:
        parts = name.split(":")
        assert name == "中国:PPI:Wind季调" or not any(p in CATALOG_INDICATORS for p in parts), name
    assert len(unmapped) <= 90
    assert len(oracle) - len(unmapped) >= 795


def test_uncoded_sectors_become_groupings_or_categories(oracle):
    rows = oracle[oracle["gb4754_2017_code"].isna() & oracle["mapping"].notna()]
    for name, sector, m in zip(rows["wind_indicator"], rows["sector_or_category"], rows["mapping"], strict=True):
        if sector == "全部工业品":
            assert (m.industry, m.category) == ("TOTAL", "")
        elif "高技术产业" in name:
            assert m.industry == "HT"
        elif "装备制造业" in name:
            assert m.industry == "EQ"
        else:
            assert m.industry in ("TOTAL", "C") and m.category, name


@pytest.mark.parametrize(("name", "sid"), [
    ("中国:工业增加值:规模以上工业企业:当月同比", "wind:iva.yoy.100000.TOTAL"),
    ("中国:工业增加值:规模以上工业企业:当月同比(1-2月拆分)", "wind:iva.yoy.100000.TOTAL~split"),
    ("中国:工业增加值:规模以上工业企业:采矿业:当月同比", "wind:iva.yoy.100000.B"),
    ("中国:工业增加值:规模以上工业企业:汽车制造业:累计同比", "wind:iva.ytd_yoy.100000.36"),
    ("中国:工业增加值:规模以上工业企业:化学原料及化学制品制造业:当月同比", "wind:iva.yoy.100000.26"),
    ("中国:工业增加值:规模以上工业企业:高技术产业:当月同比", "wind:iva.yoy.100000.HT"),
    ("中国:工业增加值:规模以上工业企业:装备制造业:累计同比", "wind:iva.ytd_yoy.100000.EQ"),
    ("中国:工业增加值:规模以上工业企业:国有及国有控股企业:当月同比", "wind:iva.yoy.100000.TOTAL.国有及国有控股企业"),
    ("中国:PPI:当月同比", "wind:ppi.yoy.100000.TOTAL"),
    ("中国:PPI:黑色金属冶炼和压延加工业:当月同比", "wind:ppi.yoy.100000.31"),
    ("中国:制造业PMI", "wind:pmi.level.100000.TOTAL"),
    ("中国:制造业PMI:新订单", "wind:pmi.level.100000.TOTAL.新订单"),
    ("中国:出口交货值:规模以上工业企业:汽车制造业:当月值", "wind:export_delivery.value.100000.36"),
    ("中国:利润总额:规模以上工业企业:累计值", "wind:profit.ytd_value.100000.TOTAL"),
    ("规模以上工业企业:利润总额:汽车制造业:累计值", "wind:profit.ytd_value.100000.36"),
    ("中国:工业增加值:规模以上工业企业:季调:环比", "wind:iva.sa_mom.100000.TOTAL"),
])
def test_examples(name, sid):
    assert map_name(name).series_id("wind") == sid


def test_not_catalog_concepts_are_unmapped():
    assert map_name("中国:开工率:螺纹钢:主要钢厂") is None
    assert map_name("中国:PPI:Wind季调") is None
