"""Writing the demo into the warehouse: idempotent, series readable, engine agrees, CLI summary."""

from __future__ import annotations

import pytest

from tests.demo.reference import real_growth

CFG = {"enterprises": 1500, "months": 15, "end": "2022-06", "seed": 11}


def _counts(wh) -> dict[str, int]:
    return {t: wh.count(t) for t in ("enterprises", "enterprise_years", "reports", "division_params",
                                     "division_ppi", "targets", "series", "observations")}


def test_rerun_is_idempotent_and_replaces_demo_rows(yacang_home, wh):
    from yacang.demo.build import run_demo
    from yacang.demo.generator import DemoSpec

    first = run_demo(wh, DemoSpec(**CFG))
    c1 = _counts(wh)
    assert c1["enterprises"] == 1500
    assert c1["reports"] == len(first.data.reports)
    demo_obs = wh.scalar("SELECT count(*) FROM observations o JOIN series s USING (series_id) WHERE s.source = 'demo'")
    assert first.written.observations_new == demo_obs > 0  # extra sets (dispatch quick reports) add their own
    # same seed again: nothing duplicated, nothing new in the observation store
    second = run_demo(wh, DemoSpec(**CFG))
    assert _counts(wh) == c1
    assert second.written.observations_new == 0 and second.written.observations_revised == 0
    # a different size replaces the demo's microdata instead of adding to it
    run_demo(wh, DemoSpec(**{**CFG, "enterprises": 1200}))
    assert wh.count("enterprises") == 1200
    got = wh.db.execute("SELECT count(*) FROM reports r JOIN enterprises e USING (uscc)").fetchone()[0]
    assert got == wh.count("reports")


def test_synthetic_regions_go_to_the_catalog(yacang_home, wh):
    from yacang.catalog.regions import RegionCatalog
    from yacang.demo.build import run_demo
    from yacang.demo.generator import DemoSpec

    s = run_demo(wh, DemoSpec(**CFG))
    assert s.synthetic_regions
    assert (yacang_home / "catalog" / "regions.demo").exists()
    cat = RegionCatalog.load()
    kids = cat.children("440000")
    assert len(kids) == 21 and kids[0].code == "440100" and kids[0].name == "广东省示例市01"
    for code in s.data.enterprises["region"].head(50):
        assert cat.get(code).level == "county"
        assert cat.ancestors(code)[1].level == "province"


def test_series_equal_independent_growth(yacang_home, wh):
    from yacang.demo.build import run_demo
    from yacang.demo.generator import DemoSpec

    d = run_demo(wh, DemoSpec(**CFG)).data
    ref = real_growth(d.reports, d.enterprises, d.division_ppi, d.division_params)
    nat = wh.values("demo:iva.yoy.100000.TOTAL")
    assert list(nat.index) == d.periods
    for p in d.periods:
        assert nat[p] == pytest.approx(ref[p], abs=1e-9)
    prov = real_growth(d.reports, d.enterprises, d.division_ppi, d.division_params, key="province")
    sh = wh.values("demo:iva.yoy.310000.TOTAL")
    assert sh["2022-04"] == pytest.approx(prov[("2022-04", "310000")], abs=1e-9)
    assert wh.find_series("iva", "yoy", region="440000") == "demo:iva.yoy.440000.TOTAL"
    # 累计 starts with the year's 1-2月: only 2022 is complete in this window
    ytd = wh.values("demo:iva.ytd_yoy.100000.TOTAL")
    assert ytd.index[0] == "2022-01/02" and ytd["2022-01/02"] == pytest.approx(nat["2022-01/02"])


def test_engine_national_growth_equals_independent_calculation(yacang_home, wh):
    import yacang.measures.real_growth as real_growth_mod
    from yacang.demo.build import run_demo
    from yacang.demo.generator import DemoSpec

    d = run_demo(wh, DemoSpec(**CFG)).data
    ref = real_growth(d.reports, d.enterprises, d.division_ppi, d.division_params)
    for p in ("2021-06", "2022-01/02", "2022-04", "2022-06"):
        panel = real_growth_mod.enterprise_panel(wh.con, p)
        got = real_growth_mod.aggregate(panel).to_pandas()["growth"].iloc[0]
        assert got == pytest.approx(ref[p], abs=1e-6), p
    prov = real_growth(d.reports, d.enterprises, d.division_ppi, d.division_params, key="province")
    by = real_growth_mod.aggregate(real_growth_mod.enterprise_panel(wh.con, "2022-04"), ["province"]).to_pandas()
    by = by.set_index("province")["growth"]
    assert len(by) == 31
    for code in ("310000", "220000", "440000"):
        assert by[code] == pytest.approx(prov[("2022-04", code)], abs=1e-6), code


def test_cli_prints_chinese_summary(yacang_home):
    from typer.testing import CliRunner

    from yacang.cli import app

    res = CliRunner().invoke(app, ["demo", "--enterprises", "800", "--months", "12", "--end", "2022-12", "--seed", "3"])
    assert res.exit_code == 0, res.output
    for word in ("企业数：800 家", "规上企业数：2022年", "月份范围：2022年1-2月 至 2022年12月", "31 个省份",
                 "校准目标（国家统计局公布）1.3%", "上海 2022年4月 同比"):
        assert word in res.output, word
    bad = CliRunner().invoke(app, ["demo", "--end", "2022-01"])
    assert bad.exit_code == 1
    assert "1-2月合并" in bad.output


def test_imported_region_list_is_used(yacang_home, wh, shared_data):
    from yacang.catalog.imports import import_regions
    from yacang.catalog.regions import RegionCatalog
    from yacang.demo.build import run_demo
    from yacang.demo.generator import DemoSpec

    # a demo run first (synthetic list), then the user imports the real list: the next run uses it
    run_demo(wh, DemoSpec(**CFG))
    import_regions(shared_data / "admin_divisions_gbt2260" / "codes_by_year_2010_2024.csv", 2022)
    s = run_demo(wh, DemoSpec(**CFG))
    assert not s.synthetic_regions
    cat = RegionCatalog.load()
    assert cat.get("440100").name == "广州市"  # the import was not overwritten
    regions = s.data.enterprises["region"]
    assert all(code in cat for code in regions)
    assert not any("示例" in cat.name(code) for code in regions)
    assert regions.str[:2].nunique() == 31
