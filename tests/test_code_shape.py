"""Code for the next engineer: no module of the core or of a built-in plugin grows past ~400 lines
(a new concern goes in a module of its own). The message catalogue is a table, not code."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 400
TABLES = {"src/kaohe_tui/messages.py"}


def test_no_module_over_the_limit():
    long = {}
    for folder in ("src", "plugins"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT and name not in TABLES:
                long[name] = lines
    assert long == {}
