"""Chain maps: the shipped ones against the real GB/T 4754-2017 list, and bad input with located errors."""

from __future__ import annotations

import pandas as pd
import pytest

from yacang.chains.errors import ChainError
from yacang.chains.maps import load_chain_file, parse_chain_yaml, shipped_chains, stored_map
from yacang.chains.sheets import write_form
from yacang.warehouse import chains as store

GOOD = """code: mini
name: 小链
segments:
  - code: a
    name: 原料
    stage: 上游
    industries: ["2613"]
    materials: {lithium_carbonate: 0.5}
  - code: b
    name: 电芯
    stage: 下游
    industries: ["3841"]
    inputs: [a]
"""


def real_classes(shared_data) -> dict[str, str]:
    df = pd.read_csv(shared_data / "industry_classification_gbt4754_2017" / "gbt4754_2017.csv", dtype=str)
    df = df[df["level"] == "4"]
    return dict(zip(df["class"], df["name"], strict=True))


def test_shipped_chains_use_real_classes_and_known_materials(shared_data):
    classes = real_classes(shared_data)
    chains = {c.code: c for c in shipped_chains()}
    assert set(chains) >= {"nev", "battery", "pv", "ic"}
    for c in chains.values():
        assert c.sources, c.code
        for s in c.segments:
            for code in s.industries:
                assert code in classes, (c.code, s.code, code)
        assert nx_is_dag(c)
    # spot checks against the real list (by name, an independent source)
    assert classes["3841"] == "锂离子电池制造" and "3841" in chains["battery"].segment("cell").industries
    assert classes["3612"] == "新能源车整车制造" and chains["nev"].segment("vehicle").industries == ("3612",)
    assert classes["3973"] == "集成电路制造" and "3973" in chains["ic"].segment("fab").industries
    assert "lithium_carbonate" in chains["battery"].materials and "lithium_carbonate" in chains["nev"].materials
    # the shipped files also pass the strict check against the real class list
    for p in sorted((chains["nev"].source_file and __import__("yacang.chains.maps", fromlist=["MAPS_DIR"]).MAPS_DIR)
                    .glob("*.yaml")):
        load_chain_file(p, known_classes=set(classes))


def nx_is_dag(c) -> bool:
    import networkx as nx

    return nx.is_directed_acyclic_graph(c.graph())


def errors_of(text: str, **kw) -> list[str]:
    with pytest.raises(ChainError) as exc:
        parse_chain_yaml(text, file="my.yaml", **kw)
    return [str(e) for e in exc.value.errors]


def test_good_map_parses():
    c = parse_chain_yaml(GOOD, file="mini.yaml")
    assert [s.code for s in c.segments] == ["a", "b"] and c.segment("a").materials == {"lithium_carbonate": 0.5}


def test_unknown_class_is_located():
    errs = errors_of(GOOD.replace('"3841"', '"3899x"'))
    assert errs == ["my.yaml 第12行，列“industries”，值“3899x”：未知的行业代码：应为 GB/T 4754-2017 工业大类（2位，06–46）"
                    "或小类（4位），如 3841"]
    # with the imported class list, a well-formed but absent class is refused too
    errs = errors_of(GOOD.replace('"3841"', '"3848"'), known_classes={"2613", "3841"})
    assert len(errs) == 1 and "第12行" in errs[0] and "没有这个小类" in errs[0]


def test_segment_cycle_is_located():
    text = GOOD.replace('industries: ["2613"]', 'industries: ["2613"]\n    inputs: [b]')
    errs = errors_of(text)
    assert len(errs) == 1 and "循环" in errs[0]
    assert errs[0].startswith("my.yaml 第8行，列“inputs”，值“a → b → a”：环节之间构成循环")  # a's inputs line


def test_unknown_material_input_and_stage():
    text = GOOD.replace("lithium_carbonate: 0.5", "unobtainium: 0.5").replace("inputs: [a]", "inputs: [zz]")
    text = text.replace("stage: 下游", "stage: 末端")
    errs = errors_of(text)
    assert errs[0].startswith("my.yaml 第8行，列“materials”，值“unobtainium”：未知的原材料代码")
    assert errs[1] == "my.yaml 第11行，列“stage”，值“末端”：链位应为 上游/中游/下游"
    assert errs[2].startswith("my.yaml 第13行，列“inputs”，值“zz”：上游环节 zz 不在本产业链中")
    assert len(errs) == 3


def test_xlsx_import_errors_name_rows_and_nothing_is_stored(wh, tmp_path):
    head = ["产业链代码", "产业链名称", "环节代码", "环节名称", "链位", "上游环节", "行业代码", "原材料", "产品"]
    rows = [["mini", "小链", "a", "原料", "上游", "", "2613", "lithium_carbonate:0.5", "碳酸锂"],
            ["mini", "小链", "b", "电芯", "下游", "a,c", "3841", "", ""],
            ["mini", "小链", "c", "回收", "中游", "b", "4210", "copper:1.5", ""],
            ["mini", "小链", "d", "材料", "上游", "", "05", "", ""]]
    p = write_form(tmp_path / "chain.xlsx", head, rows)
    with pytest.raises(ChainError) as exc:
        load_chain_file(p, check_catalog=False)
    msgs = [str(e) for e in exc.value.errors]
    assert msgs[0].startswith("chain.xlsx 第4行，列“原材料”，值“1.5”：原材料 copper 的占比应大于0且不超过1")
    assert msgs[1].startswith("chain.xlsx 第5行，列“行业代码”，值“05”：未知的行业代码")  # 05 is agriculture
    assert msgs[2].startswith("chain.xlsx 第3行，列“上游环节”，值“b → c → b”：环节之间构成循环")
    assert len(msgs) == 3
    assert store.maps(wh).empty  # nothing stored
    rows[2][7] = "copper:0.5"
    rows[2][5] = ""
    rows[3][6] = "42"
    chains = load_chain_file(write_form(tmp_path / "ok.xlsx", head, rows), check_catalog=False)
    assert chains[0].segment("b").inputs == ("a", "c")
    store.save_maps(wh, chains)
    store.save_maps(wh, chains)  # idempotent
    assert len(store.segments(wh, "mini")) == 4
    assert stored_map(wh, "mini").segment("a").materials == {"lithium_carbonate": 0.5}
