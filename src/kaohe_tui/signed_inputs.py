"""What a sign-off snapshot pins beyond its records and monthly case counts (``signoff.inputs_of``),
so that ``kaohe verify`` of a year of 10^6 cases need not score it again:

- ``cases``: every unit-month's case count, extensions, failed checks and a fingerprint of all
  the columns of its cases (``case_fingerprint``, one scan in a helper process);
- ``context``: a digest of the rest of what scoring reads (``signed_context``): the scheme
  version the period was scored under, the units' standings (retired, sample), every plugin
  table, kaohe's version and each loaded plugin's files.

The snapshot's signed payload carries the digest of all its inputs (``inputs_digest``), so the
digest written on the signed paper pins them too. When the records, case counts, cases and
context are all as signed, scoring again can only give the signed figures (scoring is a function
of them), and verify says so without scoring; when anything differs it names it and scores again
to show which figures it moves. Snapshots signed before these pins (or where the helper cannot
run) are checked the old way: scored again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kaohe_tui import case_fingerprint
from kaohe_tui.periods import Period

if TYPE_CHECKING:
    from kaohe_tui.store import Store


@dataclass
class Pending:
    """Case fingerprints under way: (scheme, closed period) → its unit-months, once known."""
    rows: dict[tuple[str, str], list[list]]
    asked: list[tuple[str, str]]
    scan: case_fingerprint.Scan | None = None
    failed: bool = False


def bounds(period: Period) -> tuple[str, str]:
    return period.start.isoformat(), (period.end + dt.timedelta(days=1)).isoformat()


def columns(store: Store) -> list[str]:
    return case_fingerprint.columns_of(store.db.conn) if store.db["cases"].exists() else []


def start(store: Store, wanted: list[tuple[str, Period, list[str]]]) -> Pending:
    """Start fingerprinting the cases of each (scheme, closed period, columns to cover)."""
    conn = store.db.conn
    pending = Pending({}, [])
    jobs = []
    has_cases = store.db["cases"].exists()
    for scheme_id, period, cols in wanted:
        key = (scheme_id, str(period))
        if key in pending.rows or key in pending.asked:
            continue
        if (not has_cases
                or conn.execute("SELECT 1 FROM cases WHERE scheme = ? LIMIT 1", [scheme_id]).fetchone() is None):
            pending.rows[key] = []  # no case at all: nothing to scan
            continue
        pending.asked.append(key)
        jobs.append(case_fingerprint.job(scheme_id, *bounds(period), cols))
    pending.scan = case_fingerprint.start(store.path, jobs, conn)
    pending.failed = bool(jobs) and pending.scan is None
    return pending


def finish(pending: Pending, scheme_id: str, period: Period | str) -> list[list] | None:
    """The unit-months ``[unit, month, n, extensions, failed_checks, fingerprint]`` of a closed
    period (None: the fingerprints could not be computed here)."""
    if pending.asked and not pending.failed and pending.scan is not None:
        answers = case_fingerprint.collect(pending.scan)
        pending.scan = None
        if answers is None:
            pending.failed = True
        else:
            pending.rows.update(zip(pending.asked, answers, strict=False))
    return pending.rows.get((scheme_id, str(period)))


def cancel(pending: Pending) -> None:
    """The helpers stopped, unread (the close or verify failed first)."""
    case_fingerprint.cancel(pending.scan)
    pending.scan = None


def cases_pin(columns: list[str], rows: list[list], period: Period) -> dict:
    """The part of a closed period's unit-months that lies in ``period`` (a quarter of a year)."""
    months = {str(m) for m in period.months()}
    return {"columns": columns, "months": [r for r in rows if r[1] in months]}


def changed_unit_months(signed: list[list], now: list[list]) -> list[tuple[str, str]]:
    """(unit, month) whose cases differ from the signed ones, sorted by month then unit."""
    before = {(r[0], r[1]): r for r in signed}
    after = {(r[0], r[1]): r for r in now}
    return sorted((k for k in before.keys() | after.keys() if before.get(k) != after.get(k)),
                  key=lambda k: (k[1], k[0]))
