"""Signed off means final (issue 12): one closed-period rule on every path that writes, checked
inside the write transaction; the signed results kept as a snapshot; ``kaohe verify`` naming what
someone changed with the ``sqlite3`` shell.

The fixture scheme (tests/fixtures/core_plugin/fixture.toml): 基础管理 12 = 工作纪律 10 (late: −0.5
each) + 环境卫生 2 (dirty: −0.5 each), and a 特别附加分 bonus.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, Kaohe, count_rows

needs_sqlite3 = pytest.mark.skipif(not shutil.which("sqlite3"), reason="the sqlite3 shell is not installed")


def late(k: Kaohe, period: str, count: int = 1, date: str | None = None, unit: str = "党委办", ok: bool = True):
    args = ["record", "fixture", "--period", period, "--unit", unit, "--indicator", "工作纪律", "--clause", "late",
            "--count", str(count), "--reason", f"迟到{count}次"]
    return k.run(*args, *(["--date", date] if date else []), ok=ok)


@pytest.fixture
def march_closed(k):
    """党委办 late twice in March 2018 (12 − 2 × 0.5 = 11), and 2018-03 signed off."""
    late(k, "2018-03", 2)
    late(k, "2018Q1", 1, date="2018-03-05", unit="财审科")  # 财审科: 12 − 0.5 = 11.5
    k.run("close", "fixture", "--period", "2018-03", "--reason", "三月考核结果已签发")
    return k


# -- 2. one closed-period rule ----------------------------------------------------------------
def test_a_record_for_a_wider_period_dated_in_a_closed_month_is_refused(march_closed):
    k = march_closed
    before = count_rows(k.db)
    quarter = late(k, "2018Q1", 4, date="2018-03-20", ok=False)
    assert quarter.stderr.strip() == "kaohe: 日期：2018-03-20 落在已签发关闭的 2018-03 内，须由管理员先重新开启"
    assert "日期：2018-03-21 落在已签发关闭的 2018-03 内" in late(k, "2018", 4, date="2018-03-21", ok=False).stderr
    # undated, a quarter or a year record would belong to the closed month as much as any other
    assert "期间：2018Q1 与已签发关闭的 2018-03 重叠" in late(k, "2018Q1", ok=False).stderr
    assert "期间：2018 与已签发关闭的 2018-03 重叠" in late(k, "2018", ok=False).stderr
    assert count_rows(k.db) == before
    late(k, "2018", 1, date="2018-04-02")  # April is open
    assert k.score("fixture", "2018-03")["党委办"]["total"] == 11


def test_withdraw_and_edit_of_a_record_dated_in_a_closed_month_are_refused(march_closed):
    from kaohe_tui import catalog, plugins
    from kaohe_tui.errors import KaoheError
    from kaohe_tui.ledger import Draft
    from kaohe_tui.ledger_edit import edit_record
    from kaohe_tui.store import Store

    k = march_closed
    # record #2 is for 2018Q1, dated 2018-03-05: the quarter is open, its month is not
    assert "日期：2018-03-05 落在已签发关闭的 2018-03 内" in k.run(
        "withdraw", "fixture", "2", "--reason", "录入有误", ok=False).stderr
    plugins.load_plugins([str(FIXTURES / "core_plugin")])
    store = Store(k.db)
    with pytest.raises(KaoheError, match="2018-03-05 落在已签发关闭的 2018-03 内"):
        edit_record(store, catalog.get("fixture"), 2, Draft(unit="财审科", indicator="工作纪律", clause="late",
                                                             period="2018Q1", date="2018-02-05", reason="改期"), "更正")
    assert store.db.execute("SELECT count(*) FROM records WHERE withdrawn_at IS NOT NULL").fetchone()[0] == 0
    assert k.score("fixture", "2018-03")["财审科"]["total"] == 11.5


def test_ledger_rows_for_a_closed_month_are_refused_by_row(march_closed, tmp_path):
    k = march_closed
    csv = tmp_path / "ledger.csv"
    csv.write_text("单位,指标,条款,次数,期间,日期,事由\n"
                   "党委办,工作纪律,late,1,2018,2018-04-05,四月迟到\n"
                   "党委办,工作纪律,late,3,2018,2018-03-05,三月迟到\n", encoding="utf-8")
    proc = k.run("import", "fixture", str(csv), ok=False)
    assert "第3行，「日期」列：日期：2018-03-05 落在已签发关闭的 2018-03 内" in proc.stderr
    assert count_rows(k.db) == 2


def test_a_close_while_a_ledger_file_is_read_keeps_its_rows_out(k, tmp_path):
    """The race: the import's rows are checked before its write transaction; a close that
    commits in between must still keep every row out of the closed month."""
    from kaohe_tui import catalog, plugins
    from kaohe_tui.errors import KaoheError
    from kaohe_tui.io.ledger_import import import_ledger
    from kaohe_tui.ledger import set_period_status
    from kaohe_tui.periods import Period
    from kaohe_tui.store import Store

    k.run("schemes")
    rows = [f"党委办,环境卫生,dirty,1,2018,2018-03-{1 + i % 28:02d},检查{i}" for i in range(1500)]
    csv = tmp_path / "march.csv"
    csv.write_text("单位,指标,条款,次数,期间,日期,事由\n" + "\n".join(rows) + "\n", encoding="utf-8")
    plugins.load_plugins([str(FIXTURES / "core_plugin")])
    scheme = catalog.get("fixture")
    store, other = Store(k.db), Store(k.db)
    closed: list[int] = []

    def progress(n: int) -> None:  # rows are being read: now another session signs March off
        if not closed:
            set_period_status(other, scheme, Period.parse("2018-03"), "closed", "签发")
            closed.append(n)

    with pytest.raises(KaoheError, match=r"第\d+行：日期：2018-03-\d\d 落在已签发关闭的 2018-03 内.*未导入任何内容"):
        import_ledger(store, scheme, csv, progress=progress)
    assert closed and count_rows(k.db) == 0


CASES_HEADER = "case_id,unit,source,reported_at,deadline,closed_at,extensions,failed_checks,satisfaction\n"


@pytest.mark.parametrize("path", ["bulk", "careful"])
def test_a_close_before_a_case_import_takes_the_lock_keeps_its_cases_out(k, tmp_path, monkeypatch, path):
    """Both case-import paths read the closed months under their own write lock: a close that
    lands after the file was looked at, before the write, still refuses the cases."""
    from kaohe_tui import bulk_cases, case_import, catalog, plugins
    from kaohe_tui.ledger import set_period_status
    from kaohe_tui.periods import Period
    from kaohe_tui.store import Store

    k.run("schemes")
    plugins.load_plugins([str(FIXTURES / "core_plugin")])
    scheme = catalog.get("fixture-cases")
    csv = tmp_path / "cases.csv"
    csv.write_text(
        CASES_HEADER + "C1,甲街道,巡查,2018-01-03 09:00:00,2018-01-10 17:00:00,2018-01-05 10:00:00,0,0,满意\n",
        encoding="utf-8",
    )
    other = Store(k.db)

    def close_first(*args, **kwargs):
        set_period_status(other, scheme, Period.parse("2018Q1"), "closed", "签发")
        return original(*args, **kwargs)

    if path == "bulk":
        if not bulk_cases.available():
            pytest.skip("sqlean.py is not installed")
        original = bulk_cases.bulk_import
        monkeypatch.setattr(bulk_cases, "bulk_import", close_first)
    else:
        original = case_import.careful_import
        monkeypatch.setattr(case_import, "bulk_path", lambda *a, **kw: None)
        monkeypatch.setattr(case_import, "careful_import", close_first)
    with pytest.raises(case_import.CaseImportRejected) as refused:
        case_import.import_cases(Store(k.db), scheme, csv)
    assert "2018-01-03 09:00:00 落在已签发关闭的 2018Q1 内" in refused.value.report.rejected[0]
    assert other.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0


def test_a_units_import_moves_no_signed_figure_and_keeps_what_its_file_lacks(k, tmp_path):
    late(k, "2018", 2)  # 党委办 12 − 1 = 11, rank 3 of 3
    k.run("close", "fixture", "--period", "2018", "--reason", "年度考核结果已签发")
    signed = k.json("score", "fixture", "--period", "2018")
    units = tmp_path / "units.csv"
    units.write_text("单位\n党委办\n新设科\n", encoding="utf-8")  # no aliases, no 考核扎口科室 columns
    k.run("import", "fixture", str(units), "--kind", "units")
    assert k.json("score", "fixture", "--period", "2018") == signed  # no 4th unit in a signed ranking
    by_name = {u["name"]: u for u in k.json("units", "fixture")}
    assert by_name["党委办"]["assessed_by"] == "人教科" and by_name["党委办"]["aliases"] == ["党办"]
    assert "新设科" in by_name


def test_a_roster_form_for_a_closed_year_is_refused_and_its_flag_stays(kaohe, tmp_path):
    kaohe.run("close", "district-categories", "--period", "2017", "--reason", "年度考核结果已签发")
    flagged = {u: r["flags"] for u, r in kaohe.score("district-categories", "2017").items() if r["flags"]}
    roster = tmp_path / "roster.csv"
    roster.write_text("单位,角色,姓名,手机,报送日期,盖章\n民政局,分管领导,张三,13800000000,2017-04-03,是\n"
                      "民政局,联络员,李四,13900000000,2017-04-03,是\n", encoding="utf-8")
    proc = kaohe.run("import", "district-categories", str(roster), "--kind", "roster", ok=False)
    assert "2017年：名单报送表计入 2017，该期间已签发关闭，须由管理员先重新开启" in proc.stderr
    with sqlite3.connect(kaohe.db) as conn:
        assert conn.execute("SELECT count(*) FROM district_categories_roster").fetchone()[0] == 0
    assert any("民政局" == u for u in flagged)
    assert {u: r["flags"] for u, r in kaohe.score("district-categories", "2017").items() if r["flags"]} == flagged


def test_plugin_forms_refuse_a_closed_period(kaohe):
    from kaohe_tui import catalog, plugins
    from kaohe_tui.errors import KaoheError
    from kaohe_tui.store import Store

    kaohe.run("close", "bureau-departments", "--period", "2018", "--reason", "年度考核结果已签发")
    plugins.load_plugins()
    bd = sys.modules["kaohe_plugin_bureau_departments"]
    scheme = catalog.get("bureau-departments")
    store = Store(kaohe.db)
    with pytest.raises(KaoheError, match="期间：2018 已签发关闭"):
        bd.set_self_score(store, scheme, "2018", "党办", "年度目标任务", 20, "")
    with pytest.raises(KaoheError, match="期间：2018Q1 在已签发关闭的 2018 内"):
        bd.set_self_score(store, scheme, "2018Q1", "党办", "年度目标任务", 20, "")
    with pytest.raises(KaoheError, match="期间：2018 已签发关闭"):
        bd.apply_bonus(store, scheme, "2018", "党办", "省级表彰", "证书")
    assert (
        store.db.execute("SELECT count(*) FROM audit WHERE action IN ('self-score', 'bonus-apply')").fetchone()[0] == 0
    )


def test_demo_is_an_administrators_act_refused_in_a_closed_period(k):
    bureau = Kaohe(k.db)
    loaded = bureau.run("demo", "bureau-departments").stdout
    n = int(loaded.split("已载入")[1].split("条")[0])
    assert n > 0
    signed = bureau.json("score", "bureau-departments", "--period", "2018")
    bureau.run("close", "bureau-departments", "--period", "2018", "--reason", "年度考核结果已签发")
    proc = bureau.run("demo", "bureau-departments", "--remove", ok=False)
    assert "已签发关闭的 2018 内，须由管理员先重新开启" in proc.stderr
    with sqlite3.connect(k.db) as conn:
        assert conn.execute("SELECT count(*) FROM records WHERE withdrawn_at IS NOT NULL").fetchone()[0] == 0
        actions = [r[0] for r in conn.execute("SELECT action FROM audit")]
    assert "load-demo" in actions
    assert bureau.json("score", "bureau-departments", "--period", "2018") == signed
    bureau.run("reopen", "bureau-departments", "--period", "2018", "--reason", "撤除演示数据")
    assert f"已撤回{n}条示例记录" in bureau.run("demo", "bureau-departments", "--remove").stdout


MIGRATION_PLUGIN = '''
import kaohe_tui
from sqlite_utils import Migrations

late = Migrations("late_fix")


@late()
def m001_backfill(db):
    {body}


@kaohe_tui.hookimpl
def kaohe_migrations():
    return late
'''


@pytest.mark.parametrize("body, refused", [
    # a migration that adds a record in the closed month: the trigger refuses it
    ("db.execute(\"INSERT INTO records (scheme, period, unit, indicator, clause, count, reason) VALUES "
     "('fixture', '2018-03', '党委办', '基础管理/工作纪律', 'late', 4, 'backfill')\")", "记录落在已签发关闭的期间内"),
    # one that first drops the trigger: the signed inputs no longer match, nothing is migrated
    ("db.execute('DROP TRIGGER records_no_edit'); db.execute('DROP TRIGGER records_closed_update'); "
     "db.execute(\"UPDATE records SET count = 9 WHERE id = 1\")",
     "升级会改动已签发关闭的 fixture 2018-03 的记录；未作任何改动"),
])
def test_a_migration_cannot_change_a_closed_periods_inputs(march_closed, tmp_path, body, refused):
    k = march_closed
    folder = tmp_path / "late_plugin"
    folder.mkdir()
    (folder / "late_fix.py").write_text(MIGRATION_PLUGIN.format(body=body), encoding="utf-8")
    proc = Kaohe(k.db, [FIXTURES / "core_plugin", folder]).run("schemes", ok=False)
    assert refused in proc.stderr and proc.stderr.count("\n") == 1
    with sqlite3.connect(k.db) as conn:
        assert conn.execute("SELECT count(*), sum(count) FROM records").fetchone() == (2, 3)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'records_no_edit'").fetchone()[0] == 1
    assert k.score("fixture", "2018-03")["党委办"]["total"] == 11


# -- 1. the snapshot -----------------------------------------------------------------------------
def sqlite3_shell(db: Path, *statements: str) -> None:
    """What a group member can do: open the file in the sqlite3 shell, past kaohe."""
    subprocess.run(["sqlite3", str(db), ";\n".join(statements) + ";"], check=True, capture_output=True, text=True)


@needs_sqlite3
def test_score_explain_export_of_a_closed_period_are_the_signed_ones(march_closed, tmp_path):
    k = march_closed
    signed = k.json("score", "fixture", "--period", "2018-03")
    explained = k.json("explain", "fixture", "--period", "2018-03", "--unit", "党委办")
    sqlite3_shell(k.db, "DROP TRIGGER records_no_edit", "DROP TRIGGER records_closed_update",
                  "UPDATE records SET count = 6 WHERE id = 1")
    assert k.json("score", "fixture", "--period", "2018-03") == signed
    assert signed[0]["unit"] == "侨办（侨联）" and {r["unit"]: r["total"] for r in signed}["党委办"] == 11
    assert k.json("explain", "fixture", "--period", "2018-03", "--unit", "党委办") == explained
    text = k.run("explain", "fixture", "--period", "2018-03", "--unit", "党委办").stdout
    assert "（2×0.5）" in text and "记录#1" in text  # the record as signed, not as edited
    out = tmp_path / "r.json"
    k.run("export", "fixture", "--period", "2018-03", "--format", "json", "-o", str(out))
    assert '"total": 11' in out.read_text(encoding="utf-8").replace(".0,", ",")


def test_reopen_voids_the_snapshot_and_a_new_close_signs_again(march_closed):
    k = march_closed
    refused = Kaohe(k.db, [FIXTURES / "core_plugin"]).run("reopen", "fixture", "--period", "2018-03", "--reason", "",
                                                          ok=False)
    assert refused.stderr == "kaohe: 事由：重新开启期间须写明事由\n"
    k.run("reopen", "fixture", "--period", "2018-03", "--reason", "复核更正")
    late(k, "2018-03", 2)  # 党委办 12 − 4 × 0.5 = 10
    assert k.score("fixture", "2018-03")["党委办"]["total"] == 10
    live = [k.json(*args) for args in (["score", "fixture", "--period", "2018-03"],
                                       ["explain", "fixture", "--period", "2018-03", "--unit", "党委办"])]
    live_text = k.run("explain", "fixture", "--period", "2018-03", "--unit", "党委办").stdout
    out = k.run("close", "fixture", "--period", "2018-03", "--reason", "更正后重新签发").stdout
    assert "签发快照：" in out
    # the snapshot gives back exactly what was signed: figures, flags, gaps, lines, records
    assert [k.json(*args) for args in (["score", "fixture", "--period", "2018-03"],
                                       ["explain", "fixture", "--period", "2018-03", "--unit", "党委办"])] == live
    assert k.run("explain", "fixture", "--period", "2018-03", "--unit", "党委办").stdout == live_text
    assert k.run("verify").returncode == 0
    with sqlite3.connect(k.db) as conn:
        assert conn.execute("SELECT count(*) FROM signoffs WHERE void_at IS NOT NULL").fetchone()[0] == 1


# -- 3. tamper evidence ----------------------------------------------------------------------------
def test_verify_passes_an_untouched_file(march_closed):
    out = march_closed.run("verify").stdout
    assert "通过：fixture 2018-03：与签发时一致（2条记录）" in out
    assert "通过：审计链：" in out


@needs_sqlite3
@pytest.mark.parametrize(
    "statements, named",
    [
        (
            [
                "DROP TRIGGER records_no_edit",
                "DROP TRIGGER records_closed_update",
                "UPDATE records SET count = 4 WHERE id = 1",
            ],
            [
                "触发器 records_no_edit 已被删除",
                "fixture 2018-03：记录 #1 在签发后被改动",
                # 党委办: 12 − 4 × 0.5 = 10 recomputed, against 11 signed
                "fixture 2018-03：党委办 总分签发时11，现在10",
            ],
        ),
        (
            ["DROP TRIGGER records_no_delete", "DELETE FROM records WHERE id = 2"],
            [
                "触发器 records_no_delete 已被删除",
                "fixture 2018-03：记录 #2 在签发后被删除",
                "fixture 2018-03：财审科 总分签发时11.5，现在12",
            ],
        ),
        (
            [
                "DROP TRIGGER records_closed_insert",
                "INSERT INTO records (scheme, period, unit, indicator, clause, count, reason) "
                "VALUES ('fixture', '2018-03', '侨办（侨联）', '基础管理/环境卫生', 'dirty', 1, 'x')",
            ],
            ["fixture 2018-03：记录 #3 在签发后被增加", "侨办（侨联） 总分签发时12，现在11.5"],
        ),
        (
            [
                "DROP TRIGGER audit_no_update",
                "UPDATE audit SET reason = '无' WHERE action = 'record' AND record_id = 1",
            ],
            ["触发器 audit_no_update 已被删除", "审计日志：#", "写入后被改动"],
        ),
        (
            ["DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE action = 'record' AND record_id = 1"],
            ["审计日志：#", "行已被删除"],
        ),
        (
            ["UPDATE periods SET status = 'open'"],
            ["fixture 2018-03：已签发，但期间表中的状态为 open"],
        ),
        (
            ["DROP TRIGGER signoffs_no_edit", "UPDATE signoffs SET results = zeroblob(10)"],
            ["fixture 2018-03：签发快照已被改动"],
        ),
    ],
)
def test_verify_names_what_the_sqlite3_shell_changed(march_closed, statements, named):
    k = march_closed
    sqlite3_shell(k.db, *statements)
    proc = k.run("verify", ok=False)
    assert proc.returncode == 2
    for text in named:
        assert text in proc.stdout, proc.stdout
    assert proc.stderr.startswith("kaohe: verify：") and proc.stderr.count("\n") == 1


@needs_sqlite3
def test_verify_of_one_scheme_and_period(march_closed):
    k = march_closed
    sqlite3_shell(k.db, "UPDATE periods SET status = 'open'")
    assert k.run("verify", "fixture", "--period", "2018-03", ok=False).returncode == 2
    assert k.run("verify", "fixture", "--period", "2018").returncode == 0  # nothing of 2018 was signed
    assert k.run("verify", "fixture-cases").returncode == 0


def test_existing_audit_rows_are_chained_by_the_migration(tmp_path):
    from kaohe_tui import chain
    from kaohe_tui.store import Store

    db = tmp_path / "old.db"
    store = Store(db)
    store.close()
    with sqlite3.connect(db) as conn:  # the file as an older kaohe left it: audit rows, no chain
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("ALTER TABLE audit DROP COLUMN hash")
        conn.executemany(
            "INSERT INTO audit (at, user, action, reason) VALUES (?, ?, ?, ?)",
            [
                ("2018-01-02T09:00:00+08:00", "alice", "record", "一"),
                ("2018-01-03T09:00:00+08:00", "bob", "withdraw", "二"),
            ],
        )
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005a_audit_chain'")
    store = Store(db)
    problems, rows, hashes = chain.walk(store.db.conn)
    assert problems == [] and rows == 2 and all(hashes.values())
    store.audit("grant", reason="三")
    assert chain.walk(store.db.conn)[0] == [] and chain.walk(store.db.conn)[1] == 3
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit SET reason = 'x' WHERE id = 1")


# -- 4. roles, as real OS logins --------------------------------------------------------------------
def test_demo_data_is_an_administrators_act(tmp_path):
    import grp
    import os
    import tempfile

    from conftest import ASSESSOR, GROUP, NOBODY, ensure_account
    from conftest import run_as as run

    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("creating test OS accounts needs root")
    for name in (ASSESSOR, NOBODY):
        ensure_account(name)
    folder = Path(tempfile.mkdtemp(prefix="kaohe-office-", dir="/tmp"))  # as test_roles' office
    os.chmod(folder, 0o770)
    os.chown(folder, -1, grp.getgrnam(GROUP).gr_gid)
    office = folder / "office.db"
    assert run(office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "bureau-departments").returncode == 0
    for user in (NOBODY, ASSESSOR):
        loaded = run(office, "demo", "bureau-departments", user=user)
        assert loaded.returncode == 2 and ("没有角色" in loaded.stderr or "无权载入或撤回演示台账" in loaded.stderr)
    assert count_rows(office) == 0
    assert run(office, "demo", "bureau-departments").returncode == 0  # the administrator (who created the file)
    for user in (NOBODY, ASSESSOR):
        removed = run(office, "demo", "bureau-departments", "--remove", user=user)
        assert removed.returncode == 2 and ("没有角色" in removed.stderr or "无权载入或撤回演示台账" in removed.stderr)
    with sqlite3.connect(office) as conn:
        assert conn.execute("SELECT count(*) FROM records WHERE withdrawn_at IS NOT NULL").fetchone()[0] == 0
    assert run(office, "demo", "bureau-departments", "--remove").returncode == 0
    with sqlite3.connect(office) as conn:
        who = conn.execute("SELECT user, action FROM audit WHERE action LIKE '%demo%' ORDER BY id").fetchall()
    assert [a for _, a in who] == ["load-demo", "withdraw-demo"] and {u for u, _ in who} == {"root"}
    shutil.rmtree(folder, ignore_errors=True)


@needs_sqlite3
def test_verify_names_cases_deleted_or_edited_outside_kaohe(k, tmp_path):
    k.run("schemes")
    csv = tmp_path / "cases.csv"
    csv.write_text(
        CASES_HEADER + "C1,甲街道,巡查,2018-01-03 09:00:00,2018-01-10 17:00:00,2018-01-05 10:00:00,0,0,满意\n"
        "C2,乙街道,巡查,2018-02-03 09:00:00,2018-02-10 17:00:00,2018-02-05 10:00:00,1,0,满意\n",
        encoding="utf-8",
    )
    k.run("import", "fixture-cases", str(csv))
    k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "签发")
    assert k.run("verify", "fixture-cases").returncode == 0
    sqlite3_shell(k.db, "DROP TRIGGER cases_closed_delete", "DELETE FROM cases WHERE case_id = 'C1'",
                  "DROP TRIGGER cases_closed_update", "UPDATE cases SET extensions = 0 WHERE case_id = 'C2'")
    out = k.run("verify", "fixture-cases", ok=False).stdout
    for month in ("2018-01", "2018-02"):
        assert f"fixture-cases 2018Q1：{month} 上报的案件与其计数不再相符" in out


def test_verify_recomputes_with_the_parameters_a_period_was_signed_under(kaohe):
    kaohe.run("scheme", "new-year", "bureau-departments", "2019")
    kaohe.run("record", "bureau-departments", "--period", "2019-02", "--unit", "党办", "--indicator", "工作纪律",
              "--clause", "absent", "--reason", "旷工一次")
    kaohe.run("close", "bureau-departments", "--period", "2019Q1", "--reason", "一季度结果签字")
    kaohe.run("scheme", "set", "bureau-departments", "--year", "2019", "基础管理/工作纪律.clauses.absent.per=3",
              "--reason", "二季度起旷工每次扣3分")
    out = kaohe.run("verify", "bureau-departments").stdout
    assert "通过：bureau-departments 2019Q1：与签发时一致（1条记录）" in out


def test_a_target_list_for_a_closed_year_is_refused(kaohe, tmp_path):
    kaohe.run("scheme", "new-year", "city-coordination", "2019")
    kaohe.run("close", "city-coordination", "--period", "2019Q1", "--reason", "一季度结果签字")
    good = tmp_path / "targets.csv"
    good.write_text(
        "单位,序号,主题,任务,分值\n住建局,1,民生,老旧小区改造,20\n住建局,2,生态,海绵城市建设,10\n", encoding="utf-8"
    )
    listed = kaohe.json("scheme", "targets", "city-coordination", "--year", "2019", "--unit", "住建局")
    proc = kaohe.run("import", "city-coordination", str(good), "--period", "2019", "--kind", "targets", ok=False)
    assert "期间：2019 与已签发关闭的 2019Q1 重叠" in proc.stderr
    assert kaohe.json("scheme", "targets", "city-coordination", "--year", "2019", "--unit", "住建局") == listed
