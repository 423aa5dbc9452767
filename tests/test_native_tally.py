"""The bulk import adds up the month counts in C (``kaohe_tally``) as it reads the file. The C only
groups and sums: what each figure counts is the SQL the caller passes. So it must give exactly
what SQL's own ``GROUP BY unit, month`` with ``sum()`` gives — over any rows, and over any case
file with the bulk path's own expressions (``NativeCaseFile.tallied``: ``case_classes.amount``)."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_case_paths_property import HEADER, case_files, cell, rows

from conftest import load_core_scheme, new_store
from kaohe_tui import bulk_cases, native
from kaohe_tui.case_import import bulk_path
from kaohe_tui.deferred_indexes import deferred_indexes
from kaohe_tui.native_cases import NativeCaseFile

sqlean = pytest.importorskip("sqlean")
EXAMPLES = int(os.environ.get("KAOHE_PROPERTY_EXAMPLES", 60))


def native_conn():
    sqlean.extensions.enable("vsv")
    conn = sqlean.connect(":memory:", isolation_level=None)
    if not native.load(conn):
        pytest.skip("no C compiler here: the bulk path counts by GROUP BY")
    conn.create_function("kaohe_progress", 1, lambda row: 1)
    return conn


def tallied(conn) -> list:
    return sorted(json.loads(conn.execute("SELECT kaohe_tallied()").fetchone()[0]), key=repr)


# names with what JSON must escape, Chinese, and NULL; small values, NULL adding nothing (as sum())
KEYS = st.one_of(st.none(), st.sampled_from(["甲街道", 'a"b', "back\\slash", "tab\there", "\x01", "", "2018-01"]),
                 st.text(max_size=6))
VALUES = st.one_of(st.none(), st.integers(-5, 5))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.tuples(KEYS, KEYS, st.lists(VALUES, min_size=3, max_size=3)), max_size=60))
def test_tally_is_group_by_with_sums(data):
    conn = native_conn()
    conn.execute("CREATE TABLE t (unit, month, a, b, c)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [(u, m, *v) for u, m, v in data])
    assert conn.execute("SELECT count(*) FROM t WHERE NOT kaohe_tally(unit, month, a, b, c)").fetchone() == (0,)
    by_sql = conn.execute("SELECT unit, month, coalesce(sum(a), 0), coalesce(sum(b), 0), coalesce(sum(c), 0) "
                          "FROM t GROUP BY unit, month").fetchall()
    assert tallied(conn) == sorted((list(r) for r in by_sql), key=repr)
    assert tallied(conn) == []  # read once, then it starts afresh


def test_tally_refuses_rows_of_another_width():
    conn = native_conn()
    conn.execute("SELECT kaohe_tally('a', 'b', 1, 2)")
    with pytest.raises(sqlean.OperationalError, match="another width"):
        conn.execute("SELECT kaohe_tally('a', 'b', 1)")


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")


def the_job(store, scheme, path, monkeypatch) -> dict:
    """The job ``case_bulk`` hands the helper for this file (the helper itself not started)."""
    jobs: list[dict] = []
    monkeypatch.setattr(bulk_cases, "bulk_import", lambda db, p, job, *rest: jobs.append(job))
    bulk_path(store, scheme, path, None)
    return {**jobs[0], "path": str(path)} if jobs else {}


def compare(scheme, folder, monkeypatch, lines, ending="\n"):
    path = folder / "cases.csv"
    path.write_bytes((ending.join(",".join(cell(c) for c in row) for row in lines) + ending).encode("utf-8"))
    job = the_job(new_store(folder / "cases.db", scheme), scheme, path, monkeypatch)
    if not job:
        return
    conn = native_conn()
    reader = NativeCaseFile(job)
    conn.execute(reader.create(str(path)))
    conn.execute("CREATE TABLE cases (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, "
                 "failed_checks, satisfaction, satisfied, status, untimed, import_id)")
    try:
        conn.execute(reader.insert("s", 1))
        conn.execute(reader.tally()).fetchone()  # the helper runs it on a second connection
    except sqlean.DatabaseError:
        return  # a row the reader refuses (the bulk path then refuses the file): nothing to compare
    by_sql = [list(r) for r in conn.execute(reader.month_counts())]  # case_classes' own amounts, grouped by SQL
    assert tallied(conn) == sorted(by_sql, key=repr)
    stored = conn.execute("SELECT case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks, "
                          "satisfaction, satisfied, status, untimed FROM cases ORDER BY case_id").fetchall()
    assert stored == conn.execute("SELECT * FROM temp.case_file ORDER BY case_id").fetchall()  # as read


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=rows())
def test_the_bulk_path_tallies_what_its_group_by_counts(scheme, tmp_path_factory, monkeypatch, data):
    compare(scheme, tmp_path_factory.mktemp("tally"), monkeypatch, [HEADER, *data])


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(file=case_files())
def test_the_bulk_path_tallies_what_its_group_by_counts_on_every_layout(scheme, tmp_path_factory, monkeypatch, file):
    lines, profile, overrides = file
    if profile or overrides:  # a profile of the office's own lives beside its database: the plain layouts here
        return
    compare(scheme, tmp_path_factory.mktemp("tally"), monkeypatch, lines)


# -- the indexes built after a big insert -----------------------------------------------------------
def indexed_table(tmp_path, rows: int):
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID")
    conn.execute("CREATE INDEX t_v ON t (v) WHERE v > 0")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(f"k{i}", i) for i in range(rows)])
    return conn


def index_sql(conn) -> list:
    return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()


def test_indexes_are_built_again_after_the_insert_and_kept_on_rollback(tmp_path):
    conn = indexed_table(tmp_path, 3)
    before = index_sql(conn)
    conn.execute("BEGIN IMMEDIATE")
    with deferred_indexes(conn, "t", rows_coming=100):
        assert index_sql(conn) == []  # dropped while the rows go in
        conn.execute("WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 100) "
                     "INSERT INTO t SELECT 'n' || x, x FROM s")
    assert index_sql(conn) == before  # the same names from the same SQL
    assert conn.execute("SELECT count(*) FROM t INDEXED BY t_v WHERE v > 0 AND v > 50").fetchone() == (50,)
    conn.execute("ROLLBACK")
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(LookupError):
        with deferred_indexes(conn, "t", rows_coming=100):
            raise LookupError("an unknown unit: the import fails inside the block")
    conn.execute("ROLLBACK")  # the import failed: its transaction is rolled back, indexes with it
    assert index_sql(conn) == before


def test_indexes_are_kept_when_the_table_holds_more_than_is_coming(tmp_path):
    conn = indexed_table(tmp_path, 10)
    before = index_sql(conn)
    conn.execute("BEGIN IMMEDIATE")
    with deferred_indexes(conn, "t", rows_coming=5):
        assert index_sql(conn) == before  # building them anew would read more than the insert writes
    conn.execute("COMMIT")


def test_deferred_indexes_need_the_callers_transaction(tmp_path):
    conn = indexed_table(tmp_path, 1)
    with pytest.raises(RuntimeError):
        with deferred_indexes(conn, "t", rows_coming=5):
            pass
