"""Loading into the warehouse: corrupted copies change nothing, reloads add nothing, revisions add vintages."""

import codecs
import datetime as dt

import pytest

from tests.ingest.helpers import NBS_IVA
from yacang.ingest.errors import IngestError
from yacang.warehouse import Warehouse
from yacang.warehouse.load import PARSERS, load_file, load_files, parse_file, register_format

YOY = "nbs:iva.yoy.100000.TOTAL"


@pytest.fixture()
def original(shared_data):
    return shared_data / NBS_IVA


@pytest.fixture()
def loaded(tmp_path, original):
    wh = Warehouse.open(tmp_path / "wh.duckdb")
    load_file(wh, original)
    yield wh
    wh.close()


def _corrupt(text: str) -> str:
    """Non-number, duplicated month, unknown period label — in a copy of the real export."""
    lines = text.splitlines()
    header = lines[2].split(",")
    yoy = lines[3].split(",")
    yoy[header.index("2022年3月")] = "五点零"
    header[header.index("2022年5月")] = "2022年4月"
    header[header.index("2021年12月")] = "2021年13月"
    lines[2], lines[3] = ",".join(header), ",".join(yoy)
    return "\n".join(lines) + "\n"


def _snapshot(wh):
    return (wh.count("observations"), wh.count("series"), wh.values(YOY).to_dict())


def test_corrupted_copy_gives_located_errors_and_changes_nothing(loaded, original, tmp_path):
    before = _snapshot(loaded)
    bad = tmp_path / "corrupted.csv"
    bad.write_text(_corrupt(original.read_text("utf-8")), "utf-8")
    with pytest.raises(IngestError) as exc:
        load_file(loaded, bad)
    errors = {(e.row, e.column): e for e in exc.value.errors}
    assert "不是数字" in errors[(4, "2022年3月")].reason and errors[(4, "2022年3月")].value == "五点零"
    assert "时期重复" in errors[(3, "2022年4月")].reason
    assert "无法识别的时期" in errors[(3, "2021年13月")].reason
    assert "第4行" in str(exc.value) and "整个文件未入库" in str(exc.value)
    assert _snapshot(loaded) == before
    q = loaded.quarantined()
    assert len(q) == 3 and set(q["row"]) == {3, 4}


def test_gbk_bytes_declared_utf8_are_rejected_and_change_nothing(loaded, original, tmp_path):
    before = _snapshot(loaded)
    bad = tmp_path / "gbk_with_bom.csv"
    bad.write_bytes(codecs.BOM_UTF8 + original.read_text("utf-8").encode("gbk"))
    with pytest.raises(IngestError) as exc:
        load_file(loaded, bad)
    assert exc.value.errors[0].row == 1 and "GBK" in exc.value.errors[0].reason
    assert _snapshot(loaded) == before
    q = loaded.quarantined(bad.name)
    assert len(q) == 1 and "GBK" in q["reason"].iloc[0]
    # the same bytes without the BOM are plain GBK and load as the original
    plain = tmp_path / "gbk.csv"
    plain.write_bytes(original.read_text("utf-8").encode("gbk"))
    result = load_file(loaded, plain)
    assert (result.n_new, result.n_revised) == (0, 0) and _snapshot(loaded) == before


def test_loading_twice_adds_no_rows(loaded, original):
    before = loaded.count("observations")
    again = load_file(loaded, original)
    assert again.already_loaded and again.n_new == 0 and again.n_revised == 0
    assert loaded.count("observations") == before == 608


def test_revision_adds_a_vintage_and_as_of_returns_the_earlier_value(tmp_path, original):
    wh = Warehouse.memory()
    wh.write_batch(parse_file(original), loaded_at=dt.datetime(2026, 3, 1))
    revised = tmp_path / "revised.csv"
    lines = original.read_text("utf-8").splitlines()
    header, yoy = lines[2].split(","), lines[3].split(",")
    yoy[header.index("2022年3月")] = "5.1"
    lines[3] = ",".join(yoy)
    revised.write_text("\n".join(lines) + "\n", "utf-8")
    result = wh.write_batch(parse_file(revised), loaded_at=dt.datetime(2026, 4, 1))
    assert (result.n_new, result.n_revised) == (0, 1)
    assert wh.values(YOY)["2022-03"] == 5.1
    assert wh.values(YOY, as_of="2026-03-15")["2022-03"] == 5.0
    assert len(wh.vintages(YOY, "2022-03")) == 2


def test_load_files_continues_after_a_bad_file(tmp_path, original):
    wh = Warehouse.memory()
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,known,format\n", "utf-8")
    outcomes = load_files(wh, [bad, original])
    assert [o.ok for o in outcomes] == [False, True]
    assert "无法识别文件格式" in str(outcomes[0].error)
    assert wh.count("observations") == 608


def test_registry_accepts_new_formats(tmp_path, original):
    seen = []

    def fake(path):
        seen.append(path.name)
        return PARSERS["nbs"](path)

    register_format("fake_report", fake, detector=lambda p: p.suffix == ".rpt")
    try:
        target = tmp_path / "x.rpt"
        target.write_bytes(original.read_bytes())
        assert load_file(Warehouse.memory(), target).n_new == 608
        assert seen == ["x.rpt"]
    finally:
        from yacang.warehouse.load import DETECTORS

        PARSERS.pop("fake_report")
        DETECTORS.pop("fake_report")


def _workbook(path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["指标名称", "中国:工业增加值:当月同比"])
    wb.save(path)
    return path


@pytest.mark.parametrize("cut", ["truncated", "empty"])
def test_a_broken_or_empty_workbook_is_a_clear_error_and_the_others_load(tmp_path, original, cut):
    whole = _workbook(tmp_path / "whole.xlsx").read_bytes()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(whole[: len(whole) // 2] if cut == "truncated" else b"")
    wh = Warehouse.memory()
    outcomes = load_files(wh, [bad, original])
    assert [o.ok for o in outcomes] == [False, True]
    assert isinstance(outcomes[0].error, IngestError)
    assert ("文件已损坏或不完整" if cut == "truncated" else "文件为空") in str(outcomes[0].error)
    assert wh.count("observations") == 608
    with pytest.raises(IngestError, match=r"bad\.xlsx"):  # a chosen format gets the same message
        parse_file(bad, "wind")


def test_an_empty_csv_says_it_is_empty(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match=r"empty\.csv：文件为空"):
        parse_file(empty)
