"""The main job, ``yacang run``: load (or build the demo), compute, warn, write the bulletin, summarise.

Idempotent: the warehouse adds nothing for data it already has, the demo is built only when absent,
alert history is replaced for the evaluated periods, and the bulletin files are rewritten.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from yacang.catalog.regions import NATION
from yacang.job_config import Config
from yacang.jobs.period import checked_period, has_microdata, resolve_period
from yacang.jobs.progress import ProgressCallback, Stages, stages_of
from yacang.periods import Period


@dataclass
class RunSummary:
    period: Period
    region: str
    region_name: str
    loaded: list[str] = field(default_factory=list)  # one line per loaded source
    headline: dict[str, float | None] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)  # firing alerts, Chinese one-liners
    alert_counts: str = ""  # firing alerts of all regions by level (yacang.jobs.bulletin_inputs.alert_counts)
    materials: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_sources(wh, cfg: Config) -> list[str]:
    """Load the configured statistics and report files; targets from the config. Returns summary lines."""
    from yacang.ingest.errors import IngestError
    from yacang.job_config import ConfigError
    from yacang.jobs.errors import JobError

    lines: list[str] = []
    if cfg.sources.files:
        from yacang.ingest.vintage import change_counts_zh
        from yacang.warehouse.load import load_file

        try:
            for path in cfg.expand(cfg.sources.files):
                r = load_file(wh, path)  # 修订 counts changed values; a flags-only change is 仅标注变化
                lines.append(f"{path.name}：{change_counts_zh(r)}")
        except (IngestError, ConfigError, FileNotFoundError) as exc:
            raise JobError(f"数据源导入失败，任务已停止（已导入的文件保留，出错文件整体未入库）：{exc}") from exc
    if cfg.sources.reports:
        from yacang.microdata.report_workbook import load_report_file

        for path in cfg.expand(cfg.sources.reports):
            lines.append(f"{path.name}：{load_report_file(wh, path)}")
    if cfg.targets:
        wanted = cfg.yacang.period
        year = int(wanted[:4]) if wanted != "latest" and wanted[:4].isdigit() else None
        lines.append(_store_targets(wh, cfg.targets, year))
    return lines


def _store_targets(wh, targets: dict[str, float], year: int | None = None) -> str:
    import datetime as dt

    import pandas as pd

    from yacang.warehouse import job_queries

    if year is not None:  # the year of the period the run reports on
        year = int(year)
    elif has_microdata(wh):
        year = job_queries.max_report_year(wh)
    else:  # published data only: the targets are for the latest year loaded
        from yacang.jobs.sources import latest_published_year

        year = latest_published_year(wh) or dt.date.today().year
    df = pd.DataFrame({"region": list(targets), "year": year, "indicator": "iva",
                       "growth": [float(v) for v in targets.values()]})
    job_queries.store_targets(wh, df)
    return f"目标：{len(df)} 个地区的 {year} 年增长目标"


def ensure_demo(wh, cfg: Config, stages: Stages | None = None) -> list[str]:
    """Build the demo data set if the warehouse has no microdata yet."""
    if has_microdata(wh):
        return ["示例数据：已存在，未重新生成"]
    from yacang.demo import DemoSpec, run_demo
    kwargs = {"seed": cfg.demo.seed}
    if cfg.demo.enterprises:
        kwargs["enterprises"] = cfg.demo.enterprises
    summary = run_demo(wh, DemoSpec(**kwargs), step=stages.stage if stages is not None else None)
    return ["示例数据：已生成", *summary.lines()]


def build_full_bulletin(wh, period: Period, region: str, *, alert_filter=None, materials=None, **options):
    """The bulletin from what is stored, for CLI, web and ``yacang run`` alike: a pure read.

    Microdata measures when there are reports (the national series otherwise), the firing alerts
    stored by the last evaluation, 红黄蓝 materials, signal lights and the dispatch rows. Nothing is
    written to either database: escalation and alert evaluation are explicit steps
    (``yacang run``, ``yacang alerts run``, ``yacang appeals escalate``).
    ``alert_filter``: keeps the alert rows an officer chose on the draft page (all when None);
    ``materials``: the 红黄蓝 rows when the caller already has them (:func:`material_rows`).
    """
    from yacang.alerts.store import evaluated_period
    from yacang.dispatch.bulletin import dispatch_input_from_app_db
    from yacang.jobs.bulletin_inputs import alert_rows, light_rows, material_rows, stored_firing
    from yacang.report.bulletin import build_bulletin
    from yacang.warehouse.provenance import provenance

    source = None
    if has_microdata(wh):
        from yacang.report.measures_source import MeasuresSource

        source = MeasuresSource.from_warehouse(wh)
    else:
        from yacang.jobs.sources import regional_source

        source = regional_source(wh, region)  # a province's or city's published figures
    lights, light_cols, lights_problem = light_rows(wh, period)
    dispatch = dispatch_input_from_app_db(region, period)
    if "alerts_evaluated" not in options:  # the rules were run up to this period: no alert means none fired
        last = evaluated_period(wh)
        options["alerts_evaluated"] = last is not None and last.end_date >= period.end_date
    b = build_bulletin(
        wh, period, region, source=source,
        alerts=[a for a in alert_rows(stored_firing(wh, period), region) if alert_filter is None or alert_filter(a)],
        materials=material_rows(wh, period) if materials is None else materials,
        lights=lights, light_columns=light_cols,
        dispatch=dispatch if dispatch is not None and (dispatch.appeals or dispatch.projects) else None,
        **options,
    )
    # the 数据来源 line names the publishers of what the bulletin read; demo data is also said at the top
    # (the warehouse's, not the bulletin's, so that a mixed warehouse can never pass for real data)
    stored = provenance(wh)
    if stored.is_demo and b.sections and stored.sentence() not in b.sections[0].notes:
        b.sections[0].notes.insert(0, stored.sentence())
    if lights_problem and b.sections:
        b.sections[0].notes.append(lights_problem)
    _add_chain_lines(wh, b, region)
    return b


def bulletin_job(open_wh, period: Period, region: str, *, out_dir, formats, cfg, issued_by: str, channel: str,
                 target: float | None = None, progress: ProgressCallback | Stages | None = None, **meta):
    """``yacang report bulletin``: build the bulletin from what is stored (the warehouse from ``open_wh()``,
    closed once the bulletin is built), then write and register it. Returns (bulletin, paths, register row)."""
    from yacang.report.issue import issue_bulletin
    from yacang.report.render_worker import render_worker

    stages = stages_of(progress)
    with render_worker(formats) or nullcontext() as worker:  # loads its libraries while the bulletin is built
        with stages.stage("bulletin", "通报：测算指标、编制通报"):
            wh = open_wh()
            try:
                b = build_full_bulletin(wh, period, region, target=target)
            finally:
                wh.close()
        with stages.stage("files", "通报文件：" + " / ".join(f.strip().upper() for f in formats)):
            paths, row = issue_bulletin(b, out_dir, formats, cfg=cfg, issued_by=issued_by, channel=channel,
                                        on_format=lambda i, n, f: stages.advance("files", f.upper(), i, n),
                                        worker=worker, **meta)
    return b, paths, row


def _add_chain_lines(wh, b, region: str) -> None:
    """产业链供应链: the stored shock scenarios and 单一来源 dependence that touch ``region``, read from the
    warehouse (never recomputed), under 预警提示 (a section of their own when there is none)."""
    from yacang.chains.bulletin import bulletin_lines
    from yacang.report.model import Section, section_number
    from yacang.warehouse.chains import in_use

    if not in_use(wh):
        return
    lines = bulletin_lines(wh, region)
    if not lines:
        return
    text = "产业链供应链方面，" + "；".join(lines) + "。"
    sec = next((s for s in b.sections if s.title == "预警提示"), None)
    if sec is None:
        sec = Section(section_number(len(b.sections)), "产业链供应链")
        b.sections.append(sec)
    sec.paragraphs.append(text)


def run_main_job(wh, cfg: Config, *, reuse: bool = True, progress: ProgressCallback | Stages | None = None) -> RunSummary:
    """Everything ``yacang run`` does, on an open warehouse. With ``reuse``, a run whose inputs have not
    changed since the last one (see :mod:`yacang.jobs.fingerprint`) reuses its result and files.
    ``progress`` receives the start and end of each stage (:mod:`yacang.jobs.progress`); every step of the
    job, imports included, is inside one, so the stages add up to the job."""
    stages = stages_of(progress)
    if cfg.yacang.period != "latest":
        checked_period(cfg.yacang.period)  # a month that does not exist or has not begun: before loading anything
    with stages.stage("data", "导入数据 / 示例数据"):
        from yacang.jobs.sources import prepare_data

        loaded = prepare_data(wh, cfg, stages)  # real sources or the demo, never both (see jobs/sources.py)
        from yacang.warehouse.report_ytd import ensure_current

        ensure_current(wh.db)  # the maintained 当月/累计 sums (rebuilt once for a file older writers wrote)
        period = resolve_period(wh, cfg.yacang.period, cfg.yacang.region)
    with stages.stage("dispatch", "调度：诉求超时升级"):
        from yacang.dispatch.job import run_dispatch_step

        step = run_dispatch_step(wh, period, cfg.yacang.region)  # escalation: due whatever else changed
    with stages.stage("fingerprint", "检查输入是否有变化"):
        from yacang.appdb.base import get_engine
        from yacang.jobs import run_cache
        from yacang.jobs.fingerprint import run_fingerprint

        fp = run_fingerprint(wh, get_engine(), cfg, period.code)
        cached = run_cache.load(fp) if reuse else None
    if cached is not None:
        cached.loaded = loaded
        cached.notes.insert(0, "输入数据、配置与上次运行相同：沿用上次的测算、预警与通报文件")
        return cached
    summary = _compute(wh, cfg, period, loaded, step, stages)
    with stages.stage("save", "保存运行结果"):
        # keyed by the inputs as the run leaves them: what it stores besides its declared outputs (dispatch
        # alerts, chain results …) is then part of the state a repeat run finds, and the repeat reuses
        run_cache.save(run_fingerprint(wh, get_engine(), cfg, period.code), summary)
    return summary


def _compute(wh, cfg: Config, period: Period, loaded: list[str], step, stages: Stages) -> RunSummary:
    region = cfg.yacang.region
    with stages.stage("alerts", "预警：评估规则、保存预警状态"):
        from yacang.alerts.evaluate import NoFactsError
        from yacang.jobs.bulletin_inputs import evaluate_alerts, material_rows
        from yacang.jobs.errors import JobError

        try:
            firing = evaluate_alerts(wh, period)
        except NoFactsError as exc:
            raise JobError(f"{exc}。请先导入{period.label_zh()}的数据，或用 --period 指定已有数据的月份") from None
    from yacang.report.render_worker import render_worker

    with render_worker(cfg.yacang.formats) or nullcontext() as worker:  # its libraries load meanwhile
        with stages.stage("bulletin", "通报：测算指标、编制通报"):
            materials = material_rows(wh, period)
            bulletin = build_full_bulletin(wh, period, region, materials=materials, alerts_evaluated=True)
        with stages.stage("files", "通报文件：" + " / ".join(f.upper() for f in cfg.yacang.formats)):
            from yacang.report.issue import issue_bulletin

            files, _ = issue_bulletin(bulletin, cfg.output_path(), cfg.yacang.formats, cfg=cfg.bulletin,
                                      issued_by="yacang run", channel="run",  # 公文 metadata, register, audit
                                      on_format=lambda i, n, f: stages.advance("files", f.upper(), i, n),
                                      worker=worker)
    with stages.stage("summary", "摘要与校准检查"):
        from yacang.jobs.bulletin_inputs import alert_counts, alert_rows, stored_firing
        from yacang.report.regional import material_level_zh

        micro = has_microdata(wh)
        summary = RunSummary(period=period, region=region, region_name=bulletin.region_name, loaded=loaded,
                             files=files)
        summary.headline = headline(bulletin)
        summary.alerts = [f"{a.region_name} {a.rule}：{a.message}" for a in alert_rows(firing, region)]
        summary.alert_counts = alert_counts(stored_firing(wh, period))  # every rule pack, every region
        summary.materials = [f"{m.material}：{material_level_zh(m.level)}" for m in materials
                             if m.level not in ("none", "")]
        summary.notes.extend(step.lines)
        if micro:
            from yacang.demo.calibration import calibration_check_lines

            summary.notes.extend(calibration_check_lines(wh))  # demo 当月 and 累计 against NBS (none for real data)
        if region != NATION and not micro:
            summary.notes.append("没有企业月报数据：分地区指标取自统计部门公布的数据")
    return summary


def headline(bulletin) -> dict[str, float | None]:
    """The key numbers the terminal summary prints, read from the bulletin's own input."""
    return dict(bulletin.facts)
