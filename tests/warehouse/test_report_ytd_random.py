"""Randomized: seeded small warehouses and random sequences of the writers that keep ``report_ytd`` in
step (save_report, set_status, set_division_ppi, add_enterprises (a new division or county),
set_scale_years, append_reports, load_reports; once in a while after a hand edit of the reports or the
registry, which the next write must not leave stale). After every write the table must equal an
independent recomputation (pandas, from the reports, the PPI and the registry),
and the windows and the alert panel read from it must equal the same sums taken from the reports."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from yacang.measures.alert_inputs import _cells_and_key_rows, multi_period_panel
from yacang.measures.windows import (
    aggregate_windows,
    month_cells,
    monthly_panel,
    monthly_windows,
    window_sums,
)
from yacang.microdata.report_workbook import VALUE_FIELDS, ReportBatch, load_reports
from yacang.microdata.store import MicrodataStore
from yacang.microdata.uscc import make_uscc
from yacang.warehouse import Warehouse, report_ytd
from yacang.warehouse.job_queries import append_reports
from yacang.warehouse.report_queries import REPORT_VALUES, save_report

INDUSTRY = {"13": "1310", "26": "2610", "36": "3610"}
RATES = {"13": 0.25, "26": 0.3, "36": 0.2}
YEARS = (2022, 2023)
SUMMED_IN = ("output_value", *report_ytd.SUMMED)  # report columns the table reads
NOW = dt.datetime(2023, 9, 1)
COUNTIES = ("440103", "440104", "440305", "320102")


class World:
    """One seeded warehouse: eight registered enterprises (three divisions), one unregistered ('ghost')
    whose reports carry no division until it is registered; 1-2月 merged or January/February separate by
    year; PPI with gaps; reports with NULL figures and every status."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.wh = Warehouse.memory()
        self.store = MicrodataStore(self.wh)
        self.firms = {make_uscc("440103", f"{i:08d}A"): self.rng.choice(sorted(INDUSTRY)) for i in range(1, 9)}
        self.ghost = make_uscc("440104", "00000099A")
        self.separate = {y: self.rng.random() < 0.5 for y in YEARS}  # January and February reported apart
        self.store.add_enterprises(pd.DataFrame([self._registry_row(u, d) for u, d in self.firms.items()]))
        self.store.set_scale_years(pd.DataFrame(
            [(u, y, self.rng.random() < 0.85) for u in self.firms for y in YEARS], columns=["uscc", "year", "above_scale"]))
        self.store.set_division_params(pd.DataFrame(
            [(y, d, r) for y in YEARS for d, r in RATES.items()], columns=["year", "division", "va_rate"]))
        ppi = [(p, d, self._index()) for p in self.codes(9) for d in INDUSTRY if self.rng.random() < 0.8]
        self.store.set_division_ppi(pd.DataFrame(ppi, columns=["period", "division", "index_yoy"]))
        first = [self._report(u, p) for u in [*self.firms, self.ghost] for p in self.codes(5)
                 if self.rng.random() < 0.6]
        append_reports(self.wh, pd.DataFrame(first))  # the table is built here (never built before)
        self.counter = 0

    def codes(self, last: int) -> list[str]:
        """Report period codes of both years up to month ``last``."""
        out = []
        for y in YEARS:
            out += [f"{y}-01", f"{y}-02"] if self.separate[y] else [f"{y}-01/02"]
            out += [f"{y}-{m:02d}" for m in range(3, last + 1)]
        return out

    def _index(self) -> float:
        return round(self.rng.uniform(94.0, 109.0), 1)

    def _registry_row(self, uscc: str, division: str, region: str | None = None) -> dict:
        return {"uscc": uscc, "name": f"企业{uscc[-4:]}", "region": region or uscc[2:8],
                "industry": INDUSTRY[division], "is_key": uscc[15] in "1357"}  # firms 1, 3, 5, 7 key

    def _values(self) -> dict:
        return {c: (None if self.rng.random() < 0.12 else round(self.rng.uniform(-50.0, 900.0), 2))
                for c in REPORT_VALUES}

    def _report(self, uscc: str, period: str) -> dict:
        status = self.rng.choice(["submitted", "accepted", "accepted", "returned"])
        return {"uscc": uscc, "period": period, **self._values(), "status": status,
                "vintage": dt.datetime(2023, 1, 1), "source_file": "seed", "source_row": 1}

    def keys(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.wh.db.execute("SELECT uscc, period, status FROM reports").fetchall()]

    def unlock(self, uscc: str, period: str) -> None:
        """An accepted report is reopened through 更正 (request, grant) before it can be re-submitted."""
        status = self.store.status_of(uscc, period)
        if status == "accepted":
            self.store.request_revision(uscc, period, "数据有误")
        if status in ("accepted", "revision_requested"):
            self.store.grant_revision(uscc, period)

    # the writers -----------------------------------------------------------------------------------
    def save(self) -> str:
        uscc = self.rng.choice([*self.firms, self.ghost])
        period = self.rng.choice(self.codes(9))  # up to September: often past the year's last month
        self.unlock(uscc, period)
        self.counter += 1
        save_report(self.wh, {"uscc": uscc, "period": period, **self._values()}, source_file="online",
                    sha256=f"s{self.counter}", fmt="online", now=NOW)
        return f"save_report {uscc} {period}"

    def status(self) -> str:
        uscc, period, _ = self.rng.choice(self.keys())
        status = self.rng.choice(["submitted", "returned", "accepted", "revision_requested"])
        self.store.set_status(uscc, period, status, reason="核实")
        return f"set_status {uscc} {period} {status}"

    def ppi(self) -> str:
        pairs = [(self.rng.choice(self.codes(9)), self.rng.choice(sorted(INDUSTRY)), self._index())
                 for _ in range(self.rng.choice([1, 1, 3]))]
        self.store.set_division_ppi(pd.DataFrame(pairs, columns=["period", "division", "index_yoy"]))
        return f"set_division_ppi {pairs}"

    def registry(self) -> str:
        if self.ghost not in self.firms and self.rng.random() < 0.4:
            uscc, division = self.ghost, self.rng.choice(sorted(INDUSTRY))
        else:
            uscc = self.rng.choice(sorted(self.firms))
            division = self.rng.choice([d for d in INDUSTRY if d != self.firms[uscc]])
        if self.rng.random() < 0.4:  # the same division, another county
            division = self.firms.get(uscc, division)
        region = self.rng.choice(COUNTIES)
        self.firms[uscc] = division
        self.store.add_enterprises(pd.DataFrame([self._registry_row(uscc, division, region)]))
        return f"add_enterprises {uscc} → {division} {region}"

    def scale(self) -> str:
        """规上 flags of one or two (enterprise, year) pairs set (often flipped)."""
        pairs = [(self.rng.choice(sorted(self.firms)), self.rng.choice(YEARS), self.rng.random() < 0.5)
                 for _ in range(self.rng.choice([1, 2]))]
        self.store.set_scale_years(pd.DataFrame(pairs, columns=["uscc", "year", "above_scale"]).drop_duplicates(
            ["uscc", "year"], keep="last"))
        return f"set_scale_years {pairs}"

    def append(self) -> str:
        have = {(u, p) for u, p, _ in self.keys()}
        free = [(u, p) for u in [*self.firms, self.ghost] for p in self.codes(9) if (u, p) not in have]
        rows = [self._report(u, p) for u, p in self.rng.sample(free, min(len(free), self.rng.randint(1, 6)))]
        upserts = {}
        if self.rng.random() < 0.5:  # a month's deflators come with it
            upserts["division_ppi"] = pd.DataFrame(
                [(rows[0]["period"], d, self._index()) for d in INDUSTRY], columns=["period", "division", "index_yoy"])
        append_reports(self.wh, pd.DataFrame(rows), upserts)
        return f"append_reports {[(r['uscc'], r['period']) for r in rows]} ppi={bool(upserts)}"

    def load(self) -> str:
        """A report file through the loader: new, revised and unchanged rows of registered enterprises."""
        stored = {(u, p): s for u, p, s in self.keys()}
        picks = self.rng.sample([(u, p) for u in self.firms for p in self.codes(9)], 4)
        rows = []
        for i, (u, p) in enumerate(picks):
            self.unlock(u, p)
            old = self.wh.db.execute(f"SELECT {', '.join(VALUE_FIELDS)} FROM reports WHERE uscc = ? AND period = ?",
                                     [u, p]).df()
            keep = (u, p) in stored and self.rng.random() < 0.3
            values = old.iloc[0].to_dict() if keep else {f: v for f, v in self._values().items() if f in VALUE_FIELDS}
            rows.append({"uscc": u, "period": p, **values, "source_row": i + 2})
        self.counter += 1
        df = pd.DataFrame(rows, columns=["uscc", "period", *VALUE_FIELDS, "source_row"])
        load_reports(self.wh, ReportBatch(f"file{self.counter}.xlsx", "workbook", f"f{self.counter}", df), at=NOW)
        return f"load_reports {picks}"

    def around(self) -> str:
        """A hand edit of 工业总产值 or of a county or 规上 flag in the registry (not through the writers:
        the table is stale), then a writer's write."""
        uscc, period, _ = self.rng.choice(self.keys())
        edit = self.rng.choice(["output", "county", "scale"])
        if edit == "output":
            self.wh.db.execute("UPDATE reports SET output_value = coalesce(output_value, 0) * 2 + 1 "
                               "WHERE uscc = ? AND period = ?", [uscc, period])
        elif edit == "county":
            self.wh.db.execute("UPDATE enterprises SET region = ? WHERE uscc = ?", [self.rng.choice(COUNTIES), uscc])
        else:
            self.wh.db.execute("UPDATE enterprise_years SET above_scale = NOT above_scale WHERE uscc = ? AND year = ?",
                               [uscc, int(period[:4])])
        return f"hand edit ({edit}) {uscc} {period}, then " + self.rng.choice([self.save, self.status, self.append])()

    def step(self) -> str:
        op = self.rng.choice([self.save, self.save, self.status, self.status, self.ppi, self.registry, self.scale,
                              self.append, self.load, self.around])
        return op()



