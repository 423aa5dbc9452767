"""Sign-off snapshots: what ``kaohe close`` signs, kept as signed.

Closing a period scores it (and the quarters or months inside it the scheme ranks by) one last time, inside the
close's own write transaction, and stores each result whole — every unit's indicator points,
total, rank, flags, explanation and the records it came from — with a digest of the inputs
(each record, each month's case counts, the units) and the audit chain's head. From then on the
period's score, explanation and export are read from the snapshot: nothing recorded later, no
units import and no change of a plugin's table can move a signed figure. ``reopen`` (an
administrator, with a reason) voids the snapshot; the next ``close`` signs a new one.

``kaohe verify`` (``verify.py``) checks the snapshots against the database.

Here: the snapshot table, the digests and reading a snapshot back — below the store, which checks
a migration against them, and below scoring, which reads them. The signing itself (scoring at the
close) is ``signing``.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import fields
from typing import TYPE_CHECKING

from sqlite_utils import Database

from kaohe_tui import chain, closed
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.period_records import period_filter
from kaohe_tui.periods import Period
from kaohe_tui.results import IndicatorResult, UnitResult
from kaohe_tui.rules.base import Entry, Gap, Line
from kaohe_tui.stamps import now

if TYPE_CHECKING:  # below the store (which checks a migration against the snapshots): types only
    from kaohe_tui.scheme import Scheme
    from kaohe_tui.store import Store

TABLE = "signoffs"
AUDIT_NO_UPDATE = ("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN "
                   "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
SIGNED = ("scheme", "period", "closed_period", "signed_at", "signed_by", "audit_id", "audit_head", "inputs",
          "inputs_digest", "results", "results_digest")


# -- schema --------------------------------------------------------------------------------------
def m005_closed_triggers(db: Database) -> None:
    """The closed-period rule in the database itself (``closed.TRIGGERS``)."""
    closed.install_triggers(db)


def m005a_audit_chain(db: Database) -> None:
    """Chain the audit log (``chain``): existing rows get their links in id order."""
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
    chain.rechain(db.conn)
    db.execute(AUDIT_NO_UPDATE)


def m005b_signoffs(db: Database) -> None:
    db.execute(f"""CREATE TABLE {TABLE} (
        id INTEGER PRIMARY KEY, scheme TEXT NOT NULL, period TEXT NOT NULL, closed_period TEXT NOT NULL,
        signed_at TEXT NOT NULL, signed_by TEXT NOT NULL, audit_id INTEGER NOT NULL, audit_head TEXT NOT NULL,
        inputs TEXT NOT NULL, inputs_digest TEXT NOT NULL, results BLOB NOT NULL, results_digest TEXT NOT NULL,
        void_at TEXT, void_by TEXT, void_reason TEXT)""")
    db.execute(f"CREATE INDEX signoffs_period ON {TABLE} (scheme, period)")
    # signed is signed: a snapshot is only ever voided (once), never changed or deleted
    db.execute(f"CREATE TRIGGER signoffs_no_edit BEFORE UPDATE OF {', '.join(SIGNED)} ON {TABLE} "
               "BEGIN SELECT RAISE(ABORT, 'a sign-off snapshot never changes'); END")
    db.execute(f"CREATE TRIGGER signoffs_void_once BEFORE UPDATE ON {TABLE} WHEN OLD.void_at IS NOT NULL "
               "BEGIN SELECT RAISE(ABORT, 'a sign-off snapshot never changes'); END")
    db.execute(f"CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON {TABLE} "
               "BEGIN SELECT RAISE(ABORT, 'a sign-off snapshot never changes'); END")


# -- digests -------------------------------------------------------------------------------------
def digest(data) -> str:
    if not isinstance(data, bytes):
        data = canonical(data)
    return hashlib.sha256(data).hexdigest()


def canonical(data) -> bytes:
    return _CANONICAL.encode(data).encode("utf-8")


# what json.dumps(ensure_ascii=False, separators=(",", ":"), sort_keys=True) builds on every call, built
# once: a close or verify digests every record of the period (10^5 calls)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


RECORD_FIELDS = "id, period, unit, indicator, clause, count, amount, value, date, reason, attrs, withdrawn_at"


def inputs_of(conn, scheme_id: str, period: Period, units: list[dict]) -> dict:
    """What a period's results come from: each record's digest (withdrawn ones too: a record
    brought back would move a figure), each month's case counts, the units."""
    where, args = period_filter(period)
    records = {str(row[0]): digest(list(row))[:16] for row in conn.execute(
        f"SELECT {RECORD_FIELDS} FROM records WHERE scheme = ? AND ({where}) ORDER BY id", [scheme_id, *args])}
    months: dict[str, list] = {str(m): [] for m in period.months()}
    first, last = str(period.months()[0]), str(period.months()[-1])
    for row in conn.execute("SELECT * FROM case_month_stats WHERE scheme = ? AND month >= ? AND month <= ? "
                            "ORDER BY month, unit", [scheme_id, first, last]):
        months[row[2]].append(list(row))
    return {"records": records, "case_months": {m: digest(rows)[:16] for m, rows in months.items() if rows},
            "units": digest(units)[:16]}


