"""The data step of ``yacang run``: real sources or the demo, never both in one warehouse.

Decision (documented in the README): demo data and real data never share a warehouse.

- Sources named (``[sources]`` in yacang.toml or ``yacang run --source FILE``) while the warehouse holds
  the demo: refused, with the way out (a fresh ``YACANG_HOME``). Nothing is loaded.
- No sources named and the warehouse already holds real data (loaded with ``yacang ingest``): the job
  runs on those; the demo is not generated into it.
- No sources named and the warehouse holds both (real files ingested into a demo warehouse by hand):
  refused, since any output would mix them.
- Otherwise the demo is built when absent, as before.

Every run reports in words what it was built from (:func:`yacang.warehouse.provenance.provenance`).
"""

from __future__ import annotations

from yacang.catalog.regions import NATION
from yacang.job_config import Config
from yacang.jobs.errors import JobError
from yacang.warehouse.provenance import provenance

FRESH_HOME = ("请换一个数据目录运行真实数据，例如：export YACANG_HOME=$HOME/yacang-real（或删除 {path} 后重试）；"
              "示例数据与真实数据不在同一个数据仓库中混用。")


def prepare_data(wh, cfg: Config, stages=None) -> list[str]:
    """Load the named sources or build the demo (see the module doc); returns summary lines."""
    from yacang.jobs.main_job import ensure_demo, load_sources

    before = provenance(wh)
    if not cfg.uses_demo:
        if before.is_demo:
            raise JobError("数据仓库中已有示例数据，不能再导入真实数据源。" + FRESH_HOME.format(path=_path(wh)))
        lines = load_sources(wh, cfg)
    elif before.is_mixed:
        raise JobError(f"数据仓库中同时有示例数据和真实数据（{before.words()}），任何输出都会混用两者，已停止。"
                       + FRESH_HOME.format(path=_path(wh)))
    elif before.kinds and not before.is_demo:
        lines = ["使用数据仓库中已导入的数据，未生成示例数据"]
    else:
        lines = ensure_demo(wh, cfg, stages)
    return [*lines, f"数据来源：{provenance(wh).words()}"]


def regional_source(wh, region: str):
    """The bulletin source of a region without microdata: its published figures, or None."""
    if region == NATION:
        return None
    from yacang.report.published_source import PublishedSource

    source = PublishedSource.from_warehouse(wh)
    return source if source.has_region(region) else None


def _path(wh) -> str:
    return str(wh.path) if getattr(wh, "path", None) else "warehouse.duckdb"


def latest_published_year(wh) -> int | None:
    """Year of the latest published 规上工业增加值 figure in the warehouse (for targets without a year)."""
    t = wh.table("series")
    sids = t.filter(t.indicator == "iva").select("series_id")
    o = wh.table("observations")
    last = o.filter(o.series_id.isin(sids.series_id)).period_end.max().to_pandas()
    return None if last is None or str(last) in ("NaT", "None") else int(str(last)[:4])
