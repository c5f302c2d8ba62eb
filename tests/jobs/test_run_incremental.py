"""Incremental runs: a repeat ``yacang run`` with nothing new reuses the last result; any new input, a
changed setting or ``--force`` recomputes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yacang.cli import app

CONFIG = """
[yacang]
formats = ["html"]
[demo]
enterprises = 1500
seed = 9
"""
REUSED = "沿用上次"


@pytest.mark.slow
def test_a_repeat_run_reuses_and_a_change_recomputes(yacang_home: Path, shared_data: Path, monkeypatch) -> None:
    import yacang.jobs.fingerprint as fingerprint

    # the code's digest is of the package's files: in a tree others edit meanwhile, it is held fixed here
    # (this test is about the data and settings; a code change recomputing is the digest's own business)
    monkeypatch.setattr(fingerprint, "code_digest", lambda: "code under test")
    Path("yacang.toml").write_text(CONFIG, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["run"])
    assert first.exit_code == 0, first.output
    assert REUSED not in first.output

    import yacang.jobs.bulletin_inputs as inputs

    def must_not_evaluate(*_a, **_k):
        raise AssertionError("alerts evaluated although nothing changed")

    with monkeypatch.context() as m:
        m.setattr(inputs, "evaluate_alerts", must_not_evaluate)
        again = runner.invoke(app, ["run"])
    assert again.exit_code == 0, again.output
    assert REUSED in again.output
    # the same headline and files as the first run
    line = next(x for x in first.output.splitlines() if "累计同比" in x)
    assert line in again.output

    # a new input (a review decision changes a report's status) recomputes
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(yacang_home / "warehouse.duckdb")
    try:
        wh.db.execute("UPDATE reports SET status = 'returned' WHERE uscc = (SELECT min(uscc) FROM reports) "
                      "AND period = (SELECT max(period) FROM reports)")
    finally:
        wh.close()
    changed = runner.invoke(app, ["run"])
    assert changed.exit_code == 0 and REUSED not in changed.output, changed.output
    # nothing new, but --force recomputes
    forced = runner.invoke(app, ["run", "--force"])
    assert forced.exit_code == 0 and REUSED not in forced.output
    # and a repeat after the forced run reuses again; removing the files makes it recompute
    assert REUSED in runner.invoke(app, ["run"]).output
    for f in Path("yacang-output").glob("*.html"):
        f.unlink()
    assert REUSED not in runner.invoke(app, ["run"]).output


@pytest.mark.slow
def test_a_run_from_another_folder_writes_its_own_bulletin(yacang_home: Path, tmp_path: Path, monkeypatch) -> None:
    """The default output folder is the working directory's ``yacang-output``: a run from another folder
    with the same inputs does not point at the first folder's files, it writes its own."""
    import yacang.jobs.fingerprint as fingerprint

    monkeypatch.setattr(fingerprint, "code_digest", lambda: "code under test")
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    for d in (first_dir, second_dir):
        d.mkdir()
        (d / "yacang.toml").write_text(CONFIG, encoding="utf-8")
    runner = CliRunner()
    monkeypatch.chdir(first_dir)
    assert runner.invoke(app, ["run"]).exit_code == 0
    monkeypatch.chdir(second_dir)
    second = runner.invoke(app, ["run"])
    assert second.exit_code == 0, second.output
    assert REUSED not in second.output
    assert [f.name for f in (second_dir / "yacang-output").glob("*.html")] == \
        [f.name for f in (first_dir / "yacang-output").glob("*.html")] != []
