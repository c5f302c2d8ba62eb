"""Growth math: published-series growth (pandas), 同口径 microdata growth (Ibis), targets, rankings, drags."""

from yacang.measures.facts import alert_facts

__all__ = ["alert_facts"]
