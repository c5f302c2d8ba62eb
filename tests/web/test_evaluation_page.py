"""The 地区评价 page for an officer whose region took no part in a run says so once (a city officer on the
real warehouse read “共 31 个地区参评” twice: the empty notice and the “only your regions” hint)."""

from __future__ import annotations

from tests.web.test_pages import login


def test_city_officer_reads_one_notice(fresh_app, fresh_client, shared_data):
    from yacang.evaluation.real_data import province_input
    from yacang.evaluation.runs import evaluate
    from yacang.evaluation.system import load_system

    with fresh_app.state.yacang.warehouse() as wh:
        evaluate(wh, load_system("wenzengzhang"), province_input(2022, shared_data, national_iva=3.6),
                 data_kind="real", draws=0)
    login(fresh_client, "gz_officer")
    r = fresh_client.get("/evaluation")
    assert r.status_code == 200 and 'id="eval-none"' in r.text
    assert r.text.count("共 31 个地区参评") == 1
    assert "省级排名只向各省及全国账号显示本省名次" in r.text

    login(fresh_client, "gd_officer")  # its province took part: the table and the hint, no empty notice
    r = fresh_client.get("/evaluation")
    assert r.status_code == 200 and 'id="eval-none"' not in r.text
    assert "本账号只显示所辖地区的得分与名次" in r.text
