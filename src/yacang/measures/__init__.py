"""Growth math: published-series growth (pandas), 同口径 microdata growth (Ibis), targets, rankings, drags."""

from yacang.measures.alert_inputs import alert_facts

__all__ = ["alert_facts"]
