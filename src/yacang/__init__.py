"""yacang (压舱) — 工业经济运行监测调度与预警: monitoring, dispatching and early warning of the industrial economy."""

__version__ = "0.1.0"