# the reference: the table recomputed in pandas from the reports -----------------------------------------
def _month(code: str) -> tuple[int, int]:
    return int(code[:4]), max(2, int(code[5:7]))


def expected_table(db) -> pd.DataFrame:
    """One row per (year, month, enterprise) from its first month with a counted, deflatable report to the
    year's last report month (of any report): the month's sums and the running 累计 (NULL while every
    summed value is)."""
    reports = db.execute("SELECT * FROM reports").df()
    ppi = db.execute("SELECT * FROM division_ppi").df()
    reports[["year", "m"]] = pd.DataFrame([_month(c) for c in reports["period"]], index=reports.index)
    extent = reports.groupby("year")["m"].max()
    r = reports[reports["status"].isin(["submitted", "accepted"]) & reports["division"].notna()]
    r = r.merge(ppi, on=["period", "division"], how="inner")
    r["real_output"] = r["output_value"] * 100.0 / r["index_yoy"]
    r["n"] = 1
    figures = list(report_ytd.FIGURES)
    rows = []
    for (year, uscc, division), g in r.groupby(["year", "uscc", "division"]):
        by_m = g.groupby("m")
        sums = pd.concat([by_m["n"].sum(), by_m[figures].sum(min_count=1)], axis=1)
        sums = sums.reindex(range(int(g["m"].min()), int(extent[year]) + 1))
        month = sums.rename(columns=lambda c: f"{c}_m")
        month["n_m"] = month["n_m"].fillna(0)
        ytd = pd.DataFrame({c: sums[c].fillna(0).cumsum().where(sums[c].notna().cumsum() > 0, np.nan)
                            for c in figures})  # NULL until the first value
        ytd.insert(0, "n", sums["n"].fillna(0).cumsum())
        ytd = ytd.rename(columns=lambda c: f"{c}_ytd")
        part = pd.concat([month, ytd], axis=1).reset_index(names="m")
        part[["year", "uscc", "division"]] = year, uscc, division
        rows.append(part)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if out.empty:
        return out
    # the registry's county and the 规上 flag of the row's year (False when not listed)
    region = db.execute("SELECT uscc, region FROM enterprises").df().set_index("uscc")["region"]
    out["region"] = out["uscc"].map(region)
    scale = db.execute("SELECT uscc, year, above_scale FROM enterprise_years").df()
    above = {(u, int(y)): bool(a) for u, y, a in scale.itertuples(index=False)}
    out["above"] = [above.get((u, int(y)), False) for u, y in zip(out["uscc"], out["year"], strict=True)]
    return out


