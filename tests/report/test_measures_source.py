"""The regional provider turns microdata measures into the bulletin's input, number for number."""

import pandas as pd
import pytest

from yacang.measures.real_growth import Scope, aggregate, enterprise_panel
from yacang.periods import parse_period
from yacang.report.measures_source import MeasuresSource, _wan_to_yi


def test_wan_to_yi_keeps_missing() -> None:
    assert _wan_to_yi(None) is None
    assert _wan_to_yi(float("nan")) is None
    assert _wan_to_yi(25_000.0) == 2.5


@pytest.fixture(scope="module")
def demo_wh(tmp_path_factory):
    from yacang.demo import DemoSpec, run_demo
    from yacang.warehouse import Warehouse

    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("YACANG_HOME", str(home))
    from yacang.settings import reset_settings

    reset_settings()
    wh = Warehouse.open(home / "w.duckdb")
    run_demo(wh, DemoSpec(enterprises=2000, months=15, end="2022-06", seed=3))
    yield wh
    wh.close()
    mp.undo()
    reset_settings()


def test_province_input_equals_the_measures(demo_wh) -> None:
    src = MeasuresSource.from_warehouse(demo_wh)
    p = parse_period("2022-06")
    inp = src.bulletin_input("440000", p)
    con = demo_wh.con
    ytd = aggregate(Scope(region="440000").apply(enterprise_panel(con, p, cumulative=True))).to_pandas()["growth"][0]
    mon = aggregate(Scope(region="440000").apply(enterprise_panel(con, p, cumulative=False))).to_pandas()["growth"][0]
    nat = aggregate(enterprise_panel(con, p, cumulative=True)).to_pandas()["growth"][0]
    assert inp.region.ytd == pytest.approx(ytd)
    assert inp.region.month == pytest.approx(mon)
    assert inp.region.parent_ytd == pytest.approx(nat)
    assert inp.region.parent_name == "全国"
    # the province's sub-regions are its prefectures, ranked 1.. by 累计 growth (ties share a rank)
    subs = pd.DataFrame([(r.code, r.ytd, r.rank) for r in inp.subregions], columns=["code", "ytd", "rank"])
    assert (subs["code"].str[:2] == "44").all()
    assert subs.sort_values("ytd", ascending=False)["rank"].is_monotonic_increasing
    assert subs["rank"].min() == 1
    # division pulls sum to the province's 累计 growth
    assert sum(d.pull for d in inp.divisions) == pytest.approx(ytd, abs=1e-6)
    assert inp.region.history[-1][0] == "6月" and inp.region.history[-1][2] == pytest.approx(ytd)


def test_history_from_one_scan_equals_each_period_measured_alone(demo_wh) -> None:
    """The trend chart's 当月 and 累计 (one scan, running sums) equal each period's own panel."""
    src = MeasuresSource.from_warehouse(demo_wh)
    scope = Scope(region="440000")
    hist = src._history(scope, parse_period("2022-06"))
    codes = ["2022-01/02", "2022-03", "2022-04", "2022-05", "2022-06"]
    assert [h[0] for h in hist] == ["1-2月", "3月", "4月", "5月", "6月"]
    from yacang.measures.real_growth import aggregate, enterprise_panel

    def alone(code: str, cumulative: bool) -> float:
        return float(aggregate(scope.apply(enterprise_panel(demo_wh.con, code, cumulative=cumulative)))
                     .to_pandas()["growth"].iloc[0])

    for (label, month, ytd), code in zip(hist, codes, strict=True):
        assert month == pytest.approx(alone(code, False)), label
        assert ytd == pytest.approx(alone(code, True)), label
