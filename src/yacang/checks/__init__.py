"""Data checks across the warehouse: cross-source agreement and internal consistency (累计 vs 当月)."""
