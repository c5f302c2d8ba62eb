"""Losses: one sum for a scenario's affected enterprises, where an unknown loss is never 0."""

import math

import pandas as pd

from yacang.chains.losses import losses


def _ents(*values: float | None) -> pd.DataFrame:
    return pd.DataFrame({"output_lost": pd.Series(values, dtype="float64")})


def test_known_losses_are_summed_and_the_unknown_counted():
    lost = losses(_ents(148.0, None, 127.2))
    assert lost.affected == 3 and lost.unknown == 1
    assert math.isclose(lost.output_lost, 275.2)
    assert lost.text() == "275.2（另 1 家无月报，未计入）"


def test_no_known_loss_is_unknown_not_zero():
    lost = losses(_ents(None, None))
    assert lost.output_lost is None and lost.all_unknown
    assert lost.text() == "—（无月报，无法估算）"


def test_nothing_affected_loses_nothing():
    lost = losses(_ents())
    assert (lost.affected, lost.output_lost, lost.unknown) == (0, 0.0, 0)
    assert lost.text() == "0.0"


def test_thousands_are_separated_in_tables():
    assert losses(_ents(12345.67)).text() == "12,345.7"
