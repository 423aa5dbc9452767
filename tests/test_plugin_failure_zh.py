"""A plugin that fails at import is named with a Chinese line (#16/#17 known limit: Python's own
text stayed English, e.g. "module 'os' has no attribute 'nothing'"). Through the real CLI: the
JSON of `kaohe plugins` and the stderr line of any command."""

from __future__ import annotations

import pytest

from conftest import Kaohe

CASES = [
    # (the plugin's one line, what the clerk reads, English that must not remain)
    ("from os import nothing_here", "模块 os 中没有 nothing_here（e.py:1）", "cannot import"),
    ("import os; os.nothing_here", "模块 os 没有属性 nothing_here（e.py:1）", "has no attribute"),
    ("x = (1).nothing_here", "int 对象 没有属性 nothing_here（e.py:1）", "has no attribute"),
    ("len(1)", "类型不对（object of type 'int' has no len()）（e.py:1）", "TypeError"),
    ("{}['k']", "找不到键 'k'（e.py:1）", "KeyError"),
    ("x = undefined_name", "未定义的名字 undefined_name（e.py:1）", "is not defined"),
    ("int('x')", "取值不对（invalid literal for int() with base 10: 'x'）（e.py:1）", "ValueError"),
    ("open('/nonexistent-kaohe/zz')", "找不到文件 /nonexistent-kaohe/zz（e.py:1）", "No such file"),
    ("1 / 0", "除以零（e.py:1）", "division"),
    ("[][1]", "下标超出范围（list index out of range）（e.py:1）", "IndexError"),
    ("import sys; sys.exit(3)", "插件在加载时调用了 sys.exit(3)，已跳过（SystemExit）（e.py:1）", "SystemExit:"),
    ("def f(:\n    pass", "语法错误：e.py 第1行", "invalid syntax"),
]


@pytest.mark.parametrize("source,shown,english", CASES)
def test_a_plugin_failing_at_import_is_named_in_chinese(db_path, tmp_path, source, shown, english):
    folder = tmp_path / "plugins"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "e.py").write_text(source + "\n", encoding="utf-8")
    (folder / "e.py").chmod(0o644)
    k = Kaohe(db_path, [folder])
    failed = k.json("plugins")["failed"]
    assert [(f["plugin"], f["where"], f["error"]) for f in failed] == [("e", "import", shown)]
    assert english not in failed[0]["error"]
    proc = k.run("schemes")
    assert f"kaohe: 插件加载失败：e（导入）：{shown}\n" in proc.stderr
