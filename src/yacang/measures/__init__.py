"""Growth math: published-series growth (pandas), 同口径 microdata growth (Ibis), targets, rankings, drags."""
