"""Shared fixtures and helpers: a temporary database file, the real ``kaohe`` command (in-process by
default, a real subprocess on request), OS test accounts, and small database probes."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import functools
import gettext
import grp
import io
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import hypothesis
import pytest

# Tests never load installed third-party plugins (entry points).
sys._called_from_test = True  # type: ignore[attr-defined]
os.environ["KAOHE_NO_ENTRY_POINTS"] = "1"
os.environ.pop("KAOHE_PLUGINS_DIR", None)
os.environ.pop("KAOHE_DB", None)
# Plugin modules are run afresh at every in-process call: with bytecode caching off (as some
# environments set it) each would be compiled again every time.
sys.dont_write_bytecode = False

from kaohe_tui import catalog, plugins, rules  # noqa: E402 — after the environment above
from kaohe_tui import cli as cli_module  # noqa: E402

# Hypothesis times each example against 200 ms by default: on a loaded 2-core machine a first
# example that imports or compiles something misses it, and the test fails for the clock's sake.
# What the properties check is never time (speed lives in benchmarks/).
hypothesis.settings.register_profile("kaohe", deadline=None)
hypothesis.settings.load_profile("kaohe")


def _remembered_find(find=gettext.find):
    """``gettext.find`` answering from memory. argparse runs each of its words through gettext,
    which looks for a translation file on disk every time (~130 lookups building kaohe's parser:
    ~8 ms of each in-process call); the answer depends only on the locale variables (part of the
    key here) and on files the tests never add."""
    @functools.cache
    def remembered(domain, localedir, languages, all, locale):
        return find(domain, localedir, None if languages is None else list(languages), all)

    def lookup(domain, localedir=None, languages=None, all=False):
        locale = tuple(os.environ.get(v) for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"))
        found = remembered(domain, localedir, None if languages is None else tuple(languages), all, locale)
        return list(found) if isinstance(found, list) else found

    return lookup


gettext.find = _remembered_find()

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
        self.plugins = list(plugins.pm.list_name_plugin())
        self.failures = list(plugins.failures)
        self.state = {k: (list(v) if isinstance(v, list) else v) for k, v in plugins._state.items()}
        self.cache, self.origins = catalog._cache, dict(catalog._origins)
        self.rules = dict(rules._registry)
        self.modules = {k: v for k, v in sys.modules.items() if k.startswith("kaohe_plugin_")}

    @staticmethod
    def fresh() -> None:
        plugins.reset_for_tests()
        catalog.reset()
        rules._registry.clear()
        rules._registry.update(_BUILTIN_RULES)
        for name in [k for k in sys.modules if k.startswith("kaohe_plugin_")]:
            del sys.modules[name]

    def restore(self) -> None:
        self.fresh()
        for name, plugin in self.plugins:
            plugins.pm.register(plugin, name=name)
        plugins.failures[:] = self.failures
        plugins._state.update(self.state)
        catalog._cache = self.cache
        catalog._origins.update(self.origins)
        rules._registry.update(self.rules)
        sys.modules.update(self.modules)


_BUILTIN_RULES = dict(rules._registry)  # before any plugin registered its own rule types


def _decoded(raw: bytes) -> str:
    # as subprocess.run(text=True) gives it: universal newlines
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def run_in_process(argv: list[str], env: dict[str, str] | None = None,
                   input: str | None = None) -> subprocess.CompletedProcess:
    """``kaohe_tui.cli.main(argv)`` as ``python -m kaohe_tui ARGV`` would run it: ``env`` applied for
    the call, stdin from ``input``, stdout/stderr captured (bytes underneath, for code that writes
    to ``.buffer``), ``sys.exit`` codes and uncaught exceptions mapped to the exit status."""
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
            code = cli_module.main(list(argv))
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

    def run(self, *args: str, ok: bool | None = True, input: str | None = None, env: dict[str, str] | None = None,
            subprocess: bool | None = None) -> subprocess.CompletedProcess:
        real = self.subprocess if subprocess is None else subprocess
        proc = (run_subprocess if real else run_in_process)(self.argv(*args), {**CALL_ENV, **(env or {})}, input)
        if ok is None:  # either outcome: the caller looks at it
            return proc
        if ok and proc.returncode != 0:
            raise AssertionError(
                f"kaohe {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}"
            )
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


@pytest.fixture
def k(db_path: Path) -> Kaohe:
    """``kaohe`` on a fresh database with the core test plugin (the fixture schemes)."""
    return Kaohe(db_path, [CORE_PLUGIN])


@pytest.fixture
def cli(db_path, capsys):
    """``kaohe`` in this process through capsys on a fresh database: ``cli(*args)`` gives (out, err)."""

    def run(*args, ok: bool = True):
        code = cli_module.main(["--db", str(db_path), *map(str, args)])
        out = capsys.readouterr()
        assert (code == 0) == ok, f"kaohe {' '.join(map(str, args))} → {code}: {out.err}{out.out}"
        return out

    run.json = lambda *args: json.loads(run(*args, "--json").out)  # type: ignore[attr-defined]
    return run


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def load_only(monkeypatch, *names: str) -> None:
    """Load exactly the plugins ``names``, chosen as a user would (``KAOHE_LOAD_PLUGINS``); a
    ``kaohe`` call through ``Kaohe`` inherits the choice (in-process or a process of its own). A
    name listed but in no folder loaded is reported as a failure, as it would be to a user."""
    monkeypatch.setenv(plugins.LOAD_ENV, ",".join(names))


@pytest.fixture
def only_test_plugins(request, monkeypatch):
    """Load only the test module's ``TEST_PLUGINS`` (default: the TUI fixture's plugin), none of
    the built-in scheme plugins: those change while they are written, and these tests are about
    the screens."""
    load_only(monkeypatch, *getattr(request.module, "TEST_PLUGINS", ("tui_fixture",)))


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


def node(tree: list[dict], path: str) -> dict:
    """The node at ``path`` (e.g. "基础管理/工作纪律") in an ``explain --json`` explanation tree."""
    for item in tree:
        if item["path"] == path:
            return item
        found = node(item["children"], path) if item["children"] else None
        if found:
            return found
    return {}


def count_rows(db: Path, sql: str = "SELECT count(*) FROM records") -> int:
    """One figure read straight from the database file (by default: how many records)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchone()[0]


