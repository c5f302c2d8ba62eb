"""Review of ``yacang evaluate`` and the 申报 workflow as a new user and as an attacker: what a run says, which
run a hint leads to, bad options and files (Chinese errors, exit 1, no traceback), requests naming server files,
vetoes changed after scoring. The 2022 scores are recomputed here from the shared files, independently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.evaluation.test_cli import run
from tests.evaluation.test_workflow import HANGZHOU, NINGBO, PROVINCE, WENZHOU, session, values  # noqa: F401
from yacang.evaluation import workflow as wf
from yacang.evaluation.errors import EvaluationError


def _refused(r, *words: str) -> None:
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and not isinstance(r.exception, (TypeError, OSError, KeyError))
    for w in words:
        assert w in r.output, r.output


def _independent_2022(shared_data) -> pd.Series:
    """Scores of the 稳增长 system for 2022 from the files alone (no yacang code): values, 功效系数 and 极差
    normalisation, AHP 2:1 groups (2/3, 1/3), expert 0.5/0.3/0.2 within 增长, entropy within 平稳与回升,
    then 0.7 × subjective + 0.3 × entropy over all five; score = 100 Σ w r."""
    d = pd.read_csv(shared_data / "province_industry_monthly_wind" / "province_iva_yoy_monthly_2015_2024.csv")
    gdp = pd.read_csv(shared_data / "province_gdp_annual" / "province_gdp_current_prices.csv")
    nat = pd.read_csv(shared_data / "national_industry_monthly_wind" / "iva_monthly.csv")
    national = float(nat[(nat["series_id"] == "IVA022") & (nat["date"] == "2022-12")]["value"].iloc[0])
    rows = {}
    for p, g in d.groupby("province"):
        def annual(y, g=g):
            r = g[g["year"] == y]
            ytd = r[r["measure"] == "ytd_yoy"]
            return ytd[ytd["month"] == 12]["value_pct"].iloc[0] if len(ytd) else r["value_pct"].mean()
        r22 = g[g["year"] == 2022]
        a, a0 = annual(2022), annual(2021)
        level = gdp[gdp["province_name"].str.startswith(p)].set_index("year")["gdp_100m_yuan"]
        rows[p] = {"ytd": a, "two": (np.sqrt((1 + a / 100) * (1 + a0 / 100)) - 1) * 100,
                   "gdp": (level[2022] / level[2021] - 1) * 100, "chg": a - a0,
                   "neg": float((r22["value_pct"] < 0).sum())}
    v = pd.DataFrame(rows).T
    n = pd.DataFrame(index=v.index)
    n["ytd"] = np.clip(60 + 40 * (v["ytd"] - (national - 3)) / 6, 60, 100) / 100
    for c in ("two", "gdp", "chg"):
        n[c] = (v[c] - v[c].min()) / (v[c].max() - v[c].min())
    n["neg"] = (v["neg"].max() - v["neg"]) / (v["neg"].max() - v["neg"].min())

    def entropy(x):
        p = x / x.sum(axis=0)
        e = -np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0).sum(axis=0) / np.log(len(x))
        return (1 - e) / (1 - e).sum()

    x = n.to_numpy()
    sub = np.array([2 / 3 * 0.5, 2 / 3 * 0.3, 2 / 3 * 0.2, 0, 0])
    sub[3:] = entropy(x[:, 3:]) / 3
    w = 0.7 * sub + 0.3 * entropy(x)
    return pd.Series(100 * x @ (w / w.sum()), index=n.index)


@pytest.fixture()
def real_runs(yacang_home, shared_data, monkeypatch):
    """2022 (wsum and topsis) and 2021 runs on the shared data, printed 200 columns wide."""
    monkeypatch.setenv("COLUMNS", "200")
    out = {}
    for key, args in {"2022": (), "topsis": ("--method", "topsis"), "2021": ("--year", "2021")}.items():
        r = run("evaluate", "run", "--data", str(shared_data), "--draws", "0", *args)
        assert r.exit_code == 0, r.output
        out[key] = r.output
    return out


def test_scores_and_ranks_match_an_independent_computation(real_runs, shared_data):
    from yacang.cli.common import open_warehouse
    from yacang.warehouse import evaluation as tables

    expected = _independent_2022(shared_data)
    with open_warehouse(read_only=True) as wh:
        runs = tables.runs(wh)
        rid = runs[(runs["period"] == "2022") & (runs["method"] == "wsum")]["run_id"].iloc[0]
        sc = tables.scores(wh, rid)
    short = {name: next(p for p in expected.index if name.startswith(p)) for name in sc["name"]}
    got = pd.Series(sc["score"].to_numpy(), index=sc["name"].map(short))
    assert len(got) == 31 and got.sort_index().to_numpy() == pytest.approx(expected.sort_index().to_numpy(), abs=1e-6)
    assert expected.idxmax() == "山西" and expected.idxmin() == "吉林"
    assert sc.iloc[0]["name"] == "山西省" and sc.iloc[-1]["name"] == "吉林省" and sc.iloc[-1]["rank"] == 31


def test_hints_lead_to_the_run_just_made_and_outputs_speak_chinese(real_runs, tmp_path):
    from yacang.cli.common import open_warehouse
    from yacang.warehouse import evaluation as tables

    with open_warehouse(read_only=True) as wh:
        runs = tables.runs(wh)
    topsis = runs[(runs["method"] == "topsis")]["run_id"].iloc[0]
    # the explain hint after a TOPSIS run named only --year: it explained the wsum run instead
    assert f"yacang evaluate explain --run '{topsis}'" in real_runs["topsis"]
    listing = run("evaluate", "list")
    assert "真实数据" in listing.output and "加权综合指数法" in listing.output
    assert " real" not in listing.output and "（wsum）" not in listing.output
    # --run of the 2021 run: the header and the exported files say 2021, not the --year default 2022
    r2021 = tables_run(runs, "2021")
    e = run("evaluate", "explain", "--region", "山西", "--run", r2021)
    assert e.exit_code == 0, e.output
    assert "山西省 2021年" in e.output and "2022年" not in e.output.splitlines()[0]
    out = tmp_path / "out"
    x = run("evaluate", "export", "--run", r2021, "--out", str(out))
    assert x.exit_code == 0, x.output
    assert [p.name.split("_")[1] for p in sorted(out.iterdir())] == ["2021", "2021"]
    # a run that is not stored: the hint says how to make that one (it left out --method)
    _refused(run("evaluate", "explain", "--region", "北京", "--method", "vikor"),
             "yacang evaluate run --year 2022 --method vikor")
    _refused(run("evaluate", "explain", "--region", "北京", "--level", "city"), "评价层级应为", "city")


def tables_run(runs: pd.DataFrame, period: str) -> str:
    return str(runs[runs["period"] == period]["run_id"].iloc[0])


def test_export_into_a_file_is_refused(yacang_home, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    _refused(run("evaluate", "export", "--out", str(taken)), "无法使用输出目录", "已有同名文件")


def test_a_binary_system_file_is_refused(yacang_home, tmp_path):
    binary = tmp_path / "system.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    _refused(run("evaluate", "systems", str(binary)), "system.yaml", "不是 UTF-8")


def test_a_year_without_gdp_names_the_file(yacang_home, shared_data):
    """2024 is in the province growth file but not in the GDP table: it said “指标 地区生产总值名义增速 在所有地区均
    缺值”, now what is missing, the years there are, and what to load."""
    _refused(run("evaluate", "run", "--year", "2024", "--data", str(shared_data), "--draws", "0"),
             "缺少 2024 年31个省份的地区生产总值", "2004—2023", "国家统计局分省年度数据")


def test_a_call_never_reads_a_file_the_request_names(session):  # noqa: F811
    """The system of a call is a shipped one by code: '/etc/passwd' answered “passwd：指标体系应为 YAML 映射”
    (the server read the file), and a YAML of one's own would break every later step (loaded by code)."""
    for name in ("/etc/passwd", "../systems/wenzengzhang.yaml", "x" * 5000):
        with pytest.raises(EvaluationError, match="内置体系") as exc:
            wf.create_call(session, PROVINCE, year=2022, quota=1, system=name)
        assert "passwd：" not in str(exc.value) and len(str(exc.value)) < 300
    assert wf.create_call(session, PROVINCE, year=2022, quota=1, system="wenzengzhang").system == "wenzengzhang"


