"""Early warning: rule engine with alert states, 红黄蓝 raw-material warning, capacity warning, signal lights.

Modules: ``expr`` (safe expression language), ``rules`` (YAML rule packs), ``engine`` (states
pending → firing → resolved, evaluated on whole units × periods grids; changes and current state),
``messages`` (Chinese messages in NBS wording), ``regions`` (the one rule for which region an alert
belongs to), ``silences`` (silences, mute windows), ``store`` (history by change in the warehouse, tables
in :mod:`yacang.warehouse.alerts`), ``facts`` (inputs), ``run`` (one evaluation), ``materials``,
``capacity``, ``lights``, ``charts``.

States officials see: 触发中 (firing), 待定 (pending), 已解除 (resolved), 已静默 (silenced), 已确认
(acknowledged). 1-2月 is a period like any other: every rule is evaluated on it.
"""
