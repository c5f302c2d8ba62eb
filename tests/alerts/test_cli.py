"""``yacang alerts``/``materials``/``lights`` end to end on the real national series."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yacang.cli import app


@pytest.fixture()
def loaded(yacang_home: Path, shared_data: Path) -> Path:
    d = shared_data / "national_industry_monthly_wind"
    result = CliRunner().invoke(app, ["ingest", str(d / "iva_monthly.csv")])
    assert result.exit_code == 0, result.output
    return yacang_home


def test_negative_growth_fires_then_silence_hides_it(loaded: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["alerts", "run", "--period", "2022-04"])
    assert first.exit_code == 0, first.output
    # published: 2022年4月 规上工业增加值 当月同比 −2.9 → “当月工业负增长” (黄 below 0)
    assert "当月工业负增长" in first.output and "同比下降2.9%" in first.output
    assert "-2.9" not in first.output and "增长-" not in first.output  # NBS wording: the sign is a word
    silence = runner.invoke(app, ["alerts", "silence", "-m", "rule_id=negative_growth", "--reason", "疫情冲击，已专题研判",
                                  "--author", "运行处"])
    assert silence.exit_code == 0, silence.output
    second = runner.invoke(app, ["alerts", "run", "--period", "2022-04"])
    assert "当月工业负增长" not in second.output
    history = runner.invoke(app, ["alerts", "list", "--period", "2022-04", "--state", "已静默", "--format", "csv"])
    assert history.exit_code == 0, history.output
    lines = [ln for ln in history.output.splitlines() if "当月工业负增长" in ln]
    assert len(lines) == 1 and ",已静默," in lines[0]  # recorded, marked silenced
    assert "firing" not in history.output


def test_march_2022_is_not_negative(loaded: Path) -> None:
    out = CliRunner().invoke(app, ["alerts", "run", "--period", "2022-03"]).output
    assert "当月工业负增长" not in out  # 2022-03 当月 5.0


def test_bad_silence_matcher_is_refused(loaded: Path) -> None:
    r = CliRunner().invoke(app, ["alerts", "silence", "-m", "nonsense", "--reason", "x", "--author", "y"])
    assert r.exit_code == 1 and "匹配条件" in r.output


def test_lights_and_chart(loaded: Path, tmp_path: Path) -> None:
    png = tmp_path / "lights.png"
    r = CliRunner().invoke(app, ["lights", "--from", "2020-01", "--to", "2020-03", "--chart", str(png)])
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    # the page says the method the lights were set by: the chart page spoke of percentiles under fixed points
    page = tmp_path / "lights.html"
    for method, said, not_said in (("official", "固定临界点", "滚动"), ("percentile", "滚动分位数", "固定临界点")):
        r = CliRunner().invoke(app, ["lights", "--from", "2020-01", "--to", "2020-03", "--method", method,
                                     "--chart", str(page)])
        assert r.exit_code == 0, r.output
        text = page.read_text(encoding="utf-8")
        assert said in text and not_said not in text, method


def test_capacity_bands_on_real_operating_rates(yacang_home: Path, shared_data: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(shared_data / "high_frequency_supply_prices/observations.csv")]).exit_code == 0
    out = runner.invoke(app, ["alerts", "capacity", "--month", "2023-06"])
    assert out.exit_code == 0, out.output
    assert "产能预警" in out.output and ("红" in out.output or "黄" in out.output or "绿" in out.output)
    # months as officials write them, the series named; bad or too-early months are refused in Chinese
    assert "2023年6月" in out.output and "2023-06" not in out.output
    assert "数据来源：" in out.output and "中国:产能利用率:水泥熟料" in out.output
    bad = runner.invoke(app, ["alerts", "capacity", "--month", "2023-13"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output and "无法识别的时期" in bad.output
    early = runner.invoke(app, ["alerts", "capacity", "--month", "1990-01"])
    assert early.exit_code == 1 and "1990年1月及以前没有产能利用率数据（最早为 2000年11月）" in early.output


def test_capacity_table_marks_a_product_whose_data_stopped() -> None:
    """浮法玻璃's rate ends 2025-04 while the others reach 2026-01: its row is marked 已停更, not shown as current."""
    import pandas as pd

    from yacang.cli.alerts import capacity_table

    def product(name: str, end: str) -> pd.DataFrame:
        idx = pd.period_range("2025-01", end, freq="M")
        df = pd.DataFrame({"utilisation": 80.0, "band": "绿"}, index=idx)
        df.attrs.update(name=name, series=name)
        return df

    t = capacity_table({"a": product("水泥熟料", "2026-01"), "b": product("浮法玻璃", "2025-04")}, None)
    assert t["月份"].tolist() == ["2026年1月", "2025年4月（已停更）"]
    t = capacity_table({"a": product("水泥熟料", "2026-01"), "b": product("浮法玻璃", "2025-04")},
                       pd.Period("2025-05", "M"))
    assert t["月份"].tolist() == ["2025年5月", "2025年4月"]


