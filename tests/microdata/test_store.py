"""Enterprise registry, 规上 status by year, report status history."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.microdata import handbuilt
from yacang.ingest.errors import IngestError
from yacang.microdata.store import MicrodataStore


def test_registry_rejects_bad_rows_and_changes_nothing(wh):
    store = MicrodataStore(wh)
    bad = pd.DataFrame([
        {"uscc": handbuilt.A, "name": "甲", "region": "440103", "industry": "1310"},
        {"uscc": "914403001922038217", "name": "乙", "region": "4401", "industry": "5110", "size_class": "特大型"},
    ])
    with pytest.raises(IngestError) as exc:
        store.add_enterprises(bad)
    text = str(exc.value)
    assert "第3行" in text and "应为“6”" in text  # the bad code, with the expected check char
    assert "行政区划代码" in text and "行业代码" in text and "企业规模" in text
    assert store.enterprises().empty


def test_registry_refuses_an_overlong_name(wh):
    store = MicrodataStore(wh)
    with pytest.raises(IngestError) as exc:
        store.add_enterprises(pd.DataFrame([
            {"uscc": handbuilt.A, "name": "甲" * 101, "region": "440103", "industry": "1310"}]))
    assert "第2行" in str(exc.value) and "企业名称过长（101 字），最多 100 字" in str(exc.value)
    assert store.enterprises().empty


def test_registry_upserts(wh):
    store = MicrodataStore(wh)
    row = {"uscc": handbuilt.A, "name": "甲", "region": "440103", "industry": "13", "is_key": True, "frequency": "周"}
    store.add_enterprises(pd.DataFrame([row]))
    store.add_enterprises(pd.DataFrame([{**row, "name": "甲（更名）"}]))
    e = store.enterprises()
    assert e["name"].tolist() == ["甲（更名）"] and bool(e["is_key"].iloc[0]) and e["frequency"].iloc[0] == "周"


def test_scale_set_changes_each_january(wh):
    store = handbuilt.build(wh)
    entered, left = store.entered_and_left(2022)
    assert entered == {handbuilt.C} and left == {handbuilt.D}
    with pytest.raises(IngestError, match="不在企业名录"):
        store.set_scale_years(pd.DataFrame([("91440300MA5XXXXXX0", 2022, True)], columns=["uscc", "year", "above_scale"]))


def test_status_changes_keep_history(wh):
    store = handbuilt.build(wh)
    t0 = dt.datetime(2022, 4, 16, 9)
    store.set_status(handbuilt.B, "2022-03", "returned", reason="出口交货值有误", by="审核员", at=t0)
    store.set_status(handbuilt.B, "2022-03", "accepted", reason="已更正", by="审核员", at=t0 + dt.timedelta(hours=1))
    h = store.status_history(handbuilt.B, "2022-03")
    assert h["status"].tolist() == ["returned", "accepted"]
    assert h["reason"].tolist() == ["出口交货值有误", "已更正"]
    status = wh.db.execute("SELECT status FROM reports WHERE uscc = ? AND period = '2022-03'", [handbuilt.B]).fetchone()
    assert status == ("accepted",)
    with pytest.raises(IngestError):
        store.set_status(handbuilt.B, "2019-03", "accepted")
