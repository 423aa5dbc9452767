"""The rarer refusals speak Chinese too (#17's known limits): sign-off and migration failures,
scheme files, roster fields, export encodings, case profiles, plugins that fail to import, and
every option's help. Each goes through the real CLI and asserts the one line a clerk reads:
file, row or key, and what to do; nothing half-written behind it."""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import sqlite3
from pathlib import Path

from conftest import CORE_PLUGIN, Kaohe, count_rows

SRC = Path(__file__).parents[1] / "src" / "kaohe_tui"
PLUGINS = Path(__file__).parents[1] / "plugins"

# raises whose text never reaches a user: the bulk helper's refusals (the parent then reads the
# file on the careful path, which names the bad row), a bug (shown as 内部错误 with its kind),
# and Python's own protocol for a missing module attribute
INTERNAL = {
    ("bulk_cases.py", "ValueError"), ("bulk_cases.py", "PermissionError"), ("bulk_cases.py", "LookupError"),
    ("bulk_cases.py", "ConnectionAbortedError"), ("bulk_reimport.py", "PermissionError"), ("api.py", "AttributeError"),
    ("month_grid.py", "LookupError"),  # bureau-departments: a scheme without 信息报送 has no month grid
    ("__init__.py", "ValueError"),  # targets: seed 003's points that do not split (the shipped file does)
    # the bulk helper's: a refusal sends the file the careful way, which names the row in Chinese
    ("bulk_reimport.py", "PermissionError"), ("deferred_indexes.py", "RuntimeError"),
}


def _literal(node: ast.AST) -> str:
    """The literal parts of a message (an f-string's values become a space)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else " " for v in node.values)
    if isinstance(node, ast.BinOp):
        return _literal(node.left) + " " + _literal(node.right)
    return ""


def english_messages(root: Path) -> list[str]:
    """Every ``raise X("…")`` and every rule check's ``return "…"`` whose own words are English
    (four ASCII letters or more, beyond option names, the program's name and placeholders
    such as YYYY-MM-DD)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            checks = fn.name in ("check", "validate") or fn.name.startswith("check_")
            for node in ast.walk(fn):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                    kind = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
                    text = _literal(node.exc.args[0])
                elif checks and isinstance(node, ast.Return) and node.value is not None:
                    kind, text = "return", _literal(node.value)
                elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Failure":
                    kind, text = "Failure", " ".join(_literal(arg) for arg in node.args[2:])  # its error
                else:
                    continue
                if (path.name, kind) in INTERNAL:
                    continue
                words = re.sub(r"--?[A-Za-z][\w-]*|kaohe(?: [a-z-]+)?|\b[A-Z][A-Z0-9_-]*\b", " ", text)
                if re.search(r"[A-Za-z]{4,}", words):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {text!r}")
    return sorted(set(found))


def test_the_scan_finds_english():
    tree = "def f(x):\n    raise KaoheError(f'{x}: is not a telephone number')\n"
    folder = Path(__file__).parent / "__scan_probe__"
    folder.mkdir(exist_ok=True)
    try:
        (folder / "probe.py").write_text(tree, encoding="utf-8")
        assert english_messages(folder) == ["__scan_probe__/probe.py:2: ' : is not a telephone number'"]
        (folder / "probe.py").write_text("def f(x):\n    raise KaoheError(f'{x}：“{x}”不是电话号码 YYYY-MM-DD')\n")
        assert english_messages(folder) == []
    finally:
        shutil.rmtree(folder)


def test_no_english_message_is_raised_at_a_user():
    assert english_messages(SRC) == []
    assert english_messages(PLUGINS) == []


def test_every_option_has_chinese_help():
    from kaohe_tui import plugins
    from kaohe_tui.cli import build_parser

    plugins.load_plugins()
    bare = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not action.help or not re.search(r"[\u4e00-\u9fff]", action.help):
                bare.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(build_parser(), "kaohe")
    assert bare == []


# -- export encodings: a name GBK cannot hold, exported for WPS --------------------------------------