# ---------------------------------------------------------------------------------------------
# Real OS logins for roles (root only): accounts made once, shared by every test and worker.

GROUP = "kaohe_office"
ASSESSOR, NOBODY, UNIT = "kaohe_gyk", "kaohe_nobody", "kaohe_dwb"
NEEDS_ROOT = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd"),
                                reason="creating test OS accounts needs root")


def ensure_account(name: str) -> None:
    """The office group and the login ``name`` in it. Under a lock: two pytest-xdist workers
    would otherwise both see the account missing and the second ``useradd`` would fail."""
    with open("/tmp/kaohe-test-accounts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            grp.getgrnam(GROUP)
        except KeyError:
            subprocess.run(["groupadd", GROUP], check=True)
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--no-create-home", "-G", GROUP, name], check=True)


@pytest.fixture
def office():
    """The database path in a fresh office folder (group ``GROUP``, 0770) under /tmp, which the
    test logins can reach (the pytest tmp_path under /root they cannot)."""
    for name in (ASSESSOR, NOBODY, UNIT):
        ensure_account(name)
    folder = Path(tempfile.mkdtemp(prefix="kaohe-office-", dir="/tmp"))
    os.chmod(folder, 0o770)
    os.chown(folder, -1, grp.getgrnam(GROUP).gr_gid)
    yield folder / "office.db"
    shutil.rmtree(folder, ignore_errors=True)


# The interpreter lives under /root here, which other accounts cannot enter: the child starts as
# root, imports what kaohe needs, then becomes the test account for good (uid, gid, groups)
# before kaohe runs — so kaohe sees a real, different OS login.
AS_USER = """
import os, sys
import kaohe_tui.cli, kaohe_tui.commands, kaohe_tui.scoring, kaohe_tui.report, kaohe_tui.ledger, kaohe_tui.roles
import kaohe_tui.io.exporters, kaohe_tui.io.ledger_import, kaohe_tui.audit, kaohe_tui.lint, rich.console
import kaohe_tui.cases, kaohe_tui.case_import, kaohe_tui.bulk_cases, kaohe_tui.io.units_import, kaohe_tui.units
import subprocess, difflib
import kaohe_tui.restoring, kaohe_tui.io.safe_files, tempfile, hashlib
import json, sqlite3, csv, encodings.gbk, encodings.gb18030, encodings.utf_8_sig, dataclasses
uid, gid, office_gid = (int(x) for x in sys.argv[1:4])
os.setgroups([office_gid]); os.setgid(gid); os.setuid(uid)
sys.exit(kaohe_tui.cli.main(sys.argv[4:]))
"""
LOGIN_ENV = {"KAOHE_NO_ENTRY_POINTS": "1", "HOME": "/tmp"}


def as_login_cmd(user: str, *kaohe_args: str, script: str = AS_USER) -> list[str]:
    """The command line running ``script`` (kaohe's main by default) as the OS login ``user``."""
    account = pwd.getpwnam(user)
    return [sys.executable, "-c", script, str(account.pw_uid), str(account.pw_gid), str(grp.getgrnam(GROUP).gr_gid),
            *kaohe_args]


def run_as(db: Path, *args: str, user: str | None = None) -> subprocess.CompletedProcess:
    """``kaohe`` on ``db`` with the core test plugin, as root (``user=None``) or as ``user``: a real process."""
    kaohe_args = ["--db", str(db), "--plugins-dir", str(CORE_PLUGIN), *args]
    cmd = [sys.executable, "-m", "kaohe_tui", *kaohe_args] if user is None else as_login_cmd(user, *kaohe_args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **LOGIN_ENV, "KAOHE_GROUP": GROUP})


