"""The named reads the bulletin and the chain alerts use (yacang.warehouse.chains, yacang.warehouse.provenance)
give the same rows on DuckDB and on Spark.

The world, by hand, on top of the five-enterprise panel (panel.py: E1 广州 440103, E2/E3 深圳 440304/440305,
E4/E5 南京 320102):

- chain ``NEV`` segment ``S1``: E1 链主, E2 配套; segment ``S2``: E4 配套;
- links (supplier → customer): E2 → E1 (both in 广东), E4 → E1 (南京 → 广州, crosses provinces);
- scenario ``sc-old`` (2023-05-01) and ``sc-new`` (2023-06-01); ``sc-new`` touched E1 (direct, 100 万元 lost),
  E2 (downstream, output unknown) and E4 (downstream, 50 万元);
- series: NBS's national 规上工业增加值 file and Wind's provincial panel (real files from ../shared/data),
  reports: the panel's 9 (source ``conformance``), a revision of E1's 3月 (产值 1000 → 1100, vintage 2023-05-20),
  a later 3月 report of E2 that an officer returned (产值 999, not counted) and one demo report of E5 1-2月
  (产值 1, source ``yacang demo``);
- evaluation run ``r``: B rank 1 (90 分), A rank 2 (80), C vetoed (rank 0, 95), D not ranked (rank NULL, 50).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from tests.conformance import panel
from tests.conformance.conftest import SPARK_TEST_CONF
from yacang.warehouse import chains as store
from yacang.warehouse import evaluation as evaluation_tables
from yacang.warehouse.provenance import provenance_of, report_kinds_expr

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
NBS = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"
WIND = "province_industry_monthly_wind/province_iva_yoy_monthly_2015_2024.csv"
TABLES = ("series", "enterprises", "reports", "eval_scores", *store.TABLES)


def _build(wh) -> None:
    from yacang.warehouse.load import load_file

    panel.build(wh)
    wh.db.execute("INSERT INTO reports (uscc, period, output_value, source_file, vintage) "
                  "VALUES (?, '2023-01/02', 1.0, 'yacang demo', TIMESTAMP '2023-03-15')", [panel.E5])
    wh.db.execute("INSERT INTO reports (uscc, period, output_value, status, source_file, vintage) VALUES "
                  "(?, '2023-03', 1100.0, 'accepted', 'rev', TIMESTAMP '2023-05-20'), "
                  "(?, '2023-03', 999.0, 'returned', 'rev', TIMESTAMP '2023-05-20')", [panel.E1, panel.E2])
    evaluation_tables.save_run(wh, {"system": "s", "method": "wsum", "level": "province", "period": "2023",
                                    "data_kind": "real"},
                               pd.DataFrame({"region": ["A", "B", "C", "D"], "score": [80.0, 90.0, 95.0, 50.0],
                                             "rank": [2, 1, 0, None]}), pd.DataFrame(columns=["region"]))
    store.ensure_tables(wh)
    now = dt.datetime(2023, 7, 1)
    store.save_members(wh, pd.DataFrame(
        [("NEV", "S1", panel.E1, "链主", "申报", "m.xlsx"), ("NEV", "S1", panel.E2, "配套", "申报", "m.xlsx"),
         ("NEV", "S2", panel.E4, "配套", "申报", "m.xlsx")], columns=store.MEMBER_COLUMNS), now=now)
    store.save_links(wh, pd.DataFrame(
        [(panel.E2, panel.E1, .4, 0.0, 0.0, "零件", "NEV", "l.xlsx", 2),
         (panel.E4, panel.E1, .3, .5, 10.0, "饲料", "NEV", "l.xlsx", 3)], columns=store.LINK_COLUMNS), now=now)
    for sid, start in (("sc-old", dt.date(2023, 5, 1)), ("sc-new", dt.date(2023, 6, 1))):
        head = {"scenario_id": sid, "name": sid, "kind": "region", "params": "{}", "start_date": start, "days": 30,
                "data_source": "企业月报", "n_direct": 1, "n_affected": 3, "output_lost": 150.0,
                "created_at": dt.datetime.combine(start, dt.time())}
        ents = pd.DataFrame([(panel.E1, "440103", True, 0, 0.0, 100.0), (panel.E2, "440304", False, 2, 0.5, None),
                             (panel.E4, "320102", False, 5, 0.8, 50.0)],
                            columns=["uscc", "region", "direct", "first_day", "min_level", "output_lost"])
        store.save_scenario(wh, head, pd.DataFrame(columns=["day", "date", "affected", "output_lost"]), ents,
                            pd.DataFrame(columns=["kind", "key", "affected", "output_lost"]))
    load_file(wh, DATA / NBS)
    load_file(wh, DATA / WIND)


@pytest.fixture(scope="module")
def world():
    from yacang.warehouse import Warehouse

    wh = Warehouse.memory()
    _build(wh)
    yield wh
    wh.close()


@pytest.fixture(scope="module", params=["duckdb", pytest.param("spark", marks=[pytest.mark.spark, pytest.mark.slow])])
def con(request, world, tmp_path_factory):
    """The world on DuckDB (the warehouse's own connection) or on Spark (tables published as Parquet)."""
    if request.param == "duckdb":
        yield world.con
        return
    from yacang.warehouse.engine import EngineChoice, publish_to_spark, spark_backend

    backend = spark_backend(EngineChoice(backend="spark", master="local[1]", conf=SPARK_TEST_CONF))
    publish_to_spark(world, backend, tmp_path_factory.mktemp("parquet"), TABLES)
    yield backend
    backend.disconnect()


def test_members_of_a_province(con) -> None:
    df = store.members_expr(con, "NEV", region_prefix="44").to_pandas()
    assert [tuple(r) for r in df[["segment", "uscc", "name", "region", "role"]].itertuples(index=False)] == [
        ("S1", panel.E2, "二号汽车", "440304", "配套"), ("S1", panel.E1, "一号食品", "440103", "链主")]  # 配 < 链
    assert len(store.members_expr(con).to_pandas()) == 3


def test_links_with_both_ends_in_the_subtree(con) -> None:
    inside = store.links_expr(con, region_prefix="44").to_pandas()
    assert [tuple(r) for r in inside[["supplier", "customer", "supplier_region", "customer_region"]]
            .itertuples(index=False)] == [(panel.E2, panel.E1, "440304", "440103")]
    every = store.links_expr(con).to_pandas()
    assert list(every["supplier"]) == sorted([panel.E2, panel.E4])  # one customer, suppliers in code order
    assert list(every["share"]) == ([.4, .3] if panel.E2 < panel.E4 else [.3, .4])


def test_scenarios_newest_first_and_their_enterprises(con) -> None:
    assert list(store.scenarios_expr(con).to_pandas()["scenario_id"]) == ["sc-new", "sc-old"]
    df = store.scenario_enterprises_expr(con, "sc-new", region_prefix="44").to_pandas()
    assert list(df["uscc"]) == [panel.E1, panel.E2]  # 100 万元, then the unknown loss (NULL last)
    assert list(df["name"]) == ["一号食品", "二号汽车"]
    assert df["output_lost"].iloc[0] == 100.0 and math.isnan(df["output_lost"].iloc[1])
    assert [bool(x) for x in df["direct"]] == [True, False]
    everyone = store.scenario_enterprises_expr(con, "sc-new").to_pandas()
    assert list(everyone["uscc"]) == [panel.E1, panel.E4, panel.E2]


def test_registry_nodes(con) -> None:
    df = store.enterprise_table_expr(con).to_pandas()
    assert list(df["uscc"]) == sorted([panel.E1, panel.E2, panel.E3, panel.E4, panel.E5])


def test_provenance_of_series_and_reports(con) -> None:
    row = report_kinds_expr(con).to_pandas().iloc[0]
    assert (int(row["demo"]), int(row["other"])) == (1, 11)
    p = provenance_of(con)
    assert p.kinds == ("示例数据", "国家统计局", "省统计局", "企业月报") and p.is_mixed
    assert p.via == {"省统计局": ("Wind",)} and p.direct == ("国家统计局",)
    assert provenance_of(con, regions={"100000"}).kinds == ("示例数据", "国家统计局", "企业月报")


def test_latest_output_of_each_report(con) -> None:
    df = store.latest_output_expr(con).to_pandas()
    got = {(r.uscc, r.period): r.output_value for r in df.itertuples(index=False)}
    assert len(got) == 10  # the panel's 9 (uscc, period) pairs and the demo's E5 1-2月
    assert got[(panel.E1, "2023-03")] == 1100.0  # the revision
    assert got[(panel.E2, "2023-03")] == 400.0  # the returned later report is not counted
    assert got[(panel.E5, "2023-01/02")] == 1.0 and got[(panel.E4, "2023-01/02")] == 400.0


def test_evaluation_scores_ranked_first(con) -> None:
    rid = evaluation_tables.run_id_for("s", "wsum", "province", "2023", "real")
    df = evaluation_tables.scores_expr(con, rid).to_pandas()
    assert list(df["region"]) == ["B", "A", "C", "D"] and list(df["score"]) == [90.0, 80.0, 95.0, 50.0]
    assert evaluation_tables.scores_expr(con, "no-such-run").to_pandas().empty
