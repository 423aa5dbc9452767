"""Bulk import of a clean case file, with SQLite itself reading the CSV.

Why: Python's csv module and sqlite3's parameter binding cost ~3 µs a row, which made a city's year
of cases (10^6 rows) 7× slower than the sqlite3 shell's ``.import``. sqlean.py ships its own SQLite,
which loads kaohe's C extension: its reader ``kaohe_cases`` (``native_cases``) hands SQLite each row
of the file as ``cases`` stores it, one ``INSERT … SELECT`` stores every row, while a second thread
reads the file again on its own connection and ``kaohe_tally`` adds up the month counts (the
machine's other core: the tally's SQL cost a third of the insert). Without a C compiler, sqlean's
``vsv`` reads the file and ``vsv_cases.CaseFileSQL`` turns its cells into values (kaohe's own time form
only), while a second thread counts the months the same way. The table's indexes are built after the insert
when the import outnumbers the cases already stored (``deferred_indexes``).

Why a helper process: two SQLite libraries must never open one database file in one process (POSIX
locks belong to the process, so one library closing the file drops the other's locks), and the rest
of kaohe uses Python's own sqlite3.

The helper only ever says yes or no. Anything it refuses (a time in a form the reader does not
take, a bad count, a duplicate case id, an unknown unit, a case in a closed period, a file that is
not UTF-8) rolls everything back, and the parent reads the file again on the careful path, which
names every bad row. The helper commits only when the parent says so: a parent killed part-way leaves
nothing behind.

Protocol, one JSON object a line. Parent → helper: the job. Helper → parent: ``{"progress": rows}``
…, then ``{"ready": cases}`` or ``{"refused": why}``. Parent → helper: ``"commit"``. Helper → parent:
``{"done": cases}``.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from kaohe_tui import bulk_reimport, chain, crashpoint
from kaohe_tui.case_counts import add_counts, begin_import, end_import
from kaohe_tui.closed import closed_months
from kaohe_tui.deferred_indexes import deferred_indexes
from kaohe_tui.names import norm
from kaohe_tui.native_cases import SOURCE, NativeCaseFile
from kaohe_tui.vsv_cases import CaseFileSQL

INDEX_CACHE_KB = 32768  # the page cache (and so each sort's memory) while the indexes are built; and
# while a file in the order of its case ids goes in (``_ids_ascending``)
ROW_BYTES = 200  # about the bytes of a case row in a file (to guess the rows coming: deferred_indexes)


def available() -> bool:
    return importlib.util.find_spec("sqlean") is not None


# -- parent side --------------------------------------------------------------------------------
def bulk_import(db: Path, path: Path, job: dict, progress: Callable[[int], None] | None = None,
                told: dict | None = None) -> int | None:
    """Cases imported, or None when the helper refused the file (nothing of it is kept) or could
    not run. ``job`` (see ``case_import.bulk_path``): the scheme, the file's columns (field → index)
    and width, the profile's answers and statuses, ``units`` (normalised name or alias → the
    unit's name), ``audit`` (the audit row but its ``new``, which the helper writes with the count
    and the import's id), ``months`` (those of the scheme's periods, None: any). The months no case
    may arrive in the helper reads itself, inside its write transaction. ``told``: given the
    helper's last word (``updated``, ``unchanged``: a later export's cases known before)."""
    if not available() or "'" in str(path):
        return None
    job = {**job, "db": str(db), "path": str(Path(path).resolve()), "file": str(path)}
    try:
        proc = subprocess.Popen([sys.executable, "-m", "kaohe_tui.bulk_cases"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
    except OSError:
        return None
    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None and stdout is not None  # both PIPE
    try:
        stdin.write(json.dumps(job, ensure_ascii=False) + "\n")
        stdin.flush()
        for line in stdout:
            message = json.loads(line)
            if "progress" in message:
                if progress:
                    progress(message["progress"])
            elif "ready" in message:
                stdin.write("commit\n")
                stdin.flush()
            elif "done" in message:
                if told is not None:
                    told.update(message)
                return int(message["done"])
            else:
                return None  # refused
        return None  # the helper died: its transaction died with it
    except (OSError, ValueError):
        return None
    finally:
        for pipe in (stdin, stdout):
            try:
                pipe.close()
            except OSError:
                pass
        proc.wait()


# -- helper side --------------------------------------------------------------------------------
def _say(**message) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _progress(row: int) -> int:
    _say(progress=row)
    return 1  # a true WHERE term: the row is kept


def _connect(sqlean, target: str):
    # a busy file: wait up to 30 s
    return sqlean.connect(target, isolation_level=None, check_same_thread=False, timeout=30)


def run(job: dict) -> None:
    import sqlean

    from kaohe_tui import native

    sqlean.extensions.enable("vsv")
    counted: list = []
    conn = _connect(sqlean, job["db"])
    reader: NativeCaseFile | None = NativeCaseFile(job) if native.load(conn) else None
    sql = CaseFileSQL(job)

    def count_months() -> None:  # in parallel (on the other core), on its own in-memory database
        try:
            mem = _connect(sqlean, ":memory:")
        except Exception as exc:  # reported by the main thread
            counted.append(exc)
            return
        counting.append(mem)
        try:
            if reader:  # the C reader reads the file once more, each row added to the month tally
                native.load(mem)
                mem.execute(reader.create(job["path"]) or "")
                tallied_rows.append(mem.execute(reader.tally()).fetchone()[0])
                counted.append(json.loads(mem.execute("SELECT kaohe_tallied()").fetchone()[0]))
            else:
                mem.execute(sql.create(job["path"]))
                counted.append(mem.execute(sql.month_counts()).fetchall())
        except Exception as exc:  # reported by the main thread
            counted.append(exc)
        finally:
            mem.close()

    conn.execute("PRAGMA synchronous = NORMAL")
    conn.create_function("kaohe_progress", 1, _progress)
    counting: list = []  # the counting thread's connection (interrupted when the import fails)
    tallied_rows: list[int] = []  # the rows the C reader's tally read
    file_before = _file_state(job["path"])  # the insert and the tally each read the file: the same one?
    counter = threading.Thread(target=count_months)
    if reader is None:
        counter.start()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("PRAGMA cache_size = -131072")  # 128 MB of pages while the key index grows anywhere
        audit = job["audit"]
        import_id = begin_import(conn, job["scheme"], job["file"], audit["at"], audit["user"])
        into = "cases"
        if _later_export(conn, job, reader, sql):
            into = bulk_reimport.create_incoming(conn)  # a later export: updates by id
        elif reader:
            counter.start()  # the month tally, beside the insert
            if _ids_ascending(conn):  # the key's b-tree grows at its right edge only: a small cache will do
                conn.execute(f"PRAGMA cache_size = -{INDEX_CACHE_KB}")

        def insert() -> int:
            if reader:
                return conn.execute(reader.insert(job["scheme"], import_id, into)).rowcount
            return conn.execute(sql.insert(job["scheme"], import_id, into)).rowcount

        if into == "cases":
            with deferred_indexes(conn, "cases", Path(job["path"]).stat().st_size // ROW_BYTES):
                imported = insert()
                # each index is built by a sort that holds as much as the page cache in memory:
                # a file without closing times puts every case in the open cases' index (240 MB);
                # a sort bigger than that is sorted in parts by a second thread (the other core)
                conn.execute(f"PRAGMA cache_size = -{INDEX_CACHE_KB}")
                conn.execute("PRAGMA threads = 1")
        else:
            imported = insert()
        if reader and into != "cases":  # a later export's tally: made by its insert
            counted.append(json.loads(conn.execute("SELECT kaohe_tallied()").fetchone()[0]))
        else:
            counter.join()
        if isinstance(counted[0], Exception):
            raise counted[0]
        if _file_state(job["path"]) != file_before or tallied_rows and into == "cases" and tallied_rows[0] != imported:
            # written to while it was read (a re-export, a sync folder): counts of another version
            raise ValueError("the file changed while it was read")
        if any(row[2] for row in counted[0]):
            raise ValueError("a row the careful path must read (and perhaps refuse)")
        counts = []
        frozen = closed_months(conn, job["scheme"])  # read under the write lock: a close cannot slip in
        for raw, month, _, live, *figures in counted[0]:
            if month in frozen:
                raise PermissionError(f"cases reported in {month}, closed with {frozen[month]}")
            if job.get("months") is not None and month not in job["months"]:
                raise ValueError(f"cases reported in {month}, outside the scheme's periods")
            unit = job["units"].get(norm(raw))
            if unit is None:
                raise LookupError(f"unknown unit {raw!r}")
            if unit != raw and into != "cases":
                bulk_reimport.rename_unit(conn, raw, unit)
            elif unit != raw:  # an alias or another spelling: stored under the unit's name
                conn.execute("UPDATE cases SET unit = ? WHERE scheme = ? AND import_id = ? AND unit = ?",
                             [unit, job["scheme"], import_id, raw])
            if live:  # a unit-month of void cases only is no platform data (as the careful path)
                counts.append((unit, month, *figures))
        updated = unchanged = 0
        if into == "cases":
            add_counts(conn, job["scheme"], counts)
        else:
            total = sum(row[-1] for row in counted[0]) if reader else None  # rows read (the changed kept)
            imported, updated, unchanged = bulk_reimport.merge(conn, job["scheme"], import_id, frozen, audit,
                                                               total)
        end_import(conn, import_id, imported)
        conn.execute("UPDATE case_imports SET updated = ?, profile = ? WHERE id = ?",
                     [updated, job["profile"], import_id])
        new = {"file": job["file"], "cases": imported, "updated": updated, "import": import_id,
               "profile": job["profile"], "ignored": job["ignored"], "rejected": 0}  # as the careful path writes it
        chain.append(conn, {**audit, "new": json.dumps(new, ensure_ascii=False)})
        crashpoint.pause_before_commit(imported + updated)
        _say(ready=imported)
        if sys.stdin.readline().strip() != "commit":
            raise ConnectionAbortedError("the parent went away")
        conn.execute("COMMIT")
        _say(done=imported, updated=updated, unchanged=unchanged)
    except BaseException:
        for mem in counting:
            with suppress(Exception):  # closed already: it has finished
                mem.interrupt()  # its count is no longer wanted
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        if counter.is_alive():
            counter.join()
        conn.close()


def _file_state(path: str) -> tuple[int, int, int]:
    """What changes when a file is written: its inode (replaced), size and modification time."""
    state = Path(path).stat()
    return state.st_ino, state.st_size, state.st_mtime_ns


def _ids_ascending(conn) -> bool:
    """Whether the file's first rows (``bulk_reimport.PROBE``) come in the order of their case ids
    (as SQLite compares them: UTF-8 bytes, code points in Python). Then the insert writes each
    page of the table once and moves on, and the pages it filled may be written out as it goes
    (on the insert's thread, while the other core reads and counts the file) instead of all at
    the commit, in half the memory; a file in another order keeps the big cache (the insert
    returns to pages anywhere in the table: a small cache made it 1.6 times as slow)."""
    ids = [case_id for (case_id,) in conn.execute(f"SELECT case_id FROM {SOURCE} LIMIT {bulk_reimport.PROBE}")]
    return all(a < b for a, b in zip(ids, ids[1:], strict=False))


def _later_export(conn, job: dict, reader: NativeCaseFile | None, sql: CaseFileSQL) -> bool:
    """Create the file's reader table, and say whether the file is a later export of cases already
    stored (its first rows name some: ``bulk_reimport``). The C reader of a later export refuses
    a case id written twice itself: the table its rows go to holds only those that changed."""
    create = reader.create(job["path"], threads=True) if reader else sql.create(job["path"])
    if create is None:
        raise ValueError("a file name or an answer holding a separator the C reader splits on")
    conn.execute(create)
    later = bulk_reimport.known(conn, SOURCE, "case_id" if reader else f"trim({sql.cell('case_id')})",
                                job["scheme"])
    if later and reader:
        conn.execute(f"DROP TABLE {SOURCE}")
        conn.execute(reader.create(job["path"], unique=True, threads=True) or "")
    return later


def main() -> None:
    try:
        job = json.loads(sys.stdin.readline())
        run(job)
    except Exception as exc:  # any failure: the parent reads the file on the careful path
        try:
            _say(refused=f"{type(exc).__name__}: {exc}")
        except OSError:
            pass


if __name__ == "__main__":
    main()