def record_as(db: Path, unit: str, user: str | None = None) -> subprocess.CompletedProcess:
    """One 环境卫生 deduction for ``unit`` in the core fixture scheme."""
    return run_as(db, "record", "fixture", "--period", "2018", "--unit", unit, "--indicator", "环境卫生",
                  "--clause", "dirty", "--reason", "检查", user=user)


# ---------------------------------------------------------------------------------------------
# In-process core calls on the test plugin's schemes.

def load_core_scheme(scheme_id: str):
    """A scheme of the core test plugin (tests/fixtures/core_plugin), loaded afresh."""
    plugins.reset_for_tests()
    catalog.reset()
    plugins.load_plugins([CORE_PLUGIN])
    return catalog.get(scheme_id)


def new_store(path: Path, scheme=None):
    """A database file with every loaded scheme and its units registered (``scheme``: unused,
    kept so call sites read as "a store for this scheme"). The first one for a set of loaded
    plugins is migrated and registered; later ones are copies of it (a property test makes two an
    example: migrating and seeding cost ~65 ms each, a copy well under 1 ms)."""
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    template = None if Path(path).exists() or os.environ.get("KAOHE_GROUP") else _template(_store_key())
    if template is not None and template.exists():
        shutil.copyfile(template, path)
        os.chmod(path, 0o600)  # as Store makes a new file
    store = Store(path)
    ensure_registered(store)  # nothing left to do on a copy: the same check as on a fresh file
    if template is not None and not template.exists():
        _save_template(store, template)
    return store


_TEMPLATES = Path(tempfile.mkdtemp(prefix="kaohe-templates-"))
atexit.register(shutil.rmtree, _TEMPLATES, ignore_errors=True)


def _store_key() -> str:
    """What a freshly made database depends on: the plugins loaded (by file and version) and the
    schemes they gave, as loaded now."""
    import hashlib

    loaded = []
    for name, plugin in sorted(plugins.pm.list_name_plugin(), key=lambda item: item[0]):
        source = getattr(plugin, "__file__", None)
        stat = os.stat(source) if source and os.path.exists(source) else None
        loaded.append((name, source, stat and (stat.st_mtime_ns, stat.st_size)))
    schemes = sorted((s.id, str(s.source), s.plugin) for s in catalog.schemes().values())
    return hashlib.sha256(repr((loaded, schemes)).encode()).hexdigest()[:20]


def _template(key: str) -> Path:
    return _TEMPLATES / f"{key}.db"


def _save_template(store, template: Path) -> None:
    """A copy of ``store``'s file as it is now (fresh: migrated, registered, seeded), whole."""
    partial = template.with_suffix(".partial")
    backup = sqlite3.connect(partial)
    try:
        store.db.conn.backup(backup)
    finally:
        backup.close()
    os.replace(partial, template)


def db_rows(db: Path, sql: str, args=()) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


