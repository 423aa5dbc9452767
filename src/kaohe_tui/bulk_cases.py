"""Bulk import of a clean case file, with SQLite itself reading the CSV (sqlean.py's ``vsv``).

Why: Python's csv module and sqlite3's parameter binding cost ~3 µs a row, which made a city's year
of cases (10^6 rows) 7× slower than the sqlite3 shell's ``.import``. sqlean.py ships its own SQLite
with a CSV virtual table written in C: one ``INSERT … SELECT`` stores every row while a
second thread reads the same file to count the months and check every field, both outside the GIL
(the two take about as long, so on two cores the checks cost nothing).

Why a helper process: two SQLite libraries must never open one database file in one process (POSIX
locks belong to the process, so one library closing the file drops the other's locks), and the rest
of kaohe uses Python's own sqlite3.

The helper only ever says yes or no. Anything it refuses (a timestamp not written
``YYYY-MM-DD HH:MM:SS``, a bad count, a duplicate case id, an unknown unit, a case in a closed
period, a file that is not UTF-8) rolls everything back, and the parent reads the file again on the careful path, which names
every bad row. The helper commits only when the parent says so: a parent killed part-way leaves
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
from pathlib import Path
from typing import Callable

from kaohe_tui import chain, crashpoint
from kaohe_tui.case_counts import COLUMNS, NOT_VISITED, SATISFIED, UNSATISFIED, MonthlyCounts, begin_import, end_import
from kaohe_tui.closed import closed_months
from kaohe_tui.names import norm

SOURCE = "temp.case_file"
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
PROGRESS_EVERY = 65536  # rows between progress reports (a power of two: a cheap test in SQL)


def available() -> bool:
    return importlib.util.find_spec("sqlean") is not None


# -- parent side --------------------------------------------------------------------------------
def bulk_import(db: Path, scheme_id: str, path: Path, columns: dict[str, int], width: int,
                units: dict[str, str], audit: dict,
                progress: Callable[[int], None] | None = None, months: list[str] | None = None) -> int | None:
    """Cases imported, or None when the helper refused the file (nothing of it is kept) or could
    not run. ``units``: normalised name or alias → the unit's name; ``audit``: the audit row but
    its ``new``, which the helper writes with the count and the import's id (``case_imports``);
    ``months``: the months of the scheme's periods (a case outside them is refused), None: any.
    The months no case may arrive in the helper reads itself, inside its write transaction."""
    if not available() or "'" in str(path) or set(columns) != set(COLUMNS):
        return None
    job = {"db": str(db), "scheme": scheme_id, "path": str(Path(path).resolve()), "file": str(path), "columns": columns,
           "width": width, "units": units, "audit": audit, "months": months}
    try:
        proc = subprocess.Popen([sys.executable, "-m", "kaohe_tui.bulk_cases"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
    except OSError:
        return None
    try:
        proc.stdin.write(json.dumps(job, ensure_ascii=False) + "\n")
        proc.stdin.flush()
        for line in proc.stdout:
            message = json.loads(line)
            if "progress" in message:
                if progress:
                    progress(message["progress"])
            elif "ready" in message:
                proc.stdin.write("commit\n")
                proc.stdin.flush()
            elif "done" in message:
                return int(message["done"])
            else:
                return None  # refused
        return None  # the helper died: its transaction died with it
    except (OSError, ValueError):
        return None
    finally:
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        proc.wait()


# -- helper side --------------------------------------------------------------------------------
def _say(**message) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _list(values) -> str:
    return ", ".join(_literal(v) for v in values)


class CaseFileSQL:
    """The SQL that reads one case file: which ``cN`` column holds each field, and which rows count
    (wholly blank lines are skipped, as the careful path skips them)."""

    def __init__(self, columns: dict[str, int], width: int):
        self.width = width
        self.col = {field: f"c{index}" for field, index in columns.items()}
        blank = " AND ".join(f"trim(coalesce(c{i}, '')) = ''" for i in range(width))
        self.keep = f"({self.col['case_id']} > '' OR NOT ({blank}))"  # the cheap test first

    def create(self, path: str) -> str:
        names = ", ".join(f"c{i}" for i in range(self.width + EXTRA))
        return (f"CREATE VIRTUAL TABLE {SOURCE} USING vsv(filename={_literal(path)}, header=yes, "
                f"columns={self.width + EXTRA}, validatetext=yes, schema='CREATE TABLE x({names})')")

    def valid_timestamp(self, field: str, required: bool) -> str:
        # exactly YYYY-MM-DD HH:MM:SS: datetime() gives back only such text unchanged (it rolls
        # 02-31 over into March); hour 24 it keeps, so that is refused by hand
        c = self.col[field]
        valid = f"datetime({c}) IS {c} AND substr({c}, 12, 2) != '24'"
        return f"({c} > '' AND {valid})" if required else f"(coalesce({c}, '') = '' OR ({valid}))"

    def valid_count(self, field: str) -> str:
        c = self.col[field]  # digits only, or empty (0); not so many that SQLite would saturate them
        return f"(coalesce({c}, '') NOT GLOB '*[^0-9]*' AND length({c}) <= {MAX_COUNT_DIGITS})"

    def satisfaction_class(self) -> str:
        """2 satisfied, 1 visited and not satisfied, 0 not visited or blank, -1 an unknown answer."""
        c = f"trim({self.col['satisfaction']})"
        return (f"CASE WHEN {c} IN ({_list(SATISFIED)}) THEN 2 WHEN {c} IN ({_list(UNSATISFIED)}) THEN 1 "
                f"WHEN coalesce({c}, '') = '' OR {c} IN ({_list(NOT_VISITED)}) THEN 0 ELSE -1 END")

    def insert(self, scheme: str, import_id: int) -> str:
        """Every row, checked in part: a bad report time or count fails a constraint here; the
        deadline and closing times are checked beside it, in ``month_counts`` (the two halves of the
        work then take about as long)."""
        col = self.col
        refused = "NULL"  # the NOT NULL constraints refuse it
        return f"""