def context_digest(scheme: Scheme, standings: dict) -> str | None:
    """The scheme version and the units' standings: the first part of the ``context`` a snapshot
    pins (``signed_context`` adds the plugin tables and the code; snapshots signed by the first
    fast verify pinned this alone)."""
    try:
        return digest([scheme.model_dump(mode="json"), standings])[:16]
    except (TypeError, ValueError):
        return None


# -- results as data -----------------------------------------------------------------------------
# Every field of the result dataclasses is kept (a field added later is kept too, as long as it
# is plain data); lines, gaps and child nodes by their own fields.
def _node_data(node: IndicatorResult) -> dict:
    data = {f.name: getattr(node, f.name) for f in fields(node)}
    data["lines"] = [[ln.delta, ln.text, ln.clause, list(ln.records)] for ln in node.lines]
    data["children"] = [_node_data(c) for c in node.children]
    if "missing" in data:
        data["missing"] = [[g.path, g.period, list(g.months)] for g in node.missing]
    return data


def _node(data: dict) -> IndicatorResult:
    data = {**data, "lines": [Line(d, t, c, tuple(r)) for d, t, c, r in data["lines"]],
            "children": [_node(c) for c in data["children"]]}
    if "missing" in data:
        data["missing"] = [Gap(p, q, tuple(m)) for p, q, m in data["missing"]]
    return IndicatorResult(**data)


def results_data(results: list[UnitResult], entries: list[Entry]) -> dict:
    def unit_data(r: UnitResult) -> dict:
        return {f.name: getattr(r, f.name) for f in fields(r)} | {"indicators": [_node_data(n) for n in r.indicators]}

    return {"results": [unit_data(r) for r in results],
            # one entry per platform case (a city's year: 10^5 of them) is left out: the lines
            # count them, and `kaohe cases` lists the cases themselves
            "entries": [[*e[:10], dict(e.attrs), list(e.derived_from)] for e in entries
                        if not str(e.id).startswith("case:")]}


def results_from(data: dict) -> tuple[list[UnitResult], list[Entry]]:
    results = [UnitResult(**{**r, "indicators": [_node(n) for n in r["indicators"]]}) for r in data["results"]]
    entries = [Entry._make([*e[:11], tuple(e[11])]) for e in data["entries"]]
    return results, entries


# -- signing ------------------------------------------------------------------------------------
def signed_periods(scheme: Scheme, period: Period) -> list[Period]:
    """``period`` and the periods inside it that the scheme ranks by (its cadence): a quarterly
    scheme's year is signed with its quarters, a yearly one's alone."""
    kinds = ("year", "quarter", "month")
    ranked = kinds[:kinds.index(scheme.cadence) + 1]
    return [p for p in period.sub_periods() if p == period or p.kind in ranked]


def void(store: Store, scheme_id: str, period: Period, reason: str) -> int:
    """Reopening: the snapshots signed by closing ``period`` no longer stand."""
    return store.db.execute(f"UPDATE {TABLE} SET void_at = ?, void_by = ?, void_reason = ? "
                            "WHERE scheme = ? AND closed_period = ? AND void_at IS NULL",
                            [now(), store.user, reason, scheme_id, str(period)]).rowcount


def active(conn, scheme_id: str | None = None, period: str | None = None) -> list[dict]:
    """The snapshots that stand, oldest first (the first signature of a period is its figure)."""
    sql, args = f"SELECT * FROM {TABLE} WHERE void_at IS NULL", []
    if scheme_id:
        sql += " AND scheme = ?"
        args.append(scheme_id)
    if period:
        sql += " AND period = ?"
        args.append(period)
    cursor = conn.execute(sql + " ORDER BY id", args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=False)) for row in cursor]


def signed_results(store: Store, scheme_id: str, period: Period) -> tuple[list[UnitResult], list[Entry]] | None:
    """The signed results of ``period`` (None when it has no standing snapshot)."""
    if not store.db[TABLE].exists():
        return None
    row = store.db.execute(f"SELECT results FROM {TABLE} WHERE scheme = ? AND period = ? AND void_at IS NULL "
                           "ORDER BY id LIMIT 1", [scheme_id, str(period)]).fetchone()
    if row is None:
        return None
    return results_from(load(row[0]))


def load(blob: bytes) -> dict:
    try:
        return json.loads(zlib.decompress(blob))
    except (zlib.error, ValueError, TypeError) as exc:
        raise KaoheError(t("snapshot_unreadable", error=exc)) from None


def check_migration(store: Store) -> None:
    """A migration must not change what a standing snapshot was signed from (its records and
    case counts): call inside the migration's transaction, after it ran."""
    if not store.db[TABLE].exists():
        return
    conn = store.db.conn
    for snap in active(conn):
        signed = json.loads(snap["inputs"])
        now_ = inputs_of(conn, snap["scheme"], Period.parse(snap["period"]), [])
        for key in ("records", "case_months"):
            if now_[key] != signed[key]:
                raise KaoheError(t("migration_moves_signed", path=store.path, scheme=snap["scheme"],
                                   period=snap["period"], what=t(f"migration_{key}")))
