"""``yacang policy``: ingest policy documents and news, list duplicates, measures and facts, add notes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from yacang.cli.common import OUTPUT_FORMATS, console, emit_frame, fail_known_errors, print_frame

app = typer.Typer(no_args_is_help=True)


@contextmanager
def _session() -> Iterator:
    """An app-database session; the project's errors print in Chinese and exit with code 1."""
    from yacang.appdb import create_all, session_scope

    with fail_known_errors():
        create_all()
        with session_scope() as session:
            yield session


def _check(session) -> dict[str, int] | None:
    """Cross-check facts if a warehouse exists; None when there is none."""
    from yacang.cli.common import open_warehouse
    from yacang.policy.registry import crosscheck
    from yacang.settings import get_settings

    if not get_settings().warehouse_path.exists():
        return None
    with open_warehouse() as wh:
        return crosscheck(session, wh)


def _print_counts(counts: dict[str, int] | None) -> None:
    from yacang.policy.crosscheck import STATUS_ZH

    if counts is None:
        console.print("仓库尚未建立（先用 yacang ingest 导入统计数据），事实暂未核对。")
        return
    console.print("核对结果：" + "，".join(f"{STATUS_ZH[k]} {v} 条" for k, v in sorted(counts.items())))


TEXT_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown")


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for its text, HTML and Markdown files (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in TEXT_SUFFIXES))
        else:
            out.append(p)
    return out


@app.command()
def ingest(
    files: list[Path] = typer.Argument(..., help="文本、HTML 或 Markdown/Jekyll 文件（或包含它们的目录）"),
    check: bool = typer.Option(True, "--check/--no-check", help="导入后与仓库数据核对事实"),
    url: str = typer.Option(None, "--url", help="网页来源地址（只导入一个文件时；地址中的日期可作为文件日期）"),
) -> None:
    """导入政策文件与新闻：清洗（繁转简、去拼音、去标记）、去重、解析措施、抽取数据事实。"""
    import pandas as pd

    from yacang.cli.common import err_console
    from yacang.policy.errors import PolicyInputError
    from yacang.policy.parse import KIND_ZH
    from yacang.policy.registry import RELATION_ZH, ingest_file, refresh

    results, failed = [], 0
    paths = _expand(files)
    if url and len(paths) != 1:
        console.print("--url 只能用于单个文件", style="bold red")
        raise typer.Exit(2)
    with _session() as s:
        for f in paths:
            try:
                results.append(ingest_file(s, f, source_url=url))
            except PolicyInputError as exc:  # report and go on with the other files
                err_console.print(f"[bold red]错误[/]：{exc}", highlight=False)
                failed += 1
        rows = []
        for r in (refresh(s, r) for r in results):
            links = "；".join(f"#{o} {RELATION_ZH.get(rel, rel)} {a * 100:.1f}%/{b * 100:.1f}%" for o, rel, a, b in r.links)
            rows.append({"编号": r.document_id, "状态": "新增" if r.status == "new" else "已存在",
                         "类型": KIND_ZH.get(r.kind, r.kind), "标题": r.title or "",
                         "文号": r.doc_number or "", "措施": r.n_measures, "事实": r.n_facts,
                         "保留副本": f"#{r.canonical_id}", "重合(本文见于对方/对方见于本文)": links})
        counts = _check(s) if check and results else None
    if rows:
        print_frame(pd.DataFrame(rows), title="导入结果")
    if check and results:
        _print_counts(counts)
    if failed:
        raise typer.Exit(1)


@app.command()
def docs() -> None:
    """列出已导入的文档（含保留副本与文号来源）。"""
    from yacang.policy.registry import documents_frame

    with _session() as s:
        print_frame(documents_frame(s), title="政策文件与新闻")


@app.command()
def show(doc: str = typer.Argument(..., help="文档编号，如 2 或 #2")) -> None:
    """查看一份文档：来源信息、文号与主送、章节结构、重复关联。"""
    import pandas as pd

    from yacang.policy.registry import RELATION_ZH, document_detail

    with _session() as s:
        d = document_detail(s, doc)
    number = (d["doc_number"] or "—") + (f"（取自#{d['doc_number_from']}）" if d["doc_number_from"] else "")
    lines = [
        f"[bold]#{d['id']} {d['title'] or ''}[/]", f"类型：{d['kind_zh']}（{d['kind_why']}）　文号：{number}",
        f"日期：{d['date'] or '—'}（{d['date_how'] or '未找到日期'}）",
        f"来源：{d['source_name'] or '—'} {d['source_url'] or ''}",
        f"引用的文号：{d['cited_numbers'] or '—'}",
        f"编码：{d['encoding'] or '—'}（置信度 {d['encoding_confidence'] or '—'}）　清洗：{d['cleaning'] or '无'}",
        f"文件：{d['source_file']}（{d['format']}，{d['n_chars']} 字；去除拼音注音 {d['removed_pinyin']} 处，"
        f"繁转简 {d['converted_chars']} 字）",
        f"保留副本：#{d['canonical_id']}　数据事实：{d['n_facts']} 条",
    ]
    if d["addressees"]:
        lines.append(f"主送：{d['addressees']}")
    for line in lines:
        console.print(line, highlight=False)
    if d["sections"]:
        rows = [{"部分": f"{x['label']}{x['title']}", "措施": "、".join(map(str, x["measures"])),
                 "原则条目": len(x["principles"]), "时间要求": "、".join(x.get("time_refs", []))} for x in d["sections"]]
        print_frame(pd.DataFrame(rows), title="结构")
    for other, rel, a, b in d["links"]:
        console.print(f"与 #{other} {RELATION_ZH.get(rel, rel)}：本文 {a * 100:.1f}% 见于对方，对方 {b * 100:.1f}% 见于本文",
                      highlight=False)
    for w in d["warnings"]:
        console.print(f"[yellow]注意[/]：{w}", highlight=False)