INSERT INTO cases (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks,
                   satisfaction, satisfied, import_id)
SELECT {_literal(scheme)}, trim({col['case_id']}), trim({col['unit']}), nullif(trim({col['source']}), ''),
       CASE WHEN {self.valid_timestamp('reported_at', True)} THEN {col['reported_at']} ELSE {refused} END,
       nullif({col['deadline']}, ''), nullif({col['closed_at']}, ''),
       CASE WHEN {self.valid_count('extensions')} THEN CAST(coalesce({col['extensions']}, '') AS INTEGER) ELSE {refused} END,
       CASE WHEN {self.valid_count('failed_checks')} THEN CAST(coalesce({col['failed_checks']}, '') AS INTEGER) ELSE {refused} END,
       CASE WHEN sat > 0 THEN trim({col['satisfaction']}) END, CASE sat WHEN 2 THEN 1 WHEN 1 THEN 0 END,
       {int(import_id)}
FROM (SELECT rowid AS rid, *, {self.satisfaction_class()} AS sat FROM {SOURCE})
WHERE {self.keep} AND (rid % {PROGRESS_EVERY} != 0 OR kaohe_progress(rid))
"""

    def month_counts(self) -> str:
        """Per (unit as written, month): the counts of ``case_counts.STAT_COLUMNS``, in order, then
        the number of rows the careful path must read: a deadline or closing time to normalise or
        reject, or whitespace that only it strips."""
        col = self.col
        closed, deadline = f"coalesce({col['closed_at']}, '')", f"coalesce({col['deadline']}, '')"
        text = " || ".join(f"coalesce({col[f]}, '')" for f in ("case_id", "source", "satisfaction"))
        extra = " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(self.width, self.width + EXTRA))
        checks = (f"{self.valid_timestamp('deadline', False)} AND {self.valid_timestamp('closed_at', False)}"
                  f" AND ({closed} = '' OR {closed} >= {col['reported_at']})"
                  f" AND NOT ({text} GLOB {_literal('*[' + ODD_SPACES + ']*')})"
                  f" AND instr(trim({col['case_id']}), ' ') = 0 AND length(trim({col['case_id']})) <= {MAX_ID}"
                  f" AND sat >= 0 AND {extra}")
        return f"""
