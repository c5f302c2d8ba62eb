"""Calibrated demo data: a seeded panel of enterprises and monthly 规上 reports (``yacang demo``)."""