@app.command()
def dups() -> None:
    """列出重复或部分相同的文档及其重合度。"""
    from yacang.policy.registry import duplicates_frame

    with _session() as s:
        df = duplicates_frame(s)
    if df.empty:
        console.print("没有发现重复文档。")
    else:
        print_frame(df, title="重复与重合")


@app.command()
def measures(
    notice: str = typer.Option(None, "--notice", help="文号、#编号或标题片段"),
    region: str = typer.Option(None, "--region", help="只看该地区登记的状态（名称或代码）"),
) -> None:
    """措施台账：每项措施的状态、关联指标和关联事实数。"""
    from yacang.policy.registry import measures_frame, resolve_notice

    with _session() as s:
        doc = resolve_notice(s, notice)
        title = f"{doc.title or ''} {doc.doc_number or ''}".strip() + (f"（{region}）" if region else "")
        print_frame(measures_frame(s, notice, region), title=f"措施台账：{title}")


@app.command()
def measure(
    number: int = typer.Argument(..., help="措施序号（1-17）"),
    notice: str = typer.Option(None, "--notice", help="文号、#编号或标题片段"),
) -> None:
    """查看一项措施：全文、责任主体、量化目标、时间要求、关联、进展与相关数据事实。"""
    import pandas as pd

    from yacang.policy.registry import measure_detail

    with _session() as s:
        d = measure_detail(s, number, notice)
    console.print(f"[bold]{d['label']}{d['title']}[/]　（{d['notice']}，{d['section']}）", highlight=False)
    console.print(d["text"], highlight=False)
    for label, key in (("责任主体", "parties"), ("量化目标", "targets"), ("时间要求", "time_refs"), ("关键词", "keywords")):
        console.print(f"{label}：{'、'.join(d[key]) or '—'}", highlight=False)
    console.print(f"状态：{d['status']}", highlight=False)
    if d["links"]:
        print_frame(pd.DataFrame(d["links"], columns=["类型", "对象", "来源", "说明"]), title="关联")
    if d["notes"]:
        print_frame(pd.DataFrame(d["notes"], columns=["时间", "地区", "记录人", "状态", "进展"]), title="进展记录")
    if d["facts"]:
        print_frame(pd.DataFrame(d["facts"]), title="相关数据事实")


@app.command()
def facts(
    check: bool = typer.Option(True, "--check/--no-check", help="先与仓库数据核对"),
    fmt: str = typer.Option("table", "--format", help="table（表格）、csv、json 或 xlsx（全部行）"),
    output: Path | None = typer.Option(None, "--output", "-o", help="输出文件（xlsx 必填；csv/json 默认输出到屏幕）"),
) -> None:
    """列出文档中的数据事实及其与仓库数据的核对结果（一致/不一致/无数据），仓库值列在原文数值旁。"""
    from yacang.policy.registry import facts_frame

    if fmt not in OUTPUT_FORMATS:
        console.print(f"--format 应为 {' / '.join(OUTPUT_FORMATS)}，而不是“{fmt}”", style="bold red", highlight=False)
        raise typer.Exit(2)
    with _session() as s:
        counts = _check(s) if check else None
        df = facts_frame(s)
    if fmt != "table":
        emit_frame(df, fmt, title="数据事实", output=output, what="条数据事实")
        return
    if df.empty:
        console.print("没有抽取到数据事实。")
        return
    print_frame(df[["指标", "口径", "时期", "数值", "单位", "比较对象", "核对", "仓库值", "文档"]], title="数据事实")
    if check:
        _print_counts(counts)


@app.command()
def note(
    number: int = typer.Argument(..., help="措施序号"),
    region: str = typer.Option(..., "--region", help="地区名称或代码，如 广东 或 440000"),
    officer: str = typer.Option(..., "--officer", help="记录人"),
    status: str = typer.Option(..., "--status", help="未启动、推进中、已完成、滞后"),
    text: str = typer.Option(..., "--text", help="进展说明"),
    notice: str = typer.Option(None, "--notice", help="文号、#编号或标题片段"),
) -> None:
    """为一项措施登记某地区的进展。"""
    from yacang.policy.registry import add_progress_note

    with _session() as s:
        n = add_progress_note(s, number, region=region, officer=officer, status=status, note=text, notice=notice)
        console.print(f"已登记：措施{number} 地区{n.region} 状态“{n.status}”（记录#{n.id}）", highlight=False)


@app.command()
def link(
    number: int = typer.Argument(..., help="措施序号"),
    kind: str = typer.Option(..., "--kind", help="indicator（指标）、alert_rule（预警规则）或 dispatch（调度事项）"),
    key: str = typer.Option(..., "--key", help="指标代码、规则 id 或调度事项键"),
    text: str = typer.Option("", "--note", help="说明"),
    notice: str = typer.Option(None, "--notice", help="文号、#编号或标题片段"),
) -> None:
    """手工为措施增加关联。"""
    from yacang.policy.registry import add_link

    with _session() as s:
        add_link(s, number, kind=kind, key=key, note=text, notice=notice)
        console.print(f"已关联：措施{number} → {kind}:{key}", highlight=False)
