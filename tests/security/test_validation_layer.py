"""The one validation layer (yacang.validation) and the one export neutraliser (yacang.exports),
checked on values worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from yacang import exports, validation
from yacang.validation import REPORT_FIELDS, Invalid


@pytest.mark.parametrize(("value", "expected"), [("1,234.5", 1234.5), (" 7 ", 7.0), (0, 0.0), ("", None), (None, None)])
def test_numbers_read_as_officials_write_them(value, expected):
    assert validation.to_number(value) == expected


@pytest.mark.parametrize("value", ["inf", "-Infinity", "nan", "NaN", float("inf"), float("nan"), "一千", True])
def test_non_numbers_and_non_finite_are_refused(value):
    with pytest.raises(Invalid):
        validation.to_number(value)


def test_a_float_nan_is_refused_in_writes_and_blank_only_for_spreadsheet_loaders():
    rule = validation.QUICK_FIELDS["production"]
    with pytest.raises(Invalid, match="NaN"):
        validation.check_value(float("nan"), rule)  # a write: NaN is not "blank"
    with pytest.raises(Invalid, match="NaN"):
        validation.check_fields({"production": float("nan")}, validation.QUICK_FIELDS)
    assert validation.to_number(float("nan"), nan_is_blank=True) is None  # an empty spreadsheet cell
    with pytest.raises(Invalid, match="NaN"):
        validation.to_number("nan", nan_is_blank=True)  # the text is refused even for loaders
    # the loaders' collector reads an empty cell as blank: a required field is then 必填
    assert validation.check_number(float("nan"), REPORT_FIELDS["output_value"]) == (None, "必填，请填写数值（无则填0）")


def test_ranges_per_field():
    assert validation.check_value("-300", REPORT_FIELDS["profit"]) == -300.0  # a loss is negative
    with pytest.raises(Invalid, match="不能为负数"):
        validation.check_value("-1", REPORT_FIELDS["output_value"])
    with pytest.raises(Invalid, match="合理上限"):
        validation.check_value("1e9", REPORT_FIELDS["output_value"])  # 10 万亿元 in one month: a unit slip
    with pytest.raises(Invalid, match="整数"):
        validation.check_value("12.5", REPORT_FIELDS["employment"])
    with pytest.raises(Invalid, match="必填"):
        validation.check_value("", REPORT_FIELDS["output_value"])
    assert validation.check_value("", REPORT_FIELDS["sales_value"]) is None


def test_periods_not_in_the_future_nor_before_the_start():
    on = dt.date(2022, 3, 15)
    assert validation.check_period("2022-03", on=on).code == "2022-03"  # the month has begun
    assert validation.check_period("2022-01/02", on=on).code == "2022-01/02"
    with pytest.raises(Invalid, match="尚未到来"):
        validation.check_period("2022-04", on=on)
    with pytest.raises(Invalid, match="早于起始日期"):
        validation.check_period("2021-12", on=on, not_before=dt.date(2022, 1, 1))
    with pytest.raises(Invalid, match="晚于今天"):
        validation.check_day(dt.date(2022, 3, 16), on=on)


def test_parameters_and_targets_refuse_non_finite(wh):
    from yacang.ingest.errors import IngestError
    from yacang.microdata.store import MicrodataStore

    store = MicrodataStore(wh)
    with pytest.raises(IngestError) as err:
        store.set_targets(pd.DataFrame([{"region": "440000", "year": 2022, "growth": 5.5},
                                        {"region": "320000", "year": 2022, "growth": math.inf}]))
    assert "第3行" in str(err.value.errors[0])
    assert wh.db.execute("SELECT count(*) FROM targets").fetchone()[0] == 0
    with pytest.raises(IngestError):
        store.set_division_params(pd.DataFrame([{"year": 2022, "division": "39", "va_rate": 1.7}]))


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("＝HYPERLINK()", "'＝HYPERLINK()"), ("广州天河", "广州天河"), (-3.5, -3.5), (None, None),
])
def test_neutralise(value, expected):
    assert exports.neutralise(value) == expected


def test_csv_cells_are_neutralised_and_numbers_kept():
    text = exports.csv_text([["=HYPERLINK(\"x\")", -1.5, None]], header=["名称", "值", "备注"])
    assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"x\"\")\",-1.5,"
