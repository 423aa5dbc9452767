"""The plugin API as a stranger meets it: scheme hooks scoped to their own plugin through pluggy's
own hook calling, ``kaohe_tui.api`` as the one import, the guide's example built and scored from
the guide alone, ``KAOHE_LOAD_PLUGINS``, refused names and keys, the core's migration order, and
no import cycles. The CLI runs in-process (``cli.main``) against a real database file."""

from __future__ import annotations

import ast
import json
import re
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest

from kaohe_tui import catalog, plugins
from kaohe_tui.cli import main
from kaohe_tui.paths import bundled

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "PLUGINS.md"


def kaohe(capsys, *args: str) -> str:
    """``kaohe ARGS`` in-process; its stdout (fails on a non-zero exit)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, f"kaohe {' '.join(args)} → {code}: {err}{out}"
    return out


def write_plugin(folder: Path, name: str, files: dict[str, str]) -> Path:
    package = folder / name
    package.mkdir(parents=True)
    for file, text in files.items():
        (package / file).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


# A scheme plugin that answers every scheme hook without asking which scheme it is called for:
# before scoping, its demo record (a unit only its scheme has) reached street-linkage's demo.
CARELESS = {
    "careless.toml": """
        id = "careless"
        title = "不过滤方案的插件"
        periods = ["2024"]
        total = 10
        [[units]]
        name = "只在本方案的科室"
        [[indicators]]
        name = "卫生"
        points = 10
        clauses = [{ id = "dirty", text = "每次扣1分", per = 1 }]
        """,
    "__init__.py": """
        from pathlib import Path

        from kaohe_tui.api import hookimpl

        @hookimpl
        def kaohe_schemes():
            return [Path(__file__).parent / "careless.toml"]

        @hookimpl
        def kaohe_demo_records(scheme):
            return [{"unit": "只在本方案的科室", "indicator": "卫生", "clause": "dirty", "count": 2,
                     "period": "2024", "reason": "不看方案"}]

        @hookimpl
        def kaohe_unit_attributes(scheme):
            return [("楼层", "楼层")]
        """,
}


def test_a_scheme_hook_reaches_only_its_own_plugin_through_pluggy(tmp_path, capsys, monkeypatch):
    folder = write_plugin(tmp_path / "extra", "careless", CARELESS)
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "street_linkage,careless,scheme_years")
    seen: list[tuple[str, str, list[str]]] = []

    def before(hook_name, hook_impls, kwargs):
        if "scheme" in kwargs:
            seen.append((hook_name, kwargs["scheme"].id, sorted(i.plugin_name for i in hook_impls)))

    undo = plugins.pm.add_hookcall_monitoring(before, lambda *a: None)
    try:
        db = tmp_path / "k.db"
        kaohe(capsys, "--db", str(db), "--plugins-dir", str(folder), "demo")
    finally:
        undo()
    assert not plugins.failures, plugins.failures
    calls = {(hook, scheme): impls for hook, scheme, impls in seen}
    assert calls[("kaohe_demo_records", "street-linkage")] == ["street_linkage"]
    assert calls[("kaohe_demo_records", "careless")] == ["careless"]
    with sqlite3.connect(db) as conn:
        units = dict(conn.execute("SELECT scheme, group_concat(DISTINCT unit) FROM records GROUP BY scheme"))
    assert units["careless"] == "只在本方案的科室"
    assert "只在本方案的科室" not in units["street-linkage"]
    # a general plugin (no scheme of its own) still serves every scheme: scheme_years' 参数 screen
    from kaohe_tui.tui.extension import screens_for

    assert [(p, s.key) for p, s in screens_for(catalog.get("careless"))] == [("scheme_years", "y")]


def test_one_broken_implementation_is_reported_and_the_others_still_answer(tmp_path, monkeypatch):
    folder = write_plugin(tmp_path / "extra", "breaks", {"__init__.py": """
        from kaohe_tui.api import hookimpl

        @hookimpl
        def kaohe_consequence_types():
            raise RuntimeError("坏了")
        """})
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "district_categories,breaks")
    plugins.load_plugins([folder])
    from kaohe_tui.consequences import types

    assert "roster_missing" in types()  # district_categories' answer survives the broken plugin
    assert [(f.plugin, f.where) for f in plugins.failures] == [("breaks", "kaohe_consequence_types")]
    assert "出错：RuntimeError：坏了（" in plugins.failures[0].error


def test_plugins_import_nothing_of_kaohe_but_the_api():
    offenders = []
    for path in sorted(bundled("plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {name}" for name in names
                          if name.split(".")[0] == "kaohe_tui" and name != "kaohe_tui.api"]
    assert offenders == []


def test_the_api_loads_no_textual_until_a_plugin_asks_for_a_widget():
    import subprocess

    code = ("import sys, kaohe_tui.api as api; assert 'textual' not in sys.modules, 'eager';"
            "api.KTable; assert 'textual' in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


# -- the guide ------------------------------------------------------------------------------------
def test_the_guide_is_current():
    from kaohe_tui.plugin_guide import render

    text = GUIDE.read_text(encoding="utf-8")
    assert render(text) == text, "docs/PLUGINS.md is stale: run python -m kaohe_tui.plugin_guide"
    table = text.split("<!-- BEGIN GENERATED: rule-types -->")[1]
    for name in ("per_occurrence", "monthly_quota", "pooled_deductions"):  # built in; a built-in plugin's
        assert f"| `{name}` |" in table
    assert "docs/PLUGINS.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_fifth_scheme_from_the_guide_alone(tmp_path, capsys, monkeypatch):
    """The guide's two files, as printed, in a fresh --plugins-dir; recorded and scored with the CLI.

    By hand, from the guide's scheme (考勤 6 points × attendance rate, nothing below 80%; 环境卫生
    4 points, 0.5 off per finding):
      办公室: 考勤 95% → 6 × 0.95 = 5.7; 环境卫生 3 findings → 4 − 3 × 0.5 = 2.5; total 8.2, rank 1
      财务科: 考勤 78% < 80% → 0; 环境卫生 none → 4; total 4, rank 2"""
    files = re.findall(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert {name for name, _ in files} == {"hygiene/__init__.py", "hygiene/hygiene.toml"}
    folder = tmp_path / "plugins-extra"
    for name, body in files:
        assert "kaohe_tui." not in body.replace("kaohe_tui.api", "")  # only the public API
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "hygiene")
    base = ["--db", str(tmp_path / "k.db"), "--plugins-dir", str(folder)]
    assert "通过：hygiene" in kaohe(capsys, *base, "lint", "hygiene")
    for unit, indicator, extra in (("办公室", "考勤", ["--value", "95"]),
                                   ("办公室", "环境卫生", ["--clause", "dirty", "--count", "3"]),
                                   ("财务科", "考勤", ["--value", "78"])):
        kaohe(capsys, *base, "record", "hygiene", "--unit", unit, "--indicator", indicator, *extra,
              "--period", "2024", "--reason", "检查记录")
    results = {r["unit"]: r for r in json.loads(kaohe(capsys, *base, "score", "hygiene", "--period", "2024", "--json"))}
    assert results["办公室"]["indicators"] == {"考勤": 5.7, "环境卫生": 2.5}
    assert (results["办公室"]["total"], results["办公室"]["rank"]) == (8.2, 1)
    assert results["财务科"]["indicators"] == {"考勤": 0.0, "环境卫生": 4.0}
    assert (results["财务科"]["total"], results["财务科"]["rank"]) == (4.0, 2)
    assert not plugins.failures


# -- which plugins load ---------------------------------------------------------------------------
def test_load_plugins_env_chooses_exactly_which_plugins_load(monkeypatch):
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", " targets , 没有这个插件 ")
    plugins.load_plugins()
    assert [p["name"] for p in plugins.get_plugins()] == ["targets"]
    assert [(f.plugin, f.error) for f in plugins.failures] == [
        ("没有这个插件",
         "KAOHE_LOAD_PLUGINS 列出了插件 没有这个插件，但没有找到它（插件目录与已安装的插件中都没有）")]


def test_a_chosen_plugin_that_fails_to_import_is_reported_once_with_its_error(monkeypatch):
    # it was found: a second line saying it was not would send the user looking for it
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "tui_fixture,boom")
    plugins.load_plugins([ROOT / "tests" / "fixtures" / "tui_plugin" / "broken"])
    assert [(f.plugin, f.error) for f in plugins.failures] == [
        ("boom", "出错：RuntimeError：this plugin is broken on purpose（boom.py:1）"),
        ("tui_fixture", "KAOHE_LOAD_PLUGINS 列出了插件 tui_fixture，但没有找到它（插件目录与已安装的插件中都没有）")]


def test_a_user_plugin_named_like_a_built_in_is_reported(tmp_path, monkeypatch):
    (tmp_path / "targets.py").write_text("raise SystemExit('never run')\n", encoding="utf-8")
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "targets")
    plugins.load_plugins([tmp_path])
    assert [(f.plugin, f.where) for f in plugins.failures] == [("targets", "import")]
    assert str(tmp_path / "targets.py") in plugins.failures[0].error and "同名" in plugins.failures[0].error


def test_an_installed_plugin_named_like_a_built_in_is_reported(tmp_path, monkeypatch):
    (tmp_path / "shadow_pkg.py").write_text("raise SystemExit('never run')\n", encoding="utf-8")
    info = tmp_path / "shadow-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shadow\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[kaohe_tui]\ntargets = shadow_pkg\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "_called_from_test", False)
    monkeypatch.delenv("KAOHE_NO_ENTRY_POINTS", raising=False)
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "targets")
    plugins.load_plugins()
    assert [(f.plugin, f.where) for f in plugins.failures] == [("targets", "import")]
    assert "entry point shadow_pkg" in plugins.failures[0].error and "同名" in plugins.failures[0].error


# -- plugin screens and the app's keys --------------------------------------------------------------
def test_a_plugin_screen_on_a_key_the_app_binds_is_refused_and_reported(tmp_path, monkeypatch):
    folder = write_plugin(tmp_path / "extra", "keys", {"__init__.py": """
        from kaohe_tui.api import SchemeScreen, hookimpl

        @hookimpl
        def kaohe_screens(scheme):
            make = lambda app, store, scheme: None
            # i: import a file (every scheme view); ctrl+e: export (the app); ?: help; k: free
            return [SchemeScreen("导入冲突", "i", make), SchemeScreen("导出冲突", "ctrl+e", make),
                    SchemeScreen("帮助冲突", "?", make), SchemeScreen("检查表", "k", make)]
        """})
    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "street_linkage,keys")
    plugins.load_plugins([folder])
    from kaohe_tui.tui.screens.base import plugin_screens

    kept = plugin_screens(catalog.get("street-linkage"))
    assert [s.key for s in kept] == ["k"]
    assert sorted(f.error for f in plugins.failures) == sorted([
        "插件页「导入冲突」的键 i 已被界面占用，未加入；请换一个键",
        "插件页「导出冲突」的键 ctrl+e 已被界面占用，未加入；请换一个键",
        "插件页「帮助冲突」的键 ? 已被界面占用，未加入；请换一个键"])


async def test_reserved_keys_are_every_key_the_running_app_binds_on_a_scheme_view(db_path, monkeypatch):
    """Read from the running app: whatever the app and the base scheme view bind (not a view's own
    keys, which win on that view only) is reserved."""
    from kaohe_tui.tui.app import KaoheApp
    from kaohe_tui.tui.screens.base import SchemeView, reserved_keys

    monkeypatch.setenv("KAOHE_LOAD_PLUGINS", "street_linkage")
    app = KaoheApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = SchemeView(catalog.get("street-linkage"))
        await app.push_screen(view)
        await pilot.pause()
        bound = {key for key, active in view.active_bindings.items() if active.node in (app, view)}
    assert bound and bound <= reserved_keys()


# -- migrations -----------------------------------------------------------------------------------
def test_core_migrations_apply_in_the_listed_order(tmp_path):
    from kaohe_tui.migrations import NAME, ORDER
    from kaohe_tui.store import Store

    Store(tmp_path / "k.db").close()
    with sqlite3.connect(tmp_path / "k.db") as conn:
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ? "
                                              "ORDER BY rowid", [NAME])]
    assert applied == [m.__name__ for m in ORDER]
    assert applied[:4] == ["m001_core_tables", "m002_cases", "m003_roles", "m004_case_imports"]


def test_a_database_migrated_in_the_old_order_opens_and_takes_what_is_missing(tmp_path):
    """A file from before the list: m004 applied before m003 (the old import order), and the
    last two not yet applied."""
    from kaohe_tui.store import Store

    db = tmp_path / "old.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m008_unit_standing', 'm009_target_items')")
        conn.execute("DROP TABLE target_items")
        for column in ("retired_at", "retired_by", "retired_reason"):
            conn.execute(f"ALTER TABLE units DROP COLUMN {column}")
        conn.execute("UPDATE _sqlite_migrations SET rowid = rowid + 100 WHERE name = 'm003_roles'")  # after m004
        conn.execute("INSERT INTO schemes (id, title) VALUES ('s', 't')")
        conn.execute("INSERT INTO units (scheme, name, key, sample) VALUES ('s', '甲', '甲', 0)")
    store = Store(db)
    assert store.db["target_items"].exists()
    assert {"retired_at", "retired_by", "retired_reason"} <= set(store.db["units"].columns_dict)
    assert [r["name"] for r in store.db.query("SELECT name FROM units")] == ["甲"]  # kept as it was
    store.close()


# -- import cycles --------------------------------------------------------------------------------
# None in src/: a module low in the stack (the store, the sign-off snapshots, the records a period
# takes in) never imports one above it, not even inside a function — grimp sees those imports too.
# Only imports for type checking are left out (they never run).
def modules_on_cycles() -> dict[str, list[str]]:
    """Each module of src/kaohe_tui on an import cycle (imports inside functions count, and so do
    the TUI pieces ``kaohe_tui.api`` imports by name on first use) → one such cycle."""
    grimp = pytest.importorskip("grimp")
    from kaohe_tui import api

    graph = grimp.build_graph("kaohe_tui", exclude_type_checking_imports=True, cache_dir=None)
    for module in set(api._TUI.values()):
        graph.add_import(importer="kaohe_tui.api", imported=module)
    found = {}
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                found[module.removeprefix("kaohe_tui.")] = [module, *back[1:]]
                break
    return found


def test_no_import_cycles():
    assert modules_on_cycles() == {}
