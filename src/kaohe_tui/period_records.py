"""The records a period takes in, and the sign-off that freezes it: the SQL every reader of the
ledger (scoring, sign-off digests, lists) shares. Below the store and the ledger's writes, so
that what reads records never imports what writes them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Protocol, TypeVar

from kaohe_tui import closed
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Entry

if TYPE_CHECKING:
    from kaohe_tui.scheme import Scheme
    from kaohe_tui.store import Store


def period_status(store: Store, scheme_id: str, period: Period) -> dict | None:
    """The sign-off that freezes ``period`` (its own, its quarter's or its year's), or None."""
    keys = {str(period), *map(str, period.enclosing())}
    marks = ",".join("?" * len(keys))
    return next(store.db.query(f"SELECT * FROM periods WHERE scheme = ? AND status = 'closed' AND period IN ({marks})",
                               [scheme_id, *keys]), None)


def closed_months(store: Store, scheme_id: str) -> dict[str, str]:
    """Each month (``YYYY-MM``) a closed period freezes → that period (``closed.closed_months``)."""
    return closed.closed_months(store.db.conn, scheme_id)


def is_closed(store: Store, scheme_id: str, period: Period) -> bool:
    return period_status(store, scheme_id, period) is not None


ENTRY_SQL = ("SELECT id, unit, indicator, clause, count, amount, value, period, date, reason, attrs FROM records "
             "WHERE scheme = ? AND withdrawn_at IS NULL AND ({where})")


def period_filter(period: Period) -> tuple[str, list]:
    """SQL for the records inside ``period``: those recorded for it or a period inside it, and
    those recorded for an enclosing period (the year) whose date falls inside it — a deduction
    dated 2018-03-28 in a yearly ledger belongs to 2018Q1 and 2018-03 too."""
    keys = [str(p) for p in period.sub_periods()]
    where = f"period IN ({','.join('?' * len(keys))})"
    outer = enclosing(period)
    if not outer:
        return where, keys
    where += f" OR (period IN ({','.join('?' * len(outer))}) AND date >= ? AND date <= ?)"
    return where, keys + outer + [period.start.isoformat(), period.end.isoformat()]


def enclosing(period: Period) -> list[str]:
    """The periods that contain ``period`` (a quarter's year; a month's quarter and year)."""
    return [str(p) for p in period.enclosing()]


class Dated(Protocol):
    """A record's period and date (an ``Entry``, or ``ledger_read.Older``'s cut records)."""

    @property
    def period(self) -> str: ...

    @property
    def date(self) -> str | None: ...


def inside(entry: Dated, period: Period, keys: set[str], outer: set[str]) -> bool:
    if entry.period in keys:
        return True
    return entry.period in outer and entry.date is not None and \
        period.start.isoformat() <= entry.date <= period.end.isoformat()


D = TypeVar("D", bound=Dated)


def split_year(year: int, rows: list[D]) -> dict[str, list[D]]:
    """The rows of a year's read that lie inside the year and inside each of its quarters
    (exactly as ``inside`` says), in one pass and in their order: the year is read once for its
    quarters, and filtering the whole year again for each quarter cost as much as scoring them."""
    whole = Period(year, "year", 0)
    out: dict[str, list[D]] = {str(p): [] for p in [whole, *whole.quarters()]}
    by_key = {str(sub): out[str(q)] for q in whole.quarters() for sub in q.sub_periods()}  # a quarter's keys
    year_keys = {str(p) for p in whole.sub_periods()}
    outer = str(whole)  # the one period enclosing a quarter
    bounds = [(q.start.isoformat(), q.end.isoformat(), out[str(q)]) for q in whole.quarters()]
    in_year = out[outer]
    for row in rows:
        period = row.period
        if period in year_keys:
            in_year.append(row)
        found = by_key.get(period)
        if found is not None:
            found.append(row)
        elif period == outer and row.date is not None:
            date = row.date
            for start, end, rows_of in bounds:  # the quarters do not overlap: one at most
                if start <= date <= end:
                    rows_of.append(row)
                    break
    return out


def entries_for(store: Store, scheme: Scheme, period: Period, unit: str | None = None) -> list[Entry]:
    """Active records inside ``period`` (see ``period_filter``)."""
    where, args = period_filter(period)
    sql = ENTRY_SQL.format(where=where) + (" AND unit = ?" if unit else "") + " ORDER BY id"
    if period.kind == "year" and not unit:
        # nearly every record of the scheme: a straight scan beats the (scheme, period) index
        sql = sql.replace("FROM records WHERE", "FROM records NOT INDEXED WHERE").replace(" ORDER BY id", "")
    loads = json.loads
    make = Entry._make
    return [make((i, u, ind, c, n, a, v, p, d, r, loads(x) if x else {}, ()))
            for i, u, ind, c, n, a, v, p, d, r, x
            in store.db.execute(sql, [scheme.id, *args] + ([unit] if unit else []))]


def entry_from_row(r: dict) -> Entry:
    return Entry(id=r["id"], unit=r["unit"], indicator=r["indicator"], clause=r["clause"], count=r["count"],
                 amount=r["amount"], value=r["value"], period=r["period"], date=r["date"], reason=r["reason"],
                 attrs=json.loads(r["attrs"]) if r["attrs"] else {})


def list_records(store: Store, scheme: Scheme, period: Period, unit: str | None = None) -> list[dict]:
    """Every record in the period, withdrawn ones included (and marked)."""
    where, args = period_filter(period)
    sql = f"SELECT * FROM records WHERE scheme = ? AND ({where})" + (" AND unit = ?" if unit else "") + " ORDER BY id"
    return list(store.db.query(sql, [scheme.id, *args] + ([unit] if unit else [])))
