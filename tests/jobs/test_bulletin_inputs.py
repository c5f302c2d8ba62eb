"""What the bulletin's 红黄蓝 table says about a material whose data stopped before the period."""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.alerts.materials import assess
from yacang.jobs.bulletin_inputs import material_rows_of
from yacang.periods import parse_period


def _daily(values: list[float], start: str = "2020-01-01") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="D"), dtype=float)


def test_a_stopped_price_is_no_warning_of_a_later_period() -> None:
    # 甲: 400 flat days from 2020-01-01, then +12% (单次涨幅 ≥ 10% → 黄) on 2021-02-04; last quote 2021-02-06
    spike = assess(price=_daily([100.0] * 400 + [112.0] * 3), code="a", name="甲")
    live = assess(price=_daily([100.0] * 600), code="b", name="乙")  # to 2021-08-22, flat
    for a, sid in ((spike, "x"), (live, "y")):
        a.frame.attrs["series"] = {"price": sid}  # as assess_warehouse records which series it read
    prices = {"a": (_daily([100.0] * 400 + [112.0] * 3), "元/吨"), "b": (_daily([100.0] * 600), "元/吨")}
    feb = {r.material: r for r in material_rows_of([spike, live], parse_period("2021-02"), prices)}
    # 2021-02-28: 22 days after the last quote (a daily series stands 45 days), the 黄 held by the hysteresis
    assert feb["甲"].level == "yellow" and "2021-02-04 曾达+12.0%" in feb["甲"].note
    assert feb["甲"].price == 112.0 and feb["甲"].unit == "元/吨"
    # 较常态偏离 on its last quote (2021-02-06): 112 against the mean of the 365 days to it
    # (362 days at 100 and 3 at 112) = 112 / 100.0986… − 1
    assert feb["甲"].change == pytest.approx((112 / ((362 * 100 + 3 * 112) / 365) - 1) * 100)
    assert feb["乙"].level == "none"
    may = {r.material: r for r in material_rows_of([spike, live], parse_period("2021-05"), prices)}
    # 2021-05-31: 114 days after the last quote: no level, the note says the data stopped and what it was
    assert may["甲"].level == "stopped" and may["甲"].price is None  # 数据停更 in the bulletin, not 正常
    assert may["乙"].price == 100.0 and may["乙"].change == pytest.approx(0.0)
    assert may["甲"].note.startswith("数据已停更，无法评估2021-05-31的等级（停更时为")
    assert may["乙"].level == "none" and not may["乙"].note.startswith("数据已停更")
    # a period before any data: the material is left out
    assert material_rows_of([spike], parse_period("2019-06")) == []


def test_a_stopped_price_of_a_material_still_read_is_not_printed() -> None:
    """乙's assessment runs to 2021-08-22, but the price series the bulletin prints ended 2021-01-01 (a
    daily series stands 45 days): at 2021-05-31 its level stands, its price and 较常态偏离 are left out and
    the note says when the price stopped; at 2021-01-31 (30 days) the price is still printed."""
    live = assess(price=_daily([100.0] * 600), code="b", name="乙")
    live.frame.attrs["series"] = {"price": "y"}
    prices = {"b": (_daily([100.0] * 367), "元/吨")}  # 2020-01-01 … 2021-01-01
    may = material_rows_of([live], parse_period("2021-05"), prices)[0]
    assert may.level == "none" and may.price is None and may.change is None and may.unit == ""  # no unit of no price
    assert "价格数据至2021-01-01已停更，不列价格" in may.note
    jan = material_rows_of([live], parse_period("2021-01"), prices)[0]
    assert jan.price == 100.0 and "停更" not in jan.note