def test_bad_codes_are_listed_once_and_short(session):  # noqa: F811
    call = wf.create_call(session, PROVINCE, year=2022, quota=1)
    with pytest.raises(EvaluationError) as exc:
        wf.submit(session, HANGZHOU, call.id, values=values(1), vetoes=["x" * 1000] * 10_000)
    assert len(str(exc.value)) < 400 and "safety" in str(exc.value)
    with pytest.raises(EvaluationError) as exc:
        wf.submit(session, HANGZHOU, call.id, values={"k" * 100_000: 1.0})
    assert len(str(exc.value)) < 400 and "iva_ytd" in str(exc.value)


def test_a_veto_after_scoring_needs_a_new_score_and_none_after_publishing(session):  # noqa: F811
    """温州 is vetoed after the ranking: its rank 1 and the shortlist no longer follow (it was kept)."""
    call = wf.create_call(session, PROVINCE, year=2022, quota=1)
    wf.submit(session, HANGZHOU, call.id, values=values(1))
    wf.submit(session, NINGBO, call.id, values=values(2))
    wz = wf.submit(session, WENZHOU, call.id, values=values(3))
    wf.score_call(session, PROVINCE, call.id, national={"iva_ytd": 3.6})
    assert wz.rank == 1
    wf.set_vetoes(session, PROVINCE, wz.id, ["safety"], "重大安全事故")
    assert call.status == "reviewing" and wz.rank is None and wz.score is None
    with pytest.raises(EvaluationError, match="请先评分"):
        wf.shortlist(session, PROVINCE, call.id)
    wf.score_call(session, PROVINCE, call.id, national={"iva_ytd": 3.6})
    assert wz.rank == 0
    assert [s.region for s in wf.shortlist(session, PROVINCE, call.id)] == ["330200"]
    wf.publish(session, PROVINCE, call.id)
    with pytest.raises(EvaluationError, match="已公布"):
        wf.set_vetoes(session, PROVINCE, wz.id, [], "")
    assert wz.vetoes == ["safety"]


