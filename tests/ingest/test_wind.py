"""Wind / iFinD workbooks: every real workbook loads; the zero and January/February rules; errors."""

import datetime as dt

import openpyxl
import pytest

from tests.ingest.helpers import workbooks
from yacang.ingest.wind import parse_wind
from yacang.warehouse.load import parse_file

IVA = "中国:工业增加值:规模以上工业企业:当月同比"
SPLIT = "中国:工业增加值:规模以上工业企业:当月同比(1-2月拆分)"
PPI_MOM = "中国:PPI:环比"
RAW = "中国:开工率:螺纹钢:主要钢厂"


def _book(path, rows, *, vendor="Wind", meta=(), title="月度", extra_sheets=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    if vendor:
        ws.append([vendor])
    for r in meta:
        ws.append(list(r))
    for r in rows:
        ws.append(list(r))
    for name, sheet_rows in extra_sheets:
        extra = wb.create_sheet(name)
        for r in sheet_rows:
            extra.append(list(r))
    wb.save(path)
    return path


def _d(y, m, d):
    return dt.datetime(y, m, d)


@pytest.fixture()
def synthetic(tmp_path):
    rows = [
        ["指标名称", IVA, SPLIT, PPI_MOM, RAW],
        [_d(2019, 4, 30), 5.4, 5.4, 0.1, 70],
        [_d(2019, 3, 31), 8.5, 8.5, 0, 0],
        [_d(2019, 2, 28), 5.3, 3.36, -0.1, 71],
        [_d(2019, 1, 31), 6.8, 6.8, 0.2, 72],
        [_d(2018, 12, 31), 5.7, 5.7, -0.2, 73],
        [_d(2018, 11, 30), 0, 0, 0, 0],
        [_d(2018, 10, 31), 5.9, 5.9, 0.3, 0],
    ]
    directory = [["指标名称", "频率", "单位"], [RAW, "月", "%"]]
    return parse_wind(_book(tmp_path / "w.xlsx", rows, extra_sheets=[("Sheet1", directory)]))


def _values(batch, sid):
    o = batch.observations
    o = o[o["series_id"] == sid]
    return dict(zip(o["period"], o["value"], strict=True)), dict(zip(o["period"], o["flags"], strict=True))


def test_january_february_rules(synthetic):
    values, flags = _values(synthetic, "wind:iva.yoy.100000.TOTAL")
    assert "2019-01" not in values and "2019-02" not in values  # no January, February is the merged 1-2月
    assert values["2019-01/02"] == 5.3 and flags["2019-01/02"] == "1-2月合并"
    split, split_flags = _values(synthetic, "wind:iva.yoy.100000.TOTAL~split")
    assert split["2019-01"] == 6.8 and split["2019-02"] == 3.36
    assert split_flags["2019-02"] == "1-2月拆分,Wind估计"
    jan_feb = synthetic.series.set_index("series_id")["jan_feb"]
    assert jan_feb["wind:iva.yoy.100000.TOTAL"] == "1-2月合并"
    assert jan_feb["wind:iva.yoy.100000.TOTAL~split"] == "1-2月拆分"
    assert jan_feb["wind:ppi.mom.100000.TOTAL"] == ""
    assert any("1月当月值" in n for n in synthetic.notes)


def test_zero_rules(synthetic):
    iva, _ = _values(synthetic, "wind:iva.yoy.100000.TOTAL")
    assert "2018-11" not in iva  # whole row of zeros
    mom, _ = _values(synthetic, "wind:ppi.mom.100000.TOTAL")
    assert mom["2019-03"] == 0.0 and "2018-11" not in mom  # PPI 环比 0 inside the series is real
    raw = synthetic.series.set_index("original_name").loc[RAW]
    raw_values, _ = _values(synthetic, raw["series_id"])
    assert "2019-03" not in raw_values and "2018-10" not in raw_values  # zeros mean no data
    assert raw_values["2019-04"] == 70
    assert raw["unit"] == "%" and raw["frequency"] == "M" and raw["indicator"] == "raw"


def test_mapped_unmapped_and_directory_note(synthetic):
    assert set(synthetic.mapped) == {IVA, SPLIT, PPI_MOM}
    assert synthetic.unmapped == [RAW]
    assert any("指标目录" in n for n in synthetic.notes)
    assert set(synthetic.series["source"]) == {"wind"}
    assert not synthetic.errors


def test_ifind_header_rows_and_vendor(tmp_path):
    meta = [["指标名称", "生产资料价格指数"], ["频率", "周"], ["单位", "2016年6月10日=100"], ["指标ID", "M035476909"]]
    rows = [[_d(2025, 7, 11), "135.5"], [_d(2025, 7, 4), "135.8"]]
    b = parse_wind(_book(tmp_path / "i.xlsx", rows, vendor="同花顺iFinD", meta=meta, title="PPI_周度"))
    s = b.series.iloc[0]
    assert (s["source"], s["frequency"], s["unit"]) == ("ifind", "W", "2016年6月10日=100")
    assert sorted(b.observations["period"]) == ["2025-07-04", "2025-07-11"]


def test_bad_cells_dates_and_conflicting_duplicates_are_located_errors(tmp_path):
    rows = [
        ["指标名称", IVA, IVA + "(1-2月合并)"],
        [_d(2019, 4, 30), "abc", 5.4],
        ["2019年13月", 8.5, 8.5],
        [_d(2019, 3, 31), 8.5, 8.6],
    ]
    b = parse_wind(_book(tmp_path / "bad.xlsx", rows))
    located = {(e.row, e.column.split("（")[0]) for e in b.errors}
    assert (3, "月度!B") in located  # "abc"
    assert (4, "月度!A") in located  # unknown date label
    dup = [e for e in b.errors if "重复" in e.reason]
    assert len(dup) == 1 and dup[0].row == 5 and "第5行" in dup[0].reason


@pytest.mark.slow
def test_every_shared_workbook_loads(shared_data, capsys):
    books = workbooks(shared_data)
    assert len(books) >= 6
    sources = {}
    for path in books:
        b = parse_file(path)
        sources[path.name] = set(b.series["source"])
        assert not b.errors, (path.name, b.errors[:3])
        assert len(b.observations) > 1000
        print(f"{path.name}: 已映射 {len(b.mapped)}，未映射 {len(b.unmapped)}，观测 {len(b.observations)}")
    out = capsys.readouterr().out
    assert "监测分析0120.xlsx: 已映射" in out
    assert sources["PPI高频指标体系.xlsx"] == {"ifind"}  # row 1 =[1]!HX_IFIND_EDB(0)
    assert sources["固定资产投资指标体系_自动更新.xlsx"] == {"ifind", "mysteel"}
    assert sources["经济数据库0120.xlsx"] == {"wind"}  # row 1 =[1]!edb()
    assert sources["CMO-Historical-Data-Monthly.xlsx"] == {"worldbank"}


@pytest.mark.slow
def test_main_workbook_values(wind_main):
    b = wind_main
    o = b.observations.set_index(["series_id", "period"])["value"]
    # NBS releases: 2025年12月 规上工业增加值 5.2%, 2025年1-2月 5.9%; PPI 2025年12月 −1.9%
    assert o[("wind:iva.yoy.100000.TOTAL", "2025-12")] == 5.2
    assert o[("wind:iva.yoy.100000.TOTAL", "2025-01/02")] == 5.9
    assert o[("wind:ppi.yoy.100000.TOTAL", "2025-12")] == -1.9
    assert ("wind:iva.yoy.100000.TOTAL", "2025-02") not in o.index
    # the two columns named 中国:利润总额:规模以上工业企业:当季同比 are both kept
    assert "wind:profit.qtr_yoy.100000.TOTAL~dup2" in set(b.series["series_id"])


def test_column_longer_than_the_dates_is_not_imported(tmp_path):
    rows = [
        ["指标名称", IVA, PPI_MOM],
        [_d(2025, 11, 30), 4.8, 0.1],
        [_d(2025, 10, 31), 4.9, 0.1],
        [None, 6.5, None],  # B has more values than column A has dates: its dates are unknown
    ]
    b = parse_wind(_book(tmp_path / "long.xlsx", rows))
    assert set(b.observations["series_id"]) == {"wind:ppi.mom.100000.TOTAL"}
    assert any("月度!B" in n and "不对齐" in n for n in b.notes)
    assert not b.errors


def test_a_column_whose_name_was_deleted_is_an_error_not_dropped(shared_data, tmp_path):
    # C1 of the first sheet names 采矿业 当月同比 (C2 = 5.4 for 2025-12); with C1 blank the file loaded
    # without that column and said so only under --verbose
    wb = openpyxl.load_workbook(shared_data / "national_industry_monthly_wind/original/监测分析数据库.xlsx")
    ws = wb.worksheets[0]
    assert ws["C1"].value == "中国:工业增加值:规模以上工业企业:采矿业:当月同比" and ws["C2"].value == 5.4
    ws["C1"].value = None
    wb.save(tmp_path / "blank_name.xlsx")
    b = parse_wind(tmp_path / "blank_name.xlsx")
    assert [(e.row, e.column) for e in b.errors] == [(1, "总体工业增加值同比增速!C")]
    assert "指标名称" in b.errors[0].reason
