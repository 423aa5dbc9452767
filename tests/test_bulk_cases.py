"""The bulk path for case files (SQLite reads the CSV, in a helper process) stores exactly what the
careful path stores, hands back to the careful path whatever it would not take, and commits
nothing when the process that started it dies."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import kill_inside_the_write, load_core_scheme, needs_native_time, new_store
from kaohe_tui import bulk_cases
from kaohe_tui.case_import import CaseImportRejected, bulk_path, careful_import, import_cases
from kaohe_tui.crashpoint import ENV as PAUSE
from kaohe_tui.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"

pytestmark = pytest.mark.skipif(not bulk_cases.available(), reason="sqlean.py is not installed")

# 甲街道 in January 2018, as the file spells it (an alias, a space inside the name, padding):
#   C1 closed before its deadline, no extension     → on time
#   C2 closed before its (extended) deadline, 2 ext → extended; extensions 2, after the first 1
#   C3 closed after its deadline, 1 failed check    → overdue; rework 1
#   C4 still open                                   → not closed
#   C5 closed, no deadline given                    → closed, neither on time nor overdue
# due 5, on_time 1, extended 1, overdue 1, closed 4, extensions 2, after-first 1, failed 1,
# rework 1, first_time (closed, no failed check) 3, satisfied (满意/基本满意) 2 of visited 3
TRICKY = [
    "C1,甲街道,12319热线,2018-01-03 09:00:00,2018-01-05 17:00:00,2018-01-04 10:00:00,0,0,满意",
    "C2,甲街道办事处,,2018-01-10 09:00:00,2018-01-20 17:00:00,2018-01-19 10:00:00,2,0,基本满意",
    "C3,甲 街道,巡查,2018-01-11 09:00:00,2018-01-12 17:00:00,2018-01-15 10:00:00,0,1,不满意",
    "",  # a blank line is skipped, as the careful path skips it
    " C4 ,\u3000甲街道\t,巡查,2018-01-20 09:00:00,2018-01-22 17:00:00,,,,",  # a unit padded any way
    "C5,甲街道,巡查,2018-01-31 23:59:59,,2018-02-01 08:00:00,0,0,",
    "D1,乙街道,巡查,2018-02-28 09:00:00,2018-03-01 17:00:00,2018-03-02 10:00:00,3,2,满意",
    "D2,乙街道,,2018-12-31 09:00:00,2019-01-02 17:00:00,,1,0,",
]


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")


def write(tmp_path: Path, lines: list[str], name: str = "cases.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes((HEADER + "\n".join(lines) + "\n").encode(encoding))
    return path


def table(store: Store, sql: str) -> list[tuple]:
    return store.db.execute(sql).fetchall()


CASES = ("SELECT scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks, "
         "satisfaction FROM cases ORDER BY case_id")
STATS = "SELECT * FROM case_month_stats ORDER BY unit, month"


def test_bulk_and_careful_paths_store_the_same(scheme, tmp_path):
    path = write(tmp_path, TRICKY)
    bulk = new_store(tmp_path / "bulk.db", scheme)
    seen: list[int] = []
    assert bulk_path(bulk, scheme, path, seen.append) == 7  # taken by the bulk path, every case kept
    careful = new_store(tmp_path / "careful.db", scheme)
    assert careful_import(careful, scheme, path).imported == 7
    assert table(bulk, CASES) == table(careful, CASES)
    assert table(bulk, STATS) == table(careful, STATS)
    jia = {row[2]: row[3:] for row in table(bulk, STATS) if row[1] == "甲街道"}
    # the hand count in the comment above TRICKY
    assert jia["2018-01"] == (5, 1, 1, 1, 4, 2, 1, 1, 1, 3, 2, 3, 0)  # untimed: 0 (the file has a deadline column)
    assert {row[2] for row in table(bulk, CASES)} == {"甲街道", "乙街道"}  # every spelling → the unit's name
    audit = "SELECT action, user, new FROM audit WHERE action = 'import-cases'"
    said = (f'{{"file": "{path}", "cases": 7, "updated": 0, "import": 1, '
            '"profile": "default", "ignored": [], "rejected": 0}')
    assert table(bulk, audit) == [("import-cases", bulk.user, said)]
    assert table(bulk, audit) == [(a, bulk.user, n) for a, _, n in table(careful, audit)]  # as the careful path says it
    assert table(bulk, "SELECT hash IS NOT NULL FROM audit") == [(1,)] * len(table(bulk, "SELECT 1 FROM audit"))
    # one row names the import; every case points at it (on both paths)
    for store in (bulk, careful):
        assert table(store, "SELECT id, scheme, file, user, cases FROM case_imports") == [
            (1, "fixture-cases", str(path), store.user, 7)]
        assert table(store, "SELECT DISTINCT import_id, imported_at FROM cases") == [(1, None)]


def one_time_written(scheme, tmp_path: Path, column: str, written: str) -> tuple[Store, Path, int]:
    """A store, and a file whose second case has ``column`` written so (its index in the times)."""
    times = ["2018-01-04 09:00:00", "2018-01-09 09:00:00", "2018-01-06 09:00:00"]
    at = ["上报时间", "处置时限", "结案时间"].index(column)
    times[at] = written
    path = write(tmp_path, [TRICKY[0], f"C9,乙街道,巡查,{','.join(times)},0,0,"])
    return new_store(tmp_path / "k.db", scheme), path, at


@needs_native_time
@pytest.mark.parametrize("column", ["上报时间", "处置时限", "结案时间"])
@pytest.mark.parametrize("written", [
    "2018-01-05 09:00", "2018/01/05 09:00:00", "2018/1/5 9:00",  # as Excel saves it
    "2018-01-05T09:00:00", "2018-01-05T09:00:00.250", "2018.1.5 9:00:00", "20180105090000",
    "2018-01-05T01:00:00Z",  # 01:00 UTC is 09:00 in China
])
def test_time_forms_the_bulk_path_normalises(scheme, tmp_path, written, column):
    store, path, at = one_time_written(scheme, tmp_path, column, written)
    assert bulk_path(store, scheme, path, None) == 2
    stored = table(store, "SELECT reported_at, deadline, closed_at FROM cases WHERE case_id = 'C9'")[0]
    assert stored[at] == "2018-01-05 09:00:00"


@needs_native_time
def test_a_deadline_written_as_a_date_ends_that_day(scheme, tmp_path):
    store = new_store(tmp_path / "k.db", scheme)
    path = write(tmp_path, ["C9,乙街道,巡查,2018/1/4,2018/1/5,2018/1/5 18:00,0,0,"])
    assert bulk_path(store, scheme, path, None) == 1
    # reported at the start of 4 January; due by the end of 5 January, so closed at 18:00 is on time
    assert table(store, CASES) == [("fixture-cases", "C9", "乙街道", "巡查", "2018-01-04 00:00:00",
                                    "2018-01-05 23:59:59", "2018-01-05 18:00:00", 0, 0, None)]
    assert table(store, "SELECT due, on_time FROM case_month_stats") == [(1, 1)]


@pytest.mark.parametrize("column", ["上报时间", "处置时限", "结案时间"])
@pytest.mark.parametrize("bad", [
    "2018-02-31 09:00:00",  # no such day: SQLite's datetime() rolls it into March
    "2018-01-05 24:00:00",  # hour 24
])
def test_timestamps_the_bulk_path_does_not_take(scheme, tmp_path, bad, column):
    store, path, _ = one_time_written(scheme, tmp_path, column, bad)
    assert bulk_path(store, scheme, path, None) is None
    assert table(store, "SELECT count(*) FROM cases") == [(0,)]
    assert table(store, "SELECT count(*) FROM audit WHERE action = 'import-cases'") == [(0,)]
    with pytest.raises(CaseImportRejected) as caught:
        import_cases(store, scheme, path)
    assert f"第3行：{column}" in caught.value.report.rejected[0]


@pytest.mark.parametrize("line, message", [
    ("C9,乙街道,巡查,2018-01-05 09:00:00,,,1.5,0,", "第3行：延期次数：“1.5”须为不小于0的整数"),
    ("C9,无此街道,巡查,2018-01-05 09:00:00,,,0,0,", "第3行：责任单位：“无此街道”不是本方案的单位"),
    ("C1,乙街道,巡查,2018-01-05 09:00:00,,,0,0,", "第3行：案件编号：案件 C1 在文件前面已出现"),
    (",乙街道,巡查,2018-01-05 09:00:00,,,0,0,", "第3行：案件编号：案件编号为空"),
])
def test_rows_the_bulk_path_refuses_are_named_by_the_careful_path(scheme, tmp_path, line, message):
    store = new_store(tmp_path / "k.db", scheme)
    path = write(tmp_path, [TRICKY[0], line])
    assert bulk_path(store, scheme, path, None) is None
    with pytest.raises(CaseImportRejected) as caught:
        import_cases(store, scheme, path)
    assert any(message in m for m in caught.value.report.rejected), caught.value.report.rejected
    assert table(store, "SELECT count(*) FROM cases") == [(0,)]


def test_a_second_import_of_the_same_cases_goes_the_bulk_way_and_does_not_double(scheme, tmp_path):
    store = new_store(tmp_path / "k.db", scheme)
    assert bulk_path(store, scheme, write(tmp_path, TRICKY[:2]), None) == 2
    write(tmp_path, TRICKY[1:3], "again.csv")  # updates by id: bulk_reimport (tests/test_bulk_reimport.py)
    report = import_cases(store, scheme, tmp_path / "again.csv", row_by_row=lambda: pytest.fail("went row by row"))
    assert (report.imported, report.unchanged, report.updated) == (1, 1, 0)  # C3 new, C2 as it was
    assert table(store, "SELECT count(*) FROM cases") == [(3,)]


@pytest.mark.parametrize("space", ["\t", "\u3000", "\u00a0"])  # tab, full-width, no-break
def test_odd_spaces_the_careful_path_strips_send_the_file_its_way(scheme, tmp_path, space):
    store = new_store(tmp_path / "k.db", scheme)
    path = write(tmp_path, [TRICKY[0], f"{space}C9,乙街道,巡查{space},2018-01-05 09:00:00,,,0,0,满意{space}"])
    assert bulk_path(store, scheme, path, None) is None
    assert import_cases(store, scheme, path).imported == 2
    assert table(store, "SELECT case_id, source, satisfaction FROM cases WHERE unit = '乙街道'") == [
        ("C9", "巡查", "满意")
    ]


def test_gbk_files_go_the_careful_way(scheme, tmp_path):
    store = new_store(tmp_path / "k.db", scheme)
    path = write(tmp_path, TRICKY, encoding="gbk")
    assert bulk_path(store, scheme, path, None) is None
    assert import_cases(store, scheme, path).imported == 7


def big_file(tmp_path: Path, rows: int) -> Path:
    lines = [f"K{i:07d},{'甲街道' if i % 2 else '乙街道'},巡查,2018-0{1 + i % 9}-1{i % 10} 09:00:00,"
             f"2018-0{1 + i % 9}-2{i % 9} 09:00:00,,0,0," for i in range(rows)]
    return write(tmp_path, lines, "big.csv")


def test_progress_is_reported_while_the_helper_reads(scheme, tmp_path):
    store = new_store(tmp_path / "k.db", scheme)
    seen: list[int] = []
    assert bulk_path(store, scheme, big_file(tmp_path, 150_000), seen.append) == 150_000
    assert seen == [65536, 131072]  # every 2^16 rows


def test_parent_killed_mid_import_leaves_nothing(scheme, tmp_path):
    db = tmp_path / "k.db"
    new_store(db, scheme).close()
    path = big_file(tmp_path, 5_000)
    cmd = [sys.executable, "-m", "kaohe_tui", "--db", str(db), "--plugins-dir", str(FIXTURES / "core_plugin"),
           "import", "fixture-cases", str(path)]
    marker = tmp_path / "in-transaction"
    parent = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, PAUSE: str(marker)})
    # the helper holds every case inside its open transaction when the parent is killed
    assert kill_inside_the_write(parent, marker, 5_000) == 5_000
    with sqlite3.connect(db, timeout=60) as conn:
        conn.execute("BEGIN IMMEDIATE")  # waits until the orphaned helper has rolled back and gone
        conn.execute("ROLLBACK")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        audits = conn.execute("SELECT count(*) FROM audit WHERE action = 'import-cases'").fetchone()[0]
    assert (n, audits) == (0, 0)  # nothing


@pytest.mark.parametrize("closing", ["2018Q1", "2018-01", "2018"])
def test_no_case_arrives_in_a_closed_period(scheme, tmp_path, closing):
    from kaohe_tui.ledger import set_period_status
    from kaohe_tui.periods import Period

    store = new_store(tmp_path / "k.db", scheme)
    set_period_status(store, scheme, Period.parse(closing), "closed", "签发")
    path = write(tmp_path, TRICKY)
    assert bulk_path(store, scheme, path, None) is None  # the helper refuses, the careful path says why
    with pytest.raises(CaseImportRejected) as caught:
        import_cases(store, scheme, path)
    # C1 (2018-01-03) is the first row in a closed period whichever of the three closes it
    assert caught.value.report.rejected[0] == (
        f"{path}：第2行：上报时间：2018-01-03 09:00:00 落在已签发关闭的 {closing} 内，须由管理员先重新开启")
    assert table(store, "SELECT count(*) FROM cases") == [(0,)]
    set_period_status(store, scheme, Period.parse(closing), "open", "更正")
    assert import_cases(store, scheme, path).imported == 7


def test_a_platform_export_with_its_own_header_names(scheme, tmp_path):
    # the platform's names, another column order, a column kaohe does not use, a quoted comma
    path = tmp_path / "export.csv"
    path.write_text(
        "任务号,问题来源,处置单位,大类,立案时间,处置截止时间,办结时间,延期次数,返工次数,回访结果\n"
        'T1,"巡查,夜间",甲街道,市容,2018-01-03 09:00:00,2018-01-05 17:00:00,2018-01-04 10:00:00,0,0,满意\n'
        "T2,12319,乙街道,环卫,2018-01-04 09:00:00,2018-01-05 17:00:00,,0,1,\n",
        encoding="utf-8",
    )
    store = new_store(tmp_path / "k.db", scheme)
    assert bulk_path(store, scheme, path, None) == 2
    assert table(
        store, "SELECT case_id, unit, source, closed_at, failed_checks, satisfaction FROM cases ORDER BY case_id"
    ) == [("T1", "甲街道", "巡查,夜间", "2018-01-04 10:00:00", 0, "满意"), ("T2", "乙街道", "12319", None, 1, None)]


def test_a_later_export_is_audited_in_the_chain(scheme, tmp_path):
    from kaohe_tui import chain

    store = new_store(tmp_path / "k.db", scheme)
    assert import_cases(store, scheme, write(tmp_path, TRICKY[:2])).imported == 2
    later = write(tmp_path, [TRICKY[0].replace("2018-01-04 10:00:00", "2018-01-04 11:00:00"), TRICKY[1]], "later.csv")
    report = import_cases(store, scheme, later)
    assert (report.imported, report.updated, report.unchanged) == (0, 1, 1)
    old, new = table(store, "SELECT old, new FROM audit WHERE action = 'update-case'")[0]
    assert '"closed_at": "2018-01-04 10:00:00"' in old and '"closed_at": "2018-01-04 11:00:00"' in new
    problems, _, _ = chain.walk(store.db.conn)
    assert problems == []  # each change is a link of the audit chain, as every other audit row
