"""Enterprises submitting at the same time as officials read, against a real server: every submission is
answered, stored exactly once, and none waits on another's app-database transaction (a lock-order bug once
stalled concurrent submissions until SQLite's timeout)."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.harness import served
from tests.web.conftest import bearer
from tests.web.fixtures import USCC_A, USCC_B

pytestmark = pytest.mark.slow
MONTHS = ["2022-03", "2022-04", "2022-05", "2022-06", "2022-07"]


def test_concurrent_submissions_are_all_stored_once(fresh_app, fresh_tokens):
    results: dict[str, list[int]] = {"ent_a": [], "ent_b": []}
    reads: list[int] = []
    stop = threading.Event()

    with served(fresh_app) as url:
        def submit(user: str) -> None:
            with httpx.Client(base_url=url, timeout=60) as c:
                for month in MONTHS:
                    body = {"period": month, "values": {"output_value": "12000", "output_value_prev": "11000",
                                                        "sales_value": "11800"}}
                    results[user].append(c.post("/api/reports", json=body,
                                                headers=bearer(fresh_tokens[user])).status_code)

        def read() -> None:
            with httpx.Client(base_url=url, timeout=60) as c:
                while not stop.is_set():
                    reads.append(c.get("/api/overview", headers=bearer(fresh_tokens["admin"])).status_code)

        threads = [threading.Thread(target=submit, args=(u,)) for u in results]
        reader = threading.Thread(target=read)
        reader.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        stop.set()
        reader.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "a submission is stuck"
        with fresh_app.state.yacang.reader() as wh:  # before the server stops (it closes its warehouse)
            rows = wh.db.execute("SELECT uscc, period, count(*) FROM reports WHERE uscc IN (?, ?) AND period IN "
                                 "(SELECT unnest(?)) GROUP BY uscc, period", [USCC_A, USCC_B, MONTHS]).fetchall()

    assert results == {"ent_a": [200] * 5, "ent_b": [200] * 5}
    assert reads and set(reads) == {200}
    assert sorted((u, p) for u, p, _n in rows) == sorted((u, p) for u in (USCC_A, USCC_B) for p in MONTHS)
    assert all(n == 1 for _u, _p, n in rows)
