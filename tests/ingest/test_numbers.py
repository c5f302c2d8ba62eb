import numpy as np
import pandas as pd
import pytest

from yacang.ingest.numbers import NumberError, parse_number, parse_numbers


@pytest.mark.parametrize("cell", ["", "—", "-", "--", "…", "  ", None, "#N/A", "——"])
def test_missing_marks_are_none(cell):
    assert parse_number(cell) is None


@pytest.mark.parametrize(("cell", "value"), [("72,500.00", 72500.0), ("1,234,567", 1234567.0), (" -2.9 ", -2.9),
                                             ("５．０", 5.0), ("−3.5", -3.5), (7, 7.0)])
def test_numbers_with_separators_and_fullwidth(cell, value):
    assert parse_number(cell) == value


@pytest.mark.parametrize("cell", ["abc", "5.0%x", "12,34", "1,2345.0", "inf", True])
def test_non_numbers_raise(cell):
    with pytest.raises(NumberError):
        parse_number(cell)


def test_vectorised_parse_marks_only_non_numbers_bad():
    values, bad = parse_numbers(pd.Series(["1", "—", "x1", "1,234", "", None], dtype=object))
    assert bad.tolist() == [False, False, True, False, False, False]
    assert values[0] == 1.0 and values[3] == 1234.0
    assert np.isnan(values[[1, 2, 4, 5]]).all()