@pytest.fixture()
def nbs_export(yacang_home: Path, shared_data: Path) -> Path:
    files = sorted((shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed").glob("*.csv"))
    result = CliRunner().invoke(app, ["ingest", *map(str, files)])
    assert result.exit_code == 0, result.output
    return yacang_home


def test_merged_jan_feb_2020_fires_negative_growth_on_the_real_series(nbs_export: Path) -> None:
    """1-2月 is a period like any other: NBS published 2020年1-2月 规上工业增加值 同比 −13.5%."""
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "2020-02"])
    assert r.exit_code == 0, r.output
    assert "2020年1-2月" in r.output  # 2020-02 is read as the merged period, with a note
    assert "[红] 当月工业负增长：全国2020年1-2月规上工业增加值同比下降13.5%" in r.output  # −13.5 ≤ −3 → 红
    assert "-13.5" not in r.output and "增长-" not in r.output
    listed = CliRunner().invoke(app, ["alerts", "list", "--rule", "negative_growth", "--format", "json"])
    rows = json.loads(listed.output)
    assert [(x["级别"], x["状态"], x["地区"], x["起始时期"]) for x in rows] == [("红", "触发中", "全国", "2020年1-2月")]


def test_list_filters_formats_and_honest_truncation(loaded: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["alerts", "run", "--period", "2022-04"]).exit_code == 0
    everything = json.loads(runner.invoke(app, ["alerts", "list", "--state", "全部", "--format", "json"]).output)
    n = len(everything)
    assert n > 3
    assert {x["状态"] for x in everything} <= {"触发中", "待定", "已解除", "已静默", "已确认"}
    table = runner.invoke(app, ["alerts", "list", "--state", "全部", "--limit", "2"])
    assert f"共 {n} 条，仅显示前 2 条，用 --limit/--format 查看全部" in table.output
    out = tmp_path / "预警.xlsx"
    assert runner.invoke(app, ["alerts", "list", "--state", "全部", "--format", "xlsx", "-o", str(out)]).exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws.max_row == n + 1 and ws.cell(1, 1).value == "级别"
    red = json.loads(runner.invoke(app, ["alerts", "list", "--state", "全部", "--level", "红", "--format", "json"]).output)
    assert red and all(x["级别"] == "红" for x in red)
    assert len(red) == sum(x["级别"] == "红" for x in everything)
    firing = json.loads(runner.invoke(app, ["alerts", "list", "--format", "json"]).output)
    assert len(firing) == sum(x["状态"] == "触发中" for x in everything)
    nowhere = runner.invoke(app, ["alerts", "list", "--region", "440000"])
    assert "没有符合条件的预警" in nowhere.output  # national series only: nothing in 广东
    bad = runner.invoke(app, ["alerts", "list", "--state", "firingx"])
    assert bad.exit_code == 1 and "触发中" in bad.output
    for args in (["--state", "全部"], ["--state", "firing", "--format", "csv"]):
        assert "firing" not in runner.invoke(app, ["alerts", "list", *args]).output.replace("--state firing", "")


