"""A statistics bureau's city table: the Jiangsu fixture typed from the published release, and bad tables."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from yacang.ingest.city_table import parse_city_table
from yacang.ingest.errors import IngestError
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file, parse_file

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/ingest/江苏_2024年1-9月_各设区市规上工业增加值.xlsx"
# Source: 江苏省统计局 2024年1-9月 分市数据 as reported by 新华日报·交汇点, https://bbs.0513.org/thread-4442050-1-1.html
JIANGSU = {"320000": (7.4, 7.9), "320100": (0.2, 3.0), "320200": (6.3, 6.7), "320300": (2.3, 6.3),
           "320400": (6.6, 6.8), "320500": (9.0, 9.3), "320600": (9.3, 9.7), "320700": (7.4, 7.7),
           "320800": (9.5, 10.1)}


@pytest.fixture()
def regions(yacang_home, shared_data):
    from yacang.catalog.imports import import_regions

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", year=2024)


def _table(path: Path, rows: list[list[object]], title: str = "江苏省2024年1-9月各设区市规模以上工业增加值增速") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_jiangsu_fixture_loads_each_city_in_its_measure(regions):
    b = parse_file(FIXTURE)
    assert b.format == "city_table" and not b.errors
    meta = b.series.set_index("series_id")
    got = {}
    for row in b.observations.itertuples():
        region, measure = meta.loc[row.series_id, "region"], meta.loc[row.series_id, "measure"]
        got.setdefault(region, {})[(measure, row.period)] = row.value
    assert set(got) == set(JIANGSU)
    for code, (month, ytd) in JIANGSU.items():
        assert got[code] == {("yoy", "2024-09"): month, ("ytd_yoy", "2024-09"): ytd}
    assert set(b.series["source"]) == {"provincial"}


def test_loading_twice_changes_nothing(regions):
    wh = Warehouse.memory()
    first = load_file(wh, FIXTURE)
    again = load_file(wh, FIXTURE)
    assert first.n_new == 18 and (again.n_new, again.n_revised) == (0, 0) and wh.count("observations") == 18


def test_rank_column_is_checked_against_the_growth(regions, tmp_path):
    # synthetic figures (format test only): 南京 is placed 1st with a slower growth than 无锡 placed 2nd
    path = _table(tmp_path / "t.xlsx", [["地区", "1-9月", None], [None, "增速", "位次"], ["全省", 5.0, None],
                                        ["南京市", 4.0, 1], ["无锡市", 6.0, 2], ["注：示例"]])
    errors = parse_city_table(path).errors
    assert [(e.row, e.column) for e in errors] == [(6, "位次")]
    assert "位次与增速不一致" in errors[0].reason


def test_consistent_ranks_load_and_ties_may_share(regions, tmp_path):
    path = _table(tmp_path / "t.xlsx", [["地区", "1-9月", None], [None, "增速", "位次"], ["全省", 5.0, None],
                                        ["南京", 6.0, 1], ["无锡", 6.0, 1], ["徐州", 4.0, 3]])
    b = parse_city_table(path)
    assert not b.errors and len(b.observations) == 4
    assert any("位次列已与增速核对" in n for n in b.notes)


def test_header_without_month_or_cumulative_is_an_error(regions, tmp_path):
    path = _table(tmp_path / "t.xlsx", [["地区", "增速"], ["全省", 5.0], ["南京市", 4.0]], title="江苏省各市工业增加值")
    errors = parse_city_table(path).errors
    assert any("当月还是累计" in e.reason for e in errors)
    assert any("找不到年份" in e.reason for e in errors)


def test_unknown_city_and_non_finite_cells_load_nothing(regions, tmp_path):
    path = _table(tmp_path / "t.xlsx", [["地区", "9月", "1-9月"], ["全省", 7.4, 7.9], ["南京市", "inf", 3.0],
                                        ["金陵市", 1.0, 2.0]])
    wh = Warehouse.memory()
    with pytest.raises(IngestError) as exc:
        load_file(wh, path)
    located = {(e.row, e.column) for e in exc.value.errors}
    assert located == {(4, "9月"), (5, "地区")}
    assert wh.count("observations") == 0
