"""Score, measure robustness and store a run (the CLI and the web call these)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from yacang.evaluation.robustness import Intervals, rank_intervals
from yacang.evaluation.scoring import EvalInput, EvalResult, score
from yacang.evaluation.system import IndicatorSystem, load_system
from yacang.warehouse import evaluation as tables


@dataclass
class RunOutput:
    result: EvalResult
    intervals: Intervals | None
    run_id: str | None
    messages: list[str]


def frames(res: EvalResult, intervals: Intervals | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The score table (with rank intervals) and the per-indicator items, as stored."""
    sc = res.table()
    if intervals is not None:
        iv = intervals.table.set_index("region")
        sc["p05"] = sc["region"].map(iv["p05"])
        sc["p95"] = sc["region"].map(iv["p95"])
    else:
        sc["p05"] = sc["p95"] = None
    rows = []
    for region in res.regions:
        for it in res.explain(region)["indicators"]:
            rows.append({"region": region, "indicator": it["code"], "name": it["name"], "grp": it["group"],
                         "value": it["value"], "norm": it["norm"], "weight": it["weight"], "points": it["points"],
                         "lost": it["lost"], "imputed": it["imputed"], "note": it["note"]})
    return sc, pd.DataFrame(rows)


def kind_zh(kind: str) -> str:
    """A run's data kind as officials read it: 真实数据, 示例数据, 第 3 号申报通知的申报数据."""
    kind = str(kind or "")
    if kind.startswith("call") and kind[4:].isdigit():
        return f"第 {kind[4:]} 号申报通知的申报数据"
    return {"real": "真实数据", "demo": "示例数据"}.get(kind, kind)


def treatment_of(source: object) -> str:
    """How a real-data run treated the 当月-only provinces (``--month-yoy``), as its source text says ('' if not said)."""
    import re

    from yacang.evaluation.real_data import MONTH_YOY_TREATMENT

    m = re.search(rf"\d+省(?:{'|'.join(map(re.escape, MONTH_YOY_TREATMENT.values()))})", str(source or ""))
    return m.group(0) if m else ""


def _frame_text(df: pd.DataFrame | None) -> str:
    return "" if df is None else df.sort_index().sort_index(axis=1).to_csv(float_format="%.12g")


def run_id(system: IndicatorSystem, inp: EvalInput, *, method: str, data_kind: str, draws: int, spread: float,
           seed: int) -> str:
    """What a run computed, as its id: ``system|method|level|period|kind|<digest>``, the digest over everything
    that changes what is stored — the system's definition (indicators, weights, thresholds, gap policy; not
    the file it was read from), every input value and note, the national thresholds, vetoes and bonuses, the
    source text (which says how 当月-only provinces were treated, ``--month-yoy``), and the rank-interval
    options. Identical inputs give the same id (a rerun replaces its own rows); any difference, a new run."""
    what = {
        "system": repr(replace(system, source_path="")), "method": method, "kind": data_kind,
        "level": inp.level, "period": inp.period, "source": inp.source,
        "values": _frame_text(inp.values), "notes": _frame_text(inp.notes), "names": inp.names,
        "vetoes": {k: sorted(v) for k, v in inp.vetoes.items()}, "bonuses": {k: sorted(v) for k, v in inp.bonuses.items()},
        "national": inp.national, "draws": draws, "spread": spread if draws > 0 else None,
        "seed": seed if draws > 0 else None,
    }
    digest = hashlib.sha256(json.dumps(what, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return f"{tables.run_id_for(system.code, method, inp.level, inp.period, data_kind)}|{digest[:12]}"


def evaluate(wh, system: IndicatorSystem, inp: EvalInput, *, method: str = "wsum", data_kind: str,
             draws: int = 1000, spread: float = 0.2, seed: int = 2022, store: bool = True) -> RunOutput:
    """Score, compute the rank intervals and (``store``) keep the run under :func:`run_id`."""
    res = score(system, inp, method)
    iv = rank_intervals(res, draws=draws, spread=spread, seed=seed) if draws > 0 else None
    rid = None
    if store and wh is not None:
        sc, items = frames(res, iv)
        rid = tables.save_run(wh, {
            "run_id": run_id(system, inp, method=method, data_kind=data_kind, draws=draws, spread=spread, seed=seed),
            "system": system.code, "system_name": system.name, "method": method, "level": inp.level,
            "period": inp.period, "data_kind": data_kind, "source": inp.source,
            "weights": json.dumps(res.weights.values, ensure_ascii=False), "notes": "\n".join(res.notes),
            "draws": draws, "spread": spread}, sc, items)
    return RunOutput(res, iv, rid, [])


def matching_runs(wh, system: str, method: str, level: str, period: str, kind: str = "real") -> pd.DataFrame:
    """The stored runs of one system, method, level, period and data kind (differing in their options or
    data), newest first."""
    runs = tables.runs(wh)
    if runs.empty:
        return runs
    keep = ((runs["system"] == system) & (runs["method"] == method) & (runs["level"] == level)
            & (runs["period"].astype(str) == str(period)) & (runs["data_kind"] == kind))
    return runs[keep].sort_values("created_at", ascending=False, kind="stable")


def province_run(wh, year: int, data_dir: Path | str, *, system: str = "wenzengzhang", method: str = "wsum",
                 draws: int = 1000, spread: float = 0.2, month_yoy: str = "estimate", store: bool = True) -> RunOutput:
    """The 31 provinces on real data, read from the warehouse (the public files of ``data_dir`` are loaded
    through the ingest first when it lacks them)."""
    from yacang.evaluation.real_data import warehouse_input

    inp, msgs = warehouse_input(wh, year, data_dir, month_yoy=month_yoy)
    out = evaluate(wh, load_system(system), inp, method=method, data_kind="real", draws=draws, spread=spread,
                   store=store)
    out.messages = msgs + out.messages
    return out


def call_run_id(wh, call) -> str | None:
    """The stored run of a 申报 call's latest scoring (``data_kind`` = ``call<id>``)."""
    runs = tables.runs(wh)
    mine = runs[runs["data_kind"] == f"call{call.id}"] if not runs.empty else runs
    if mine.empty:
        return None
    return str(mine.sort_values("created_at").iloc[-1]["run_id"])


def export_bytes(wh, call, fmt: str) -> bytes:
    """The XLSX 评分表 or DOCX 结果通报 of a scored call, as bytes."""
    import tempfile

    from yacang.evaluation.errors import EvaluationError
    from yacang.evaluation.outputs import write_docx, write_xlsx

    rid = call_run_id(wh, call)
    if rid is None:
        raise EvaluationError("本次申报尚未评分，没有评分表")
    run, sc, items = tables.get_run(wh, rid), tables.scores(wh, rid), tables.items(wh, rid)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out.{fmt}"
        (write_xlsx if fmt == "xlsx" else write_docx)(path, run, sc, items)
        return path.read_bytes()
