"""Fixtures shared by the analysis tests."""

from __future__ import annotations

import pytest

from tests.analysis.realdata import nowcast_inputs
from yacang.analysis.nowcast import NowcastInputs


@pytest.fixture(scope="session")
def real(shared_data) -> NowcastInputs:
    """The nowcast's inputs from the shared NBS/Wind data (built once)."""
    return nowcast_inputs(shared_data)