SELECT unit, month, count(*), sum(st = 3 AND ext = 0), sum(st = 3 AND ext > 0), sum(st = 1), sum(st > 0),
       sum(ext), sum(max(ext - 1, 0)), sum(failed), sum(failed > 0), sum(st > 0 AND failed = 0), sum(sat = 2),
       sum(sat > 0), 0, sum(NOT ok)
FROM (SELECT trim({col['unit']}) AS unit, substr({col['reported_at']}, 1, 7) AS month,
             CASE WHEN {closed} = '' THEN 0 WHEN {deadline} = '' THEN 2 WHEN {closed} <= {deadline} THEN 3 ELSE 1 END
               AS st,
             CAST(coalesce({col['extensions']}, '') AS INTEGER) AS ext,
             CAST(coalesce({col['failed_checks']}, '') AS INTEGER) AS failed,
             sat, {checks} AS ok
      FROM (SELECT *, {self.satisfaction_class()} AS sat FROM {SOURCE}) WHERE {self.keep} LIMIT -1)  -- LIMIT: not flattened, so the sort carries 7 small values
GROUP BY unit, month
"""


def _connect(sqlean, target: str):
    return sqlean.connect(target, isolation_level=None, check_same_thread=False, timeout=30)  # a busy file: wait up to 30 s


def run(job: dict) -> None:
    import sqlean

    sqlean.extensions.enable("vsv")
    sql = CaseFileSQL({k: int(v) for k, v in job["columns"].items()}, int(job["width"]))
    counted: list = []

    def count_months() -> None:  # in parallel with the insert, on its own in-memory database
        try:
            conn = _connect(sqlean, ":memory:")
            conn.execute(sql.create(job["path"]))
            counted.append(conn.execute(sql.month_counts()).fetchall())
            conn.close()
        except Exception as exc:  # reported by the main thread
            counted.append(exc)

    conn = _connect(sqlean, job["db"])
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.create_function("kaohe_progress", 1, lambda row: _say(progress=row) or 1)
    counter = threading.Thread(target=count_months)
    counter.start()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("PRAGMA cache_size = -131072")  # 128 MB of pages while the key index grows
        conn.execute(sql.create(job["path"]))
        audit = job["audit"]
        import_id = begin_import(conn, job["scheme"], job["file"], audit["at"], audit["user"])
        imported = conn.execute(sql.insert(job["scheme"], import_id)).rowcount
        counter.join()
        if isinstance(counted[0], Exception):
            raise counted[0]
        if any(row[-1] for row in counted[0]):
            raise ValueError("a deadline, closing time or odd space the careful path must read")
        counts = MonthlyCounts()
        frozen = closed_months(conn, job["scheme"])  # read under the write lock: a close cannot slip in
        for raw, month, *figures, _ in counted[0]:
            if month in frozen:
                raise PermissionError(f"cases reported in {month}, closed with {frozen[month]}")
            if job.get("months") is not None and month not in job["months"]:
                raise ValueError(f"cases reported in {month}, outside the scheme's periods")
            unit = job["units"].get(norm(raw))
            if unit is None:
                raise LookupError(f"unknown unit {raw!r}")
            if unit != raw:  # an alias or another spelling: stored under the unit's name
                conn.execute("UPDATE cases SET unit = ? WHERE scheme = ? AND import_id = ? AND unit = ?",
                             [unit, job["scheme"], import_id, raw])
            counts.merge(unit, month, figures)
        counts.save(conn, job["scheme"])
        end_import(conn, import_id, imported)
        audit = {**audit, "new": json.dumps({"file": job["file"], "cases": imported, "import": import_id},
                                            ensure_ascii=False)}
        chain.append(conn, audit)
        crashpoint.pause_before_commit(imported)
        _say(ready=imported)
        if sys.stdin.readline().strip() != "commit":
            raise ConnectionAbortedError("the parent went away")
        conn.execute("COMMIT")
        _say(done=imported)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        counter.join()
        conn.close()


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
