"""yacang's one extension mechanism: Python entry points (``importlib.metadata``), documented here.

Groups (declared in ``pyproject.toml`` under ``[project.entry-points."<group>"]``; a third-party
package adds its own entries the same way and they are found once it is installed):

- ``yacang.models``: modules declaring app-database tables on :class:`yacang.appdb.base.Base`
  (imported before ``create_all`` and by the Alembic environment);
- ``yacang.demo_sets``: callables ``(warehouse, demo data, config) -> summary line`` that add to
  ``yacang demo`` (the dispatch set: appeals, whitelists, projects; the chains set: links).

An entry that fails to load raises: a broken plug-in is an error, never silently skipped.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

GROUPS = ("yacang.models", "yacang.demo_sets")


def load(group: str) -> dict[str, Any]:
    """Every entry of ``group``, loaded, by name (sorted, so the order is the same on every machine)."""
    if group not in GROUPS:
        raise ValueError(f"unknown plug-in group {group!r}; known: {', '.join(GROUPS)}")
    return {ep.name: ep.load() for ep in sorted(entry_points(group=group), key=lambda e: e.name)}