def test_a_name_gbk_cannot_hold_is_named_and_nothing_is_written(k, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("单位,类别\n𠮷街道,街道\n", encoding="utf-8")  # 𠮷 (U+20BB7) is in GB18030, not in GBK
    k.run("import", "fixture-cases", str(units), "--kind", "units")
    out = tmp_path / "results.csv"
    proc = k.run("export", "fixture-cases", "--period", "2018", "--format", "csv-gbk", "-o", str(out), ok=False)
    assert proc.stderr == (f"kaohe: {out}：“𠮷”无法用 GBK 编码写出（WPS/Excel 的 GBK 表格容不下这个字）；"
                           "请改用 --format csv（UTF-8），文件未写出\n")
    assert not out.exists() and list(tmp_path.glob("results*")) == []
    k.record("fixture-cases", period="2018Q1", unit="𠮷街道", indicator="处置核查", clause="red-light", reason="𠮷")
    ledger = tmp_path / "ledger.csv"
    proc = k.run("export", "fixture-cases", "--period", "2018", "--what", "ledger", "--format", "csv-gbk",
                 "-o", str(ledger), ok=False)
    assert proc.stderr.startswith(f"kaohe: {ledger}：“𠮷”无法用 GBK 编码写出") and not ledger.exists()
    assert k.run("export", "fixture-cases", "--period", "2018", "--format", "csv", "-o", str(out)).returncode == 0


def test_an_unknown_export_format_is_chinese(k, tmp_path):
    proc = k.run("export", "fixture", "--period", "2018", "--format", "ods", "-o", str(tmp_path / "x.ods"), ok=False)
    assert proc.stderr == "kaohe: --format ods：应为以下之一：xlsx、csv、csv-gbk、json\n"
    proc = k.run("export", "fixture", "--period", "2018", "--what", "roster", "-o", str(tmp_path / "x.csv"), ok=False)
    assert proc.stderr == "kaohe: --what roster：fixture 可导出：results、ledger、audit\n"


# -- case-profile files in the office's profiles folder ----------------------------------------------

CASES = "案件编号,单位,上报时间,处置期限,结案时间\nA1,甲街道,2018-01-05 09:00:00,2018-01-08 09:00:00,\n"


# each bad profile and the start of the one line it gives ({bad}: the profile's path)
BAD_PROFILES = [
    ('name = "ours"\ncolumns = { "单位" = "unit" \n',
     "{bad}：第2行第27列：不是有效的 TOML 写法（检查引号、方括号和等号是否成对、写全）\n"),
    ('name = "ours"\ncolums = { "单位" = "unit" }\n', "{bad}：不认识的键 colums（可用：closing、columns、"),
    ('name = "ours"\nperiod = "month"\n', "{bad}：period = “month”：应为 filed（立案）或 reported（上报）\n"),
    ('name = "ours"\n[columns]\n"单位" = "where"\n', "{bad}：columns.单位 = “where”：应为以下之一：case_id、"),
]


def test_a_bad_case_profile_names_its_file_line_and_key(k, tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text(CASES, encoding="utf-8")
    folder = k.db.parent / "profiles"
    folder.mkdir()
    bad = folder / "ours.toml"
    for text, line in BAD_PROFILES:
        bad.write_text(text, encoding="utf-8")
        proc = k.run("import", "fixture-cases", str(cases), ok=False)
        assert proc.stderr.startswith("kaohe: " + line.format(bad=bad)) and proc.stderr.count("\n") == 1
    assert count_rows(k.db, "SELECT count(*) FROM cases") == 0


# -- scheme files and plugins that fail to load (kaohe plugins, and the line on every command) -------

def broken_folder(tmp_path: Path, toml_text: str | None = None, module: str | None = None) -> Path:
    folder = tmp_path / "plugins"
    shutil.copytree(CORE_PLUGIN, folder, ignore=shutil.ignore_patterns("__pycache__"))
    if toml_text is not None:
        (folder / "fixture.toml").write_text(toml_text, encoding="utf-8")
    if module is not None:
        (folder / "needs_more.py").write_text(module, encoding="utf-8")
    return folder


def plugin_lines(k: Kaohe) -> str:
    """What `kaohe plugins` says failed (from --json: the table wraps with the terminal's width)."""
    return "\n".join(f["error"] for f in k.json("plugins")["failed"])


def test_a_scheme_file_with_bad_toml_is_named_by_line(db_path, tmp_path):
    text = (CORE_PLUGIN / "fixture.toml").read_text(encoding="utf-8").replace('title = "', 'title = ', 1)
    folder = broken_folder(tmp_path, text)
    shown = plugin_lines(Kaohe(db_path, [folder]))
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("title = "))
    assert f"fixture.toml：第{line}行第9列：不是有效的 TOML 写法（检查引号、方括号和等号是否成对、写全）" in shown
    assert "Invalid" not in shown and "Error" not in shown


def test_a_scheme_file_missing_a_key_or_with_a_wrong_type_is_named_by_key(db_path, tmp_path):
    text = (CORE_PLUGIN / "fixture.toml").read_text(encoding="utf-8")
    title = next(row for row in text.splitlines() if row.startswith("title = "))
    folder = broken_folder(tmp_path, text.replace(title + "\n", "", 1))
    k = Kaohe(db_path, [folder])
    assert "fixture.toml：title：缺少必填项" in plugin_lines(k)
    # every other command says it once on stderr and goes on with the rest
    proc = k.run("schemes")
    assert "fixture.toml：title：缺少必填项" in proc.stderr and "Field required" not in proc.stderr
    folder = broken_folder(tmp_path / "2", text.replace("total = 12", 'total = "一百"', 1))
    assert 'total = "一百"' in (folder / "fixture.toml").read_text(encoding="utf-8")
    assert "fixture.toml：total：应为数字" in plugin_lines(Kaohe(db_path, [folder]))


def test_a_second_scheme_of_the_same_id_is_refused_in_chinese(db_path, tmp_path):
    second = broken_folder(tmp_path)
    (second / "fixture_scheme.py").rename(second / "again.py")
    shown = plugin_lines(Kaohe(db_path, [CORE_PLUGIN, second]))
    # whichever of the two pluggy asks first keeps the id
    assert re.search(r"^方案编号 fixture 已由插件 (again|fixture_scheme) 提供，未加载这一个$", shown, re.M)


def test_a_plugin_that_cannot_import_says_which_module_is_missing(db_path, tmp_path):
    folder = broken_folder(tmp_path, module="import kaohe_nonexistent_helper\n")
    k = Kaohe(db_path, [folder])
    shown = plugin_lines(k)
    assert "缺少 Python 模块 kaohe_nonexistent_helper（pip install 安装它，或去掉这个插件）（needs_more.py:1）" \
        in shown
    assert "ModuleNotFoundError" not in shown
    assert k.json("plugins")["failed"][0]["where"] == "import"  # the JSON keeps its contract's value
    proc = k.run("schemes")
    assert proc.stderr.startswith("kaohe: 插件加载失败：needs_more（导入）：缺少 Python 模块 kaohe_nonexistent_helper")
    folder = broken_folder(tmp_path / "2", module="def broken(:\n")
    assert "语法错误：needs_more.py 第1行" in plugin_lines(Kaohe(db_path, [folder]))


# -- sign-off and migrations -------------------------------------------------------------------------

MIGRATION = '''
import kaohe_tui
from sqlite_utils import Migrations

late = Migrations("late_fix")


@late()
def m001_backfill(db):
    db.execute("INSERT INTO schemes (id) VALUES ('half-written')")
    raise RuntimeError("disk quota")


@kaohe_tui.hookimpl
def kaohe_migrations():
    return late
'''


def test_a_failing_migration_is_one_chinese_line_and_leaves_nothing(k, tmp_path):
    k.run("schemes")
    before = count_rows(k.db, "SELECT count(*) FROM schemes")
    folder = tmp_path / "late"
    folder.mkdir()
    (folder / "late_fix.py").write_text(MIGRATION, encoding="utf-8")
    proc = Kaohe(k.db, [CORE_PLUGIN, folder]).run("schemes", ok=False)
    assert proc.stderr == f"kaohe: {k.db}：数据库升级 late_fix 失败（disk quota）；未作任何改动，请把此行告诉维护人员\n"
    assert count_rows(k.db, "SELECT count(*) FROM schemes") == before


def test_an_unreadable_snapshot_is_named_not_a_traceback(k):
    k.record("fixture", period="2018-03", unit="党委办", indicator="基础管理/工作纪律", clause="late", reason="迟到")
    k.run("close", "fixture", "--period", "2018-03", "--reason", "签发")
    with sqlite3.connect(k.db) as conn:  # a damaged file: the snapshot's triggers gone, its blob garbled
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'signoffs'")
        for (name,) in names.fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE signoffs SET results = x'00ff'")
    proc = k.run("score", "fixture", "--period", "2018-03", ok=False)
    assert proc.stderr.startswith("kaohe: 签发快照无法读取（")
    assert proc.stderr.endswith("）；请运行 kaohe verify 核对\n")


def test_closing_twice_withdrawing_twice_and_a_bad_period_are_chinese(k):
    rid = k.record("fixture", period="2018-03", unit="党委办", indicator="基础管理/工作纪律", clause="late",
                   reason="迟到")
    k.run("withdraw", "fixture", str(rid), "--reason", "录错")
    again = k.run("withdraw", "fixture", str(rid), "--reason", "再撤", ok=False)
    assert re.fullmatch(rf"kaohe: 记录 #{rid} 已于 \S+ ?\S* 撤回\n", again.stderr), again.stderr
    assert k.run("withdraw", "fixture", "999", "--reason", "x", ok=False).stderr == "kaohe: 记录 #999 不在 fixture 中\n"
    k.run("close", "fixture", "--period", "2018-03", "--reason", "签发")
    twice = k.run("close", "fixture", "--period", "2018-03", "--reason", "再签", ok=False)
    assert twice.stderr == "kaohe: 期间：2018-03 已经签发关闭\n"
    assert k.run("close", "fixture", "--period", "2018-04", "--reason", "", ok=False).stderr == (
        "kaohe: 事由：签发关闭期间须写明事由\n")
    k.run("reopen", "fixture", "--period", "2018-03", "--reason", "复核")
    assert k.run("reopen", "fixture", "--period", "2018-03", "--reason", "再开", ok=False).stderr == (
        "kaohe: 期间：2018-03 本来就是开启的\n")
