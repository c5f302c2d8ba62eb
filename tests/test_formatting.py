"""Rounding and sign words of the one formatting module (values by hand)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yacang import formatting as f


@pytest.mark.parametrize(("x", "text"), [
    (0.25, "0.3"), (2.25, "2.3"), (6.45, "6.5"), (-0.04, "0.0"), (-0.05, "-0.1"), (-2.25, "-2.3"),
    (0.0, "0.0"), (-0.0, "0.0"), (3.5499999, "3.5"), (1.05, "1.1"), (None, "—"), (float("nan"), "—"),
])
def test_fmt_half_up_ties(x, text):
    assert f.fmt(x) == text


def test_rounded_float_and_digits():
    assert f.rounded_float(2.25) == 2.3
    assert f.rounded(1.005, 2) == Decimal("1.01")
    assert f.fmt(12.345, 2) == "12.35"
    assert f.rounded_float(None) is None
    with pytest.raises(ValueError):
        f.rounded(float("inf"))


@pytest.mark.parametrize(("x", "text"), [
    (6.45, "增长6.5%"), (-3.7, "下降3.7%"), (-0.04, "持平"), (0.04, "持平"), (0.05, "增长0.1%"),
])
def test_growth_words(x, text):
    assert f.growth(x) == text


def test_price_words_and_parts():
    assert f.growth(1.25, price=True) == "上涨1.3%"
    assert f.growth_parts(-3.7) == ("下降", "3.7")
    assert f.growth_parts(-0.04) == ("持平", "0.0")


def test_pp_change_words():
    assert f.pp_change(5.0, 7.5, "1-2月份") == "比1-2月份回落2.5个百分点"
    assert f.pp_change(5.25, 5.0, "上月") == "比上月加快0.3个百分点"  # 5.3 - 5.0 on printed figures
    assert f.pp_change(-1.0, -1.3, "上月") == "降幅比上月收窄0.3个百分点"
    assert f.pp_change(-1.5, -1.3, "上月") == "降幅比上月扩大0.2个百分点"
    assert f.pp_change(2.04, 1.96, "上月") == "增速与上月持平"
    assert f.pp_change(2.0, 2.5, "上月", price=True) == "涨幅比上月回落0.5个百分点"


def test_compare_pull_and_change_word():
    assert f.compare_to(6.5, 6.3, "全国") == "高于全国0.2个百分点"
    assert f.compare_to(5.2, 6.3, "全国") == "低于全国1.1个百分点"
    assert f.compare_to(6.31, 6.34, "全国") == "与全国持平"
    assert f.pull(1.25, "全省") == "拉动全省增长1.3个百分点"
    assert f.pull(-0.44) == "下拉0.4个百分点"
    assert f.pull(-0.04) is None  # never "下拉0.0个百分点"
    assert f.change_word(-1.0, -1.3) == "收窄"
    assert f.change_word(3.0, 3.04) == "持平"
    assert f.change_word(3.0, 4.0) == "回落"


def test_amounts_and_signed():
    assert f.amount(115756000.0, "亿元", from_unit="万元") == "11575.6亿元"
    assert f.amount(84038.55, "亿元") == "84038.6亿元"
    assert f.fmt_thousands(11575.65) == "11,575.7"
    assert f.signed(1.25) == "+1.3"
    assert f.signed(-0.04) == "0.0"
    assert f.level_change(49.5, 50.2, "上月") == "比上月下降0.7个百分点"


# property: every output path prints the same figure and sign word ---------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# values with two or three decimals hit the half-way cases (x.x5) often
values = st.one_of(
    st.integers(-99_999, 99_999).map(lambda n: n / 100),
    st.integers(-999_999, 999_999).map(lambda n: n / 1000),
    st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)


def expected(x: float) -> tuple[str, str]:
    """Printed figure and growth phrase, computed here from the decimal text (not by the module)."""
    from decimal import ROUND_HALF_UP

    d = Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if d == 0:
        return "0.0", "持平"
    return str(d), (f"增长{d}%" if d > 0 else f"下降{-d}%")


@settings(max_examples=300, deadline=None)
@given(values)
def test_every_output_path_prints_the_same_figure(x):
    from yacang.cli.common import _fmt as cli_cell
    from yacang.periods import parse_period
    from yacang.report import narrative as nv
    from yacang.report.format import cell_number, format_cell
    from yacang.report.inputs import BulletinInput, RegionFigures
    from yacang.report.model import Column
    from yacang.report.regional import compose

    figure, phrase = expected(x)
    col = Column("v", "v", "%", "0.0")
    assert f.fmt(x) == figure  # the module
    assert format_cell(x, col) == figure  # HTML/PDF/DOCX tables
    assert cell_number(x, col) == float(figure)  # XLSX cell (a number)
    assert cli_cell(float(x)) == figure  # CLI tables
    assert nv.growth(x) == f.growth(x) == phrase  # narrative
    b = compose(BulletinInput(period=parse_period("2022-06"), region=RegionFigures(
        code="100000", name="全国", scope="全国", ytd=x, ytd_prev=None, month=None, month_prev=None)))
    assert f"1-6月，全国规模以上工业增加值同比{phrase}" in b.text()  # the bulletin's sentence
    key = next(t for t in b.all_tables() if t.id == "key")
    assert format_cell(key.rows[0]["ytd"], key.column("ytd")) == figure  # the bulletin's table


@settings(max_examples=200, deadline=None)
@given(values, values)
def test_change_words_follow_the_printed_difference(a, b):
    fa, fb = Decimal(expected(a)[0]), Decimal(expected(b)[0])
    d = fa - fb
    text = f.pp_change(a, b, "上月")
    if d == 0:
        assert text == "增速与上月持平"
    else:
        assert f"{abs(d)}个百分点" in text and "-" not in text
        word = ("收窄" if d > 0 else "扩大") if fa < 0 and fb < 0 else ("加快" if d > 0 else "回落")
        assert word in text


def test_times_are_shown_in_beijing_time():
    import datetime as dt

    from yacang.formatting import beijing_time

    # stored UTC 16:30 on 1 March is 00:30 on 2 March in Beijing (UTC+8, no daylight saving)
    assert beijing_time(dt.datetime(2022, 3, 1, 16, 30)) == "2022-03-02 00:30:00"
    assert beijing_time("2022-03-01T16:30:00+00:00", seconds=False) == "2022-03-02 00:30"


def test_the_warehouse_local_stamps_are_shown_in_beijing_time_on_any_server(monkeypatch):
    """The warehouse stamps the server's local clock; shown as if UTC, a server in Beijing showed them 8 h late."""
    import datetime as dt
    import time

    from yacang.formatting import beijing_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert beijing_time(dt.datetime(2022, 3, 1, 16, 30), naive="local") == "2022-03-01 16:30:00"
        assert beijing_time(dt.datetime(2022, 3, 1, 16, 30)) == "2022-03-02 00:30:00"  # UTC by default
    finally:
        monkeypatch.undo()  # TZ as it was, then the process's clock with it
        time.tzset()
    if time.timezone == 0:  # a UTC server: its local stamps are UTC
        assert beijing_time(dt.datetime(2022, 3, 1, 16, 30), naive="local") == "2022-03-02 00:30:00"