def add_records(db_path: Path, scheme: str, rows: list[dict], plugins_dirs: list[Path] | None = None) -> list[int]:
    """Set records up through the core (the same check and insert as ``kaohe record``), in-process."""
    from kaohe_tui.ledger import Draft, add_record
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    plugins.load_plugins(plugins_dirs or [])
    store = Store(db_path)
    try:
        ensure_registered(store)
        return [add_record(store, catalog.get(scheme), Draft(**fields)) for fields in rows]
    finally:
        store.close()


# ---------------------------------------------------------------------------------------------
# Case files in kaohe's own layout (the fixture-cases scheme).

CASES_HEADER = "案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
Q1_CASES = [
    *[f"A{i},甲街道,12319,2018-01-0{i} 09:00,2018-01-2{i} 17:00,2018-01-1{i} 10:00,0,0,满意" for i in range(1, 9)],
    "A9,甲街道,巡查,2018-02-01 09:00,2018-02-20 17:00,2018-02-19 10:00,2,0,基本满意",  # extended twice, closed in time
    "A10,甲街道,巡查,2018-02-02 09:00,2018-02-10 17:00,2018-02-15 10:00,0,2,不满意",  # overdue, two failed checks
    "B1,乙街道,巡查,2018-03-01 09:00,2018-03-05 17:00,2018-03-04 10:00,0,0,",
    "B2,乙街道,巡查,2018-03-01 09:00,2018-03-05 17:00,2018-03-04 11:00,0,0,",
    "B3,乙街道,巡查,2018-03-02 09:00,2018-03-10 17:00,,0,0,",  # still open past its deadline: red light
    "B4,乙街道,巡查,2018-03-03 09:00,2018-03-12 17:00,,0,0,",
]


def cases_file(tmp_path: Path, lines: list[str], encoding="utf-8") -> Path:
    path = tmp_path / "cases.csv"
    path.write_bytes((CASES_HEADER + "\n".join(lines) + "\n").encode(encoding))
    return path


# ---------------------------------------------------------------------------------------------
# The Textual app through Pilot.

TUI_PLUGIN = FIXTURES / "tui_plugin"
BROKEN = TUI_PLUGIN / "broken"


def make_app(db_path: Path, tmp_path: Path | None = None, dirs=(TUI_PLUGIN,), **kwargs):
    from kaohe_tui.tui.app import KaoheApp

    return KaoheApp(db_path=db_path, plugins_dirs=list(dirs), export_dir=tmp_path, **kwargs)


def tui_record(db_path: Path, **fields) -> int:
    """One record of the tui-fixture scheme, through the core."""
    return add_records(db_path, "tui-fixture", [fields], [TUI_PLUGIN])[0]


async def settle(pilot, delay: float = 0.0) -> None:
    """Let timers fire (``delay``: longer than the debounce of a typed filter or a preview) and
    workers (scoring, previews, page loads) finish, and whatever they started in turn."""
    from textual.worker import WorkerCancelled

    if delay:
        await pilot.pause(delay)
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one (a burst of keys): wait again
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_scheme(pilot, which: int | str = 0) -> None:
    """From the schemes screen into a scheme: by row, or by id (an id ending in "*" by its start)."""
    await settle(pilot)
    table = pilot.app.screen.query_one("#schemes")
    if isinstance(which, str):
        ids = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        which = next(i for i, v in enumerate(ids) if v == which or which.endswith("*") and v.startswith(which[:-1]))
    table.move_cursor(row=which)
    await pilot.press("enter")
    await settle(pilot)


async def open_fixture_cases(pilot) -> None:
    """From the schemes screen into the fixture-cases scheme."""
    await open_scheme(pilot, "fixture-c*")


def rows_of(table) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(widget) -> str:
    return str(widget.render())


def offered(screen, select_id: str) -> list[str]:
    """The choices a Select shows in its drop-down (the blank prompt left out)."""
    overlay = screen.query_one(select_id).query_one("SelectOverlay")
    prompts = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
    return [p for p in prompts if p and not p.startswith("选择")]


def burst(app, *keys: str) -> None:
    """Post every key at once, as a terminal delivers a burst read in one go: nothing waits
    for the previous key to be handled."""
    from textual import events

    for key in keys:
        char = key if len(key) == 1 else {"enter": "\r", "space": " "}.get(key)
        app.post_message(events.Key(key, char))