def test_run_on_an_empty_warehouse_says_what_is_missing(yacang_home: Path) -> None:
    """A warehouse with nothing to evaluate is not "没有正在触发的预警": it fails (exit 1) and says what to load."""
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "2022-03"])
    assert r.exit_code == 1, r.output
    assert "没有正在触发的预警" not in r.output
    assert "数据仓库中没有预警所需的指标数据" in r.output and "yacang ingest" in r.output


def test_list_says_as_of_which_evaluation(loaded: Path) -> None:
    """Never evaluated: an error naming the command; after ``alerts run --period 2022-04`` an empty filter
    names 2022年4月 instead of a fixed example month."""
    r = CliRunner().invoke(app, ["alerts", "list"])
    assert r.exit_code == 1 and "尚未评估预警" in r.output and "yacang alerts run --period" in r.output
    assert CliRunner().invoke(app, ["alerts", "run", "--period", "2022-04"]).exit_code == 0
    r = CliRunner().invoke(app, ["alerts", "list", "--level", "橙"])
    assert r.exit_code == 0 and "没有符合条件的预警（最近一次评估：2022年4月）" in r.output
    r = CliRunner().invoke(app, ["alerts", "list", "--state", "全部"])
    assert r.exit_code == 0 and "最近一次评估：2022年4月" in r.output
    assert "本期数据来源：国家统计局（经Wind转载）。" in r.output  # the table says whose data it rests on


def test_run_says_what_the_evaluation_rested_on(loaded: Path, shared_data: Path) -> None:
    """With only the national series a month shows no alert and says only 全国 had figures (provincial rules
    had nothing to test: not the same as all clear); with the province panel, 31 regions more."""
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "2014-06"])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("评估范围："))
    assert line.startswith("评估范围：2014年6月有数据的：全国、行业") and "地区" not in line.split("；")[0]
    assert "国家统计局" in line and "示例数据" not in line
    panel = shared_data / "province_industry_monthly_wind" / "province_iva_yoy_monthly_2015_2024.csv"
    assert CliRunner().invoke(app, ["ingest", str(panel)]).exit_code == 0
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "2022-06"])
    assert "评估范围：2022年6月有数据的：全国、地区 31 个、行业" in r.output and "省统计局" in r.output


def test_lights_arguments_refused_before_anything_is_printed(yacang_home: Path) -> None:
    """Checked before the warehouse is read: the error is the whole output (no table, no header above it)."""
    for argv, said in ((["--from", "2022-13"], "--from 无效：无法识别的时期“2022-13”"),
                       (["--chart", "lights"], "--chart 应为 .png 或 .html 文件")):
        r = CliRunner().invoke(app, ["lights", *argv])
        assert r.exit_code == 1 and r.output.strip().startswith("错误：") and said in r.output, r.output


