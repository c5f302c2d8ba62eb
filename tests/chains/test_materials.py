"""The real 碳酸锂 price (shared data, Investing.com download) through the 红黄蓝 warning marks the chains."""

from __future__ import annotations

import pytest

from yacang.chains.maps import shipped_chains
from yacang.chains.materials import chain_flags, warehouse_flags
from yacang.warehouse import chains as store


@pytest.fixture(scope="module")
def lithium_wh(shared_data):
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    load_file(wh, next((shared_data / "lithium_carbonate_china_spot_daily" / "original").glob("*.csv")))
    store.save_maps(wh, shipped_chains())
    yield wh
    wh.close()


@pytest.mark.slow
def test_real_lithium_red_period_flags_battery_and_nev(lithium_wh):
    # 2022-03-01: spot ≈ 480,000 元/吨, several times its 1-year mean → 红 (tests/alerts/test_materials.py)
    f = warehouse_flags(lithium_wh, "2022-03-01")
    lith = f[f["material"] == "lithium_carbonate"].set_index("chain")
    assert set(lith.index) == {"battery", "nev"} and set(lith["level"]) == {"红"}
    assert lith.loc["battery", "segments"] == "锂盐（碳酸锂、氢氧化锂）、正极材料、电解液、电芯"
    assert lith.loc["nev", "segments"] == "动力电池"
    # 2020-06-30: the price had been falling for two years (≈ 40,000 元/吨) → no warning on either chain
    calm = warehouse_flags(lithium_wh, "2020-06-30")
    assert calm[calm["material"] == "lithium_carbonate"].empty


def test_flags_by_hand():
    chains = shipped_chains()
    f = chain_flags(chains, {"flat_glass": "黄", "copper": "蓝"})
    assert f[["chain", "material", "level", "segments"]].values.tolist() == [["pv", "flat_glass", "黄", "光伏玻璃"]]
    assert chain_flags(chains, {"copper": "蓝"}, min_level="蓝")["chain"].tolist() == ["battery", "ic", "nev", "pv"]


@pytest.mark.slow
def test_material_level_for_a_shock_from_the_real_prices(lithium_wh):
    from yacang.chains.errors import ChainError
    from yacang.chains.shocks import material_level_on

    assert material_level_on(lithium_wh, "lithium_carbonate", "2022-03-01") == "红"
    assert material_level_on(lithium_wh, "lithium_carbonate", "2020-06-30") == ""
    # the file ends 2024-11-01: mid-2025 has no level to read, and says so rather than ''
    with pytest.raises(ChainError, match=r"碳酸锂（lithium_carbonate）的数据已停更（价格 2024年11月1日（已停更，不计入等级）），无法判断2025年6月30日的预警级别.*用 --level 指定级别"):
        material_level_on(lithium_wh, "lithium_carbonate", "2025-06-30")
    with pytest.raises(ChainError, match="没有原材料 copper 的价格序列"):
        material_level_on(lithium_wh, "copper", "2022-03-01")
    with pytest.raises(ChainError, match=r"未知的原材料代码：gold；可用 .*lithium_carbonate（碳酸锂）"):
        material_level_on(lithium_wh, "gold", "2022-03-01")


def _spike():
    """A daily price, flat at 100 for 400 days, +12% on 2021-02-04 (单次涨幅 ≥ 10% → 黄), last quote 2021-02-06."""
    import pandas as pd

    from yacang.alerts.materials import assess

    price = pd.Series([100.0] * 400 + [112.0] * 3, index=pd.date_range("2020-01-01", periods=403, freq="D"))
    a = assess(price=price, code="copper", name="铜")
    a.frame.attrs["series"] = {"price": "x"}
    return a


def test_a_material_whose_data_stopped_flags_no_chain_later():
    """On its last day the 黄 is current and flags every chain using copper; half a year after its last quote
    (45 days is as long as a daily price stands) it flags none — it used to keep its last level for ever."""
    from yacang.chains.materials import levels_on

    a = _spike()
    assert levels_on([a], "2021-02-06") == {"copper": "黄"}
    assert levels_on([a], "2021-08-31") == {"copper": ""}
    assert chain_flags(shipped_chains(), levels_on([a], "2021-08-31")).empty


def test_the_warning_says_what_data_it_was_read_from(lithium_wh):
    """No flag used to read “无黄色及以上预警（或仓库中无相应价格序列）”: calm or no data, the reader could not tell.
    The real 碳酸锂 price runs on 2022-03-01; the other inputs of 动力电池 have no series in this warehouse."""
    import datetime as dt

    from yacang.chains.brief import brief

    basis = brief(lithium_wh, "battery", on=dt.date(2022, 3, 1))["material_basis"]
    assert basis.startswith("碳酸锂（价格 2022年3月1日）")
    assert "铜（仓库中无价格序列）" in basis and "原油（仓库中无价格序列）" in basis
