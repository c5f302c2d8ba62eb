"""Which candidate series a material reads (``choose_series``): the first current one on the assessment
day, else the most recent, with the reason; worked out by hand on two weekly prices."""

from __future__ import annotations

import pandas as pd

from yacang.alerts.materials import (
    Material,
    MaterialsConfig,
    assess_warehouse,
    choose_series,
    load_materials_config,
    series_words,
    source_words,
)
from yacang.ingest.batch import Batch
from yacang.warehouse import Warehouse

FUTURES = "期货结算价:测试煤"  # the preferred candidate: weekly, stops on Friday 2022-12-30
SPOT = "现货价:测试煤"  # the second: weekly, runs to Friday 2025-06-27


def _weekly(name: str, vendor: str, start: str, end: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    sid = f"{vendor}:raw.value.100000.TOTAL.{name}"
    days = pd.date_range(start, end, freq="W-FRI")
    series = pd.DataFrame([{"series_id": sid, "indicator": "raw", "measure": "value", "region": "100000",
                            "industry": "TOTAL", "category": "", "frequency": "W", "unit": "元/吨",
                            "source": vendor, "original_name": name, "jan_feb": ""}])
    obs = pd.DataFrame({"series_id": sid, "period": [d.strftime("%Y-%m-%d") for d in days],
                        "value": [800.0 + i % 7 for i in range(len(days))], "flags": "",
                        "source_row": range(2, len(days) + 2), "source_col": "B"})
    return series, obs


def _warehouse() -> Warehouse:
    wh = Warehouse.memory()
    for i, (name, vendor, start, end) in enumerate([(FUTURES, "ifind", "2019-01-04", "2022-12-30"),
                                                    (SPOT, "wind", "2019-01-04", "2025-06-27")]):
        series, obs = _weekly(name, vendor, start, end)
        wh.write_batch(Batch(f"{name}.xlsx", vendor, str(i) * 64, series.astype("string"), obs))
    return wh


def test_a_stopped_first_candidate_gives_way_to_a_current_one() -> None:
    wh = _warehouse()
    cands = [FUTURES, SPOT]
    # a weekly price stands max(45 days, 3 × 7 days) = 45 days past its last reading (2022-12-30):
    # on 2023-02-10 (42 days) the futures price is still current and, being first, is read
    early = choose_series(wh, cands, asof="2023-02-10")
    assert early.sid.endswith(FUTURES) and early.why == "数据至2022年12月30日，首选序列" and not early.stopped
    # on 2023-02-20 (52 days) it has stopped: the spot price, current (its reading of 2023-02-17), is read
    later = choose_series(wh, cands, asof="2023-02-20")
    assert later.sid.endswith(SPOT) and not later.stopped
    assert later.why == f"数据至2023年2月17日，{FUTURES} 已于2022年12月30日停更，改用此序列"
    # without a day: as of the latest reading of any candidate (2025-06-27), the spot price
    assert choose_series(wh, cands).sid.endswith(SPOT)
    # both stopped (2026-01-30 is 217 days after 2025-06-27): the most recent one, said to have stopped
    last = choose_series(wh, cands, asof="2026-01-30")
    assert last.sid.endswith(SPOT) and last.stopped
    assert last.why == "数据至2025年6月27日，所有候选序列在2026年1月30日均已停更，取数据最新的一个"
    # before the spot price begins nothing changes the preference: the futures price, current in 2020
    assert choose_series(wh, cands, asof="2020-06-30").sid.endswith(FUTURES)


def test_the_assessment_reads_the_chosen_series_and_says_why() -> None:
    wh = _warehouse()
    base = load_materials_config()
    cfg = MaterialsConfig({"coal": Material("coal", "测试煤", price=[FUTURES, SPOT])}, base.thresholds)
    a = assess_warehouse(wh, cfg, asof="2024-06-28")[0]
    assert a.frame.attrs["series"]["price"].endswith(SPOT)
    assert a.frame.index.max() == pd.Timestamp("2025-06-27")  # the spot price's readings, not the futures'
    assert series_words(wh, a) == (f"价格 {SPOT}（Wind；数据至2024年6月28日，{FUTURES} 已于2022年12月30日停更，"
                                   "改用此序列）")
    assert source_words(a) == "Wind"  # the publisher a bulletin's 数据来源 names for this row
