"""Shared fixtures and helpers: a temporary database file, the real ``kaohe`` command (in-process by
default, a real subprocess on request), OS test accounts, and small database probes."""

from __future__ import annotations

import contextlib
import fcntl
import grp
import io
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

# Tests never load installed third-party plugins (entry points).
sys._called_from_test = True  # type: ignore[attr-defined]
os.environ["KAOHE_NO_ENTRY_POINTS"] = "1"
os.environ.pop("KAOHE_PLUGINS_DIR", None)
os.environ.pop("KAOHE_DB", None)

FIXTURES = Path(__file__).parent / "fixtures"
CORE_PLUGIN = FIXTURES / "core_plugin"
# What every ``kaohe`` call of the tests sees, in-process or not: a wide terminal, no entry points.
CALL_ENV = {"KAOHE_NO_ENTRY_POINTS": "1", "COLUMNS": "200"}


# ---------------------------------------------------------------------------------------------
# The kaohe command, in-process: what a fresh ``python -m kaohe_tui`` would do, without paying
# for a new interpreter and its imports (~0.6 s a call, thousands of calls).

class _ProcessState:
    """The module-level state a kaohe run changes (loaded plugins, cached schemes, rule types
    registered by plugins, plugin modules): saved before an in-process call, emptied so the call
    starts as a fresh process would, and put back afterwards so the calling test is unaffected
    (as it would be by a subprocess)."""

    def __init__(self) -> None:
        from kaohe_tui import catalog, plugins, rules

        self.plugins = list(plugins.pm.list_name_plugin())
        self.failures = list(plugins.failures)
        self.state = {k: (list(v) if isinstance(v, list) else v) for k, v in plugins._state.items()}
        self.cache, self.origins = catalog._cache, dict(catalog._origins)
        self.rules = dict(rules._registry)
        self.modules = {k: v for k, v in sys.modules.items() if k.startswith("kaohe_plugin_")}

    @staticmethod
    def fresh() -> None:
        from kaohe_tui import catalog, plugins, rules

        plugins.reset_for_tests()
        catalog.reset()
        rules._registry.clear()
        rules._registry.update(_BUILTIN_RULES)
        for name in [k for k in sys.modules if k.startswith("kaohe_plugin_")]:
            del sys.modules[name]

    def restore(self) -> None:
        from kaohe_tui import catalog, plugins, rules

        self.fresh()
        for name, plugin in self.plugins:
            plugins.pm.register(plugin, name=name)
        plugins.failures[:] = self.failures
        plugins._state.update(self.state)
        catalog._cache = self.cache
        catalog._origins.update(self.origins)
        rules._registry.update(self.rules)
        sys.modules.update(self.modules)


def _builtin_rules() -> dict:
    from kaohe_tui import rules

    return dict(rules._registry)


_BUILTIN_RULES = _builtin_rules()  # before any plugin registered its own rule types


def _decoded(raw: bytes) -> str:
    # as subprocess.run(text=True) gives it: universal newlines
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def run_in_process(argv: list[str], env: dict[str, str] | None = None,
                   input: str | None = None) -> subprocess.CompletedProcess:
    """``kaohe_tui.cli.main(argv)`` as ``python -m kaohe_tui ARGV`` would run it: ``env`` applied for
    the call, stdin from ``input``, stdout/stderr captured (bytes underneath, for code that writes
    to ``.buffer``), ``sys.exit`` codes and uncaught exceptions mapped to the exit status."""
    from kaohe_tui import cli

    saved_env = dict(os.environ)
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_state = _ProcessState()
    out, err = io.BytesIO(), io.BytesIO()
    # kept referenced here: a collected wrapper would close the buffer under it
    streams = (io.TextIOWrapper(io.BytesIO((input or "").encode()), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", write_through=True))
    sys.stdin, sys.stdout, sys.stderr = streams
    os.environ.update(env or {})
    opened: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def tracked_connect(*args, **kwargs):
        conn = connect(*args, **kwargs)
        opened.append(conn)
        return conn

    sqlite3.connect = tracked_connect  # type: ignore[assignment]
    try:
        _ProcessState.fresh()
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = exc.code
        except BaseException:  # what the interpreter would print for an uncaught exception
            traceback.print_exc(file=sys.stderr)
            code = 1
        if code is None:
            code = 0
        elif not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        result = _decoded(out.getvalue()), _decoded(err.getvalue())
    finally:
        sqlite3.connect = connect  # type: ignore[assignment]
        for conn in opened:  # the process would end here, and every connection with it
            conn.close()
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_env)
        saved_state.restore()
    return subprocess.CompletedProcess(["kaohe", *argv], code, *result)


def run_subprocess(argv: list[str], env: dict[str, str] | None = None,
                   input: str | None = None) -> subprocess.CompletedProcess:
    """The same call as a real ``python -m kaohe_tui`` process."""
    return subprocess.run([sys.executable, "-m", "kaohe_tui", *argv], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=input, timeout=120)


class Kaohe:
    """The ``kaohe`` command against one database file. In-process by default; ``subprocess=True``
    (here or per call) runs a real ``python -m kaohe_tui`` process — for what depends on the
    process itself (signals, OS logins, stdin/stdout pipes to a helper, serving)."""

    def __init__(self, db: Path, plugins_dirs: list[Path] | None = None, subprocess: bool = False):
        self.db = db
        self.plugins_dirs = plugins_dirs or []
        self.subprocess = subprocess

    def argv(self, *args: str) -> list[str]:
        extra = [a for d in self.plugins_dirs for a in ("--plugins-dir", str(d))]
        return ["--db", str(self.db), *extra, *map(str, args)]

    def run(self, *args: str, ok: bool = True, input: str | None = None, env: dict[str, str] | None = None,
            subprocess: bool | None = None) -> subprocess.CompletedProcess:
        real = self.subprocess if subprocess is None else subprocess
        proc = (run_subprocess if real else run_in_process)(self.argv(*args), {**CALL_ENV, **(env or {})}, input)
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


# ---------------------------------------------------------------------------------------------
# Killing kaohe inside a write transaction (see kaohe_tui.crashpoint).

def kill_inside_the_write(proc: subprocess.Popen, marker: Path, rows: int, timeout: float = 120) -> int:
    """Wait until ``proc`` (started with ``KAOHE_TEST_PAUSE_IN_TRANSACTION=marker``) holds a write
    transaction that changed at least ``rows`` rows, SIGKILL it there, and return that count.
    Smaller transactions on the way (opening the database) are let through."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists():
            changed = int(marker.read_text())
            if changed >= rows:
                proc.kill()
                proc.wait()
                marker.unlink()  # a helper process of proc's, paused too, goes on and finds its parent gone
                return changed
            marker.unlink()
        assert proc.poll() is None, f"kaohe ended (exit {proc.returncode}) without a write of {rows} rows"
        time.sleep(0.005)
    proc.kill()
    raise AssertionError(f"no write transaction of {rows} rows within {timeout} s")
