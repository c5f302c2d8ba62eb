import codecs

import pytest

from yacang.ingest.encoding import decode_bytes
from yacang.ingest.errors import IngestError

TEXT = "指标,2022年3月\n规上工业增加值同比增长(%),5.0\n"


def test_utf8_utf8_bom_and_gbk_are_detected():
    assert decode_bytes(TEXT.encode("utf-8"), "a.csv") == (TEXT, "utf-8")
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "a.csv") == (TEXT, "utf-8-sig")
    assert decode_bytes(TEXT.encode("gbk"), "a.csv") == (TEXT, "gb18030")


def test_gbk_bytes_behind_a_utf8_bom_are_a_located_error():
    data = codecs.BOM_UTF8 + TEXT.encode("gbk")
    with pytest.raises(IngestError) as exc:
        decode_bytes(data, "a.csv")
    err = exc.value.errors[0]
    assert err.file == "a.csv" and err.row == 1
    assert "UTF-8" in err.reason and "GBK" in err.reason


def test_gbk_line_inside_a_utf8_file_is_rejected_with_its_line():
    data = "数据库：月度数据\n".encode() + "时间：1998-\n".encode("gbk") + TEXT.encode("utf-8")
    with pytest.raises(IngestError) as exc:
        decode_bytes(data, "mixed.csv")
    assert exc.value.errors[0].row == 2


def test_declared_utf8_rejects_gbk():
    with pytest.raises(IngestError):
        decode_bytes(TEXT.encode("gbk"), "a.csv", "utf-8")
    assert decode_bytes(TEXT.encode("gbk"), "a.csv", "gbk")[0] == TEXT
