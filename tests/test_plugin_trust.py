"""A plugin runs with the rights of whoever starts kaohe: every plugin file and folder must belong
to that login (or root) and be writable by nobody else; a plugin that exits or interrupts at
import is isolated and reported; a plugin named like a built-in is reported, not silently
dropped."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import Kaohe

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def folder(tmp_path) -> Path:
    out = tmp_path / "plugins"
    shutil.copytree(FIXTURES / "core_plugin", out)
    out.chmod(0o755)
    for path in out.iterdir():
        path.chmod(0o644)
    return out


def schemes_and_failures(db: Path, folder: Path) -> tuple[set[str], dict[str, str]]:
    k = Kaohe(db, [folder])
    info = k.json("plugins")
    ids = {s["id"] for s in k.json("schemes")}
    return ids, {f["plugin"]: f["error"] for f in info["failed"]}


def test_a_trusted_folder_loads(db_path, folder):
    ids, failed = schemes_and_failures(db_path, folder)
    assert "fixture" in ids and failed == {}


@pytest.mark.parametrize("mode,says", [(0o775, "同组可写"), (0o757, "人人可写")])
def test_folder_writable_by_others_refused(db_path, folder, mode, says):
    folder.chmod(mode)
    ids, failed = schemes_and_failures(db_path, folder)
    assert "fixture" not in ids  # its code never ran
    assert any(says in error for error in failed.values()), failed


@pytest.mark.parametrize("mode,says", [(0o666, "人人可写"), (0o664, "同组可写")])
def test_plugin_file_writable_by_others_refused(db_path, folder, mode, says):
    (folder / "fixture_scheme.py").chmod(mode)
    ids, failed = schemes_and_failures(db_path, folder)
    assert "fixture" not in ids
    assert says in failed["fixture_scheme"]


@pytest.mark.parametrize("weak", ["__init__.py", "__pycache__"])
def test_package_file_writable_by_others_refused(db_path, tmp_path, weak):
    """The folder is sound, the package folder is sound; its __init__.py, or the folder Python
    keeps compiled modules in (a planted .pyc runs too), is writable by every user."""
    outer = tmp_path / "plugins"
    package = outer / "fixture_pkg"
    package.mkdir(parents=True)
    outer.chmod(0o755)
    package.chmod(0o755)
    for path in (FIXTURES / "core_plugin").iterdir():
        if path.is_file():  # not a __pycache__ the test run left there
            shutil.copy(path, package / ("__init__.py" if path.name == "fixture_scheme.py" else path.name))
    for path in package.iterdir():
        path.chmod(0o644)
    (package / "__pycache__").mkdir(mode=0o755, exist_ok=True)
    (package / weak).chmod(0o777 if weak == "__pycache__" else 0o666)
    ids, failed = schemes_and_failures(db_path, outer)
    assert "fixture" not in ids and "人人可写" in failed["fixture_pkg"]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another login needs root")
@pytest.mark.parametrize("what", ["folder", "file"])
def test_plugin_owned_by_another_login_refused(db_path, folder, what):
    os.chown(folder if what == "folder" else folder / "fixture_scheme.py", 4242, -1)  # uid 4242: someone else
    ids, failed = schemes_and_failures(db_path, folder)
    assert "fixture" not in ids
    assert any("属于 uid 4242" in error for error in failed.values()), failed


@pytest.mark.parametrize("statement,kind", [
    ("import sys; sys.exit(0)", "SystemExit"),
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("raise BaseException('odd')", "BaseException"),
])
def test_plugin_leaving_at_import_is_isolated(db_path, folder, statement, kind):
    (folder / "leaves.py").write_text(statement + "\n", encoding="utf-8")
    (folder / "leaves.py").chmod(0o644)
    k = Kaohe(db_path, [folder])
    done = k.run("record", "fixture", "--period", "2018", "--unit", "党委办", "--indicator", "环境卫生",
                 "--clause", "dirty", "--reason", "检查")
    assert "已记录 #1" in done.stdout and "Traceback" not in done.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 1
    failed = {f["plugin"]: f for f in k.json("plugins")["failed"]}
    assert failed["leaves"]["where"] == "import" and kind in failed["leaves"]["error"]


def test_plugin_named_like_a_builtin_is_reported(db_path, folder):
    (folder / "bureau_departments.py").write_text("raise RuntimeError('never runs')\n", encoding="utf-8")
    (folder / "bureau_departments.py").chmod(0o644)
    k = Kaohe(db_path, [folder])
    proc = k.run("plugins", "--json")
    failed = {f["plugin"]: f["error"] for f in json.loads(proc.stdout)["failed"]}
    assert "已加载的插件同名" in failed["bureau_departments"] and "never runs" not in failed["bureau_departments"]
    assert "bureau-departments" in {s["id"] for s in k.json("schemes")}  # the built-in still works