@pytest.mark.slow
def test_below_parent_names_the_parent_on_the_province_panel(yacang_home: Path, shared_data: Path) -> None:
    """2022年1-6月 (NBS export and the Wind province panel): 吉林 −11.5 % against 全国 3.4 %, 14.9 points below."""
    from yacang.catalog.imports import import_regions
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    import_regions(shared_data / "admin_divisions_gbt2260" / "codes_by_year_2010_2024.csv", 2024)
    settings = get_settings()
    settings.ensure_home()
    wh = Warehouse.open(settings.warehouse_path)
    try:
        load_file(wh, shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed" / "98年-26年2月规上工业增加值增长速度.csv")
        load_file(wh, shared_data / "province_industry_monthly_wind" / "province_iva_yoy_monthly_2015_2024.csv")
    finally:
        wh.close()
    r = CliRunner(env={"COLUMNS": "250"}).invoke(app, ["alerts", "run", "--period", "2022-06"])
    assert r.exit_code == 0, r.output
    assert "吉林省2022年1-6月规上工业增加值累计下降11.5%，比全国低14.9个百分点" in r.output


def test_list_refuses_a_rule_that_does_not_exist(loaded: Path) -> None:
    """A mistyped --rule listed 没有符合条件的预警 — as if that rule had simply not fired."""
    runner = CliRunner()
    assert runner.invoke(app, ["alerts", "run", "--period", "2022-04"]).exit_code == 0
    r = runner.invoke(app, ["alerts", "list", "--rule", "negative_grwoth"])
    assert r.exit_code == 1 and "--rule 'negative_grwoth' 无效" in r.output and "negative_growth（当月工业负增长）" in r.output
    # the rule by its id and by its name: 2022年4月 规上工业增加值 下降2.9% (published)
    for name in ("negative_growth", "当月工业负增长"):
        r = runner.invoke(app, ["alerts", "list", "--rule", name, "--format", "csv"])
        assert r.exit_code == 0 and "同比下降2.9%" in r.output, r.output


def test_lights_chart_says_which_data_it_was_built_from(loaded: Path, tmp_path: Path) -> None:
    """The board named no source; the page (and the PNG, under its legend) now carries the 数据来源 line."""
    page = tmp_path / "lights.html"
    r = CliRunner().invoke(app, ["lights", "--from", "2020-01", "--to", "2020-03", "--chart", str(page)])
    assert r.exit_code == 0, r.output
    source = next(ln for ln in r.output.splitlines() if ln.startswith("数据来源："))
    assert "Wind" in source  # only Wind's iva_monthly.csv is loaded
    assert f"<p class='note'>{source}</p>" in page.read_text(encoding="utf-8")


def test_lights_refuses_a_reversed_or_empty_span(loaded: Path) -> None:
    """--from after --to, or a span with no lights, printed an empty table and exit code 0."""
    r = CliRunner().invoke(app, ["lights", "--from", "2023-01", "--to", "2022-01"])
    assert r.exit_code == 1 and r.output.strip() == "错误：--from 2023年1月 晚于 --to 2022年1月：请交换两者", r.output
    r = CliRunner().invoke(app, ["lights", "--from", "2030-01"])
    assert r.exit_code == 1 and "所选时段没有信号灯" in r.output and "┏" not in r.output, r.output


def test_a_bad_points_file_is_said_in_chinese(yacang_home: Path, tmp_path: Path) -> None:
    """An unreadable --points file printed Python's English (“[Errno 2] No such file or directory”, PyYAML's parser text)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("versions: [a\n  b: c\n", encoding="utf-8")
    for path, said in ((tmp_path / "none.yaml", "不存在"), (tmp_path, "是目录，不是文件"), (bad, "第 2 行 YAML 格式错误")):
        r = CliRunner().invoke(app, ["lights", "--points", str(path)])
        assert r.exit_code == 1 and f"信号灯临界点文件 {path} {said}" in r.output, r.output
        assert "Errno" not in r.output and "while" not in r.output and "expected" not in r.output


def test_run_refuses_a_quarter_or_year_and_says_where_the_data_begin(loaded: Path) -> None:
    """2022Q1 was evaluated against 2022年2月's facts (“最新为 2022年2月”); a month before all data said “最新为 无”."""
    for period, said in (("2022Q1", "收到“2022Q1”（2022年一季度）"), ("2022", "收到“2022”（2022年）")):
        r = CliRunner().invoke(app, ["alerts", "run", "--period", period])
        assert r.exit_code == 1 and "预警按月评估：--period 应为月份" in r.output and said in r.output, r.output
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "1980-01"])
    assert r.exit_code == 1 and "1980年1月及以前没有预警指标数据（最早为 " in r.output and "无）" not in r.output


