"""Periods: codes, Chinese labels, the merged 1-2月, ordering."""

import datetime as dt

import pytest

from yacang.periods import Period, PeriodError, month_period, month_range, parse_period, period_label


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("2022年3月", "2022-03", "month"),
        ("2022-03", "2022-03", "month"),
        ("2022年1-2月", "2022-01/02", "jan_feb"),
        ("2022-01/02", "2022-01/02", "jan_feb"),
        ("2022年第一季度", "2022Q1", "quarter"),
        ("2022年四季度", "2022Q4", "quarter"),
        ("2022Q3", "2022Q3", "quarter"),
        ("2022年上半年", "2022H1", "half"),
        ("2022年", "2022", "year"),
        ("2022-03-15", "2022-03-15", "day"),
        ("2022年1-5月", "2022-01/05", "span"),
    ],
)
def test_parse_codes_and_labels(text: str, code: str, kind: str) -> None:
    p = parse_period(text)
    assert p.code == code
    assert p.kind == kind
    assert parse_period(p.code) == p


@pytest.mark.parametrize("bad", ["2022年13月", "2022年第五季度", "三月", "2022-3-x", ""])
def test_bad_labels_raise_with_the_label(bad: str) -> None:
    with pytest.raises(PeriodError) as exc:
        parse_period(bad)
    assert "时期" in str(exc.value)


def test_labels_in_official_style() -> None:
    assert Period.month(2022, 3).label_zh(cumulative=True) == "2022年1-3月"
    assert Period.month(2022, 2).label_zh(cumulative=True) == "2022年1-2月"
    assert Period.jan_feb(2022).label_zh() == "2022年1-2月"
    assert Period.quarter(2022, 1).label_zh() == "2022年一季度"
    assert Period.month(2022, 3).label_zh(with_year=False) == "3月"


def test_jan_feb_merged_from_2013() -> None:
    assert month_period(2012, 2) == Period.month(2012, 2)
    assert month_period(2013, 1) is None
    assert month_period(2013, 2) == Period.jan_feb(2013)
    assert month_period(2022, 3) == Period.month(2022, 3)


def test_ordering_and_end_dates() -> None:
    ps = [Period.month(2022, 3), Period.jan_feb(2022), Period.month(2021, 12), Period.quarter(2022, 1)]
    assert [p.code for p in sorted(ps)] == ["2021-12", "2022-01/02", "2022Q1", "2022-03"]
    assert Period.jan_feb(2024).end_date == dt.date(2024, 2, 29)
    assert Period.month(2022, 12).end_date == dt.date(2022, 12, 31)


def test_month_range_and_shift() -> None:
    months = month_range(Period.month(2021, 11), Period.month(2022, 2))
    assert [p.code for p in months] == ["2021-11", "2021-12", "2022-01", "2022-02"]
    assert Period.month(2022, 3).shift_years(-1).code == "2021-03"
    assert Period.of_day(dt.date(2024, 2, 29)).shift_years(-1).code == "2023-02-28"


def test_reporting_period_follows_the_nbs_calendar():
    import datetime as dt

    from yacang.periods import Period, parse_period, previous_reporting_period, reporting_period

    p, note = reporting_period(parse_period("2022-02"))
    assert p == Period.jan_feb(2022) and "1-2月" in note
    assert reporting_period(parse_period("2022-01"))[0] == Period.jan_feb(2022)
    # before 2013 NBS published February alone: it stays February
    assert reporting_period(parse_period("2009-02")) == (Period.month(2009, 2), None)
    assert reporting_period(parse_period("2022-03")) == (Period.month(2022, 3), None)
    assert previous_reporting_period(dt.date(2023, 3, 5)) == Period.jan_feb(2023)
    assert previous_reporting_period(dt.date(2023, 1, 5)) == Period.month(2022, 12)


def test_merged_jan_feb_is_decided_in_one_place():
    from yacang.periods import jan_feb_merged

    assert not jan_feb_merged(2012) and jan_feb_merged(2013)
    assert Period.month(2013, 1).in_merged_jan_feb() and Period.month(2013, 2).in_merged_jan_feb()
    assert not Period.month(2012, 2).in_merged_jan_feb()  # February 2012 was published on its own
    assert not Period.month(2013, 3).in_merged_jan_feb()
    assert not Period.jan_feb(2013).in_merged_jan_feb()  # already the merged period


def test_a_bad_month_is_told_only_what_applies_to_it():
    with pytest.raises(PeriodError, match=r"月份无效：13（月份应在 1 至 12 之间）"):
        parse_period("2022-13")
    with pytest.raises(PeriodError, match="且起始月不晚于截止月"):
        parse_period("2022-05/03")


def test_a_stored_code_is_labelled_for_tables_and_blank_without_one() -> None:
    assert period_label("2022-03") == "2022年3月"
    assert period_label("2026-01/02") == "2026年1-2月"
    assert period_label("2022Q1") == "2022年一季度"
    assert [period_label(v) for v in (None, "", float("nan"))] == ["", "", ""]
    with pytest.raises(PeriodError):
        period_label("2022-13")
