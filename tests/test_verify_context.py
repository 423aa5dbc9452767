"""``kaohe verify`` scores again when what scoring reads beyond the records and cases moved since
the close: a plugin's own table edited with the ``sqlite3`` shell, or a code upgrade (kaohe's
version, a plugin's files); and ``kaohe close`` refuses to sign cases that no longer add up to
their monthly counts (issue 18, the holes the fast verify left).

The fixture scheme (tests/fixtures/core_plugin/fixture.toml): 基础管理 12 = 工作纪律 10 (late: −0.5
each) + 环境卫生 2; fixture-cases as in test_verify_cases.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, Kaohe
from kaohe_tui import native

needs_sqlite3 = pytest.mark.skipif(not shutil.which("sqlite3"), reason="the sqlite3 shell is not installed")
needs_native = pytest.mark.skipif(
    native.library(Path(native.__file__).with_name("kaoherows.c")) is None,
    reason="no C compiler or SQLite headers: verify always scores again",
)
SKIPPED = "无须重新计分"
HEADER = "case_id,unit,source,reported_at,deadline,closed_at,extensions,failed_checks,satisfaction\n"
CASES = (
    "C1,甲街道,巡查,2018-01-03 09:00:00,2018-01-10 17:00:00,2018-01-05 10:00:00,0,0,满意\n"
    "C2,乙街道,巡查,2018-02-03 09:00:00,2018-02-10 17:00:00,2018-02-05 10:00:00,1,0,满意\n"
)


def shell(db: Path, *statements: str) -> None:
    """What a group member can do: open the file in the sqlite3 shell, past kaohe."""
    subprocess.run(["sqlite3", str(db), ";\n".join(statements) + ";"], check=True, capture_output=True, text=True)


def march_closed(k: Kaohe) -> Kaohe:
    """党委办 late twice in March 2018: 12 − 2 × 0.5 = 11; 2018-03 signed off."""
    k.run("record", "fixture", "--period", "2018-03", "--unit", "党委办", "--indicator", "工作纪律", "--clause", "late",
          "--count", "2", "--reason", "迟到2次")
    k.run("close", "fixture", "--period", "2018-03", "--reason", "三月考核结果已签发")
    return k


# -- 1. a plugin's own table ------------------------------------------------------------------------
@needs_sqlite3
@needs_native
def test_a_plugin_table_edited_with_the_shell_is_scored_again_and_the_moved_flag_named(kaohe, db_path):
    from kaohe_tui import catalog, plugins
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    plugins.load_plugins()
    roster = importlib.import_module("kaohe_plugin_district_categories.roster")
    store = Store(db_path)
    ensure_registered(store)
    scheme = catalog.get("district-categories")
    for role in ("分管领导", "联络员"):
        roster.set_person(store, scheme, "民政局", role, 姓名="张三", 职务="科员", 手机="13900000001", QQ="10001")
    roster.set_form(store, scheme, "民政局", 2017, "2017-04-05", stamped=True, fax="67898680")  # on time
    store.close()
    kaohe.run("close", "district-categories", "--period", "2017", "--reason", "年度签发")
    out = kaohe.run("verify", "district-categories").stdout
    assert SKIPPED in out
    # past kaohe: the form received four days late (逾期: a flag the signed paper does not carry)
    shell(db_path, "UPDATE district_categories_roster_forms SET received_on = '2017-04-09' WHERE unit = '民政局'")
    out = kaohe.run("verify", "district-categories", ok=False).stdout
    assert "district-categories 2017：民政局 标记签发时" in out and "2017-04-09报送，逾期" in out, out
    assert SKIPPED not in out


@needs_native
def test_a_table_kaohe_writes_for_itself_does_not_make_verify_score_again(k):
    """The audit log, the periods and the roles change with every action: they are not inputs."""
    march_closed(k)
    k.run("record", "fixture", "--period", "2018-04", "--unit", "党委办", "--indicator", "工作纪律", "--clause", "late",
          "--reason", "四月迟到")
    assert SKIPPED in k.run("verify", "fixture").stdout


# -- 2. a code upgrade -------------------------------------------------------------------------------
@needs_native
def test_an_upgrade_of_kaohe_that_moves_a_figure_is_named(k, monkeypatch):
    import kaohe_tui
    from kaohe_tui.rules import deductions

    march_closed(k)
    monkeypatch.setattr(kaohe_tui, "__version__", kaohe_tui.__version__ + ".1")
    # the new version deducts twice as much per occurrence: 12 − 2 × 1 = 10
    older = deductions.clause_deduction
    monkeypatch.setattr(deductions, "clause_deduction", lambda clause, entry: (2 * older(clause, entry)[0], "×2"))
    out = k.run("verify", "fixture", ok=False).stdout
    assert "fixture 2018-03：党委办 总分签发时11，现在10" in out, out


@needs_native
def test_a_changed_plugin_file_makes_verify_score_again(db_path, tmp_path):
    plugin = tmp_path / "plugin"
    shutil.copytree(FIXTURES / "core_plugin", plugin)
    k = march_closed(Kaohe(db_path, [plugin]))
    assert SKIPPED in k.run("verify", "fixture").stdout
    with (plugin / "fixture_scheme.py").open("a", encoding="utf-8") as fh:
        fh.write("# 2.0: a new release of the plugin\n")
    out = k.run("verify", "fixture").stdout
    assert SKIPPED not in out and "通过：fixture 2018-03：与签发时一致（1条记录）" in out, out


# -- old snapshots -----------------------------------------------------------------------------------
@needs_native
def test_a_snapshot_whose_context_predates_the_tables_and_code_is_scored_again_and_passes(k, monkeypatch):
    from kaohe_tui import signed_context, signoff

    monkeypatch.setattr(signed_context, "context", lambda store, scheme, standings:
                        signoff.context_digest(scheme, standings))  # as the first fast verify signed it
    march_closed(k)
    monkeypatch.undo()
    with sqlite3.connect(k.db) as conn:
        assert json.loads(conn.execute("SELECT inputs FROM signoffs").fetchone()[0])["context"]
    out = k.run("verify", "fixture").stdout
    assert SKIPPED not in out and "通过：fixture 2018-03：与签发时一致（1条记录）" in out, out


# -- 3. close checks the cases against their counts --------------------------------------------------
@needs_sqlite3
def test_close_refuses_cases_that_no_longer_add_up_to_their_counts(k, tmp_path):
    k.run("schemes")
    csv = tmp_path / "cases.csv"
    csv.write_text(HEADER + CASES, encoding="utf-8")
    k.run("import", "fixture-cases", str(csv))
    shell(k.db, "DELETE FROM cases WHERE case_id = 'C2'")  # past kaohe, before the close: February's count stays 1
    proc = k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "签发", ok=False)
    refused = ("kaohe: fixture-cases 2018Q1：2018-02 上报的案件与其计数不相符"
               "（案件在 kaohe 之外被改动、增加或删除），不能签发：请核对并重新导入该月案件")
    assert proc.stderr.strip() == refused, proc.stderr
    with sqlite3.connect(k.db) as conn:
        assert conn.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM periods WHERE status = 'closed'").fetchone()[0] == 0


def test_an_edit_of_kaohes_own_scoring_code_in_place_changes_the_pinned_code(tmp_path):
    """On a shared server kaohe may be installed editable: a rule edited in place, with the version
    unchanged, must make verify score again. The TUI's files draw, they move no figure."""
    import kaohe_tui
    from kaohe_tui import signed_context

    root = tmp_path / "kaohe_tui"
    shutil.copytree(Path(kaohe_tui.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    before = signed_context.core_files(root)
    with (root / "tui" / "app.py").open("a", encoding="utf-8") as fh:
        fh.write("# a new colour\n")
    assert signed_context.core_files(root) == before
    with (root / "rules" / "deductions.py").open("a", encoding="utf-8") as fh:
        fh.write("# 扣分加倍\n")
    assert signed_context.core_files(root) != before
