"""The observation store: idempotent loads, vintages, as-of reads, all-or-nothing with quarantine."""

import datetime as dt

import pandas as pd
import pytest

from yacang.catalog.series_ids import series_id
from yacang.ingest.batch import Batch, RowError
from yacang.ingest.errors import IngestError

SID = series_id("nbs", "iva", "yoy")


def _batch(values: dict[str, float], sha: str = "a", errors: list[RowError] | None = None) -> Batch:
    series = pd.DataFrame([dict(series_id=SID, indicator="iva", measure="yoy", region="100000", industry="TOTAL",
                                category="", frequency="M", unit="%", source="nbs", original_name="规上工业增加值同比增长(%)",
                                jan_feb="1-2月合并")])
    obs = pd.DataFrame({"series_id": SID, "period": list(values), "value": list(values.values()),
                        "flags": "", "source_row": range(1, len(values) + 1), "source_col": "x"})
    return Batch("test.csv", "nbs", sha, series, obs, errors=errors or [])


def test_load_twice_adds_nothing(wh) -> None:
    first = wh.write_batch(_batch({"2022-03": 5.0, "2022-04": -2.9}))
    assert (first.n_new, first.n_revised) == (2, 0)
    second = wh.write_batch(_batch({"2022-03": 5.0, "2022-04": -2.9}))
    assert (second.n_new, second.n_revised, second.n_unchanged) == (0, 0, 2)
    assert second.already_loaded
    assert wh.count("observations") == 2


def test_a_flags_only_change_is_stored_but_not_counted_as_revised(wh) -> None:
    wh.write_batch(_batch({"2022-03": 5.0, "2022-04": -2.9}))
    noted = _batch({"2022-03": 5.0, "2022-04": -2.8}, sha="b")
    noted.observations.loc[noted.observations["period"] == "2022-03", "flags"] = "初步"
    res = wh.write_batch(noted)
    # 2022-03: same value, a note added (stored, 仅标注变化); 2022-04: −2.9 → −2.8 (修订)
    assert (res.n_new, res.n_revised, res.n_flags_only, res.n_unchanged) == (0, 1, 1, 0)
    assert wh.count("observations") == 4


def test_revision_adds_vintage_and_as_of_returns_earlier(wh) -> None:
    wh.write_batch(_batch({"2022-03": 5.0}), loaded_at=dt.datetime(2022, 4, 18, 10))
    res = wh.write_batch(_batch({"2022-03": 5.1}, sha="b"), loaded_at=dt.datetime(2022, 5, 16, 10))
    assert res.n_revised == 1
    assert wh.count("observations") == 2
    assert wh.read(SID)["value"].tolist() == [5.1]
    assert wh.read(SID, as_of="2022-05-01")["value"].tolist() == [5.0]
    assert wh.read(SID, as_of="2022-04-18")["value"].tolist() == [5.0]
    assert wh.read(SID, as_of="2022-04-17").empty
    assert wh.vintages(SID, "2022-03")["value"].tolist() == [5.0, 5.1]


def test_batch_with_errors_changes_nothing_and_is_quarantined(wh) -> None:
    wh.write_batch(_batch({"2022-03": 5.0}))
    bad = _batch({"2022-03": 9.9, "2022-04": 1.0}, sha="c",
                 errors=[RowError("test.csv", 4, "2022年4月", "abc", "不是数字")])
    with pytest.raises(IngestError) as exc:
        wh.write_batch(bad)
    assert "第4行" in str(exc.value) and "2022年4月" in str(exc.value)
    assert wh.read(SID)["value"].tolist() == [5.0]
    q = wh.quarantined("test.csv")
    assert q[["row", "col", "value"]].values.tolist() == [[4, "2022年4月", "abc"]]
    assert wh.batches()["status"].tolist() == ["loaded", "rejected"]


def test_find_series_prefers_nbs(wh) -> None:
    wh.write_batch(_batch({"2022-03": 5.0}))
    assert wh.find_series("iva", "yoy") == SID
    assert wh.find_series("iva", "ytd_yoy") is None


