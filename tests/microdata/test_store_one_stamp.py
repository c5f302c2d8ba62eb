"""A registry write checks the maintained 当月/累计 table and stamps it once, however many of its parts it
patches (the reports moved to a changed division, then the carried counties)."""

from __future__ import annotations

import pandas as pd

from tests.microdata import handbuilt
from tests.warehouse.test_report_ytd import _stamps_during
from yacang.microdata.uscc import make_uscc
from yacang.warehouse import Warehouse, report_ytd


def test_a_changed_industry_checks_and_stamps_once(monkeypatch):
    wh = Warehouse.memory()
    store = handbuilt.build(wh)
    report_ytd.refresh_report_ytd(wh.db)
    # A moves from division 13 to 36: its reports move (one refresh) and its county is re-carried (another);
    # one check of the committed table before, one stamp after: two scans of the reports, not four
    moved = {**store.enterprise(handbuilt.A), "industry": "3610"}
    assert _stamps_during(monkeypatch, lambda: store.add_enterprises(pd.DataFrame([moved]))) == 2
    assert report_ytd.is_current(wh.con, thorough=True)
    rows = wh.db.execute("SELECT DISTINCT division FROM report_ytd WHERE uscc = ?", [handbuilt.A]).fetchall()
    assert rows == [("36",)]


def test_a_new_enterprise_checks_and_stamps_once(monkeypatch):
    wh = Warehouse.memory()
    store = handbuilt.build(wh)
    report_ytd.refresh_report_ytd(wh.db)
    new = {"uscc": make_uscc("440103", "00000009X"), "name": "戊", "region": "440103", "industry": "1310"}
    assert _stamps_during(monkeypatch, lambda: store.add_enterprises(pd.DataFrame([new]))) == 2
    assert report_ytd.is_current(wh.con, thorough=True)
