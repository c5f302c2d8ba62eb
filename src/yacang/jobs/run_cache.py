"""The results of earlier ``yacang run``s by input fingerprint (YACANG_HOME/run-cache/), so a repeat run
with nothing new prints the same summary and keeps the same files without recomputing them."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from yacang.periods import parse_period

KEEP = 20  # cached results kept (oldest removed)


def _dir() -> Path:
    from yacang.settings import get_settings

    return get_settings().home / "run-cache"


def save(fingerprint: str, summary) -> None:
    d = _dir()
    d.mkdir(parents=True, exist_ok=True)
    data = asdict(summary)
    data["period"] = summary.period.code
    data["files"] = [str(Path(f).resolve()) for f in summary.files]
    (d / f"{fingerprint}.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    for old in sorted(d.glob("*.json"), key=lambda f: f.stat().st_mtime)[:-KEEP]:
        old.unlink(missing_ok=True)


def load(fingerprint: str):
    """The summary of a run with these inputs, if its bulletin files are all still there (else None)."""
    from yacang.jobs.main_job import RunSummary

    path = _dir() / f"{fingerprint}.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    files = [Path(f) for f in data["files"]]
    if not files or not all(f.is_file() for f in files):
        return None
    data.update(period=parse_period(data["period"]), files=files)
    return RunSummary(**data)
