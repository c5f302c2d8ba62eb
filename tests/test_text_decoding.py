"""The project's one text decoder (:mod:`yacang.text_decoding`) and the errors its callers give."""

from __future__ import annotations

import codecs

import pytest

from yacang.text_decoding import DecodeFailure, decode_bytes, guess_cjk_encoding

TEXT = "规模以上工业增加值同比增长4.0%\n广东省,440000\n"


def test_utf8_gb18030_and_bom() -> None:
    assert decode_bytes(TEXT.encode("utf-8"), "a.csv") == (TEXT, "utf-8")
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "a.csv") == (TEXT, "utf-8-sig")
    assert decode_bytes(TEXT.encode("gb18030"), "a.csv") == (TEXT, "gb18030")
    assert decode_bytes(TEXT.encode("gbk"), "a.csv", "gbk") == (TEXT, "gb18030")


def test_bom_declares_utf8_and_bad_bytes_are_located() -> None:
    data = codecs.BOM_UTF8 + "第一行\n".encode() + "广东".encode("gbk") + b"\n"
    with pytest.raises(DecodeFailure) as e:
        decode_bytes(data, "bom.csv")
    # line 2, first byte of 广 in GBK is 0xB9
    assert (e.value.line, e.value.column, e.value.snippet[:2]) == (2, "第1字节", "b9")
    assert "另存为 UTF-8" in e.value.reason and "bom.csv" in e.value.summary


def test_mixed_utf8_and_gbk_lines_are_refused() -> None:
    data = "工业\n".encode() + "增加值\n".encode("gbk")
    with pytest.raises(DecodeFailure) as e:
        decode_bytes(data, "mixed.txt")
    assert e.value.line == 2


def test_gbk_that_reads_as_utf8_by_chance_is_still_gbk() -> None:
    # 全省 in GBK (c8 ab ca a1) is valid UTF-8 ('ȫʡ', not Chinese): a city table with that line is GBK
    table = "地区,规上工业增加值增速(%)\n全省,7.0\n南京市,6.5\n"
    assert "全省".encode("gbk").decode("utf-8") == "ȫʡ"
    assert decode_bytes(table.encode("gbk"), "江苏.csv") == (table, "gb18030")


def test_big5_told_from_gb18030() -> None:
    big5 = "經濟運行平穩，工業生產增長".encode("big5")
    assert guess_cjk_encoding(big5)[0] == "big5"
    assert guess_cjk_encoding("经济运行平稳，工业生产增长".encode("gb18030"))[0] == "gb18030"


def test_callers_turn_failures_into_their_own_located_errors(tmp_path) -> None:
    from yacang.catalog.imports import CatalogImportError, read_code_list
    from yacang.ingest.encoding import decode_bytes as ingest_decode
    from yacang.ingest.errors import IngestError

    bad = codecs.BOM_UTF8 + b"code,name\n" + "440000,广东省\n".encode("gbk")
    with pytest.raises(IngestError) as e:
        ingest_decode(bad, "x.csv")
    assert e.value.errors[0].row == 2
    path = tmp_path / "regions.csv"
    path.write_bytes(bad)
    with pytest.raises(CatalogImportError, match="第2行"):
        read_code_list(path)
    path.write_bytes("code,name\n440000,广东省\n".encode("gb18030"))
    assert read_code_list(path)["name"].tolist() == ["广东省"]
