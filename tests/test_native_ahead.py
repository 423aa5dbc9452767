"""The C reader reading ahead in a thread of its own (``threads=1``: rows go through a ring of
1024 to SQLite's insert on the other core). It must hand SQLite exactly the rows, and stop at
exactly the refusal, the reader without a thread gives: on any file, on files many rings long
with the bad row far down, and when SQLite stops reading early."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from test_bulk_cases import TRICKY, write
from test_case_paths_property import case_files, cell
from test_native_tally import native_conn, the_job

from conftest import load_core_scheme, needs_native_time, new_store
from kaohe_tui import bulk_cases
from kaohe_tui.case_import import CaseImportRejected, bulk_path, import_cases
from kaohe_tui.native_cases import SOURCE, NativeCaseFile

sqlean = pytest.importorskip("sqlean")
pytestmark = [pytest.mark.skipif(not bulk_cases.available(), reason="sqlean.py is not installed"), needs_native_time]
EXAMPLES = int(os.environ.get("KAOHE_PROPERTY_EXAMPLES", 60))
RING = 1024  # as kaohetime.c


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")


def read(job: dict, path, threads: bool, sql: str = f"SELECT rowid, * FROM {SOURCE}") -> tuple[list, str | None]:
    """The rows the reader gives (and the error that ended them), with or without its thread."""
    conn = native_conn()
    conn.execute(NativeCaseFile(job).create(str(path), threads=threads) or "")
    got: list = []
    try:
        for row in conn.execute(sql):
            got.append(row)
    except sqlean.DatabaseError as exc:
        return got, str(exc)
    finally:
        conn.close()
    return got, None


def same_either_way(job: dict, path) -> tuple[list, str | None]:
    alone = read(job, path, threads=False)
    assert read(job, path, threads=True) == alone
    return alone


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(file=case_files())
def test_the_thread_reads_every_file_as_the_reader_alone(scheme, tmp_path_factory, monkeypatch, file):
    lines, profile, overrides = file
    if profile or overrides:  # a profile of the office's own lives beside its database: the plain layouts here
        return
    folder = tmp_path_factory.mktemp("ahead")
    path = folder / "cases.csv"
    path.write_bytes(("\n".join(",".join(cell(c) for c in row) for row in lines) + "\n").encode("utf-8"))
    job = the_job(new_store(folder / "k.db", scheme), scheme, path, monkeypatch)
    if job:
        same_either_way(job, path)


def many(n: int, bad_at: int | None = None) -> list[str]:
    """``n`` clean cases of 甲街道 (its alias and padded name too; answers, open and closed ones);
    the case at ``bad_at`` (1-based) reported on a day that does not exist."""
    lines = []
    for i in range(1, n + 1):
        day = 1 + i % 28
        reported = "2018-02-31 09:00:00" if i == bad_at else f"2018-01-{day:02d} 09:{i % 60:02d}:00"
        closed = "" if i % 7 == 0 else f"2018-01-{day:02d} 18:00:00"
        unit = "甲街道" if i % 3 else "甲街道办事处" if i % 2 else " 甲街道 "
        lines.append(f"N{i:06d},{unit},巡查,{reported},2018-02-05,{closed},{i % 3},{i % 2},{'满意' if i % 5 else ''}")
    return lines


def test_a_file_many_rings_long_is_read_whole_and_alike(scheme, tmp_path, monkeypatch):
    path = write(tmp_path, [TRICKY[0], *many(5 * RING + 7)])
    job = the_job(new_store(tmp_path / "k.db", scheme), scheme, path, monkeypatch)
    rows, error = same_either_way(job, path)
    assert error is None and len(rows) == 5 * RING + 8
    assert rows[-1][:2] == (5 * RING + 9, f"N{5 * RING + 7:06d}")  # rowid: the record (the header is record 1)


@pytest.mark.parametrize("bad_at", [1, RING - 1, RING, RING + 1, 3 * RING + 500])
def test_a_bad_row_far_down_stops_the_thread_where_it_stops_the_reader(scheme, tmp_path, monkeypatch, bad_at):
    path = write(tmp_path, many(4 * RING, bad_at=bad_at))
    job = the_job(new_store(tmp_path / "k.db", scheme), scheme, path, monkeypatch)
    rows, error = same_either_way(job, path)
    assert error == f"kaohe_cases: record {bad_at + 1}: the case's time"
    # the rows before it (Python's cursor steps one row ahead: the last may be lost with the error)
    assert bad_at - 2 <= len(rows) <= bad_at - 1 and all(row[0] <= bad_at for row in rows)


def test_sqlite_stopping_early_stops_the_thread(scheme, tmp_path, monkeypatch):
    path = write(tmp_path, many(4 * RING))
    job = the_job(new_store(tmp_path / "k.db", scheme), scheme, path, monkeypatch)
    conn = native_conn()
    conn.execute(NativeCaseFile(job).create(str(path), threads=True) or "")
    for _ in range(20):  # each statement's cursor starts a thread and, closed with the ring full, stops it
        assert conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {SOURCE} LIMIT 10)").fetchone() == (10,)
    assert conn.execute(f"SELECT count(*) FROM {SOURCE}").fetchone() == (4 * RING,)  # read again, whole
    conn.close()


def test_the_bulk_import_of_a_long_file_with_a_bad_row_keeps_nothing_and_names_it(scheme, tmp_path):
    store = new_store(tmp_path / "k.db", scheme)
    path = write(tmp_path, many(3 * RING, bad_at=2 * RING + 5))
    assert bulk_path(store, scheme, path, None) is None  # the helper refused it whole
    assert store.db.execute("SELECT count(*) FROM cases").fetchone() == (0,)
    with pytest.raises(CaseImportRejected) as caught:
        import_cases(store, scheme, path)
    # the header is line 1: the case at 2×1024+5 is on line 2054
    rejected = [str(m) for m in caught.value.report.rejected]
    assert len(rejected) == 1 and f"第{2 * RING + 6}行：上报时间" in rejected[0], rejected
    assert store.db.execute("SELECT count(*) FROM cases").fetchone() == (0,)


def test_the_bulk_import_of_a_long_clean_file_stores_every_case(scheme, tmp_path):
    store = new_store(tmp_path / "k.db", scheme)
    path = write(tmp_path, many(3 * RING))
    assert bulk_path(store, scheme, path, None) == 3 * RING
    assert store.db.execute("SELECT count(*), count(DISTINCT unit) FROM cases").fetchone() == (3 * RING, 1)
    # every case counts in January 2018 (the alias and the padded name stored as 甲街道)
    assert store.db.execute("SELECT unit, month, due FROM case_month_stats").fetchall() == [
        ("甲街道", "2018-01", 3 * RING)]



@pytest.mark.parametrize("ids, ascending", [
    (["N1", "N2", "N3"], True),
    (["N1", "N3", "N2"], False),
    (["N1", "N1x", "N2"], True),
    (["Z9", "案1", "案2"], True),  # as SQLite compares them: UTF-8 bytes, Chinese after ASCII
    (["案1", "Z9"], False),
])
def test_a_file_in_the_order_of_its_ids_is_told_from_one_in_another(scheme, tmp_path, monkeypatch, ids, ascending):
    path = write(tmp_path, [f"{i},甲街道,巡查,2018-01-03 09:00:00,,,0,0," for i in ids])
    job = the_job(new_store(tmp_path / "k.db", scheme), scheme, path, monkeypatch)
    conn = native_conn()
    conn.execute(NativeCaseFile(job).create(str(path), threads=True) or "")
    assert bulk_cases._ids_ascending(conn) is ascending


def tally_read_then(change):
    """An ``_ids_ascending`` that first waits for the tally's thread to have read the whole file,
    then lets ``change`` alter the file: the insert reads it after the tally did."""
    import threading

    probe = bulk_cases._ids_ascending

    def late(conn):
        for thread in threading.enumerate():
            if "count_months" in thread.name:
                thread.join()
        change()
        return probe(conn)
    return late


@pytest.mark.parametrize("how", ["a row added", "a row rewritten in place"])
def test_a_file_changed_between_the_two_reads_is_refused(scheme, tmp_path, monkeypatch, how):
    """The insert and the month tally read the file separately (two cores): a file still being
    written (a re-export, a sync folder) must not go in with counts of another version of it —
    a case in a month the tally never saw, unchecked for closed months and unknown units."""
    import io
    import sys

    store = new_store(tmp_path / "k.db", scheme)
    path = write(tmp_path, many(100))
    job = {**the_job(store, scheme, path, monkeypatch), "db": str(tmp_path / "k.db"), "file": str(path)}
    before = path.stat().st_mtime_ns

    def change():
        if how == "a row added":
            with path.open("a", encoding="utf-8") as f:
                f.write("N000101,甲街道,巡查,2018-03-05 09:00:00,2018-03-06,,0,0,满意\n")
        else:  # the same bytes long: an open case reported on 1 January now on 1 February
            old = "N000056,甲街道,巡查,2018-01-01".encode()
            path.write_bytes(path.read_bytes().replace(old, old.replace(b"2018-01", b"2018-02")))
        os.utime(path, ns=(before + 10**9, before + 10**9))  # as an editor's write moves it

    monkeypatch.setattr(bulk_cases, "_ids_ascending", tally_read_then(change))
    monkeypatch.setattr(sys, "stdin", io.StringIO("commit\n"))
    with pytest.raises(ValueError, match="changed"):
        bulk_cases.run(job)
    # refused whole: the parent reads the file again on the careful path
    assert store.db.execute("SELECT count(*) FROM cases").fetchone() == (0,)
    assert store.db.execute("SELECT count(*) FROM case_month_stats").fetchone() == (0,)
