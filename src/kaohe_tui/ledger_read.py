"""Reading a period's records for scoring, fast on a big ledger.

A one-figure input (a rate, a score: ``RuleType.one_figure``) counts only its newest record per
unit, clause and period; the older ones are only explained. A ledger where such figures were entered
again and again (the benchmark's 10^6 records) would otherwise build 10^6 objects to use a few
hundred. So one pass over a covering index (migration m014) groups the active records; a
one-figure group brings its newest record and the ``KEEP`` before it (explained line by line, as
the rules always did), and whatever is older is counted in one line naming the records' range.
Every other rule's records are read whole. ``whole=True`` reads every record (a sign-off keeps
them all in its snapshot).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from kaohe_tui.period_records import ENTRY_SQL, entries_for, period_filter
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Entry, Line

if TYPE_CHECKING:  # below the store (its migration m014 is listed there): types only
    from kaohe_tui.scheme import Scheme
    from kaohe_tui.store import Store

KEEP = 20  # superseded figures explained one by one, per group; older ones are counted in one line
INDEX = "records_groups"


def m014_records_groups(db: Database) -> None:
    # withdrawn_at in the index itself (not a partial index): SQLite then reads the index alone
    db.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON records (scheme, unit, indicator, clause, period, date, "
               "withdrawn_at, id)")


GROUP_SQL = ("SELECT unit, indicator, clause, period, date, max(id), min(id), count(*) "
             f"FROM records INDEXED BY {INDEX} "
             "WHERE scheme = ? AND withdrawn_at IS NULL AND ({where}) GROUP BY unit, indicator, clause, period, date")
BY_ID_SQL = ("SELECT id, unit, indicator, clause, count, amount, value, period, date, reason, attrs FROM records "
             "WHERE id IN (SELECT value FROM json_each(?))")
OLDER_SQL = (f"SELECT id FROM records INDEXED BY {INDEX} WHERE scheme = ? AND withdrawn_at IS NULL AND unit = ? "
             "AND indicator = ? AND clause IS ? AND period = ? AND date IS ? AND id < ? ORDER BY id DESC LIMIT ?")


@dataclass
class Older:
    """The superseded records of one group beyond the ``KEEP`` explained one by one."""

    unit: str
    path: str
    period: str
    date: str | None
    newest: int
    first: int
    last: int
    n: int

    @property
    def line(self) -> Line:
        return Line(0.0, f"另有{self.n}条更早的数值（记录#{self.first}至#{self.last}）亦已被记录#{self.newest}替代"
                         "（逐条见台账）")


def read(store: Store, scheme: Scheme, period: Period, one_figure: Callable[[str, str], bool],
         whole: bool = False) -> tuple[list[Entry], list[Older]]:
    """The active records inside ``period`` (as ``ledger.entries_for``), one-figure groups cut to
    their newest ``KEEP + 1`` (``one_figure(unit, path)``), and what was cut."""
    if whole:
        return entries_for(store, scheme, period), []
    scheme_id = scheme.id
    conn = store.db.conn
    where, args = period_filter(period)
    ids: list[int] = []
    older: list[Older] = []
    others: set[str] = set()
    reduced: set[str] = set()
    for unit, path, clause, per, date, newest, first, n in conn.execute(GROUP_SQL.format(where=where),
                                                                          [scheme_id, *args]):
        if not one_figure(unit, path):
            others.add(path)
            continue
        reduced.add(path)
        ids.append(newest)
        if n > 1:
            kept = [r[0] for r in conn.execute(OLDER_SQL, [scheme_id, unit, path, clause, per, date, newest, KEEP + 1])]
            ids += kept[:KEEP]
            if len(kept) > KEEP:
                older.append(Older(unit, path, per, date, newest, first, kept[KEEP], n - 1 - KEEP))
    entries = _rows(conn, BY_ID_SQL, [json.dumps(sorted(ids))]) if ids else []  # in id order: nearer pages
    if others:  # the records of every other rule, whole
        skip = sorted(reduced - others)  # a path one-figure for some units only is read whole, then cut
        sql = ENTRY_SQL.format(where=f"({where}) AND indicator NOT IN (SELECT value FROM json_each(?))")
        if period.kind == "year":  # nearly every record of the scheme: a straight scan (as entries_for)
            sql = sql.replace("FROM records WHERE", "FROM records NOT INDEXED WHERE")
        cut = {(e.unit, e.indicator) for e in entries}
        rest = [e for e in _rows(conn, sql, [scheme_id, *args, json.dumps(skip)]) if (e.unit, e.indicator) not in cut]
        entries = sorted(entries + rest, key=_id)
    else:
        entries.sort(key=_id)
    return entries, older


_id = operator.itemgetter(0)  # an Entry's id (a ledger record's: an int)
assert Entry._fields[0] == "id"
_NO_ATTRS: dict = Entry._field_defaults["attrs"]  # a record without attributes shares Entry's own default {}


def _rows(conn, sql: str, args: list) -> list[Entry]:
    loads, make, none = json.loads, Entry._make, _NO_ATTRS
    return [make((i, u, ind, c, n, a, v, p, d, r, loads(x) if x else none, ()))
            for i, u, ind, c, n, a, v, p, d, r, x in conn.execute(sql, args)]
