"""A later export of cases already imported goes the bulk path (updates by id): the counts move
with a case that changes unit and month, every change is in the audit chain, a case leaving a
closed month refuses the file, and a kill inside the write keeps nothing of it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import kill_inside_the_write, load_core_scheme, new_store
from kaohe_tui import bulk_cases, chain
from kaohe_tui.case_import import CaseImportRejected, bulk_path, import_cases
from kaohe_tui.crashpoint import ENV as PAUSE

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
STATS = "SELECT unit, month, {} FROM case_month_stats ORDER BY unit, month"
COLUMNS = ("due, on_time, extended, overdue, closed, extensions, extensions_after_first, failed_checks, rework, "
           "first_time, satisfied, visited, untimed")

pytestmark = pytest.mark.skipif(not bulk_cases.available(), reason="sqlean.py is not installed")

FIRST = [
    "R1,甲街道,巡查,2018-01-05 09:00:00,2018-01-08 17:00:00,,0,0,",  # open
    "R2,甲街道,巡查,2018-01-06 09:00:00,2018-01-09 17:00:00,2018-01-07 10:00:00,0,0,满意",  # on time
    "R3,乙街道,巡查,2018-02-03 09:00:00,2018-02-05 17:00:00,2018-02-04 10:00:00,1,0,",  # extended
]
LATER = [
    # R1 reassigned to 乙 and filed again in February, closed late, one failed check, 不满意
    "R1,乙街道,巡查,2018-02-10 09:00:00,2018-02-12 17:00:00,2018-02-15 10:00:00,0,1,不满意",
    FIRST[1], FIRST[2],  # as they were
    "R4,甲街道,巡查,2018-01-20 09:00:00,2018-01-22 17:00:00,2018-01-21 10:00:00,0,0,",  # new, on time
]


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def stats(db: Path) -> dict[tuple[str, str], tuple]:
    with sqlite3.connect(db) as conn:
        return {(u, m): tuple(rest) for u, m, *rest in conn.execute(STATS.format(COLUMNS))}


def careful_never():
    raise AssertionError("the later export went the careful path")


def test_a_case_moved_to_another_unit_and_month_moves_its_counts(scheme, tmp_path):
    store = new_store(tmp_path / "k.db", scheme)
    assert bulk_path(store, scheme, write(tmp_path, "first.csv", FIRST), None) == 3
    #                         due on_time ext'd overdue closed exts after failed rework 1st sat visited untimed
    assert stats(store.path) == {("甲街道", "2018-01"): (2, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0),  # R1, R2
                                 ("乙街道", "2018-02"): (1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0)}  # R3
    report = import_cases(store, scheme, write(tmp_path, "later.csv", LATER), row_by_row=careful_never)
    assert (report.imported, report.updated, report.unchanged) == (1, 1, 2)
    # 甲 January: R2 and R4, both closed on time, first time; R2's 满意 the one answer
    # 乙 February: R3 (extended, 1 extension) and R1 (late: closed 02-15 after 02-12, 1 failed
    # check so rework and not first-time, visited 不满意)
    assert stats(store.path) == {("甲街道", "2018-01"): (2, 2, 0, 0, 2, 0, 0, 0, 0, 2, 1, 1, 0),
                                 ("乙街道", "2018-02"): (2, 0, 1, 1, 2, 1, 0, 1, 1, 1, 0, 1, 0)}
    with sqlite3.connect(store.path) as conn:
        (unit, old, new), = conn.execute("SELECT unit, old, new FROM audit WHERE action = 'update-case'")
        imports = conn.execute("SELECT new FROM audit WHERE action = 'import-cases' ORDER BY id").fetchall()
        assert conn.execute("SELECT first_import_id, import_id FROM cases WHERE case_id = 'R1'").fetchone() == (1, 2)
    assert unit == "乙街道"
    assert json.loads(old) == {"case_id": "R1", "unit": "甲街道", "reported_at": "2018-01-05 09:00:00",
                               "deadline": "2018-01-08 17:00:00", "closed_at": None, "failed_checks": 0,
                               "satisfaction": None, "satisfied": None}
    assert json.loads(new) == {"case_id": "R1", "unit": "乙街道", "reported_at": "2018-02-10 09:00:00",
                               "deadline": "2018-02-12 17:00:00", "closed_at": "2018-02-15 10:00:00",
                               "failed_checks": 1, "satisfaction": "不满意", "satisfied": 0, "import": 2}
    assert json.loads(imports[-1][0])["cases"] == 1 and json.loads(imports[-1][0])["updated"] == 1
    with sqlite3.connect(store.path) as conn:
        assert chain.walk(conn)[0] == []  # the chain still holds, link by link


def test_a_case_leaving_a_closed_month_refuses_the_file(scheme, tmp_path):
    from kaohe_tui.ledger import set_period_status
    from kaohe_tui.periods import Period

    store = new_store(tmp_path / "k.db", scheme)
    assert bulk_path(store, scheme, write(tmp_path, "first.csv", FIRST), None) == 3
    set_period_status(store, scheme, Period.parse("2018-01"), "closed", "签发")
    before = stats(store.path)
    path = write(tmp_path, "later.csv", LATER[:1])  # R1 only: out of the closed January into February
    assert bulk_path(store, scheme, path, None) is None  # the helper refuses, the careful path says why
    with pytest.raises(CaseImportRejected) as caught:
        import_cases(store, scheme, path)
    assert caught.value.report.rejected[0] == (
        f"{path}：第2行：案件 R1 已计入 2018-01，该期间已签发关闭，须由管理员先重新开启")
    assert stats(store.path) == before


def test_a_kill_inside_the_re_import_keeps_nothing(scheme, tmp_path):
    db = tmp_path / "k.db"
    store = new_store(db, scheme)
    rows = 5_000
    first = [f"K{i:05d},{'甲街道' if i % 2 else '乙街道'},巡查,2018-0{1 + i % 9}-1{i % 10} 09:00:00,"
             f"2018-0{1 + i % 9}-2{i % 9} 09:00:00,,0,0," for i in range(rows)]
    assert bulk_path(store, scheme, write(tmp_path, "first.csv", first), None) == rows
    store.close()
    # the later export: every case now closed
    later = [line.replace(",,0,0,", f",2018-0{1 + i % 9}-25 10:00:00,0,0,") for i, line in enumerate(first)]
    before = stats(db)
    cmd = [sys.executable, "-m", "kaohe_tui", "--db", str(db), "--plugins-dir", str(FIXTURES / "core_plugin"),
           "import", "fixture-cases", str(write(tmp_path, "later.csv", later))]
    marker = tmp_path / "in-transaction"
    parent = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, PAUSE: str(marker)})
    # the helper holds every update inside its open transaction when the parent is killed
    assert kill_inside_the_write(parent, marker, rows) == rows
    with sqlite3.connect(db, timeout=60) as conn:
        conn.execute("BEGIN IMMEDIATE")  # waits until the orphaned helper has rolled back and gone
        conn.execute("ROLLBACK")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        still_open = conn.execute("SELECT count(*) FROM cases WHERE closed_at IS NULL").fetchone()[0]
        audits = conn.execute("SELECT action, count(*) FROM audit WHERE action LIKE '%case%' GROUP BY 1").fetchall()
        imports = conn.execute("SELECT count(*) FROM case_imports").fetchone()[0]
    assert (still_open, audits, imports) == (rows, [("import-cases", 1)], 1)  # as before: nothing of it
    assert stats(db) == before