def test_open_read_only(tmp_path) -> None:
    from yacang.warehouse import Warehouse

    path = tmp_path / "w.duckdb"
    ro = Warehouse.open(path, read_only=True)  # creates an empty warehouse first
    assert ro.count("observations") == 0
    ro.close()
    w = Warehouse.open(path)
    w.write_batch(_batch({"2022-03": 5.0}))
    w.close()
    ro = Warehouse.open(path, read_only=True)
    assert ro.read(SID)["value"].tolist() == [5.0]
    with pytest.raises(Exception, match="read-only"):
        ro.write_batch(_batch({"2022-03": 6.0}, sha="z"))
    ro.close()


def test_quarantine_is_capped_per_file_and_counts_the_rest(wh) -> None:
    errors = [RowError("test.csv", i, "值", "x", "不是数字") for i in range(2, 1207)]  # 1,205 bad rows
    with pytest.raises(IngestError):
        wh.write_batch(_batch({"2022-03": 1.0}, sha="d", errors=errors))
    q = wh.quarantined("test.csv")
    assert len(q) == 1001  # the first 1,000 located errors and one row counting the other 205
    assert q.loc[q["row"] > 0, "row"].tolist() == list(range(2, 1002))
    assert "另有 205 处错误" in q.loc[q["row"] == 0, "reason"].item()
    assert wh.batches()["n_rejected"].tolist() == [1205]  # the batch record keeps the full count


def test_series_filters_by_any_column_in_id_order(wh) -> None:
    wh.write_batch(_batch({"2022-03": 5.0}))
    other = _batch({"2022-03": 4.0}, sha="w")
    other.series.loc[0, ["series_id", "source"]] = ["wind:iva.yoy", "wind"]
    other.observations["series_id"] = "wind:iva.yoy"
    wh.write_batch(other)
    assert wh.series()["series_id"].tolist() == sorted([SID, "wind:iva.yoy"])
    assert wh.series(indicator="iva", source="wind")["series_id"].tolist() == ["wind:iva.yoy"]
    assert wh.series(indicator="iva", source=None, region="100000")["series_id"].tolist() == sorted([SID, "wind:iva.yoy"])
    none = wh.series(indicator="ppi")
    assert none.empty and list(none.columns[:11]) == ["series_id", "indicator", "measure", "region", "industry",
                                                       "category", "frequency", "unit", "source", "original_name",
                                                       "jan_feb"]
    assert none["series_id"].dtype == wh.series()["series_id"].dtype  # text typed as text, rows or none
    with pytest.raises(ValueError, match="no column nme"):
        wh.series(nme="iva")  # a misspelt column is an error, not every series


def test_read_is_the_latest_vintage_of_observations(wh) -> None:
    """read() (one SQL statement) and observations() (the Ibis expression other readers build on) agree:
    same rows, values and types, with revisions, ties broken by load time, nulls and as-of dates."""
    wh.write_batch(_batch({"2022-03": 5.0, "2022-04": -2.9}), loaded_at=dt.datetime(2022, 4, 18, 10))
    wh.write_batch(_batch({"2022-03": 5.1, "2022-05": None}, sha="b"), loaded_at=dt.datetime(2022, 5, 16, 10))
    wh.db.execute("UPDATE observations SET source_row = NULL WHERE period = '2022-04'")
    for as_of in (None, "2022-04-18", "2022-05-01", "2022-05-16", "2021-01-01"):
        t = wh.observations(as_of)
        t = t.filter(t.series_id == SID).select(
            "period", "period_end", "value", "flags", "vintage", "source_file", "source_row").order_by("period_end")
        pd.testing.assert_frame_equal(wh.read(SID, as_of), t.to_pandas(), check_exact=True)
    assert wh.read(SID)["value"].tolist()[:2] == [5.1, -2.9] and pd.isna(wh.read(SID)["value"].iloc[2])
    assert wh.read(SID, "2022-05-01")["value"].tolist() == [5.0, -2.9]
