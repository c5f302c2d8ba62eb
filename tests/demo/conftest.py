"""A small demo panel shared by the demo tests (generated once per test session)."""

from __future__ import annotations

import pytest

SMALL = {"enterprises": 2500, "months": 36, "end": "2022-12", "seed": 7}


@pytest.fixture(scope="session")
def small_demo():
    from yacang.demo.generator import DemoSpec, generate

    return generate(DemoSpec(**SMALL))
