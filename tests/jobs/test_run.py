"""The main job: ``yacang run`` on a fresh home builds the demo, writes four formats, and is idempotent."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yacang.cli import app

CONFIG = """
[yacang]
formats = ["html", "xlsx"]
[demo]
enterprises = 3000
seed = 7
"""


@pytest.fixture()
def small_run(yacang_home: Path) -> Path:
    Path("yacang.toml").write_text(CONFIG, encoding="utf-8")
    return yacang_home


def _counts(home: Path) -> dict[str, int]:
    from yacang.warehouse import Warehouse

    wh = Warehouse.open(home / "warehouse.duckdb", read_only=True)
    try:
        return {t: wh.count(t) for t in ("observations", "series", "reports", "enterprises")}
    finally:
        wh.close()


@pytest.mark.slow
def test_run_twice_same_result(small_run: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["run"])
    assert first.exit_code == 0, first.output
    assert "yacang run 完成" in first.output
    out = Path("yacang-output")
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".xlsx"]
    before = _counts(small_run)
    assert before["reports"] > 0 and before["observations"] > 0
    second = runner.invoke(app, ["run"])
    assert second.exit_code == 0, second.output
    assert _counts(small_run) == before
    assert "示例数据：已存在" in second.output


@pytest.mark.slow
def test_summary_numbers_are_the_warehouse_numbers(small_run: Path) -> None:
    from yacang.measures.monthly import monthly_measures
    from yacang.warehouse import Warehouse

    result = CliRunner().invoke(app, ["run", "--period", "2022-06"])
    assert result.exit_code == 0, result.output
    wh = Warehouse.open(small_run / "warehouse.duckdb", read_only=True)
    try:
        m = monthly_measures(wh.con, "2022-06")
    finally:
        wh.close()
    assert f"6月规上工业增加值同比：{m.summary['month_growth']:.1f}%" in result.output
    assert f"1-6月累计同比：{m.summary['ytd_growth']:.1f}%" in result.output


def test_bad_config_names_file_and_field(yacang_home: Path) -> None:
    Path("yacang.toml").write_text('[yacang]\nformats = ["pdf", "ppt"]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 1
    assert "yacang.toml" in result.output and "ppt" in result.output


@pytest.mark.parametrize(("toml", "said"), [
    ('[yacang]\nregon = "440000"\n', "yacang.regon：不认识的配置项"),  # ran 全国 with the default region
    ('[sourcs]\nfiles = ["data/*.csv"]\n', "sourcs：不认识的配置项"),  # built the demo instead of the files
    ('[bulletin]\nisuer = "广东省工业和信息化厅"\n', "bulletin.isuer：不认识的配置项"),
    ('[targets]\n"99" = 5.0\n', "行政区划代码应为6位数字：'99'"),
    ('[yacang]\nregion = "广冬"\n', "未知的地区名称：广冬"),
])
def test_a_misspelt_config_is_refused_not_run_with_defaults(yacang_home: Path, toml: str, said: str) -> None:
    Path("yacang.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--quiet"])
    assert result.exit_code == 1 and "yacang.toml：配置项有误" in result.output and said in result.output


def test_config_regions_may_be_named(tmp_path: Path) -> None:
    """[yacang] region and [targets] take names as --region does (广东 → 440000); the example file loads."""
    from yacang.job_config import EXAMPLE, load_config

    (tmp_path / "yacang.toml").write_text('[yacang]\nregion = "广东"\n[targets]\n"江苏省" = 6.0\n"440000" = 5.0\n', "utf-8")
    cfg = load_config(tmp_path / "yacang.toml")
    assert cfg.yacang.region == "440000" and cfg.targets == {"320000": 6.0, "440000": 5.0}
    (tmp_path / "yacang.toml").write_text('[targets]\n"广东" = 6.0\n"440000" = 5.0\n', "utf-8")
    with pytest.raises(ValueError, match=r"地区“440000”的目标重复"):
        load_config(tmp_path / "yacang.toml")
    (tmp_path / "example.toml").write_text(EXAMPLE, "utf-8")
    assert load_config(tmp_path / "example.toml").yacang.region == "100000"


def test_init_writes_example_once(yacang_home: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert "[sources]" in Path("yacang.toml").read_text("utf-8")
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 1 and "已存在" in again.output and "改名或删除后再运行 yacang init" in again.output


@pytest.mark.slow
def test_run_writes_where_a_config_elsewhere_says(yacang_home: Path, tmp_path: Path) -> None:
    """A relative ``output_dir`` is relative to the yacang.toml's folder (as its [sources]), not to the
    directory ``yacang run --config`` is called from: the same rule as report bulletin and the server."""
    conf_dir = tmp_path / "配置"
    conf_dir.mkdir()
    (conf_dir / "yacang.toml").write_text(CONFIG.replace("[yacang]\n", '[yacang]\noutput_dir = "通报"\n'), "utf-8")
    result = CliRunner().invoke(app, ["run", "--config", str(conf_dir / "yacang.toml"), "--quiet"])
    assert result.exit_code == 0, result.output
    written = sorted(p.suffix for p in (conf_dir / "通报").iterdir())
    assert written == [".html", ".xlsx"]
    assert not Path("通报").exists()


def test_output_path_rule(tmp_path: Path) -> None:
    from yacang.job_config import Config, load_config

    assert Config().output_path() == Path("yacang-output")  # no file: the working directory's
    assert Config().output_path(tmp_path / "env") == tmp_path / "env"  # the caller's default (YACANG_OUTPUT_DIR)
    (tmp_path / "yacang.toml").write_text('[yacang]\noutput_dir = "out"\n', "utf-8")
    assert load_config(tmp_path / "yacang.toml").output_path(Path("ignored")) == (tmp_path / "out").absolute()
