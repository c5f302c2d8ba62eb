"""The registry in the app database: canonical copy, inherited 文号, idempotence, notes, links, checks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.policy.helpers import APRIL_POST, MARCH_NEWS, NOTICE_SEED, PINYIN_SEED, XIAO_POST, load_nbs_iva
from yacang.appdb import create_all, session_scope
from yacang.policy import registry
from yacang.policy.errors import PolicyInputError
from yacang.policy.models import DocumentOverlap, PolicyDocument, PolicyFact, PolicyMeasure, ProgressNote

ALL = [PINYIN_SEED, NOTICE_SEED, MARCH_NEWS, XIAO_POST, APRIL_POST]


def _ingest(seeds, names):
    with session_scope() as s:
        return [registry.ingest_file(s, seeds / n) for n in names]


def _count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("order", [ALL, list(reversed(ALL))])
def test_one_canonical_copy_and_the_number_from_the_other(yacang_home, seeds, order):
    create_all()
    _ingest(seeds, order)
    with session_scope() as s:
        docs = {d.source_file.rsplit("/", 1)[-1]: d for d in s.scalars(select(PolicyDocument))}
        notice, pinyin = docs[NOTICE_SEED], docs[PINYIN_SEED]
        assert notice.canonical_id == notice.id and pinyin.canonical_id == notice.id
        assert notice.doc_number == "工信部联运行〔2022〕160号" and notice.doc_number_from == pinyin.id
        assert pinyin.doc_number == "工信部联运行〔2022〕160号" and pinyin.doc_number_from is None
        for name in (MARCH_NEWS, XIAO_POST, APRIL_POST):
            assert docs[name].canonical_id == docs[name].id
        (link,) = s.scalars(select(DocumentOverlap)).all()
        assert {link.doc_id, link.other_id} == {notice.id, pinyin.id} and link.relation == "partial"
        pinyin_share = link.doc_in_other if link.doc_id == pinyin.id else link.other_in_doc
        assert 0.57 <= pinyin_share < 0.95
        assert [n.id for n in registry.notices(s)] == [notice.id]
        measures = s.scalars(select(PolicyMeasure).order_by(PolicyMeasure.number)).all()
        assert [m.number for m in measures] == list(range(1, 18))
        assert {m.document_id for m in measures} == {notice.id}


def test_reingest_is_idempotent(yacang_home, seeds):
    create_all()
    first = _ingest(seeds, ALL)
    with session_scope() as s:
        before = [_count(s, m) for m in (PolicyDocument, DocumentOverlap, PolicyMeasure, PolicyFact)]
    again = _ingest(seeds, ALL)
    assert [r.status for r in first] == ["new"] * 5 and [r.status for r in again] == ["unchanged"] * 5
    assert [r.document_id for r in first] == [r.document_id for r in again]
    with session_scope() as s:
        assert [_count(s, m) for m in (PolicyDocument, DocumentOverlap, PolicyMeasure, PolicyFact)] == before
        assert before == [5, 1, 17, 17]  # 8 facts in the March post, 9 in the April post


def test_notes_status_links_and_facts(yacang_home, seeds):
    create_all()
    _ingest(seeds, ALL)
    with session_scope() as s:
        assert registry.measure_status(s, registry.get_measure(s, 3).id) == registry.NO_STATUS
        registry.add_progress_note(s, 3, region="广东", officer="张三", status="推进中",
                                   note="已建立重点外贸企业服务保障制度，覆盖 1200 家企业")
        registry.add_progress_note(s, 3, region="440000", officer="李四", status="已完成", note="完成")
    with session_scope() as s:
        notes = s.scalars(select(ProgressNote).order_by(ProgressNote.id)).all()
        assert [(n.region, n.status) for n in notes] == [("440000", "推进中"), ("440000", "已完成")]
        assert registry.measure_status(s, registry.get_measure(s, 3).id) == "已完成"
        registry.add_progress_note(s, 3, region="湖北省", officer="王五", status="滞后", note="物流受阻")
        m3 = registry.get_measure(s, 3).id
        assert registry.measure_status(s, m3, "广东") == "已完成" and registry.measure_status(s, m3, "湖北") == "滞后"
        assert registry.measure_status(s, m3, "北京") == registry.NO_STATUS
        assert registry.region_statuses(s, m3) == {"440000": "已完成", "420000": "滞后"}
        detail = registry.measure_detail(s, 3, notice="工信部联运行〔2022〕160号")
        assert detail["title"] == "稳定工业产品出口" and detail["targets"] == []
        assert ("指标", "export_delivery", "auto", "关键词“出口”") in detail["links"]
        assert [f["数值"] for f in detail["facts"]] == [14.4]  # the April post's 出口交货值
        m17 = registry.measure_detail(s, 17)
        keys = {(k, key) for k, key, *_ in m17["links"]}
        assert {("指标", "manufacturing_share"), ("预警规则", "target_gap")} <= keys
        assert {28.9, 27.4} <= {f["数值"] for f in m17["facts"]}
        registry.add_link(s, 5, kind="dispatch", key="chains", note="先进制造业集群")
        assert ("调度事项", "chains", "manual", "先进制造业集群") in registry.measure_detail(s, 5)["links"]
        frame = registry.measures_frame(s, region="广东")
        assert frame.loc[frame["序号"] == 3, "状态"].item() == "已完成"
        assert frame.loc[frame["序号"] == 3, "已报地区"].item() == 2
        assert len(frame) == 17


def test_registry_errors(yacang_home, seeds):
    create_all()
    with session_scope() as s, pytest.raises(PolicyInputError, match="还没有带措施的通知"):
        registry.measures_frame(s)
    _ingest(seeds, [NOTICE_SEED])
    with session_scope() as s:
        with pytest.raises(PolicyInputError, match="没有第 18 项措施"):
            registry.get_measure(s, 18)
        with pytest.raises(PolicyInputError, match="状态"):
            registry.add_progress_note(s, 1, region="广东", officer="张三", status="差不多", note="x")
        with pytest.raises(PolicyInputError, match="找不到通知"):
            registry.get_measure(s, 1, notice="不存在的通知")


def test_crosscheck_stored_with_facts(yacang_home, seeds, shared_data, wh):
    create_all()
    load_nbs_iva(wh, shared_data)
    _ingest(seeds, [XIAO_POST, APRIL_POST])
    with session_scope() as s:
        counts = registry.crosscheck(s, wh)
        assert sum(counts.values()) == 17
        facts = registry.facts_frame(s)
        iva = facts[(facts["指标"] == "规模以上工业增加值") & (facts["口径"] == "累计同比")]
        assert sorted(zip(iva["数值"], iva["核对"], strict=True)) == [(6.5, "一致"), (9.6, "一致")]


def test_fact_rows_name_the_indicator_not_the_bare_word(yacang_home, seeds):
    """The April post: "制造业投资同比增长15.6%" is manufacturing investment, and "制造业占比…28.9%" a
    share of GDP; both say only "制造业", so the 指标 column must carry the catalog's name."""
    create_all()
    _ingest(seeds, [APRIL_POST])
    with session_scope() as s:
        rows = {(r["数值"], r["口径"]): r for r in registry.facts_frame(s).to_dict("records")}
    assert rows[(15.6, "累计同比")]["指标"] == "制造业固定资产投资"
    assert rows[(15.6, "累计同比")]["原文用语"] == "制造业"
    assert rows[(28.9, "当期值")]["指标"] == "制造业增加值占GDP比重"
    assert rows[(2.6, "累计增减(百分点)")]["比较对象"] == "2021年四季度"  # "高于去年四季度2.6个百分点"
    assert rows[(2.1, "累计增减(百分点)")]["比较对象"] == "2021年"  # "比2021年全年加快2.1个百分点"


def test_whole_year_facts_share_one_period_label(yacang_home, seeds):
    """Xiao's article: "2021全年，规模以上工业增加值增长9.6%，比2020年提高6.8个百分点": both figures are
    for 2021 and must say so the same way (not "2021年" beside "2021年1-12月")."""
    create_all()
    _ingest(seeds, [XIAO_POST])
    with session_scope() as s:
        rows = {r["数值"]: r for r in registry.facts_frame(s).to_dict("records")}
    assert rows[9.6]["时期"] == rows[6.8]["时期"] == rows[1.1]["时期"] == "2021年"
