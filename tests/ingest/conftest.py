"""Parsed real files shared by several ingest tests (parsing the big Wind workbook takes seconds)."""

import pytest

from tests.ingest.helpers import WIND_MAIN
from yacang.ingest.wind import parse_wind


@pytest.fixture(scope="session")
def wind_main(shared_data):
    return parse_wind(shared_data / WIND_MAIN)
