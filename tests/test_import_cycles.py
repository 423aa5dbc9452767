"""No import cycles between the faces and the core they call: the import graph of src/kaohe_tui
is read from the source (imports inside functions count too; ``if TYPE_CHECKING:`` blocks do not)
and its strongly connected components must not join the named modules; the faces are not imported
by the core. That src/ has no cycle at all is ``test_plugin_api.test_no_import_cycles`` (grimp)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "src" / "kaohe_tui"


def module_name(path: Path) -> str:
    parts = ("kaohe_tui", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module → the kaohe_tui modules it imports."""
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {id(n) for block in ast.walk(tree)
                   if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                   for n in ast.walk(block)}
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


@pytest.mark.parametrize("prefixes", [
    ("kaohe_tui.cli", "kaohe_tui.commands"),  # cli ⇄ commands (and scheme_cli, cli_support)
    ("kaohe_tui.scheme_cli", "kaohe_tui.commands"),
    ("kaohe_tui.tui.app", "kaohe_tui.tui.screens"),
    ("kaohe_tui.io.units_import", "kaohe_tui.year_units"),
    ("kaohe_tui.actions", "kaohe_tui.tui"),  # the action layer knows no face
    ("kaohe_tui.actions", "kaohe_tui.commands"),
])
def test_no_cycle_joins(graph, prefixes):
    def named(prefix):
        return [m for m in graph if m == prefix or m.startswith((prefix + ".", prefix + "_"))]

    first, second = prefixes
    for a in named(first):
        back = [b for b in named(second) if b in reachable(graph, a) and a in reachable(graph, b)]
        assert back == [], f"import cycle: {a} ⇄ {back}"


def test_the_faces_are_not_imported_by_the_core(graph):
    faces = {m for m in graph if m.startswith(("kaohe_tui.tui", "kaohe_tui.cli", "kaohe_tui.commands",
                                               "kaohe_tui.scheme_cli"))}
    # kaohe_tui.api is the plugins' whole surface, the TUI's pieces included (loaded only when asked for)
    core = [m for m in graph if m not in faces and m not in ("kaohe_tui.__main__", "kaohe_tui.serve", "kaohe_tui.api")]
    leaks = sorted((m, f) for m in core for f in graph[m] if f in faces)
    assert leaks == []


def test_year_history_does_not_import_scoring(graph):
    # consequences → year_history → scoring → consequences was closed only by an import inside a function
    assert "kaohe_tui.scoring" not in graph["kaohe_tui.year_history"]
