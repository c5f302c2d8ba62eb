"""benchmarks/national_scale.py at a small size: it runs, both engines give the 累计 growth and the
enterprise count that a plain SQL query over the generated reports gives (an independent second source),
and Spark publishes reports in one partition per period."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "national_scale.py"
N, YEARS = 3000, 2  # 2022–2023: 22 report periods

# 2023-12 累计: the 2023 reports of enterprises 规上 in 2023, each deflated by its division's 2023
# 增加值率 × 100 / PPI of the period; the base is 上年同期 × the same 增加值率.
YTD_SQL = """
    WITH r AS (SELECT r.period, r.uscc, r.output_value, r.output_value_prev, substr(e.industry, 1, 2) AS division
               FROM reports r JOIN enterprises e USING (uscc)
               JOIN enterprise_years y ON y.uscc = r.uscc AND y.year = 2023 AND y.above_scale
               WHERE r.period LIKE '2023-%' AND r.status IN ('submitted', 'accepted'))
    SELECT (sum(r.output_value * p.va_rate * 100 / q.index_yoy) / sum(r.output_value_prev * p.va_rate) - 1) * 100,
           count(DISTINCT r.uscc)
    FROM r JOIN division_params p ON p.year = 2023 AND p.division = r.division
           JOIN division_ppi q ON q.period = r.period AND q.division = r.division"""


def run(tmp_path: Path, engines: str) -> tuple[dict, str, tuple]:
    out = tmp_path / "figures.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--enterprises", str(N), "--years", str(YEARS),
                           "--engines", engines, "--workdir", str(tmp_path), "--keep", "--json", str(out),
                           "--driver-memory", "1g"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (work,) = tmp_path.glob("yc-national-*")
    with duckdb.connect(str(work / "national.duckdb"), read_only=True) as db:
        expected = db.execute(YTD_SQL).fetchone()
    return json.loads(out.read_text()), proc.stdout, expected


def test_duckdb_at_a_small_size(tmp_path):
    res, stdout, (growth, n) = run(tmp_path, "duckdb")
    assert res["generate"]["rows"] == N * 11 * YEARS
    assert res["generate"]["periods"] == 11 * YEARS
    totals = res["duckdb"]["totals"]  # 当月, 累计, 上年累计 growth, enterprises, 增长面, Σ province growth
    assert totals[1] == pytest.approx(growth, rel=1e-9)
    assert totals[3] == n
    assert 0 < n <= N
    assert "duckdb" in stdout.split("engine")[-1]


@pytest.mark.spark
@pytest.mark.slow
def test_spark_gives_the_same_totals(tmp_path):
    res, stdout, (growth, n) = run(tmp_path, "duckdb,spark")
    spark = res["spark"]
    assert spark["totals"][1] == pytest.approx(growth, rel=1e-9)
    assert spark["totals"][3] == n
    assert spark["totals"] == pytest.approx(res["duckdb"]["totals"], rel=1e-9)
    assert spark["partitions"] == 11 * YEARS
    assert set(spark["phases"]) == {"start-up", "publish", "re-publish", "compute"}
    assert "reports in 22 period partitions" in stdout
