"""``GET /api/analysis/nowcast``: the nowcast record of the CLI, on the shared national series, by role."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web import fixtures
from tests.web.conftest import _client, bearer

FILES = (
    "national_industry_monthly_wind/iva_monthly.csv",
    "national_industry_monthly_wind/pmi_and_sales_output_ratio_monthly.csv",
    "national_industry_monthly_wind/ppi_ppirm_monthly.csv",
    "national_industry_monthly_wind/export_delivery_value_monthly.csv",
)


@pytest.fixture(scope="module")
def analysis_client(tmp_path_factory: pytest.TempPathFactory, shared_data: Path):
    from tests.web.conftest import _home_env
    from yacang.warehouse import Warehouse
    from yacang.warehouse.load import load_file
    from yacang.web import create_app

    home = tmp_path_factory.mktemp("analysis") / "home"
    with pytest.MonkeyPatch.context() as mp:
        _home_env(mp, home)
        wh = Warehouse.memory()
        for f in FILES:
            load_file(wh, shared_data / f)
        app = create_app(warehouse=wh)
        fixtures.add_users(app.state.yacang.engine)
        with _client(app) as client:
            yield client, fixtures.tokens(app.state.yacang.engine)
        app.state.yacang.close()


@pytest.mark.slow
def test_nowcast_of_a_released_month_is_a_backcast_with_its_source(analysis_client) -> None:
    client, tokens = analysis_client
    r = client.get("/api/analysis/nowcast?period=2022年4月", headers=bearer(tokens["gd_analyst"]))
    assert r.status_code == 200, r.text
    body = r.json()
    # NBS, 2022-05-16: 4月份规上工业增加值同比下降2.9%; PMI 生产 49.5 → 44.4
    assert body["period"] == "2022-04" and body["backcast"] is True and body["actual"] == pytest.approx(-2.9)
    assert body["message"].startswith("回溯（2022年4月已发布）")
    [move] = body["unusual"]
    assert move["value"] == pytest.approx(44.4) and move["change"] == pytest.approx(-5.1)
    assert body["source"].startswith("本期数据来源：") and "示例" not in body["source"]
    assert any(i["label"] == "PMI:生产" for i in body["indicators"])


@pytest.mark.slow
def test_nowcast_refusals(analysis_client) -> None:
    client, tokens = analysis_client
    assert client.get("/api/analysis/nowcast", headers=bearer(tokens["ent_a"])).status_code == 403
    assert client.get("/api/analysis/nowcast").status_code == 401
    r = client.get("/api/analysis/nowcast?period=2022-13", headers=bearer(tokens["admin"]))
    assert r.status_code == 422 and "无法识别的时期" in r.json()["errors"][0]["reason"]
    r = client.get("/api/analysis/nowcast?period=2031-06", headers=bearer(tokens["admin"]))
    assert r.status_code == 422, r.text


def test_nowcast_without_the_series_is_404(client, tokens) -> None:
    """The module app holds IVA 2021–2023 and no leading indicator: said, not guessed."""
    r = client.get("/api/analysis/nowcast", headers=bearer(tokens["admin"]))
    assert r.status_code == 404 and "先行指标" in r.json()["detail"]