async def run_import(pilot, dialog, path: Path, *, kind: str = "auto", period=None, skip: bool = False) -> None:
    """Fill the import dialog and press enter in its path field."""
    dialog.query_one("#import-path").value = str(path)
    dialog.query_one("#import-kind").value = kind
    if period:
        dialog.query_one("#import-period").value = period
    dialog.query_one("#import-skip").value = skip
    await pilot.pause()
    dialog.query_one("#import-path").focus()
    await pilot.press("enter")
    await settle(pilot)


# The bureau-departments 计分表 (附件3) records two screens' tests start from.
SHEET_RECORDS = [
    dict(unit="房管处", indicator="工作纪律", clause="late-early", count=2, period="2018", date="2018-04-16",
         reason="考勤抽查：2人次迟到"),
    dict(unit="房管处", indicator="重点指标扣分", clause="key-indicator", amount=1, period="2018",
         reason="房屋安全重点指标未达标"),
    dict(unit="房管处", indicator="特别附加分", clause="final-points", amount=1.5, period="2018",
         reason="获市级表彰"),
]


# Pilot steps for snapshot tests: each asserts on the screen as drawn before the picture is taken.

SIZE = (80, 24)


def steps(*actions):
    """A run_before: each action is a key or an async function of the pilot; workers and
    debounce timers settle after each, and no input cursor blinks in the picture."""
    async def run(pilot) -> None:
        await settle(pilot)
        for action in actions:
            if callable(action):
                await action(pilot)
            else:
                await pilot.press(action)
            await settle(pilot, 0.25)
        from textual.widgets import Input

        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await quiet(pilot)
    return run


async def quiet(pilot) -> None:
    """Until no worker runs and two refreshes have passed since (a loaded machine can leave a
    table's column widths a refresh behind its rows)."""
    for _ in range(40):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if not any(w.is_running for w in pilot.app.workers):
            break
    await pilot.pause(0.1)
    await pilot.pause()


def visible(pilot) -> list[str]:
    """The screen's lines as a person reads them at 80×24: what is drawn, not what a widget holds."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


def tokens(lines: list[str], first: str) -> list[str]:
    """The words of the first line whose first word is ``first`` (a table row, by its unit)."""
    return next(line.split() for line in lines if line.split()[:1] == [first])


def expect(check):
    """A step that asserts on the screen as drawn (the snapshot then records the same picture)."""
    async def run(pilot) -> None:
        await quiet(pilot)
        check(visible(pilot))
    return run


def _c_compiler_builds_kaohe_time() -> bool:
    from kaohe_tui import native

    return native.library() is not None


# The bulk path reads platform time forms through a C function built with the machine's compiler
# (kaohe_tui/native); without one those files go the careful path, so tests of that are skipped.
needs_native_time = pytest.mark.skipif(not _c_compiler_builds_kaohe_time(),
                                       reason="no C compiler: the bulk path takes kaohe's own time form only")


def cli_commands() -> list[tuple[str, argparse.ArgumentParser]]:
    """Every command path the ``kaohe`` parser has with the built-in plugins loaded ("record",
    "scheme set", "bonus apply" …), each with its parser, in the parser's order."""
    from kaohe_tui.cli import build_parser

    plugins.load_plugins()
    found: list[tuple[str, argparse.ArgumentParser]] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append((f"{path} {name}".strip(), sub))
                    walk(sub, f"{path} {name}")

    walk(build_parser(), "")
    return found


# ---------------------------------------------------------------------------------------------
# Order: the long tests first (property tests, and those marked ``long``), so that pytest-xdist's
# workers end together instead of one of them running a 20-second test alone at the end.

LONG = {  # 5 s of CPU or more each (2026-12, before the suite was sped up): real processes, many screens
    "test_concurrent_writers_lose_nothing", "test_in_process_equals_a_real_process",
    "test_roles_refused_outside_their_rights", "test_assessing_rights_follow_both_attachments",
    "test_kept_results_screen_counts_another_process_write_when_opened_again",
    "test_ctrl_e_writes_the_same_workbook_as_the_cli", "test_ctrl_e_exports_the_community_list_and_the_roster",
}


def _long(item: pytest.Item) -> bool:
    return bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False) or item.get_closest_marker("long")
                or getattr(item, "originalname", item.name) in LONG)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not _long(item))  # stable: the rest keep their order
