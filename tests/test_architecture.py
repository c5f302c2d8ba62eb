"""The import contract: areas import only from layers below or beside them, never up, never in a cycle;
no project module is imported by name at run time (importlib), plug-ins come through entry points."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "yacang"

# The allowed order, lowest first (DESIGN.md: sources → ingest → warehouse → measures → alerts → report /
# web / api). An area may import any area in its own or a lower layer, as long as no cycle forms.
LAYERS: list[set[str]] = [
    {"periods", "text_decoding", "settings", "job_config", "plugins", "formatting", "assets", "docx_style", "validation", "exports",
     "catalog", "appdb", "__init__", "__main__"},
    {"ingest"},
    {"warehouse"},
    {"microdata"},
    {"auth"},
    {"measures", "demo", "checks"},
    {"analysis"},
    {"alerts"},
    {"policy", "dispatch"},
    {"chains", "evaluation"},
    {"report"},
    {"jobs"},
    {"service"},
    {"cli"},
    {"web"},
    {"api"},
]
# Edges that go up, each with the reason it is tolerated; the test fails when one disappears, so the
# list only shrinks.
TOLERATED: dict[tuple[str, str], str] = {}


def _layer_of(area: str) -> int:
    for i, layer in enumerate(LAYERS):
        if area in layer:
            return i
    raise AssertionError(f"area {area!r} is in no layer of the import contract: add it to LAYERS")


def _is_module(name: str) -> bool:
    return (SRC / name).is_dir() or (SRC / f"{name}.py").exists()


def _imports() -> dict[tuple[str, str], set[str]]:
    """(importing area, imported area) → files, for every ``yacang.*`` import (also inside functions)."""
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in SRC.rglob("*.py"):
        rel = f.relative_to(SRC)
        area = rel.parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] if node.module.startswith("yacang.") else (
                    [f"yacang.{a.name}" for a in node.names if _is_module(a.name)] if node.module == "yacang" else [])
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("yacang.")]
            for name in names:
                target = name.split(".")[1]
                if target != area:
                    edges[(area, target)].add(str(rel))
    return edges


def test_every_area_is_placed_and_imports_only_down_or_beside():
    edges = _imports()
    up = {(a, b): sorted(files) for (a, b), files in edges.items()
          if _layer_of(b) > _layer_of(a) and (a, b) not in TOLERATED}
    print("layers, lowest first:", " < ".join("/".join(sorted(layer)) for layer in LAYERS))
    assert not up, f"imports against the layer order: {up}"
    stale = [e for e in TOLERATED if e not in edges]
    assert not stale, f"tolerated edges no longer present, remove them: {stale}"


def test_no_import_cycles_between_areas():
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in _imports():
        graph[a].add(b)
    seen: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        seen[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                raise AssertionError("import cycle: " + " → ".join([*path[path.index(nxt):], nxt]))
            if nxt not in seen:
                visit(nxt)
        path.pop()
        seen[node] = 2

    for n in sorted(graph):
        if n not in seen:
            visit(n)


def test_no_project_module_is_imported_by_name():
    offenders = []
    for f in SRC.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        if "import_module(" in text or "__import__(" in text:
            offenders.append(str(f.relative_to(SRC)))
    assert not offenders, f"importlib/__import__ of project modules: {offenders} (use a direct import or an entry point)"


def test_terminal_drawing_stays_in_the_cli():
    """rich (progress bars, tables) only in ``yacang.cli``: lower layers report through callbacks
    (``yacang.jobs.progress``), so the service and the web can show the same progress their own way."""
    offenders = []
    for f in SRC.rglob("*.py"):
        rel = f.relative_to(SRC)
        if rel.parts[0] == "cli":
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            mods = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any(m == "rich" or m.startswith("rich.") for m in mods):
                offenders.append(str(rel))
    assert not offenders, f"rich imported outside yacang.cli: {sorted(set(offenders))}"


def test_models_are_found_through_entry_points():
    from yacang.appdb.base import import_models

    assert {"auth", "dispatch", "policy"} <= set(import_models())
