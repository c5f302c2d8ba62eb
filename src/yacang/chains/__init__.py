"""产业链供应链 (issue 19): chain maps, enterprises on chains, disruption propagation, 堵点卡点, 一链一策.

Modules: ``maps`` (chain maps from YAML/XLSX, validated), ``members`` (enterprises on segments, roles),
``links`` (supplier→customer links from XLSX), ``engine`` (day-by-day propagation on a scipy.sparse
graph), ``naive`` (the per-node reference used by tests and the benchmark), ``shocks`` (scenarios:
region stop, enterprise stop, material shortage; stored in the warehouse), ``chokepoints`` (单一来源,
dominators, segment loss, 外省依赖), ``materials`` (红黄蓝 warnings on chain inputs), ``alerts`` (the
rule pack ``alerts/packs/chains.yaml``), ``report`` (一链一策), ``demo`` (placement of the demo set).
Tables and named queries live in :mod:`yacang.warehouse.chains`.
"""
