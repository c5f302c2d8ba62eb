"""Test helpers for the policy area: the seeds by role and a warehouse holding NBS IVA 累计同比."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd

PINYIN_SEED = "000_f0669431c2f3313a.txt"  # traditional + pinyin: news summary, then the notice's opening
NOTICE_SEED = "001_956ee6c0e3cb7021.txt"  # 160号 notice, clean, without its 文号
MARCH_NEWS = "002_3661e072e3553bca.txt"  # plain text web page, 2022-03-09
XIAO_POST = "003_dbd906015ab88961.txt"  # Jekyll post 2022-03-14: 2021 figures
APRIL_POST = "004_1bd4150e373cca66.txt"  # Jekyll post 2022-04-19: 2022 一季度 figures

NBS_IVA = "nbs_official_export_iva_ppi/iva_total_monthly.csv"  # tidy transcription (date, yoy, ytd_yoy)
NBS_EXPORT = "nbs_official_export_iva_ppi/original_reconstructed/98年-26年2月规上工业增加值增长速度.csv"


def nbs_ytd(shared_data: Path, month: str) -> float:
    """The NBS export's 累计同比 for ``YYYY-MM``, read straight from the CSV."""
    with (shared_data / NBS_IVA).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["date"] == month:
                return float(row["iva_ytd_yoy_pct"])
    raise KeyError(month)


def load_nbs_iva(wh, shared_data: Path) -> str:
    """Put the national IVA 累计同比 into ``wh``; returns how ("loader" or "batch").

    Loads the NBS data-portal export with the project's loader; should that module be missing,
    writes the months the seeds speak of (2020-12, 2021-12, 2022-03) as a Batch built from the CSV.
    """
    try:
        from yacang.warehouse.load import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        load_file(wh, shared_data / NBS_EXPORT)
        return "loader"
    from yacang.ingest.batch import Batch

    sid = "nbs:iva.ytd_yoy.100000.TOTAL"
    series = pd.DataFrame([{
        "series_id": sid, "indicator": "iva", "measure": "ytd_yoy", "region": "100000", "industry": "TOTAL",
        "category": "", "frequency": "M", "unit": "%", "source": "nbs", "original_name": "规模以上工业增加值累计增长(%)",
        "jan_feb": "1-2月合并",
    }])
    months = ["2020-12", "2021-12", "2022-03"]
    obs = pd.DataFrame({
        "series_id": [sid] * 3, "period": months, "value": [nbs_ytd(shared_data, m) for m in months],
        "flags": [""] * 3, "source_row": [0] * 3, "source_col": ["iva_ytd_yoy_pct"] * 3,
    })
    sha = hashlib.sha256(b"policy-test-nbs-iva").hexdigest()
    wh.write_batch(Batch(str(shared_data / NBS_IVA), "nbs-csv-test", sha, series, obs))
    return "batch"
