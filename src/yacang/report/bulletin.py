"""Build and write the monthly bulletin (按月通报): the entry points the CLI and ``yacang run`` call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path

from yacang.catalog.regions import NATION
from yacang.periods import Period, parse_period, reporting_period
from yacang.report.errors import ReportError
from yacang.report.inputs import AlertRow, BulletinInput, DispatchInput, LightRow, MaterialRow, RegionalSource
from yacang.report.model import Bulletin
from yacang.report.regional import DEFAULT_ISSUER, compose
from yacang.report.render_worker import RenderWorker, render_worker

FORMATS = ("html", "pdf", "docx", "xlsx")


def build_bulletin(
    wh,
    period: Period | str,
    region: str = NATION,
    *,
    source: RegionalSource | None = None,
    target: float | None = None,
    alerts: Iterable[AlertRow] = (),
    materials: Iterable[MaterialRow] = (),
    lights: Iterable[LightRow] = (),
    light_columns: Iterable[str] = (),
    dispatch: DispatchInput | None = None,
    issuer: str = DEFAULT_ISSUER,
    issue_date: dt.date | None = None,
    doc_number: str = "",
    as_of: str | None = None,
    alerts_evaluated: bool = False,
) -> Bulletin:
    """The bulletin of ``region`` for ``period``.

    The nation without a ``source`` is built from the national series in the warehouse; any other
    region needs a :class:`RegionalSource` (microdata measures). Alerts, 红黄蓝 materials, signal
    lights and dispatch data are added to whatever the source gave; ``alerts_evaluated``: the rules were
    evaluated for this period, so no alert means none fired.
    """
    p, _note = reporting_period(parse_period(period) if isinstance(period, str) else period)  # 2022-01 → 1-2月
    if p.kind not in ("month", "jan_feb"):
        raise ReportError(f"通报按月编制：时期应为月份（如 2022-03 或 2022-01/02），收到 {p.code}。")
    if source is not None:
        inp: BulletinInput = source.bulletin_input(region, p)
    elif region == NATION:
        from yacang.report.national import national_input

        inp = national_input(wh, p, target=target, as_of=as_of)
    else:
        from yacang.catalog.regions import RegionCatalog, RegionError

        try:
            name = RegionCatalog.load().name(region)
        except RegionError:  # a code outside the code lists: say the code alone
            name = "地区"
        raise ReportError(
            f"数据仓库中没有{name}（{region}）的规上工业增加值公布数据，也没有企业月报。"
            "请先用 yacang ingest 导入含该地区的统计局分地区表（或企业月报），再生成通报；"
            "全国通报可直接由国家统计局月度数据生成。")
    inp.alerts += list(alerts)
    inp.alerts_evaluated = inp.alerts_evaluated or alerts_evaluated  # the caller ran the rules for this period
    inp.materials += list(materials)
    inp.lights += list(lights)
    inp.light_columns = inp.light_columns or list(light_columns)
    if dispatch is not None:
        inp.dispatch = dispatch
    b = compose(inp, issuer=issuer, issue_date=issue_date, doc_number=doc_number)
    for n in inp.notes:
        b.sections[0].notes.append(n)
    return b


def bulletin_stem(b: Bulletin) -> str:
    return f"通报_{b.region_name}_{b.period.code.replace('/', '-')}"


def write_bulletin(b: Bulletin, out_dir: Path | str, formats: Iterable[str] = FORMATS, *,
                   on_format: Callable[[int, int, str], None] | None = None,
                   worker: RenderWorker | None = None) -> list[Path]:
    """Write the bulletin in each format to ``out_dir``; returns the paths in the order asked.

    The charts are drawn once for every format. ``on_format(done, total, format)`` is called after each file.
    With a second core the PDF is laid out in a worker process (:mod:`yacang.report.render_worker`) while this
    one writes the other formats; a ``worker`` the caller started ahead of time draws the charts too.
    """
    fmts = [f.strip().lower() for f in formats if f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise ReportError(f"不支持的格式：{', '.join(bad)}（可选：{', '.join(FORMATS)}）")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {f: out / f"{bulletin_stem(b)}.{f}" for f in fmts}
    if worker is not None:
        return _write_files(b, fmts, paths, worker, on_format)
    with render_worker(fmts, charts=False) or nullcontext() as own:  # WeasyPrint loads while the charts are drawn
        return _write_files(b, fmts, paths, own, on_format)


def _write_files(b: Bulletin, fmts: list[str], paths: dict[str, Path], worker: RenderWorker | None,
                 on_format: Callable[[int, int, str], None] | None) -> list[Path]:
    """Every file, or (on an error, which goes on to the caller) none of the files this call wrote: no
    bulletin is left in part."""
    written: list[Path] = []
    complete = False
    try:
        _write_each(b, fmts, paths, worker, on_format, written)
        complete = True
    finally:
        if not complete:
            if worker is not None:
                worker.settle()  # its PDF, if in flight, is written or failed before the files are removed
            for path in written:
                path.unlink(missing_ok=True)
    return [paths[f] for f in fmts]


def _write_each(b: Bulletin, fmts: list[str], paths: dict[str, Path], worker: RenderWorker | None,
                on_format: Callable[[int, int, str], None] | None, written: list[Path]) -> None:
    pngs = images = None
    if {"html", "pdf", "docx"} & set(fmts):
        if worker is not None and worker.draws_charts:
            pngs = worker.charts(b.all_charts()).result()
        else:
            from yacang.report.charts import png_images

            pngs = png_images(b.all_charts())  # drawn once for all formats
    if "html" in fmts or "pdf" in fmts:
        from yacang.report.render_html import _png_data_uris

        images = _png_data_uris(b, pngs)
    pdf = worker.pdf(b, paths["pdf"].resolve(), images) if worker is not None and "pdf" in fmts else None
    if pdf is not None:
        written.append(paths["pdf"])  # removed if anything fails, the worker's part included
    done = 0
    for f in fmts:
        if f == "pdf" and pdf is not None:
            continue  # the worker's: waited for below
        written.append(paths[f])
        _write_one(b, f, paths[f], images=images, pngs=pngs)
        done += 1
        if on_format is not None:
            on_format(done, len(fmts), f)
    if pdf is not None:
        pdf.result()  # the worker's error, if any, is raised here
        if on_format is not None:
            on_format(len(fmts), len(fmts), "pdf")


def _write_one(b: Bulletin, fmt: str, path: Path, *, images: dict[str, str] | None,
               pngs: dict[str, bytes] | None) -> None:
    if fmt == "html":
        from yacang.report.render_html import render_html

        render_html(b, path, images=images)
    elif fmt == "pdf":
        from yacang.report.render_pdf import render_pdf

        render_pdf(b, path, images=images)
    elif fmt == "docx":
        from yacang.report.render_docx import render_docx

        render_docx(b, path, pngs=pngs)
    else:
        from yacang.report.render_xlsx import render_xlsx

        render_xlsx(b, path)