def _sorted(df: pd.DataFrame, key: list[str], columns: list[str]) -> pd.DataFrame:
    return df[columns].sort_values(key).reset_index(drop=True)


def check_table(db) -> None:
    kept = db.execute("SELECT * FROM report_ytd").df()
    want = expected_table(db)
    key = ["year", "m", "uscc"]
    assert sorted(map(tuple, kept[key].to_numpy().tolist())) == sorted(map(tuple, want[key].to_numpy().tolist()))
    if want.empty:
        return
    pd.testing.assert_frame_equal(_sorted(kept, key, list(kept.columns)), _sorted(want, key, list(kept.columns)),
                                  check_dtype=False, rtol=1e-12)


WINDOW_TARGETS = ("2022-01/02", "2022-05", "2022-12", "2023-02", "2023-04", "2023-12")  # 12: past the last month
PANEL_TARGETS = ["2022-01/02", "2022-04", "2022-09", "2023-01", "2023-03", "2023-07"]


def check_windows(wh: Warehouse, targets: list[str]) -> None:
    assert report_ytd.is_current(wh.con)  # so maintained=True reads the table (not a second reports scan)
    for target in targets:
        wins = monthly_windows(target)
        fast = window_sums(wh.con, wins).to_pandas()
        slow = window_sums(wh.con, wins, maintained=False).to_pandas()
        cols = sorted(slow.columns)
        pd.testing.assert_frame_equal(_sorted(fast, ["uscc"], cols), _sorted(slow, ["uscc"], cols),
                                      check_dtype=False, rtol=1e-12, obj=f"window_sums {target}")
        # the area × division cells straight from the table's slices = grouping the enterprises' panel
        keys = ["province", "prefecture", "county", "division"]
        cells = month_cells(wh.con, wins)
        assert cells is not None
        got = cells.to_pandas()
        want = aggregate_windows(monthly_panel(wh.con, target, maintained=False), keys, wins).to_pandas()
        pd.testing.assert_frame_equal(_sorted(got, keys[2:], list(want.columns)),
                                      _sorted(want, keys[2:], list(want.columns)),
                                      check_dtype=False, rtol=1e-12, obj=f"month_cells {target}")