def _data_dir(tmp_path, shared_data, iva: bytes):
    """A --data folder (in the test's temporary directory): the shared GDP and national files linked, and the
    given province growth file."""
    (tmp_path / "province_industry_monthly_wind").mkdir(parents=True)
    (tmp_path / "province_industry_monthly_wind" / "province_iva_yoy_monthly_2015_2024.csv").write_bytes(iva)
    for folder in ("province_gdp_annual", "national_industry_monthly_wind"):
        (tmp_path / folder).symlink_to(shared_data / folder)
    return tmp_path


def test_a_binary_growth_file_is_a_chinese_error(yacang_home, shared_data, tmp_path):
    data = _data_dir(tmp_path / "d", shared_data, b"\x7fELF\x02\x01\x01\x00\xd0\xff\xfe" * 50)
    _refused(run("evaluate", "run", "--data", str(data), "--draws", "0"), "province_iva_yoy_monthly_2015_2024.csv",
             "无法识别文件编码", "整个文件未入库")


def test_provinces_missing_from_the_file_are_not_ranked_on_medians(yacang_home, shared_data, tmp_path):
    """A file holding only 北京 ranked the other 30 on GDP alone, four of five indicators filled with medians."""
    name = "北京:工业增加值:可比价:规模以上工业企业:累计同比"
    rows = f"province,date,value_pct,measure,wind_indicator\n北京,2021-12-31,31.0,ytd_yoy,{name}\n北京,2022-12-31,-16.7,ytd_yoy,{name}\n"
    data = _data_dir(tmp_path / "d", shared_data, rows.encode("utf-8"))
    _refused(run("evaluate", "run", "--data", str(data), "--draws", "0"), "30 个省份", "天津市")
    listing = run("evaluate", "list")
    assert listing.exit_code == 1 and "没有评价结果" in listing.output  # nothing stored


