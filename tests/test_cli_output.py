"""The CLI's one output path for lists: terminal tables that fit 80 columns, or every row as CSV/JSON/XLSX."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
from rich.console import Console

from yacang.cli import common

FRAME = pd.DataFrame({"地区": ["广东省（440000）", "深圳市（440300）"],
                      "企业名称": ["=HYPERLINK(\"http://x\")示例有限公司", "某某精密制造股份有限公司（深圳）有限责任公司"],
                      "增速(%)": [5.25, -0.04]})


def test_tables_fit_an_80_column_terminal(monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=buf, width=80, soft_wrap=True))
    common.print_frame(FRAME, "测试")
    lines = buf.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80  # wrapped, not cut
    text = buf.getvalue()
    assert "精密制造" in text and "440300" in text  # long cells fold, nothing dropped


def test_csv_and_json_hold_every_row_and_neutralise_formulas(capsys):
    common.emit_frame(FRAME, "csv")
    out = capsys.readouterr().out
    assert "'=HYPERLINK" in out and out.count("\n") == 3
    common.emit_frame(FRAME, "json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["地区"] for r in rows] == ["广东省（440000）", "深圳市（440300）"]


def test_xlsx_writes_text_as_text_and_numbers_as_numbers(tmp_path):
    out = tmp_path / "x.xlsx"
    common.emit_frame(FRAME, "xlsx", output=out, title="测试")
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(2, 2).value.startswith("'=") and ws.cell(2, 2).data_type == "s"
    assert ws.cell(3, 3).value == -0.04 and ws.max_row == 3


def _events():
    from yacang.jobs.progress import Stages

    seen = []
    st = Stages(seen.append)
    with st.stage("alerts", "预警"):
        with st.stage("demo_x", "子步骤"):
            pass
        st.advance("alerts", "PDF", 1, 4)
    return seen


def test_stages_report_start_end_and_nesting() -> None:
    seen = _events()
    assert [(e.kind, e.key, e.depth) for e in seen] == [
        ("start", "alerts", 0), ("start", "demo_x", 1), ("end", "demo_x", 1), ("advance", "alerts", 1),
        ("end", "alerts", 0)]
    assert seen[-1].seconds >= seen[2].seconds >= 0.0


def test_progress_is_text_lines_inside_a_server_job(monkeypatch) -> None:
    """Relayed through ``yacang serve`` (no terminal), each stage still prints as a line."""
    from yacang.service.capture import service_job

    buf = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=buf, width=100))
    with service_job(), common.job_progress(False) as progress:
        for ev in _events():
            progress(ev)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "… 预警" and lines[-1].startswith("✓ 预警（") and "  ✓ 子步骤" in lines[2]


def test_no_progress_when_quiet_or_not_a_terminal(monkeypatch) -> None:
    monkeypatch.setattr(common, "err_console", Console(file=io.StringIO(), force_terminal=False))
    with common.job_progress(False) as progress:
        assert progress is None
    monkeypatch.setattr(common, "err_console", Console(file=io.StringIO(), force_terminal=True))
    with common.job_progress(True) as progress:
        assert progress is None


def test_rich_progress_on_a_terminal(monkeypatch) -> None:
    buf = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=buf, force_terminal=True, width=100))
    with common.job_progress(False) as progress:
        assert progress is not None
        for ev in _events():
            progress(ev)
    assert "预警（" in buf.getvalue() and "秒）" in buf.getvalue()


def test_commands_with_nothing_to_assess_exit_non_zero(yacang_home, shared_data) -> None:
    """An empty warehouse: ``materials`` and ``alerts capacity`` say what to load and fail (a script sees it)."""
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    nbs = shared_data / "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
    assert runner.invoke(app, ["ingest", str(nbs)]).exit_code == 0  # a real warehouse, but no prices
    for args in (["materials", "--date", "2021-10-20"], ["alerts", "capacity"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 1, (args, r.output)
        assert "high_frequency_supply_prices" in r.output


def test_lights_and_nowcast_say_which_data_they_were_built_from(yacang_home, shared_data) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    nbs = shared_data / "nbs_official_export_iva_ppi/original_reconstructed"
    wind = shared_data / "national_industry_monthly_wind/original/监测分析0120.xlsx"  # PPI 当月同比 for the nowcast
    assert runner.invoke(app, ["ingest", *map(str, sorted(nbs.glob("*.csv"))), str(wind)]).exit_code == 0
    lights = runner.invoke(app, ["lights", "--from", "2022-01", "--to", "2022-03"])
    assert lights.exit_code == 0, lights.output
    assert "数据来源：国家统计局" in lights.output
    nowcast = runner.invoke(app, ["analysis", "nowcast", "--no-bands", "--out", str(yacang_home / "out")])
    assert nowcast.exit_code == 0, nowcast.output
    assert "数据来源：国家统计局（部分经Wind转载）" in nowcast.output


def test_lights_take_a_region_name(yacang_home, shared_data) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    panel = shared_data / "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
    assert runner.invoke(app, ["ingest", str(panel)]).exit_code == 0  # 北京 publishes 当月 growth
    by_code = runner.invoke(app, ["lights", "--region", "110000", "--from", "2022-03", "--to", "2022-06"])
    by_name = runner.invoke(app, ["lights", "--region", "北京", "--from", "2022-03", "--to", "2022-06"])
    assert by_code.exit_code == 0, by_code.output
    assert by_name.exit_code == 0 and by_name.output == by_code.output, by_name.output
    bad = runner.invoke(app, ["lights", "--region", "火星"])
    assert bad.exit_code == 1 and "未知的地区名称：火星" in bad.output


def test_series_show_of_a_measure_the_region_does_not_publish_names_what_it_has(yacang_home, shared_data) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    panel = shared_data / "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
    assert runner.invoke(app, ["ingest", str(panel)]).exit_code == 0
    r = runner.invoke(app, ["series", "show", "--indicator", "iva", "--measure", "yoy", "--region", "广东"])
    assert r.exit_code == 1
    assert "ytd_yoy" in r.output and "累计同比" in r.output  # 广东 publishes 累计 only (panel, measure column)


def test_series_show_refuses_a_bad_date_or_range_and_says_when_nothing_is_shown(yacang_home, shared_data) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    nbs = shared_data / "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
    assert runner.invoke(app, ["ingest", str(nbs)]).exit_code == 0
    show = ["series", "show", "--indicator", "iva", "--measure", "yoy"]
    bad_day = runner.invoke(app, [*show, "--as-of", "2022-13-01"])
    assert bad_day.exit_code == 1 and isinstance(bad_day.exception, SystemExit) and "2022-13-01" in bad_day.output
    reversed_range = runner.invoke(app, [*show, "--from", "2022-06", "--to", "2022-03"])
    assert reversed_range.exit_code == 1 and "晚于" in reversed_range.output
    before = runner.invoke(app, [*show, "--as-of", "1998-01-01"])  # the export starts with 1998年7月 (released in August)
    assert before.exit_code == 0 and "没有观测值" in before.output


def test_a_bad_date_or_month_is_a_chinese_error_not_a_traceback(yacang_home, shared_data) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    for args in (["materials", "--date", "2021-13-40"], ["analysis", "nowcast", "--period", "2022-13"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 1 and isinstance(r.exception, SystemExit), (args, r.output)
        assert "应为" in r.output and "month must be" not in r.output, r.output


def test_the_report_template_is_written_only_as_xlsx(tmp_path) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    wrong = runner.invoke(app, ["template", "report", "-o", str(tmp_path / "月报模板.docx")])
    assert wrong.exit_code == 1 and ".xlsx" in wrong.output and not (tmp_path / "月报模板.docx").exists()
    right = runner.invoke(app, ["template", "report", "-o", str(tmp_path / "月报模板.xlsx")])
    assert right.exit_code == 0 and (tmp_path / "月报模板.xlsx").read_bytes()[:2] == b"PK"


def _nowcast_lines(output: str) -> tuple[str, dict[str, str]]:
    """The 所用先行指标 line and, per model row of the 各模型 table, its 所用指标 cell."""
    used = next(line for line in output.splitlines() if line.startswith("所用先行指标"))
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 3 and cells[0] and cells[0] != "模型":
            rows[cells[0]] = cells[2]
    return used, rows


def test_nowcast_names_the_indicators_it_used_and_those_it_lacked(yacang_home, shared_data) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner(env={"COLUMNS": "200"})
    iva = shared_data / "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
    ppi = shared_data / "national_industry_monthly_wind/ppi_ppirm_monthly.csv"
    assert runner.invoke(app, ["ingest", str(iva), str(ppi)]).exit_code == 0  # IVA and PPI, no PMI
    r = runner.invoke(app, ["analysis", "nowcast", "--no-bands", "--period", "2025-12", "--out", str(yacang_home / "o")])
    assert r.exit_code == 0, r.output
    used, rows = _nowcast_lines(r.output)
    # the default bridges read PMI 生产 only: without it they run on base and calendar effects alone
    assert used.startswith("所用先行指标：无") and "仓库中没有PMI:生产" in used, used
    assert rows["Δ同比桥接(PMI生产环比变动)"].startswith("无") and rows["AR(1)"].startswith("无"), rows
    pmi = shared_data / "national_industry_monthly_wind/pmi_and_sales_output_ratio_monthly.csv"
    assert runner.invoke(app, ["ingest", str(pmi)]).exit_code == 0
    r = runner.invoke(app, ["analysis", "nowcast", "--no-bands", "--period", "2025-12", "--out", str(yacang_home / "o")])
    used, rows = _nowcast_lines(r.output)
    assert used == "所用先行指标：PMI:生产", r.output  # Wind's PMI 生产 runs to 2025-12
    assert rows["Δ同比桥接(PMI生产环比变动)"] == "PMI:生产" and rows["Δ同比桥接(PMI生产同比变动)"] == "PMI:生产"
    assert rows["AR(1)"].startswith("无"), rows


def test_report_bulletin_writes_where_yacang_toml_says(yacang_home, tmp_path) -> None:
    """``[yacang] output_dir`` is the one output directory: yacang run, yacang report bulletin and the server."""
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--enterprises", "200", "--months", "13"]).exit_code == 0
    (tmp_path / "yacang.toml").write_text('[yacang]\noutput_dir = "通报"\n', "utf-8")  # the working directory's
    r = runner.invoke(app, ["report", "bulletin", "--period", "2022-12", "--format", "html", "--quiet"])
    assert r.exit_code == 0, r.output
    assert [p.name for p in (tmp_path / "通报").glob("*.html")] == ["通报_全国_2022-12.html"]
    assert not (tmp_path / "yacang-output").exists()


def test_analysis_pages_go_under_the_configured_output_dir(yacang_home, tmp_path, shared_data) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    nbs = shared_data / "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
    assert runner.invoke(app, ["ingest", str(nbs)]).exit_code == 0
    (tmp_path / "yacang.toml").write_text('[yacang]\noutput_dir = "成果"\n', "utf-8")
    r = runner.invoke(app, ["analysis", "turning-points"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "成果" / "analysis" / "turning_points.html").is_file()


def test_serve_says_where_web_bulletins_go(yacang_home, tmp_path) -> None:
    from yacang.cli.serve import _bulletin_folder
    from yacang.settings import get_settings

    assert _bulletin_folder(get_settings()) == str(tmp_path / "yacang-output" / "web-bulletins")
    (tmp_path / "yacang.toml").write_text('[yacang]\noutput_dir = "out"\n', "utf-8")
    assert _bulletin_folder(get_settings()) == str(tmp_path / "out" / "web-bulletins")


def test_init_names_the_sections_to_edit(yacang_home, tmp_path) -> None:
    """``[sources]`` and ``[targets]`` are printed as written, not taken for terminal markup."""
    from typer.testing import CliRunner

    from yacang.cli import app

    r = CliRunner().invoke(app, ["init"])
    assert r.exit_code == 0, r.output
    assert "编辑 [sources] 与 [targets] 后运行 yacang run" in r.output
    assert (tmp_path / "yacang.toml").is_file()


def test_run_with_a_missing_source_says_where_it_looked(yacang_home, tmp_path) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    r = CliRunner().invoke(app, ["run", "--source", "data/没有这个文件.csv"])
    assert r.exit_code == 1
    assert "找不到数据文件：data/没有这个文件.csv" in r.output
    assert f"从当前目录 {tmp_path} 算起" in r.output and "绝对路径" in r.output


def test_schedule_times_are_said_in_beijing_time(yacang_home) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    r = CliRunner().invoke(app, ["schedule", "--list"])
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 3 and all(line.endswith("（北京时间）") for line in lines), r.output
    assert "Asia/Shanghai" not in r.output


def test_users_add_without_a_password_says_how_to_give_one(yacang_home) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["users", "add", "admin", "--role", "admin"], input="")
    assert r.exit_code == 1
    assert "没有读到密码" in r.output and "--password-stdin" in r.output and "Aborted" not in r.output
    r = runner.invoke(app, ["users", "add", "admin", "--role", "admin", "--password-stdin"], input="S3cret-pass-2026\n")
    assert r.exit_code == 0, r.output
    assert "地区 全国（100000）" in r.output
    r = runner.invoke(app, ["users", "list"])
    assert "全国（100000）" in r.output, r.output


def test_serve_says_how_to_sign_in_on_a_home_without_users(yacang_home) -> None:
    from typer.testing import CliRunner

    from yacang.cli import app
    from yacang.cli.serve import no_users_hint

    assert "yacang users add admin --role admin" in no_users_hint()
    r = CliRunner().invoke(app, ["users", "add", "admin", "--role", "admin", "--password-stdin"],
                           input="S3cret-pass-2026\n")
    assert r.exit_code == 0, r.output
    assert no_users_hint() is None


def test_a_failed_notification_names_the_notify_section(yacang_home, tmp_path) -> None:
    import socket

    from typer.testing import CliRunner

    from yacang.cli import app

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "yacang.toml").write_text(f'[notify]\nwebhook = "http://127.0.0.1:{port}/hook"\n', "utf-8")
    r = CliRunner().invoke(app, ["schedule", "--once", "escalate"])
    assert r.exit_code == 1
    assert "请检查 yacang.toml 的 [notify] 与网络" in r.output, r.output


def test_run_summary_prints_file_names_and_notes_as_written(capsys) -> None:
    """A source named with square brackets (as exports often are) and notes naming [sections] print as written;
    "[/…]" in a name was a rich MarkupError (a traceback after the whole run had succeeded)."""
    from pathlib import Path

    from yacang.cli.summary import print_summary
    from yacang.jobs.main_job import RunSummary
    from yacang.periods import parse_period

    s = RunSummary(period=parse_period("2022-06"), region="100000", region_name="全国",
                   loaded=["[sources]分地区[/2024].csv：新增 3，修订 0，未变 0"], headline={"month": 3.9},
                   notes=["[yacang] output_dir 未设置"], files=[Path("out/[x]/通报_全国_2022-06.html")])
    print_summary(s, 1.0)
    out = capsys.readouterr().out
    assert "[sources]分地区[/2024].csv：新增 3" in out
    assert "注：[yacang] output_dir 未设置" in out and "out/[x]/通报_全国_2022-06.html" in out


def test_an_error_message_is_printed_as_written(capsys) -> None:
    """abort took its message for rich markup: “yacang.toml 的 [sources] 中的…” lost its section name."""
    import typer

    from yacang.cli.common import abort

    with pytest.raises(typer.Exit):
        abort("yacang.toml 的 [sources] 中的“nope/*.csv”没有匹配的文件；[/bold] 也照原样")
    assert "yacang.toml 的 [sources] 中的“nope/*.csv”没有匹配的文件；[/bold] 也照原样" in capsys.readouterr().err