def test_ack_refuses_a_fingerprint_no_alert_has(loaded: Path) -> None:
    """Any text was 已确认 — a mistyped fingerprint was recorded as an acknowledgement of nothing."""
    runner = CliRunner()
    assert runner.invoke(app, ["alerts", "run", "--period", "2022-04"]).exit_code == 0
    r = runner.invoke(app, ["alerts", "ack", "0000deadbeef0000", "--author", "运行处"])
    assert r.exit_code == 1 and "没有指纹为 0000deadbeef0000 的预警" in r.output, r.output
    listed = runner.invoke(app, ["alerts", "list", "--rule", "negative_growth", "--format", "csv"]).output
    fingerprint = listed.strip().splitlines()[-1].split(",")[-1]
    r = runner.invoke(app, ["alerts", "ack", fingerprint, "--author", "运行处"])
    assert r.exit_code == 0 and f"已确认预警 {fingerprint}" in r.output, r.output


def test_materials_refuses_a_bad_chart_name_or_span(yacang_home: Path) -> None:
    """--chart x.pdf wrote PNG bytes into x.pdf; --from after --date drew an empty timeline."""
    r = CliRunner().invoke(app, ["materials", "--chart", "x.pdf"])
    assert r.exit_code == 1 and "--chart 应为 .png 或 .html 文件，收到“x.pdf”" in r.output, r.output
    r = CliRunner().invoke(app, ["materials", "--date", "2021-10-20", "--from", "2022-01-01", "--chart", "y.png"])
    assert r.exit_code == 1 and "--from 2022-01-01 晚于评估日期 --date 2021-10-20" in r.output, r.output
    r = CliRunner().invoke(app, ["materials", "--date", "2099-01-01"])  # every series looked 已停更
    assert r.exit_code == 1 and "评估日期 2099-01-01 晚于今天" in r.output, r.output
    r = CliRunner().invoke(app, ["materials", "--from", "2020-01-01"])  # no chart: the start was ignored
    assert r.exit_code == 1 and "只与 --chart 一起使用" in r.output, r.output


def test_capacity_says_a_band_held_over_and_a_part_month(yacang_home: Path, shared_data: Path) -> None:
    """PTA 2026年1月: 77.1% shown 黄 with nothing to say why (the band switches only after 2 months in the new
    one), and a month read to its 16th shown as if complete.

    By hand from observations.csv (DY001 中国:开工率:精对苯二甲酸, daily, last 2026-01-16): the monthly means are
    2025年12月 73.9 (70–75 黄) and 2026年1月 77.15 (75–85 绿), so the band held is still 黄."""
    r = CliRunner().invoke(app, ["ingest", str(shared_data / "high_frequency_supply_prices/observations.csv")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["alerts", "capacity"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    row = next(ln for ln in r.output.splitlines() if "精对苯二甲酸（PTA）" in ln and "│" in ln)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells == ["精对苯二甲酸（PTA）", "2026年1月（至16日）", "77.1", "黄（本月值属绿，连续2个月才切换）"]


def test_run_for_a_region_without_data_is_not_all_clear(loaded: Path) -> None:
    """Only the national series is loaded: --region 北京 printed 没有正在触发的预警, as if Beijing were all clear."""
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "2022-04", "--region", "北京"])
    assert r.exit_code == 1 and "北京在2022年4月没有预警指标数据，无法判断有无预警" in r.output, r.output
    assert "没有正在触发的预警" not in r.output
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "2022-04", "--region", "100000"])
    assert r.exit_code == 0 and "同比下降2.9%" in r.output, r.output  # published national 2022年4月: −2.9%


