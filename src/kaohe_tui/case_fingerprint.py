"""Fingerprints of a period's platform cases, so that ``kaohe verify`` can tell whether a signed
year's 10^6 cases are still as signed in one pass, without scoring them again.

The native aggregate ``kaohe_case_months`` (``native/kaoherows.c``) gives, for each unit-month
of a period, its case count, extensions, failed checks and a fingerprint of every column of its
cases (two 64-bit sums of a hash of each row: row order does not matter), in one scan of the
cases without a sort. ``kaohe close`` keeps them in the snapshot's inputs; ``kaohe verify``
computes them again and names each unit-month whose cases differ.

The aggregate is a C extension loaded into sqlean.py's SQLite, and Python's own ``sqlite3`` has the
file open in this process: two SQLite libraries must never open one file in one process (their
POSIX locks clash), so the scan runs in a helper process (this file run as a script: it imports
neither kaohe nor Python's ``sqlite3``), started first and read last, while the caller does its
own work. Without a C compiler, SQLite's headers or sqlean.py, ``start`` returns None and
callers take the slower path they had before.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

WHERE = "scheme = ? AND reported_at >= ? AND reported_at < ?"


def job(scheme_id: str, since: str, until: str, columns: list[str]) -> dict:
    """One scan: the cases of ``scheme_id`` reported in [since, until) (ISO dates), fingerprinting ``columns``."""
    return {"scheme": scheme_id, "since": since, "until": until, "columns": columns}


@dataclass
class Scan:
    """Helper processes under way, and which jobs (by index) each one does."""
    procs: list[subprocess.Popen]
    parts: list[list[int]]
    jobs: int


def start(db_path: Path, jobs: list[dict], conn=None) -> Scan | None:
    """The helpers, already scanning (None: they cannot run here). With ``conn`` (the caller's
    connection), each scheme's cases are split in two by case id, one helper process a half:
    a machine's two cores scan a year at once while the caller waits."""
    from kaohe_tui import native

    if os.environ.get("KAOHE_NO_NATIVE") or not jobs:
        return None
    lib = native.library(Path(native.__file__).with_name("kaoherows.c"))
    if lib is None or importlib.util.find_spec("sqlean") is None:
        return None
    halves: list[list[dict]] = [[], []]
    parts: list[list[int]] = [[], []]
    for i, j in enumerate(jobs):
        # min and max apart: each is one seek down the primary key, together a scan
        mid = _middle(*(conn.execute(f"SELECT {f}(case_id) FROM cases WHERE scheme = ?", [j["scheme"]]).fetchone()[0]
                        for f in ("min", "max"))) if conn is not None else None
        pieces = [j] if mid is None else [{**j, "below": mid}, {**j, "from": mid}]
        for k, piece in enumerate(pieces):
            halves[k].append(piece)
            parts[k].append(i)
    scan = Scan([], [], len(jobs))
    for half, part in zip(halves, parts, strict=True):
        if not half:
            continue
        try:
            # -P: not this folder first on the path (its numbers.py, paths.py … would hide the standard ones)
            proc = subprocess.Popen([sys.executable, "-P", __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({"db": str(Path(db_path).resolve()), "lib": str(lib), "jobs": half}))
            proc.stdin.close()
        except OSError:
            return None
        scan.procs.append(proc)
        scan.parts.append(part)
    return scan


def _middle(lo: str | None, hi: str | None) -> str | None:
    """A case id about halfway between ``lo`` and ``hi`` in SQLite's byte order (None: none
    found cheaply): the first two differing characters read as a number in base 128, when
    they are ASCII (ids as platforms write them)."""
    if not lo or not hi or lo >= hi:
        return None
    i = 0
    while i < len(lo) and i < len(hi) and lo[i] == hi[i]:
        i += 1

    def value(s: str) -> int | None:
        pair = (s[i:i + 2] + "\0\0")[:2]
        return ord(pair[0]) * 128 + ord(pair[1]) if pair.isascii() else None

    a, b = value(lo), value(hi)
    if a is None or b is None or b - a < 2:
        return None
    mid = (a + b) // 2
    return hi[:i] + chr(mid // 128) + chr(mid % 128) if mid % 128 else hi[:i] + chr(mid // 128)


def collect(scan: Scan | None) -> list | None:
    """Each job's answer, in order (None: the helpers could not do it): ``[[unit, month, n,
    extensions, failed_checks, fingerprint], …]`` sorted by unit and month (the halves of a
    split job added up: fingerprints sum per lane modulo 2^64)."""
    if scan is None:
        return None
    merged: list[dict[tuple[str, str], list]] = [{} for _ in range(scan.jobs)]
    failed = False
    for proc, part in zip(scan.procs, scan.parts, strict=True):
        assert proc.stdout is not None
        out = proc.stdout.read()
        proc.stdout.close()
        try:
            answers = json.loads(out)["results"] if proc.wait() == 0 else None
        except (ValueError, KeyError):
            answers = None
        if answers is None or len(answers) != len(part):
            failed = True
            continue
        for i, rows in zip(part, answers, strict=True):
            for unit, month, n, ext, failed_checks, fp in rows:
                had = merged[i].get((unit, month))
                if had:
                    n, ext, failed_checks = had[2] + n, had[3] + ext, had[4] + failed_checks
                    fp = _add(had[5], fp)
                merged[i][(unit, month)] = [unit, month, n, ext, failed_checks, fp]
    return None if failed else [sorted(m.values()) for m in merged]


def cancel(scan: Scan | None) -> None:
    """Stop helpers whose answer is no longer wanted (the caller failed before reading it): a
    helper left running would hold a read snapshot of the file, and block on a full pipe."""
    for proc in scan.procs if scan else []:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()


def _add(x: str, y: str) -> str:
    a = (int(x[:16], 16) + int(y[:16], 16)) % 2**64
    b = (int(x[16:], 16) + int(y[16:], 16)) % 2**64
    return f"{a:016x}{b:016x}"


def columns_of(conn) -> list[str]:
    """Every column of the cases table, in table order (what a fingerprint covers)."""
    return [r[1] for r in conn.execute("PRAGMA table_info(cases)").fetchall()]


# -- the helper process ---------------------------------------------------------------------------
def _scan(conn, j: dict) -> list[list]:
    columns = j["columns"]
    keys = ", ".join(str(columns.index(c)) for c in ("unit", "reported_at", "extensions", "failed_checks"))
    cols = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    where, args = WHERE, [j["scheme"], j["since"], j["until"]]
    for bound, op in (("from", ">="), ("below", "<")):
        if bound in j:
            where += f" AND case_id {op} ?"
            args.append(j[bound])
    text = conn.execute(f"SELECT kaohe_case_months({keys}, {cols}) FROM cases WHERE {where}", args).fetchone()[0] or ""
    rows = []
    for line in text.split("\x1e")[:-1]:
        unit, month, n, ext, failed, fp = line.split("\x1f")
        rows.append([unit, month, int(n), int(ext), int(failed), fp])
    return sorted(rows)


def main() -> int:
    import sqlean

    request = json.loads(sys.stdin.read())
    conn = sqlean.connect(request["db"], timeout=30)
    conn.enable_load_extension(True)
    conn.load_extension(request["lib"])
    conn.enable_load_extension(False)
    conn.execute("PRAGMA query_only = 1")
    conn.execute("BEGIN")  # one snapshot of the file for every job
    results = [_scan(conn, j) for j in request["jobs"]]
    conn.execute("COMMIT")
    conn.close()
    sys.stdout.write(json.dumps({"results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
