"""Calibrated demo data: a seeded panel of enterprises and their monthly 规上 reports (``yacang demo``).

* :mod:`yacang.demo.calibration` — published national figures typed in as facts, and demo parameters;
* :mod:`yacang.demo.ppi` — division PPI paths derived from the published national PPI (stylised, seeded);
* :mod:`yacang.demo.regions` — the region tree (imported GB/T 2260 list, or synthetic 示例 prefectures);
* :mod:`yacang.demo.generator` — :class:`DemoSpec` and the pure :func:`generate`;
* :mod:`yacang.demo.writer` — :func:`write_demo` into the warehouse (idempotent) and
  :func:`extra_sets`, the hook for later demo sets (appeals, whitelists, projects);
* :mod:`yacang.demo.build` — :func:`run_demo`, what ``yacang demo`` (and ``yacang run``) call.
"""

from yacang.demo.build import DemoSummary, run_demo
from yacang.demo.generator import DemoData, DemoError, DemoSpec, generate
from yacang.demo.writer import extra_sets, write_demo

__all__ = [
           "DemoData",
           "DemoError",
           "DemoSpec",
           "DemoSummary",
           "extra_sets",
           "generate",
           "run_demo",
           "write_demo",
]