def test_lights_say_which_months_in_the_span_have_no_light(yacang_home: Path, shared_data: Path) -> None:
    """北京's Wind series (当月同比) has no 1-2月 (PROVENANCE: no February value but 2022 and 2023; no January
    anywhere): --from 2020-01 listed 3月 to 6月 without a word about 1月 and 2月."""
    panel = shared_data / "province_industry_monthly_wind" / "province_iva_yoy_monthly_2015_2024.csv"
    assert CliRunner().invoke(app, ["ingest", str(panel)]).exit_code == 0
    r = CliRunner().invoke(app, ["lights", "--region", "北京", "--from", "2020-01", "--to", "2020-06"],
                           env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "注：所选时段内 2020年1月、2020年2月 没有信号灯" in r.output
    assert "2020年3月" in r.output and "2020年6月" in r.output
    # the panel holds only 规上工业增加值 for 北京: its “综合” light is that one indicator's zone
    assert "注：仓库中本地区只有 1 个指标（规上工业增加值当月同比），综合灯只反映这些指标" in r.output


def test_consecutive_rules_reach_across_jan_feb_when_prices_are_monthly(loaded: Path, shared_data: Path) -> None:
    """PPI is published for January and February separately; its facts put 2020-01 and 2020-02 columns beside
    2020-01/02 on the rules' period axis, blank for the volume metrics, so no `for: 2` reached across 1-2月.

    By hand from iva_monthly.csv (IVA087 汽车制造业 当月同比, 1-2月合并): 2019-12 +10.4, 1-2月 −31.8, 2020-03 −22.4 —
    two periods in a row below 0 and the second below −10: 行业大类连续负增长 红 in 2020年3月."""
    ppi = shared_data / "national_industry_monthly_wind" / "ppi_ppirm_monthly.csv"
    assert CliRunner().invoke(app, ["ingest", str(ppi)]).exit_code == 0
    r = CliRunner().invoke(app, ["alerts", "run", "--period", "2020-03"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "[红] 行业大类连续负增长：全国汽车制造业2020年3月增加值同比下降22.4%，已连续下降" in r.output, r.output
    listed = CliRunner().invoke(app, ["alerts", "list", "--state", "全部", "--format", "csv"]).output
    assert "2020年1月" not in listed and "2020年2月" not in listed  # 1-2月 is one period since 2013


def test_silence_refuses_a_rule_that_does_not_exist(loaded: Path) -> None:
    """-m rule_id=negative_grwoth was stored as 已静默 — a silence that matches nothing, the alert still reported."""
    runner = CliRunner()
    r = runner.invoke(app, ["alerts", "silence", "-m", "rule_id=negative_grwoth", "--reason", "x", "--author", "y"])
    assert r.exit_code == 1 and "没有规则ID为“negative_grwoth”的规则" in r.output, r.output
    r = runner.invoke(app, ["alerts", "silence", "-m", "rule_name=当月工业负增长", "--reason", "x", "--author", "y"])
    assert r.exit_code == 0 and "已静默" in r.output, r.output
    out = runner.invoke(app, ["alerts", "run", "--period", "2022-04"]).output
    assert "当月工业负增长" not in out  # 2022年4月 −2.9% fires it, and the silence by name hides it


def test_a_resolved_alert_says_when_it_cleared_not_a_contradiction(loaded: Path) -> None:
    """National 规上工业增加值 2022年4月 −2.9%, 5月 +0.7% (iva_monthly.csv IVA001): 当月工业负增长 fires in April and
    clears in May. The list showed the cleared alert as “全国2022年5月规上工业增加值同比增长0.7%” under the rule's
    name — text rendered at the month it cleared, read as a warning (elsewhere “同比—，已连续下降”)."""
    runner = CliRunner()
    assert runner.invoke(app, ["alerts", "run", "--period", "2022-05"]).exit_code == 0
    r = runner.invoke(app, ["alerts", "list", "--state", "已解除", "--rule", "negative_growth", "--format", "csv"])
    assert r.exit_code == 0, r.output
    row = next(ln for ln in r.output.splitlines() if ",全国,全国," in ln)
    assert ",已解除,当月工业负增长,全国,全国,2022年5月,已于2022年5月解除（规则条件不再满足）," in row, row
