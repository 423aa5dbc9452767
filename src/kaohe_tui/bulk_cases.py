"""Bulk import of a clean case file, with SQLite itself reading the CSV.

Why: Python's csv module and sqlite3's parameter binding cost ~3 µs a row, which made a city's year
of cases (10^6 rows) 7× slower than the sqlite3 shell's ``.import``. sqlean.py ships its own SQLite,
which loads kaohe's C extension: its reader ``kaohe_cases`` (``native_cases``) hands SQLite each row
of the file as ``cases`` stores it, one ``INSERT … SELECT`` stores every row, while a second thread
reads the file again on its own connection and ``kaohe_tally`` adds up the month counts (the
machine's other core: the tally's SQL cost a third of the insert). Without a C compiler, sqlean's
``vsv`` reads the file and ``CaseFileSQL`` below turns its cells into values (kaohe's own time form
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
from kaohe_tui.case_classes import LIVE, STORED, amount
from kaohe_tui.case_counts import add_counts, begin_import, end_import
from kaohe_tui.closed import closed_months
from kaohe_tui.deferred_indexes import deferred_indexes
from kaohe_tui.names import norm
from kaohe_tui.native_cases import PROGRESS_EVERY, SOURCE, NativeCaseFile, literal

# The careful path strips every cell of all whitespace (and a case id or an answer of all of it);
# SQLite's trim() removes spaces only (with a set of characters it allocates on every call: 2 s a
# million rows). So the text cells are trimmed of spaces, and a file with any other whitespace in
# them (a tab, a line break, a full-width space U+3000 from Chinese input methods, U+2003 …), or
# a space inside an id, goes the careful way (units are matched by their normalised name, which
# drops all whitespace, so theirs may stay).
ODD_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
EXTRA = 8  # cells read beyond the header's: one not empty sends the file the careful way (which refuses it)
MAX_ID = 200  # as case_import.MAX_ID
MAX_COUNT_DIGITS = 6  # as case_import.MAX_COUNT_DIGITS
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


def _among(expr: str, values) -> str:
    """``expr IN (values)`` for a text never NULL, as a CASE: SQLite looks a constant IN list up
    in a temporary b-tree, several times the cost of a few comparisons."""
    whens = " ".join(f"WHEN {literal(v)} THEN 1" for v in values)
    return f"(CASE {expr} {whens} ELSE 0 END)" if whens else "0"


class CaseFileSQL:
    """The SQL that reads one case file (``job``: which ``cN`` column holds each field, the
    profile's answers and statuses): two layers of sub-queries, each run once per row (``LIMIT
    -1``: not flattened, so a time is read once however often it is used), give every row its
    stored values and an ``ok`` flag that holds where the careful path would take the row.
    Wholly blank lines are skipped, as the careful path skips them."""

    def __init__(self, job: dict):
        self.width = int(job["width"])
        self.col = {field: f"c{int(index)}" for field, index in job["columns"].items()}
        self.job = job
        blank = " AND ".join(f"trim(coalesce(c{i}, '')) = ''" for i in range(self.width))
        self.keep = f"({self.col['case_id']} > '' OR NOT ({blank}))"  # the cheap test first

    def create(self, path: str) -> str:
        names = ", ".join(f"c{i}" for i in range(self.width + EXTRA))
        return (f"CREATE VIRTUAL TABLE {SOURCE} USING vsv(filename={literal(path)}, header=yes, "
                f"columns={self.width + EXTRA}, validatetext=yes, schema='CREATE TABLE x({names})')")

    def cell(self, field: str) -> str:
        return self.col.get(field, "NULL")  # a column the file does not have reads as empty

    def time(self, field: str, end_of_day: bool = False) -> str:
        """The cell as ``YYYY-MM-DD HH:MM:SS``; NULL when empty or not a time taken here."""
        c = self.cell(field)
        if c == "NULL":
            return "NULL"
        # exactly YYYY-MM-DD HH:MM:SS: datetime() gives back only such text unchanged (it rolls
        # 02-31 over into March); hour 24 it keeps, so that is refused by hand
        return f"CASE WHEN datetime({c}) IS {c} AND substr({c}, 12, 2) != '24' THEN {c} END"

    def valid_count(self, field: str) -> str:
        c = self.cell(field)  # digits only, or empty (0); not so many that SQLite would saturate them
        return f"(coalesce({c}, '') NOT GLOB '*[^0-9]*' AND length(coalesce({c}, '')) <= {MAX_COUNT_DIGITS})"

    def count(self, field: str) -> str:
        """The cell as a count (empty: 0); NULL when it is not one."""
        return f"CASE WHEN {self.valid_count(field)} THEN CAST(coalesce({self.cell(field)}, '') AS INTEGER) END"

    def satisfaction_class(self) -> str:
        """2 satisfied, 1 visited and not satisfied, 0 not visited or blank, -1 an unknown answer."""
        if "satisfaction" not in self.col:
            return "0"
        job = self.job  # the first list an answer is in decides, as in case_counts.satisfaction_class
        whens = [*(f"WHEN {literal(v)} THEN 2" for v in job["satisfied"]),
                 *(f"WHEN {literal(v)} THEN 1" for v in job["unsatisfied"]),
                 *(f"WHEN {literal(v)} THEN 0" for v in ["", *job["not_visited"]])]
        return f"CASE coalesce(trim({self.col['satisfaction']}), '') {' '.join(whens)} ELSE -1 END"

    def stage(self) -> str:
        """The platform's stage as ``case_import._status_text`` reads it (网格中心 writes [作废])."""
        if "status" not in self.col:
            return "''"
        return f"trim(trim(trim(coalesce({self.col['status']}, '')), '[]【】'))"

    def rows(self, checks: bool = True) -> str:
        """``checks`` False: the stored values only, every row ``ok``. Three layers of sub-queries,
        each run once per row (``LIMIT -1``: not flattened): the first reads each cell of the file
        once (every read of a ``vsv`` column copies and validates the text again), the second
        gives the stored values, the third the checks and the values made from them."""
        job = self.job
        period, closing = job["period_field"], job["closing_field"]
        first = "reported_at" if period == "filed_at" and "reported_at" in self.col else None
        cells = [self.cell(f) for f in ("case_id", "source", "satisfaction", "status") if f in self.col]
        joined = " || ".join(f"coalesce({c}, '')" for c in cells)
        odd = f"({joined}) GLOB {literal('*[' + ODD_SPACES + ']*')}"
        extra = " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(self.width, self.width + EXTRA))
        read = ", ".join(sorted(set(self.col.values()), key=lambda c: int(c[1:])))

        def given(field):
            return f"coalesce({self.cell(field)}, '') > ''"

        answer = f"nullif(trim({self.cell('satisfaction')}), '')"
        cells_read = f"""
SELECT rowid AS rid, {read}{f", {extra} AS extra" if checks else ""}
FROM {SOURCE} WHERE {self.keep} LIMIT -1"""
        raw = f"""
SELECT rid, trim({self.col['case_id']}) AS case_id, trim({self.col['unit']}) AS unit,
       nullif(trim({self.cell('source')}), '') AS source,
       {self.time(period)} AS reported, {given(period)} AS reported_given,
       {self.time(first) if first else 'NULL'} AS first, {given(first) if first else '0'} AS first_given,
       {self.time('deadline', True)} AS deadline, {given('deadline')} AS deadline_given,
       {self.time(closing)} AS closed, {given(closing)} AS closed_given,
       {self.time('force_closed_at')} AS forced, {given('force_closed_at')} AS forced_given,
       {self.stage()} AS stage, {self.count('extensions')} AS ext, {self.count('failed_checks')} AS failed,
       {self.satisfaction_class()} AS sat, {answer} AS answer{f", {odd} AS odd, extra" if checks else ""}
FROM ({cells_read}) LIMIT -1"""
        void, forced = _among("stage", job["void"]), _among("stage", job["force_closed"])
        marked = f"(forced IS NOT NULL OR ({forced} AND NOT {void}))"
        ok = (f"NOT odd AND extra AND instr(case_id, ' ') = 0 AND length(case_id) <= {MAX_ID}"
              " AND reported IS NOT NULL AND (deadline IS NOT NULL OR NOT deadline_given)"
              " AND (closed IS NOT NULL OR NOT closed_given) AND (forced IS NOT NULL OR NOT forced_given)"
              " AND (NOT first_given OR (first IS NOT NULL AND reported >= first))"
              " AND (closed_at IS NULL OR closed_at >= reported) AND ext IS NOT NULL AND failed IS NOT NULL"
              " AND sat >= 0")
        return f"""
SELECT *, {ok if checks else 1} AS ok
FROM (SELECT *, CASE WHEN {marked} THEN coalesce(closed, forced) ELSE closed END AS closed_at,
             CASE WHEN {void} THEN 'void' WHEN {marked} THEN 'force_closed' END AS status
      FROM ({raw}) LIMIT -1)"""

    def stored(self, checks: bool = True) -> str:
        """Every row as it will be stored (the columns of ``cases``), with its ``rid`` and ``ok``."""
        return f"""
SELECT rid, case_id, unit, source, reported AS reported_at, deadline, closed_at, coalesce(ext, 0) AS extensions,
       coalesce(failed, 0) AS failed_checks, CASE WHEN sat > 0 THEN answer END AS satisfaction,
       CASE sat WHEN 2 THEN 1 WHEN 1 THEN 0 END AS satisfied, status, {int(bool(self.job['untimed']))} AS untimed, ok
FROM ({self.rows(checks)})"""

    def tallied(self) -> list[str]:
        """What each stored row adds to its (unit as written, month): the rows the careful path
        must read, the cases counted (a void case counts nowhere), then ``case_classes.STORED`` in
        order (each its SQL there)."""
        return ["ok IS NOT 1", f"({LIVE}) IS 1", *(amount(name) for name in STORED)]

    def insert(self, scheme: str, import_id: int, into: str = "cases") -> str:
        """Every row as it is stored (a row the careful path would refuse may be written here:
        ``month_counts``, read beside it, counts it, and the whole import is rolled back).
        ``into``: the table (a later export goes to ``bulk_reimport``'s first)."""
        return f"""
INSERT INTO {into} (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks,
                   satisfaction, satisfied, status, untimed, import_id)
SELECT {literal(scheme)}, case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks,
       satisfaction, satisfied, status, untimed, {int(import_id)}
FROM ({self.stored(checks=False)})
WHERE rid % {PROGRESS_EVERY} != 0 OR kaohe_progress(rid)
"""

    def month_counts(self) -> str:
        """The sums per (unit as written, month) by GROUP BY: the rows the careful path must read,
        the cases counted, ``case_classes.STORED``."""
        sums = ", ".join(f"sum({value})" for value in self.tallied())
        return f"SELECT unit, substr(reported_at, 1, 7), {sums} FROM ({self.stored()}) GROUP BY 1, 2"


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
            counting.append(mem)
            if reader:  # the C reader reads the file once more, each row added to the month tally
                native.load(mem)
                mem.execute(reader.create(job["path"]) or "")
                mem.execute(reader.tally()).fetchone()
                counted.append(json.loads(mem.execute("SELECT kaohe_tallied()").fetchone()[0]))
            else:
                mem.execute(sql.create(job["path"]))
                counted.append(mem.execute(sql.month_counts()).fetchall())
            mem.close()
        except Exception as exc:  # reported by the main thread
            counted.append(exc)

    conn.execute("PRAGMA synchronous = NORMAL")
    conn.create_function("kaohe_progress", 1, _progress)
    counting: list = []  # the counting thread's connection (interrupted when the import fails)
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
                # a file without closing times puts every case in the open cases' index (240 MB)
                conn.execute(f"PRAGMA cache_size = -{INDEX_CACHE_KB}")
        else:
            imported = insert()
        if reader and into != "cases":  # a later export's tally: made by its insert
            counted.append(json.loads(conn.execute("SELECT kaohe_tallied()").fetchone()[0]))
        else:
            counter.join()
        if isinstance(counted[0], Exception):
            raise counted[0]
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
