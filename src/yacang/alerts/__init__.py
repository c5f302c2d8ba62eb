"""Early warning: rule engine with alert states, 红黄蓝 raw-material warning, capacity warning, signal lights.

Modules: ``expr`` (safe expression language), ``rules`` (YAML rule packs), ``engine`` (states
pending → firing → resolved), ``silences`` (silences, mute windows), ``store`` (history in the
warehouse), ``facts`` (inputs), ``materials``, ``capacity``, ``lights``, ``charts``.
"""
