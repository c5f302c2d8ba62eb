"""Tidy long CSVs: the same ids and values as the workbooks; validation errors are located."""

import re

import pandas as pd
import pytest

from tests.ingest.helpers import WIND_DIR
from yacang.ingest.investing import parse_investing
from yacang.ingest.tidy import find_catalog, parse_tidy
from yacang.ingest.worldbank import parse_worldbank


def _obs(batch):
    return batch.observations.set_index(["series_id", "period"])["value"]


@pytest.mark.slow
def test_wind_csv_and_workbook_give_the_same_series_and_values(shared_data, wind_main):
    csv_batch = parse_tidy(shared_data / WIND_DIR / "iva_monthly.csv")
    book = wind_main
    assert not csv_batch.errors
    assert set(csv_batch.series["series_id"]) <= set(book.series["series_id"])
    a, b = _obs(csv_batch), _obs(book)
    common = a.index.intersection(b.index)
    assert len(common) == len(a)  # every CSV observation is in the workbook, at the same period
    assert (a.loc[common] - b.loc[common]).abs().max() == 0
    # the CSV's Wind 1-2月 split estimates keep their own flag plus ours
    split = csv_batch.observations.query("series_id == 'wind:iva.yoy.100000.TOTAL~split' and period == '2025-02'")
    assert split["flags"].iloc[0].startswith("1-2月拆分,Wind估计")


def test_high_frequency_csv_sources_and_raw_names(shared_data):
    b = parse_tidy(shared_data / "high_frequency_supply_prices/observations.csv")
    assert not b.errors
    assert set(b.series["source"]) == {"wind", "ifind", "mysteel"}
    s = b.series.set_index("original_name").loc["中国:开工率:螺纹钢:主要钢厂"]
    assert (s["indicator"], s["frequency"], s["unit"], s["source"]) == ("raw", "W", "%", "wind")
    assert len(b.observations) == 82692


@pytest.mark.slow
def test_world_bank_csv_and_pink_sheet_agree(shared_data):
    folder = shared_data / "world_bank_commodity_prices_monthly"
    assert find_catalog(folder / "monthly_prices.csv").name == "monthly_prices_catalog.csv"
    csv_batch = parse_tidy(folder / "monthly_prices.csv")
    sheet = parse_worldbank(folder / "original/CMO-Historical-Data-Monthly.xlsx")
    assert set(csv_batch.series["source"]) == {"worldbank"}
    a, b = _obs(csv_batch), _obs(sheet)
    assert a.index.isin(b.index).all()
    assert (a - b.loc[a.index]).abs().max() < 1e-9  # same values, so loading both adds no revisions
    assert b[(csv_batch.series.set_index("original_name").loc["Crude oil, Brent", "series_id"], "1960-01")] == 1.63


def test_investing_csv(shared_data):
    path = next((shared_data / "lithium_carbonate_china_spot_daily/original").glob("*.csv"))
    b = parse_investing(path)
    price = b.series.set_index("original_name").loc["Lithium Carbonate 99.5_Min China Spot:Price", "series_id"]
    o = b.observations[b.observations["series_id"] == price].set_index("period")["value"]
    # the file's first and last rows: 11/01/2024 72,500.00 and 05/10/2017 136,000.00
    assert o["2024-11-01"] == 72500.0 and o["2017-05-10"] == 136000.0
    assert set(b.series["source"]) == {"investing"} and not b.errors


def test_corrupted_tidy_csv_errors_name_line_and_column(tmp_path):
    (tmp_path / "series_catalog.csv").write_text(
        "series_id,wind_indicator,unit\nA1,中国:工业增加值:规模以上工业企业:当月同比,%\n", "utf-8")
    f = tmp_path / "obs.csv"
    f.write_text("date,series_id,value\n2022-03,A1,5.0\n2022-04,A1,abc\n2022-03,A1,5.1\n2022-13,A1,1\n"
                 "2022-05,ZZ,1\n", "utf-8")
    b = parse_tidy(f)
    by_line = {e.row: e for e in b.errors}
    assert set(by_line) == {3, 4, 5, 6}
    assert by_line[3].column == "value" and "不是数字" in by_line[3].reason
    assert "重复" in by_line[4].reason and "第2行" in by_line[4].reason
    assert by_line[5].column == "date" and by_line[6].column == "series_id"


def test_unit_that_contradicts_the_measure_is_an_error(tmp_path):
    (tmp_path / "series_catalog.csv").write_text(
        "series_id,wind_indicator,unit\nA1,中国:工业增加值:规模以上工业企业:当月同比,亿元\n", "utf-8")
    f = tmp_path / "obs.csv"
    f.write_text("date,series_id,value\n2022-03,A1,5.0\n", "utf-8")
    errors = parse_tidy(f).errors
    assert len(errors) == 1 and errors[0].column == "unit" and "%" in errors[0].reason


