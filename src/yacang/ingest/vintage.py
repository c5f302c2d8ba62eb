"""When a file's figures were published: the vintage every observation is stored with.

Order of evidence, per file:

1. ``--published DATE`` (the user knows the release);
2. a date the file states (``发布日期：2024年10月18日``, ``发布时间：2022-05-16`` in its notes or title);
3. the NBS release-calendar rule: the file cannot predate the release of its newest figure.

The rule (国家统计局 主要统计数据发布日程表): monthly industrial production of month M is released around
the 15th of M+1, with January and February released together around 15 March; a quarter around the 20th
of the month after it; a year's figures with the statistical communiqué at the end of February. Dated
series (daily or weekly prices) have no release rule: they take the file's date when it is known, else
the load time.

Each observation first seen in a file is stamped with its own period's release date (never later than
the file's date), so a history loaded today answers ``as_of`` "as published then"; a value that differs
from the stored one is a revision and is stamped with the file's date (its own release) when that date
is given or stated, else with the load time (when the revision became known here): the calendar rule
cannot date a revision, since a revised file has the same newest period as the original.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from yacang.ingest.batch import Batch
from yacang.periods import PeriodError, parse_period

RELEASE_DAY = 15  # monthly industrial production (工业生产)
QUARTER_DAY = 20
_STATED = re.compile(r"(?:发布|公布|更新)(?:日期|时间)\s*[：:]?\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


def release_date(period_code: str) -> dt.date | None:
    """Scheduled release date of a period's figures by the NBS calendar rule; ``None`` for dated series."""
    try:
        p = parse_period(period_code)
    except PeriodError:
        return None
    kind = p.kind
    if kind == "day":
        return None
    year, month = (p.year + 1, 1) if p.end == 12 else (p.year, p.end + 1)
    if kind in ("month", "jan_feb", "span"):
        return dt.date(year, month, RELEASE_DAY)
    if kind in ("quarter", "half"):
        return dt.date(year, month, QUARTER_DAY)
    return dt.date(p.year + 1, 2, 28)  # a whole year: the statistical communiqué


def stated_date(texts: list[str]) -> dt.date | None:
    """A publication date the file states in its notes or title, if any."""
    for text in texts:
        if m := _STATED.search(text):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def stamp(batch: Batch, published: dt.date | str | None = None) -> Batch:
    """Set ``batch.vintage`` (the file's date) and an observation ``vintage`` column (see module doc)."""
    obs = batch.observations
    releases = {p: release_date(p) for p in obs["period"].unique()}
    file_date = _as_date(published) or (batch.vintage.date() if batch.vintage is not None else None) \
        or stated_date(batch.notes)
    dated = [d for d in releases.values() if d is not None]
    how = "指定" if published else "文件载明" if file_date else "按发布日程推定"
    if file_date is not None:
        _check_file_date(file_date, how, obs["period"].unique())
    if file_date is None and dated:
        file_date = max(dated)
    if file_date is None:
        return batch  # dated series only: stamped with the load time by the store
    given = how != "按发布日程推定"
    per_obs = [min(d, file_date) if d is not None else (file_date if given else None)
               for d in (releases[p] for p in obs["period"])]
    batch.observations = obs.assign(vintage=pd.to_datetime(per_obs))
    if given:
        batch.vintage = pd.Timestamp(file_date)
        revisions = "修订按发布日期入版本"
    else:
        revisions = "修订按导入时间入版本（如知道发布日期，请用 --published 指定）"
    batch.notes.append(f"发布日期 {file_date.isoformat()}（{how}）；首次出现的数值按各期发布日程入版本，{revisions}")
    return batch


def _check_file_date(day: dt.date, how: str, periods) -> None:
    """A file's date (given or stated) neither after today nor before its newest period has ended."""
    from yacang.ingest.errors import IngestError
    from yacang.validation import Invalid, check_day

    try:
        check_day(day, label=f"发布日期（{how}）")
    except Invalid as exc:
        raise IngestError(f"{exc}：请核对 --published 或文件中写的发布日期") from None
    newest = max((parse_period(str(p)) for p in periods), key=lambda p: (p.end_date, p.is_merged_jan_feb), default=None)
    if newest is not None and day < newest.end_date:
        raise IngestError(f"发布日期（{how}）{day} 早于文件中最新时期 {newest.label_zh()} 的结束（{newest.end_date}），"
                          "文件不可能在此之前发布：请核对 --published 或文件中写的发布日期")


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        from yacang.ingest.errors import IngestError

        raise IngestError(f"发布日期“{value}”格式不对，请写成 2022-05-16") from None


FLAGS_ONLY_ZH = "仅标注变化"
_CHANGES_SQL = """
    WITH incoming AS (SELECT series_id, period, period_end, value, flags, loaded_at FROM observations
                      WHERE batch_id = ?),
    earlier AS (
        SELECT o.series_id, o.period, o.value, o.flags FROM observations o
        JOIN (SELECT DISTINCT series_id, period, loaded_at FROM incoming) i USING (series_id, period)
        WHERE o.batch_id <> ? AND o.loaded_at <= i.loaded_at
        QUALIFY row_number() OVER (PARTITION BY o.series_id, o.period ORDER BY o.vintage DESC, o.loaded_at DESC) = 1)
    SELECT i.series_id, i.period, e.value AS old_value, i.value AS new_value, e.flags AS old_flags,
           i.flags AS new_flags, i.value IS NOT DISTINCT FROM e.value AS flags_only
    FROM incoming i JOIN earlier e USING (series_id, period) ORDER BY i.series_id, i.period_end
"""


def batch_changes(db, batch_id: str) -> pd.DataFrame:
    """The rows a just-written batch changed (series_id, period, old/new value and flags, ``flags_only``):
    a revision is a changed value; a row stored because only its flags (notes) changed is ``flags_only``.

    The store counts them apart (``BatchResult.n_revised``, ``n_flags_only``); this lists them for
    ``yacang ingest --verbose`` (``db`` is the warehouse's DuckDB connection; rows loaded after the batch
    are ignored)."""
    return db.execute(_CHANGES_SQL, [batch_id, batch_id]).df()


def change_counts_zh(result) -> str:
    """``新增 …，修订 …[，仅标注变化 …]，未变 …`` of a BatchResult (修订: changed values only)."""
    flags = f"，{FLAGS_ONLY_ZH} {result.n_flags_only}" if getattr(result, "n_flags_only", 0) else ""
    return f"新增 {result.n_new}，修订 {result.n_revised}{flags}，未变 {result.n_unchanged}"


def change_lines_zh(changes: pd.DataFrame, limit: int = 20) -> list[str]:
    """``修订：<series> <period> 5.0 → 5.1`` and ``仅标注变化：<series> <period> “” → “初步”`` lines (the first
    ``limit`` of each kind, then how many more)."""
    lines: list[str] = []
    for flags_only, rows in ((False, changes[~changes["flags_only"]]), (True, changes[changes["flags_only"]])):
        word = FLAGS_ONLY_ZH if flags_only else "修订"
        for r in rows.head(limit).itertuples(index=False):
            what = (f"“{r.old_flags or ''}” → “{r.new_flags or ''}”" if flags_only
                    else f"{_num(r.old_value)} → {_num(r.new_value)}")
            lines.append(f"{word}：{r.series_id} {r.period} {what}")
        if len(rows) > limit:
            lines.append(f"{word}：另有 {len(rows) - limit} 个")
    return lines


def _num(v: object) -> str:
    return "空" if v is None or pd.isna(v) else f"{float(v):g}"
