"""Fingerprints of a period's platform cases, so that ``kaohe verify`` can tell whether a signed
year's 10^6 cases are still as signed in one pass, without scoring them again.

The native aggregate ``kaohe_case_months`` (``native/kaoherows.c``) gives, for each unit-month
of a period, its case count, extensions, failed checks and a fingerprint of every column of its
cases (two 64-bit sums of a hash of each row: row order does not matter), in one scan of the
cases without a sort. ``kaohe close`` keeps them in the snapshot's inputs; ``kaohe verify``
computes them again and names each unit-month whose cases differ.

The aggregate is a C extension loaded into sqlean.py's SQLite, and Python's own ``sqlite3`` has the
file open in this process: two SQLite libraries must never open one file in one process (their
POSIX locks clash), so the scan runs in a helper process (``python -m kaohe_tui.case_fingerprint``),
started first and read last, while the caller does its own work. Without a C compiler, SQLite's
headers or sqlean.py, ``start`` returns None and callers take the slower path they had before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WHERE = "scheme = ? AND reported_at >= ? AND reported_at < ?"


def job(scheme_id: str, since: str, until: str, columns: list[str]) -> dict:
    """One scan: the cases of ``scheme_id`` reported in [since, until) (ISO dates), fingerprinting ``columns``."""
    return {"scheme": scheme_id, "since": since, "until": until, "columns": columns}


def start(db_path: Path, jobs: list[dict]) -> subprocess.Popen | None:
    """The helper, already scanning (None: it cannot run here)."""
    if os.environ.get("KAOHE_NO_NATIVE") or not jobs:
        return None
    try:
        proc = subprocess.Popen([sys.executable, "-m", "kaohe_tui.case_fingerprint"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        assert proc.stdin is not None
        proc.stdin.write(json.dumps({"db": str(db_path), "jobs": jobs}))
        proc.stdin.close()
    except OSError:
        return None
    return proc


def collect(proc: subprocess.Popen | None) -> list | None:
    """Each job's answer, in order (None: the helper could not do it): ``[[unit, month, n,
    extensions, failed_checks, fingerprint], …]`` sorted by unit and month."""
    if proc is None:
        return None
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    if proc.wait() != 0:
        return None
    try:
        answer = json.loads(out)
    except ValueError:
        return None
    return answer.get("results")


def columns_of(conn) -> list[str]:
    """Every column of the cases table, in table order (what a fingerprint covers)."""
    return [r[1] for r in conn.execute("PRAGMA table_info(cases)").fetchall()]


# -- the helper process ---------------------------------------------------------------------------
def _scan(conn, j: dict) -> list[list]:
    cols = ", ".join('"' + c.replace('"', '""') + '"' for c in j["columns"])
    text = conn.execute(f"SELECT kaohe_case_months(unit, reported_at, extensions, failed_checks, {cols}) FROM cases "
                        f"WHERE {WHERE}", [j["scheme"], j["since"], j["until"]]).fetchone()[0] or ""
    rows = []
    for line in text.split("\x1e")[:-1]:
        unit, month, n, ext, failed, fp = line.split("\x1f")
        rows.append([unit, month, int(n), int(ext), int(failed), fp])
    return sorted(rows)


def main() -> int:
    import sqlean

    from kaohe_tui import native

    request = json.loads(sys.stdin.read())
    conn = sqlean.connect(request["db"], timeout=30)
    if not native.load(conn, Path(native.__file__).with_name("kaoherows.c")):
        return 3
    conn.execute("PRAGMA query_only = 1")
    conn.execute("BEGIN")  # one snapshot of the file for every job
    results = [_scan(conn, j) for j in request["jobs"]]
    conn.execute("COMMIT")
    conn.close()
    sys.stdout.write(json.dumps({"results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