def test_missing_catalog_is_a_clear_error(tmp_path):
    from yacang.ingest.errors import IngestError

    f = tmp_path / "obs.csv"
    pd.DataFrame({"date": ["2022-03"], "series_id": ["A1"], "value": [1.0]}).to_csv(f, index=False)
    with pytest.raises(IngestError, match="序列目录"):
        parse_tidy(f)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_tidy_csv_in_gbk_or_with_bom(tmp_path, encoding):
    (tmp_path / "series_catalog.csv").write_text(
        "series_id,wind_indicator,unit\nA1,中国:工业增加值:规模以上工业企业:当月同比,%\n", encoding=encoding)
    f = tmp_path / "obs.csv"
    f.write_text("date,series_id,value,flag\n2022-03,A1,5.0,\n2022-04,A1,-2.9,\n", encoding=encoding)
    b = parse_tidy(f)
    assert not b.errors
    assert dict(zip(b.observations["period"], b.observations["value"], strict=True)) == {"2022-03": 5.0, "2022-04": -2.9}
    assert b.series["series_id"].tolist() == ["wind:iva.yoy.100000.TOTAL"]


@pytest.mark.parametrize("cell", ["inf", "-inf", "nan", "Infinity"])
def test_non_finite_values_are_located_errors(tmp_path, cell):
    data = tmp_path / "obs.csv"
    data.write_text(f"date,series_id,value\n2022-03,A,5.0\n2022-04,A,{cell}\n", "utf-8")
    (tmp_path / "obs_catalog.csv").write_text("series_id,wind_indicator,unit,frequency\n"
                                               "A,中国:工业增加值:规模以上工业企业:当月同比,%,M\n", "utf-8")
    errors = parse_tidy(data).errors
    assert [(e.row, e.column, e.value) for e in errors] == [(3, "value", cell)]


def test_values_left_out_by_rule_are_counted_and_said(shared_data):
    """Every row of the real finance CSV is stored, merged or counted as left out by a stated rule."""
    path = shared_data / WIND_DIR / "industrial_enterprise_finance_monthly.csv"
    raw = pd.read_csv(path, dtype={"series_id": str, "date": str})
    catalog = pd.read_csv(shared_data / WIND_DIR / "series_catalog.csv", dtype=str)
    quarterly = set(catalog.loc[catalog["measure"].str.startswith("当季"), "series_id"])
    off_quarter = raw["series_id"].isin(quarterly) & (raw["date"].str[5:7].astype(int) % 3 != 0)
    b = parse_tidy(path)
    assert b.skipped == int(off_quarter.sum()) == 380  # 利润总额 当季同比, stamped in months 2/5/8/11
    assert "按规则视为缺失或略去：非季末月份的当季值 380 个" in b.notes
    assert len(b.observations) + b.skipped == len(raw.dropna(subset=["value"]))


def test_a_row_with_an_extra_cell_is_refused_with_its_line(tmp_path):
    # "5,0" written with a decimal comma: pandas' reader stops with an English message (or shifts cells)
    from yacang.ingest.errors import IngestError

    (tmp_path / "series_catalog.csv").write_text(
        "series_id,wind_indicator,unit\nA1,中国:工业增加值:规模以上工业企业:当月同比,%\n", "utf-8")
    f = tmp_path / "obs.csv"
    f.write_text("date,series_id,value,flag\n2022-03,A1,5,0,\n2022-04,A1,-2.9,\n", "utf-8")
    with pytest.raises(IngestError) as info:
        parse_tidy(f)
    assert [(e.row, e.value) for e in info.value.errors] == [(2, "2022-03,A1,5,0,")]
    assert "本行有 5 列，表头（第1行）有 4 列" in info.value.errors[0].reason


def test_the_wind_workbook_and_its_csv_reload_without_flipping_flags(shared_data, wind_main):
    """The curator's English flag codes are not stored: they showed officials English and differed from
    the same series read from the workbook, so each reload of both stored the other's flags again."""
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.memory()
    files = [shared_data / WIND_DIR / "original/监测分析0120.xlsx", shared_data / WIND_DIR / "iva_monthly.csv"]
    for f in files:
        load_file(wh, f)
    again = [load_file(wh, f) for f in files]
    assert [(r.n_new, r.n_revised, r.n_flags_only) for r in again] == [(0, 0, 0), (0, 0, 0)]
    flags = set(wh.table("observations").flags.to_pandas())
    assert not {f for f in flags if re.search(r"[a-z]+_[a-z]+", f or "")}  # january_value_…, wind_estimate_…
    # the January 2013 定基指数 the CSV flags (line 4041: 2013-01,IVA021,119) is kept, its value unchanged
    assert wh.values("wind:iva.index.100000.TOTAL")["2013-01"] == 119.0
