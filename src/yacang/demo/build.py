"""``yacang demo`` end to end: pick the region tree, generate, write, summarise.

Regions: if the user imported a GB/T 2260 list, the demo uses it. Otherwise it synthesises prefectures
and counties and, so that every view can name and rank them, writes them to
``YACANG_HOME/catalog/regions.parquet`` with a marker file ``regions.demo`` beside it (a later
``yacang catalog import-regions`` replaces them; the marker tells the next demo run that the list is
its own and may be regenerated).
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from yacang.catalog.regions import RegionCatalog
from yacang.demo import calibration as cal
from yacang.demo.generator import DemoData, DemoSpec, entries_exits, generate, national_growth
from yacang.demo.writer import Step, WriteResult, write_demo
from yacang.formatting import fmt, signed
from yacang.periods import parse_period

MARKER = "regions.demo"


@dataclass
class DemoSummary:
    data: DemoData
    written: WriteResult
    synthetic_regions: bool
    national: pd.DataFrame  # period, yoy, published, gap
    entries: pd.DataFrame  # year, above_scale, entered, left
    naive_last: float | None  # growth against last year's published 规上 total (不同口径), last period

    @property
    def n_provinces(self) -> int:
        return int(self.data.enterprises["region"].str[:2].nunique())

    @property
    def n_prefectures(self) -> int:
        return int(self.data.enterprises["region"].str[:4].nunique())

    @property
    def max_gap(self) -> float:
        return float(self.national["gap"].abs().max())

    def lines(self) -> list[str]:
        """The short Chinese summary the CLI prints."""
        d = self.data
        first, last = parse_period(d.periods[0]), parse_period(d.periods[-1])
        nat_last = self.national.iloc[-1]
        region_src = "合成的示例地市、区县（未导入 GB/T 2260 代码表）" if self.synthetic_regions else "已导入的 GB/T 2260 地市、区县"
        out = [
            f"企业数：{len(d.enterprises):,} 家（重点企业 {int(d.enterprises['is_key'].sum()):,} 家）",
            "规上企业数：" + "；".join(
                f"{r.year}年 {r.above_scale:,} 家（新进 {r.entered:,}，退出 {r.left:,}）" for r in self.entries.itertuples()
            ),
            f"月份范围：{first.label_zh()} 至 {last.label_zh()}（{len(d.periods)} 个报告期，1-2月合并），月报 {len(d.reports):,} 条",
            f"地区：{self.n_provinces} 个省份，{self.n_prefectures} 个地市（{region_src}），41 个工业大类",
            f"全国{last.label_zh()}规上工业增加值同比（同口径，不变价）：{fmt(nat_last['yoy'])}%，"
            f"校准目标（国家统计局公布）{fmt(nat_last['published'])}%，差 {signed(nat_last['gap'], 2)} 个百分点；"
            f"全部 {len(self.national)} 个报告期最大偏差 {fmt(self.max_gap, 2)} 个百分点",
        ]
        last_rows = d.reports[d.reports["period"] == d.periods[-1]]
        expected = int(d.enterprise_years.loc[(d.enterprise_years["year"] == last.year)
                                              & d.enterprise_years["above_scale"]].shape[0])
        out.append(f"报送：{last.label_zh()}应报 {expected:,} 家，已报 {len(last_rows):,} 家，未报 {expected - len(last_rows):,} 家"
                   f"（待催报），待审核 {int((last_rows['status'] == 'submitted').sum()):,} 家")
        if self.naive_last is not None:
            out.append(f"  对照：若直接与上年规上企业总量相比（口径不同），增速为 {self.naive_last:.1f}%")
        for s in d.shocks:
            if s.region == "310000" and s.period.endswith("-04"):
                v = self.province_growth("310000", s.period)
                if v is not None:
                    out.append(f"冲击：上海 {parse_period(s.period).label_zh()} 同比 {v:.1f}%（{s.note}）")
        out.append(f"写入：序列 {self.written.series} 条，新增观测 {self.written.observations_new:,} 个"
                   f"（修订 {self.written.observations_revised:,} 个）；目标为示例值，非各地实际目标")
        out.extend(self.written.extra)
        return out

    def province_growth(self, province: str, period: str) -> float | None:
        rows = self._rows(period)
        rows = rows[rows["region"].str[:2] == province[:2]]
        if rows.empty:
            return None
        return float((rows["va"].sum() / rows["va_base"].sum() - 1) * 100)

    def _rows(self, period: str) -> pd.DataFrame:
        from yacang.demo.growth import report_rows

        d = self.data
        return report_rows(d.reports[d.reports["period"] == period], d.enterprises, d.division_ppi, d.division_params)


def run_demo(wh, config: DemoSpec | None = None, *, home: Path | None = None, step: Step | None = None,
             data: DemoData | None = None) -> DemoSummary:
    """Generate the demo set for ``config`` and write it into ``wh`` (idempotent for the same seed).

    ``step(key, label)``: a context manager around each step (the jobs layer times and reports them);
    ``data``: an already generated set to write instead (e.g. :func:`yacang.demo.writer.upto` of one)."""
    step = step or _no_step
    from yacang.settings import get_settings

    config = config or DemoSpec()
    home = home or get_settings().ensure_home()
    folder = home / "catalog"
    own_list = own_region_list(folder)
    catalog = None if own_list else RegionCatalog.load(home)
    if data is None:
        with step("demo_generate", "生成示例企业与月报"):
            data = generate(config, catalog)
    if data.regions.synthetic and (own_list or not (folder / "regions.parquet").exists()):
        folder.mkdir(parents=True, exist_ok=True)
        data.regions.catalog_rows().to_parquet(folder / "regions.parquet", index=False)
        digest = hashlib.sha256((folder / "regions.parquet").read_bytes()).hexdigest()
        (folder / MARKER).write_text(f"{digest}\n由 yacang demo 合成的示例地市、区县；导入 GB/T 2260 代码表后会被替换。\n",
                                     "utf-8")
    written = write_demo(wh, data, step=step)
    national = national_growth(data, written.rows)
    written.rows = None  # a row per report: not kept with the summary
    return DemoSummary(data, written, data.regions.synthetic, national, entries_exits(data), _naive(data))


def _no_step(key: str, label: str) -> AbstractContextManager[None]:
    return nullcontext()


def own_region_list(folder: Path) -> bool:
    """Whether ``regions.parquet`` is the list a previous demo run synthesised (not a user import)."""
    marker, parquet = folder / MARKER, folder / "regions.parquet"
    if not (marker.exists() and parquet.exists()):
        return False
    digest = marker.read_text("utf-8").split("\n", 1)[0].strip()
    return digest == hashlib.sha256(parquet.read_bytes()).hexdigest()


def _naive(data: DemoData) -> float | None:
    """Growth of the last period against last year's published 规上 total (a different enterprise set)."""
    last = data.periods[-1]
    before = f"{int(last[:4]) - 1}{last[4:]}"
    if before not in data.periods:
        return None
    ent = data.enterprises[["uscc", "industry"]]
    rates = dict(cal.DIVISION_VA_RATES)
    cur = data.reports[data.reports["period"] == last].merge(ent, on="uscc")
    old = data.reports[data.reports["period"] == before].merge(ent, on="uscc")
    ppi = data.division_ppi[data.division_ppi["period"] == last].set_index("division")["index_yoy"]
    div = cur["industry"].str[:2]
    num = (cur["output_value"] * div.map(rates) * 100 / div.map(ppi)).sum()
    den = (old["output_value"] * old["industry"].str[:2].map(rates)).sum()
    return float((num / den - 1) * 100)
