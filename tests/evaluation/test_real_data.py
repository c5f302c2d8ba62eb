"""The real-data loader (values by hand from the province file) and the stored runs (same run twice = same rows)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from yacang.evaluation.errors import EvaluationError
from yacang.evaluation.real_data import PROVINCE_IVA, province_input


def test_province_values_2022_by_hand(shared_data):
    inp = province_input(2022, shared_data, national_iva=3.6)
    v = inp.values
    assert len(v) == 31
    # 江苏 2022 全年 5.1 (PROVENANCE: agrees with the provincial release), 2021 12.8
    assert v.loc["320000", "iva_ytd"] == 5.1
    assert v.loc["320000", "iva_change"] == pytest.approx(5.1 - 12.8)
    assert v.loc["320000", "iva_2y"] == pytest.approx((math.sqrt(1.051 * 1.128) - 1) * 100)
    # 四川 2022 全年 3.8 (PROVENANCE check); 湖北 7.0
    assert v.loc["510000", "iva_ytd"] == 3.8 and v.loc["420000", "iva_ytd"] == 7.0
    # 北京 has only 当月同比: the estimate is the plain mean of the file's 2022 当月 values, and it says so
    df = pd.read_csv(shared_data / PROVINCE_IVA)
    bj = df[(df.province == "北京") & (df.year == 2022)]
    assert set(bj.measure) == {"month_yoy"}
    assert v.loc["110000", "iva_ytd"] == pytest.approx(bj.value_pct.mean())
    assert "非官方累计数" in inp.notes.loc["110000", "iva_ytd"] and inp.notes.loc["320000", "iva_ytd"] == ""
    # GDP growth (nominal) from the NBS levels
    gdp = pd.read_csv(shared_data / "province_gdp_annual" / "province_gdp_current_prices.csv",
                      dtype={"province_code": str}).set_index(["year", "province_code"])["gdp_100m_yuan"]
    assert v.loc["440000", "gdp_growth"] == pytest.approx((gdp[2022, "440000"] / gdp[2021, "440000"] - 1) * 100)
    gap = province_input(2022, shared_data, national_iva=3.6, month_yoy="gap")
    assert math.isnan(gap.values.loc["110000", "iva_ytd"]) and gap.values.loc["320000", "iva_ytd"] == 5.1
    # the source line says how the six were treated (it said 各月当月同比 for both)
    assert "6省为各月当月同比的简单平均" in inp.source and "6省仅有当月同比，按缺值处理" in gap.source


def test_bad_province_file_names_row_and_column(tmp_path, shared_data):
    """The province files go through the ingest: a bad row stops the run with the file, row and column."""
    from yacang.evaluation.real_data import PROVINCE_GDP, ensure_provinces
    from yacang.warehouse import Warehouse

    src = pd.read_csv(shared_data / PROVINCE_IVA)
    (tmp_path / PROVINCE_IVA).parent.mkdir(parents=True)
    src.loc[4, "province"] = "北平"
    src.to_csv(tmp_path / PROVINCE_IVA, index=False)
    (tmp_path / PROVINCE_GDP).parent.mkdir(parents=True)
    (tmp_path / PROVINCE_GDP).symlink_to(shared_data / PROVINCE_GDP)
    wh = Warehouse.memory()
    with pytest.raises(EvaluationError, match="第6行，列“province”，值“北平”：未知的地区名称"):
        ensure_provinces(wh, tmp_path)
    with pytest.raises(EvaluationError, match="第6行，列“province”，值“北平”"):
        province_input(2022, tmp_path, national_iva=3.6)
    with pytest.raises(EvaluationError, match="找不到数据文件"):
        province_input(2022, tmp_path / "nowhere", national_iva=3.6)
    with pytest.raises(EvaluationError, match=r"仓库中没有分省规模以上工业增加值增速，且找不到.*yacang ingest"):
        ensure_provinces(wh, tmp_path / "nowhere")


def test_saving_the_same_run_twice_changes_nothing(wh, shared_data):
    from yacang.evaluation.runs import evaluate
    from yacang.evaluation.system import load_system
    from yacang.warehouse import evaluation as tables

    inp = province_input(2022, shared_data, national_iva=3.6)
    first = evaluate(wh, load_system("wenzengzhang"), inp, data_kind="real", draws=50)
    before = (wh.count("eval_runs"), wh.count("eval_scores"), wh.count("eval_items"))
    evaluate(wh, load_system("wenzengzhang"), inp, data_kind="real", draws=50)
    assert (wh.count("eval_runs"), wh.count("eval_scores"), wh.count("eval_items")) == before == (1, 31, 31 * 5)
    assert tables.scores(wh, first.run_id)["rank"].tolist() == sorted(tables.scores(wh, first.run_id)["rank"])


def test_a_demo_warehouse_never_sets_the_real_provinces_thresholds(wh, shared_data):
    """The demo's national 累计 growth (2022: 3.59, close to NBS's 3.6) was taken as 国家统计局's and the run
    stored as real; the real-data run now refuses a demo warehouse, and the national figure skips demo series."""
    from tests.web.fixtures import _batch
    from yacang.evaluation.real_data import ensure_national, national_iva_ytd

    sid = "demo:iva.ytd_yoy.100000.TOTAL"
    wh.write_batch(_batch("yacang demo", [{"series_id": sid, "indicator": "iva", "measure": "ytd_yoy", "region": "100000",
                                           "industry": "TOTAL", "frequency": "M", "unit": "%", "source": "demo",
                                           "original_name": "示例数据:规模以上工业增加值:累计同比:100000:TOTAL"}],
                          [{"series_id": sid, "period": "2022-12", "value": 3.59}]))
    assert national_iva_ytd(wh, 2022) is None
    with pytest.raises(EvaluationError, match=r"数据仓库中是示例数据.*YACANG_HOME"):
        ensure_national(wh, shared_data)


def test_the_source_names_who_published_the_national_series(shared_data):
    """The run's source said “经 Wind” whatever the warehouse held; the NBS export is NBS's own release."""
    from yacang.evaluation.real_data import national_source
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    for f in sorted((shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed").glob("*.csv")):
        load_file(wh, f)
    assert national_source(wh) == "国家统计局"
    inp = province_input(2022, shared_data, national_iva=3.6, national_source=national_source(wh))
    assert inp.source.endswith("全国规模以上工业增加值2022年1-12月累计增速（数据仓库，国家统计局）")