def check_panel(wh: Warehouse) -> None:
    assert report_ytd.is_current(wh.con)
    key = ["target", "kind", "uscc"]
    fast = multi_period_panel(wh.con, PANEL_TARGETS).to_pandas()
    slow = multi_period_panel(wh.con, PANEL_TARGETS, maintained=False).to_pandas()
    cols = sorted(slow.columns)
    pd.testing.assert_frame_equal(_sorted(fast, key, cols), _sorted(slow, key, cols), check_dtype=False,
                                  rtol=1e-12, obj="multi_period_panel")
    # the alert facts' prefecture cells and key enterprises' rows: from the table's slices = from the panel
    fast_cells, fast_keys = _cells_and_key_rows(wh.con, PANEL_TARGETS)
    wh.db.execute("ALTER TABLE report_ytd_state RENAME TO report_ytd_state_kept")
    try:
        assert not report_ytd.is_current(wh.con)
        slow_cells, slow_keys = _cells_and_key_rows(wh.con, PANEL_TARGETS)
    finally:
        wh.db.execute("ALTER TABLE report_ytd_state_kept RENAME TO report_ytd_state")
    cell_key = ["target", "kind", "province", "prefecture"]
    pd.testing.assert_frame_equal(_sorted(fast_cells, cell_key, list(slow_cells.columns)),
                                  _sorted(slow_cells, cell_key, list(slow_cells.columns)), check_dtype=False,
                                  rtol=1e-12, obj="alert cells")
    pd.testing.assert_frame_equal(_sorted(fast_keys, ["target", "uscc"], list(slow_keys.columns)),
                                  _sorted(slow_keys, ["target", "uscc"], list(slow_keys.columns)), check_dtype=False,
                                  rtol=1e-12, obj="alert key enterprises")


def run(seed: int, steps: int, monkeypatch, *, every_window: bool) -> None:
    """``steps`` random writes; after each: the table against pandas, one (or every) target's windows,
    and every other step (and the last) the alert panel, both ways."""
    paths: list[bool] = []  # whether each recomputation was of the whole year
    rebuild = report_ytd._rebuild

    def spy(db, year: int, from_m: int, only: str | None) -> None:
        paths.append(only is None)
        rebuild(db, year, from_m, only)

    monkeypatch.setattr(report_ytd, "_rebuild", spy)
    world = World(seed)
    done: list[str] = []
    for i in range(steps + 1):
        if i:
            done.append(world.step())
        try:
            check_table(world.wh.db)
            check_windows(world.wh, list(WINDOW_TARGETS) if every_window else [world.rng.choice(WINDOW_TARGETS)])
            if i % 2 == 0 or i == steps:
                check_panel(world.wh)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed} after: {done}") from exc
    assert True in paths and False in paths  # both the whole-year and the restricted recomputation ran


@pytest.mark.parametrize("seed", [11, 23, 37])
def test_random_writes_keep_the_table_equal_to_the_reports(seed: int, monkeypatch) -> None:
    run(seed, 5, monkeypatch, every_window=False)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [58, 71])
def test_longer_random_write_sequences(seed: int, monkeypatch) -> None:
    run(seed, 12, monkeypatch, every_window=True)
