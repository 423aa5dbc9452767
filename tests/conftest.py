"""Shared fixtures: a temporary database file and the real ``kaohe`` command as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Tests never load installed third-party plugins (entry points).
sys._called_from_test = True  # type: ignore[attr-defined]
os.environ["KAOHE_NO_ENTRY_POINTS"] = "1"
os.environ.pop("KAOHE_PLUGINS_DIR", None)
os.environ.pop("KAOHE_DB", None)


class Kaohe:
    """Runs ``python -m kaohe_tui`` against one database file."""

    def __init__(self, db: Path, plugins_dirs: list[Path] | None = None):
        self.db = db
        self.plugins_dirs = plugins_dirs or []

    def run(self, *args: str, ok: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
        extra = [a for d in self.plugins_dirs for a in ("--plugins-dir", str(d))]
        env = {**os.environ, "KAOHE_NO_ENTRY_POINTS": "1", "COLUMNS": "200"}
        proc = subprocess.run([sys.executable, "-m", "kaohe_tui", "--db", str(self.db), *extra, *map(str, args)],
                              capture_output=True, text=True, env=env, input=input, timeout=120)
        if ok and proc.returncode != 0:
            raise AssertionError(f"kaohe {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}")
        if not ok and proc.returncode == 0:
            raise AssertionError(f"kaohe {' '.join(map(str, args))} should have failed:\n{proc.stdout}")
        return proc

    def json(self, *args: str):
        return json.loads(self.run(*args, "--json").stdout)

    def record(self, scheme: str, **fields) -> int:
        args = ["record", scheme]
        for key, value in fields.items():
            if value is None:
                continue
            if key == "attr":
                for item in value if isinstance(value, list) else [value]:
                    args += ["--attr", item]
                continue
            args += [f"--{key}", str(value)]
        out = self.run(*args).stdout
        return int(out.strip().split("#")[-1])

    def score(self, scheme: str, period: str) -> dict[str, dict]:
        """Results by unit name."""
        return {r["unit"]: r for r in self.json("score", scheme, "--period", period)}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kaohe.db"


@pytest.fixture
def kaohe(db_path: Path) -> Kaohe:
    return Kaohe(db_path)


@pytest.fixture(autouse=True)
def fresh_plugins():
    """In-process tests start from no loaded plugins and an empty scheme cache."""
    from kaohe_tui import catalog, plugins

    plugins.reset_for_tests()
    catalog.reset()
    yield
    plugins.reset_for_tests()
    catalog.reset()