def test_a_topsis_score_is_not_called_a_sum_of_items(real_runs, tmp_path):
    """山西's TOPSIS score is not the sum of its 100 × 权重 × 标准化值 items (the explanation said it was)."""
    from openpyxl import load_workbook

    e = run("evaluate", "explain", "--region", "山西", "--method", "topsis")
    assert e.exit_code == 0, e.output
    total = float(e.output.split("得分 ")[1].split("，")[0])
    names = {"规上工业增加值增速", "两年平均增速", "地区生产总值名义增速", "增速较上年变化", "累计负增长月份数"}
    rows = [_cells(line) for line in e.output.splitlines() if line.startswith("│")]
    points = [float(c[4]) for c in rows if c[0] in names and len(c) == 6]
    assert len(points) == 5 and abs(sum(points) - total) > 1  # the items do not add up to the score …
    assert "TOPSIS 得分 = 100 × 与负理想解的加权距离" in e.output and "其和不等于总得分" in e.output  # … and it says so
    x = run("evaluate", "export", "--method", "topsis", "--out", str(tmp_path / "x"))
    assert x.exit_code == 0, x.output
    notes = [r[0] for r in load_workbook(next((tmp_path / "x").glob("评分表_*.xlsx")))["说明"].iter_rows(values_only=True)]
    assert any("其和不等于总得分" in n for n in notes) and not any(n.startswith("得分 = 100 × 权重") for n in notes)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("│").split("│")]


def test_sensitivity_names_methods_in_chinese_and_its_data(yacang_home, shared_data, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    s = run("evaluate", "sensitivity", "--year", "2022", "--data", str(shared_data), "--draws", "10")
    assert s.exit_code == 0, s.output
    pairs = s.output[:s.output.index("各省份名次")]
    assert "加权综合指数法" in pairs and "TOPSIS（逼近理想解）" in pairs and "│ wsum" not in pairs
    said = "".join(s.output.split())
    assert "数据来源：分省规模以上工业增加值增速（数据仓库，省统计局（经Wind转载）" in said
    assert "分省地区生产总值（现价，数据仓库，国家统计局：2021、2022年）" in said


def test_the_page_tells_the_two_treatments_of_the_six_provinces_apart(yacang_home, shared_data):
    """Two 2022 runs differing only in --month-yoy were two identical links (period · system · method · time)."""
    from fastapi.testclient import TestClient

    from tests.evaluation.webapp import bearer, make_app, tokens
    from yacang.evaluation.runs import province_run

    app = make_app(yacang_home, shared_data)  # stores the 2022 run with the 当月 average (estimate)
    try:
        with app.state.yacang.warehouse() as wh:
            province_run(wh, 2022, shared_data, draws=0, month_yoy="gap")
        with TestClient(app) as c:
            page = c.get("/evaluation", headers=bearer(tokens(app)["admin"])).text
        assert "6省为各月当月同比的简单平均" in page and "6省仅有当月同比，按缺值处理" in page
        head = page[page.index('id="eval-runs"'):page.index("</h2>", page.index('id="eval-runs"'))]
        assert "6省" in head  # the shown run says which treatment it is
    finally:
        app.state.yacang.close()
