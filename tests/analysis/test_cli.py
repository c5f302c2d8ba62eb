"""``yacang analysis …`` end to end on a warehouse loaded from the shared real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yacang.cli import app

FILES = (
    "national_industry_monthly_wind/iva_monthly.csv",
    "national_industry_monthly_wind/pmi_and_sales_output_ratio_monthly.csv",
    "national_industry_monthly_wind/ppi_ppirm_monthly.csv",
    "national_industry_monthly_wind/export_delivery_value_monthly.csv",
    "high_frequency_supply_prices/observations.csv",
)


@pytest.fixture()
def loaded(yacang_home: Path, shared_data: Path) -> Path:
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    settings = get_settings()
    settings.ensure_home()
    wh = Warehouse.open(settings.warehouse_path)
    try:
        for f in FILES:
            load_file(wh, shared_data / f)
    finally:
        wh.close()
    return yacang_home


def run(*args: str):
    result = CliRunner().invoke(app, ["analysis", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_analysis_commands(loaded: Path, tmp_path: Path) -> None:
    out = run("turning-points", "--out", str(tmp_path))
    assert "2020年1-2月" in out and "谷" in out and "<NA>" not in out
    assert "数据来源：国家统计局（经Wind转载）" in out
    assert (tmp_path / "turning_points.png").stat().st_size > 10_000
    html = (tmp_path / "turning_points.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "http" not in html.replace("http-equiv", "")

    import re

    out = run("sa", "--method", "stl", "--out", str(tmp_path))
    assert "春节回归系数" in out and "STL" in out
    # months as officials write them, and the data named (the tables printed codes: 2025-12)
    assert re.search(r"│ 20\d\d年\d{1,2}月", out) and not re.search(r"│ 20\d\d-\d\d", out)
    assert "数据来源：国家统计局（经Wind转载）" in out

    out = run("composite", "--components", "pmi,ppi,tyre_car", "--base-year", "2015", "--out", str(tmp_path))
    assert "合成指数" in out and (tmp_path / "composite.png").exists()
    assert re.search(r"│ 20\d\d年\d{1,2}月", out) and not re.search(r"│ 20\d\d-\d\d", out)
    assert "数据来源：" in out

    out = run("nowcast", "--period", "2025-12", "--json")
    alert = json.loads(out)
    assert alert["rule"] == "nowcast" and alert["period"] == "2025-12"
    # released (NBS: 12月 规上工业增加值同比增长5.2%): a backcast, said in the message
    assert alert["backcast"] is True and alert["actual"] == pytest.approx(5.2)
    assert alert["message"].startswith("回溯（2025年12月已发布）：现时预测规模以上工业增加值同比")
    # previous release 2025-11 = 4.8 %: the change is value − 4.8
    assert alert["change"] == pytest.approx(round(alert["value"] - 4.8, 1), abs=0.11)
    text = run("nowcast", "--period", "2025-12", "--out", str(tmp_path))
    assert "2025年12月 规模以上工业增加值当月同比现时预测" in text and "（上期 4.8%）" in text
    assert "预测区间：70% [" in text and "伪实时误差的分位数" in text
    assert "unusual" not in alert and "提示：" not in text  # PMI 生产 50.0 → 51.7: nothing rare
    # April 2022: PMI 生产 49.5 → 44.4 (NBS), far beyond its usual monthly change
    alert = json.loads(run("nowcast", "--period", "2022-04", "--json"))
    # released on 2022-05-16 (−2.9 %): the message is a backcast, not an early warning
    assert alert["backcast"] is True and alert["actual"] == pytest.approx(-2.9) and alert["level"] == "info"
    assert alert["message"].startswith("回溯（2022年4月已发布）：现时预测规模以上工业增加值同比")
    assert alert["message"].endswith(f"实际同比下降2.9%，误差{alert['value'] + 2.9:+.1f}个百分点")
    [move] = alert["unusual"]
    assert move["label"] == "PMI:生产" and move["month"] == "2022-04"
    assert move["value"] == pytest.approx(44.4) and move["change"] == pytest.approx(-5.1)
    text = run("nowcast", "--period", "2022-04", "--out", str(tmp_path))
    assert "提示：2022年4月PMI:生产为44.4，比上期下降5.1点" in text.replace("\n", "")
    page = (tmp_path / "nowcast.html").read_text(encoding="utf-8")
    assert "提示：2022年4月PMI:生产为44.4" in page
    assert ">None<" not in page  # PMI needs no release date: the cell is empty


def test_empty_warehouse_gives_a_chinese_error(yacang_home: Path) -> None:
    result = CliRunner().invoke(app, ["analysis", "nowcast"])
    assert result.exit_code != 0
    assert "请先导入数据" in result.output


@pytest.fixture()
def nbs_export(yacang_home: Path, shared_data: Path) -> Path:
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    settings = get_settings()
    settings.ensure_home()
    wh = Warehouse.open(settings.warehouse_path)
    try:
        for f in sorted((shared_data / "nbs_official_export_iva_ppi" / "original_reconstructed").glob("*.csv")):
            load_file(wh, f)
    finally:
        wh.close()
    return yacang_home


@pytest.mark.slow
def test_sa_from_published_yoy_on_the_nbs_export(nbs_export: Path, tmp_path: Path) -> None:
    out = run("sa", "--series-id", "nbs:iva.yoy.100000.TOTAL", "--method", "x13", "--out", str(tmp_path))
    assert "X13" in out and "nbs:iva.ytd_yoy.100000.TOTAL" in out
    table = out[out.index("最近13期"):]
    # 13 periods, 2025-01 … 2026-02 with each 1-2月 as one period and no February row of its own
    assert "2025年1-2月" in table and "2026年1-2月" in table and "2025年12月" in table
    assert "2025年2月 " not in table and "2026年2月 " not in table
    assert table.count("年") >= 13
    assert (tmp_path / "sa.png").stat().st_size > 10_000


@pytest.mark.slow
def test_nowcast_json_is_json_when_it_falls_back_to_a_backcast(nbs_export: Path, shared_data: Path) -> None:
    """The NBS export runs to 2026年1-2月, the PMI to 2025-12: nothing unreleased can be nowcast."""
    from yacang.settings import get_settings
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file

    wh = Warehouse.open(get_settings().warehouse_path)
    try:
        load_file(wh, shared_data / "national_industry_monthly_wind" / "pmi_and_sales_output_ratio_monthly.csv")
    finally:
        wh.close()
    alert = json.loads(run("nowcast", "--json"))  # no note before the JSON
    assert alert["period"] == "2026-01/02" and alert["backcast"] is True
    assert alert["actual"] == pytest.approx(6.3)  # NBS: 2026年1-2月 规上工业增加值同比增长6.3%


def test_bad_backtest_start_is_a_chinese_error(yacang_home: Path) -> None:
    """Checked before the warehouse is read: a bad month never reaches the date parser (a traceback)."""
    result = CliRunner().invoke(app, ["analysis", "nowcast", "--period", "2025-12", "--backtest-from", "abc"])
    assert result.exit_code == 1 and "--backtest-from 无效" in result.output and "Traceback" not in result.output


def test_output_dir_and_start_month_are_checked(yacang_home: Path, tmp_path: Path) -> None:
    """A file where --out wants a directory, and a bad --start, are Chinese errors, not tracebacks."""
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    r = CliRunner().invoke(app, ["analysis", "composite", "--start", "2022-13"])
    assert r.exit_code == 1 and "--start 无效：无法识别的时期“2022-13”" in r.output
    r = CliRunner().invoke(app, ["analysis", "composite", "--start", "2010-01", "--out", str(taken)])
    assert r.exit_code == 1 and "已有同名文件，不是目录" in r.output and "请用 --out 指定" in r.output


def test_turning_points_of_the_nbs_export_use_its_1_2_months(nbs_export: Path) -> None:
    """The default series is read with its 累计, which tells a February published alone (before 2013) from
    1-2月. Without it the CLI dated a turn at 1999年2月, 2001年2月 … 2006年2月 (Spring Festival months).
    NBS: 2009年1-2月 3.8% (the trough of the 2008–09 downturn), 2007年6月 19.4%."""
    import re

    out = run("turning-points", "--out", str(nbs_export / "out"))
    early = [m for m in re.findall(r"(\d{4})年([12])月", out) if int(m[0]) < 2013]
    assert early == [], early
    assert re.search(r"2009年1-2月\s*│\s*谷\s*│\s*3\.8", out) and re.search(r"2007年6月\s*│\s*峰\s*│\s*19\.4", out)
    assert "数据来源：国家统计局\n" in out
