"""Vintages by release date: the NBS calendar rule, --published, stated dates, revisions at their release."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ingest.helpers import NBS_IVA
from yacang.cli import app
from yacang.ingest.vintage import release_date, stated_date
from yacang.warehouse import Warehouse
from yacang.warehouse.load import load_file

YOY = "nbs:iva.yoy.100000.TOTAL"


@pytest.mark.parametrize(("period", "day"), [
    ("2022-04", dt.date(2022, 5, 15)),  # 工业生产 of April: mid May
    ("2022-01/02", dt.date(2022, 3, 15)),  # 1-2月 together, mid March
    ("2022-02", dt.date(2022, 3, 15)),  # the 1-2月 累计 is stored at February
    ("2022-12", dt.date(2023, 1, 15)),
    ("2022Q1", dt.date(2022, 4, 20)),
    ("2022", dt.date(2023, 2, 28)),  # the statistical communiqué
    ("2022-03-15", None),  # dated prices: no release rule
])
def test_release_calendar_rule(period, day):
    assert release_date(period) == day


def test_a_stated_date_is_read():
    assert stated_date(["注：发布日期：2024年10月18日"]) == dt.date(2024, 10, 18)
    assert stated_date(["更新时间: 2022-05-16"]) == dt.date(2022, 5, 16)
    assert stated_date(["注：增速按可比价格计算"]) is None


def test_as_of_shows_what_was_published_then(shared_data):
    wh = Warehouse.memory()
    load_file(wh, shared_data / NBS_IVA)
    # April's figures came out in mid May 2022 (NBS: 16 May): on 1 May only March was out
    on_may_1 = wh.values(YOY, as_of="2022-05-01")
    assert on_may_1.index[-1] == "2022-03" and on_may_1["2022-03"] == 5.0
    on_may_20 = wh.values(YOY, as_of="2022-05-20")
    assert on_may_20.index[-1] == "2022-04" and on_may_20["2022-04"] == -2.9 and "2022-05" not in on_may_20


def test_revision_with_published_date_is_a_new_vintage_at_its_release(shared_data, tmp_path):
    wh = Warehouse.memory()
    original = shared_data / NBS_IVA
    load_file(wh, original)
    lines = original.read_text("utf-8").splitlines()
    header, yoy = lines[2].split(","), lines[3].split(",")
    yoy[header.index("2022年3月")] = "5.1"
    lines[3] = ",".join(yoy)
    revised = tmp_path / "revised.csv"
    revised.write_text("\n".join(lines) + "\n", "utf-8")
    r = load_file(wh, revised, published="2026-04-16")
    assert (r.n_new, r.n_revised) == (0, 1)
    v = wh.vintages(YOY, "2022-03")
    assert v["value"].tolist() == [5.0, 5.1]
    assert [t.date() for t in v["vintage"]] == [dt.date(2022, 4, 15), dt.date(2026, 4, 16)]
    assert wh.values(YOY, as_of="2026-04-15")["2022-03"] == 5.0
    assert wh.values(YOY, as_of="2026-04-16")["2022-03"] == 5.1
    again = load_file(wh, revised, published="2026-04-16")  # idempotent
    assert (again.n_new, again.n_revised) == (0, 0) and len(wh.vintages(YOY, "2022-03")) == 2


def test_cli_series_show_as_of(shared_data, yacang_home):
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(shared_data / NBS_IVA)]).exit_code == 0
    out = runner.invoke(app, ["series", "show", "--indicator", "iva", "--measure", "yoy", "--as-of", "2022-05-20",
                              "--from", "2022-01"]).output
    codes = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert codes == ["2022-01/02", "2022-03", "2022-04"] and "-2.9" in out
    bad = runner.invoke(app, ["ingest", "--published", "16/04/2026", str(shared_data / NBS_IVA)])
    assert bad.exit_code == 1 and "2022-05-16" in bad.output


@pytest.mark.parametrize(("published", "words"), [
    (str(dt.date.today().replace(year=dt.date.today().year + 5)), "晚于今天"),
    # the export's newest figure is 2026年1-2月 (released mid March 2026): it cannot be out in 2000
    ("2000-01-01", "2026年1-2月"),
])
def test_an_impossible_publication_date_is_refused(shared_data, published, words):
    from yacang.ingest.errors import IngestError

    wh = Warehouse.memory()
    with pytest.raises(IngestError, match=words):
        load_file(wh, shared_data / NBS_IVA, published=published)
    assert wh.count("observations") == 0


WIND_IVA = "national_industry_monthly_wind/iva_monthly.csv"
WIND_CATALOG = "national_industry_monthly_wind/series_catalog.csv"


def _wind_rows(shared_data, tmp_path, name: str, edit) -> Path:
    """The real Wind IVA001 rows of 2022 (当月同比) as a tidy CSV, each row passed through ``edit``."""
    lines = (shared_data / WIND_IVA).read_text("utf-8").splitlines()
    rows = [line.split(",") for line in lines[1:] if line.startswith("2022-") and ",IVA001," in line]
    out = tmp_path / name
    out.write_text(lines[0] + "\n" + "\n".join(",".join(edit(r)) for r in rows) + "\n", "utf-8")
    return out


def test_a_flags_only_change_is_not_a_revision(shared_data, tmp_path, yacang_home):
    """Re-loading the same values with a note added to three months and one value changed: 修订 1, not 4."""
    catalog = str(shared_data / WIND_CATALOG)
    first = _wind_rows(shared_data, tmp_path, "first.csv", lambda r: r)
    noted = {"2022-05", "2022-06", "2022-07"}

    def edit(r: list[str]) -> list[str]:
        if r[0] in noted:
            return [*r[:3], "初步"]
        if r[0] == "2022-08":
            return [r[0], r[1], "4.3", r[3]]  # Wind has 4.2
        return r

    second = _wind_rows(shared_data, tmp_path, "second.csv", edit)
    runner = CliRunner()
    loaded = runner.invoke(app, ["ingest", "--catalog", catalog, "--published", "2023-01-17", str(first)])
    assert loaded.exit_code == 0 and "修订 0" in loaded.output and "仅标注变化" not in loaded.output, loaded.output
    again = runner.invoke(app, ["ingest", "--verbose", "--catalog", catalog, "--published", "2023-02-20", str(second)])
    assert again.exit_code == 0, again.output
    assert "修订 1，仅标注变化 3" in again.output, again.output
    listed = [line.strip() for line in again.output.splitlines() if line.strip().startswith(("修订：", "仅标注变化："))]
    assert len(listed) == 4 and listed[0].startswith("修订：") and listed[0].endswith(" 2022-08 4.2 → 4.3"), listed
    assert [line.split(" ", 1)[1] for line in listed[1:]] == [f"{p} “” → “初步”" for p in ("2022-05", "2022-06", "2022-07")]
    assert all(line.startswith("仅标注变化：") for line in listed[1:]), listed


def test_cli_series_show_gives_release_dates_without_a_midnight_time(shared_data, yacang_home):
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(shared_data / NBS_IVA), "--published", "2026-03-16"]).exit_code == 0
    out = runner.invoke(app, ["series", "show", "--from", "2022-03", "--to", "2022-04"])
    assert out.exit_code == 0, out.output
    vintages = [line.split("│")[5].strip() for line in out.output.splitlines() if line.startswith("│")]
    assert len(vintages) == 2 and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in vintages), out.output
