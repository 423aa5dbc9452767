"""The ledger (台账): recording and withdrawing records, closing and reopening periods. One check
for every door — the CLI, an import and the TUI all go through ``check_record``. Reading records
by period is ``period_records`` (below the store; re-exported here)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kaohe_tui import closed, rules, signing, signoff
from kaohe_tui.errors import KaoheError, RecordError
from kaohe_tui.messages import t
from kaohe_tui.numbers import parse_number  # noqa: F401 — plugins import it from here

# re-exported: the faces and plugins read the ledger through this module
from kaohe_tui.period_records import (  # noqa: F401
    ENTRY_SQL,
    closed_months,
    enclosing,
    entries_for,
    entry_from_row,
    inside,
    is_closed,
    list_records,
    period_filter,
    period_status,
)
from kaohe_tui.periods import Period, parse_date
from kaohe_tui.roles import authorize
from kaohe_tui.rules.base import Entry
from kaohe_tui.scheme import Indicator, Scheme, resolve_indicator
from kaohe_tui.store import Store, now
from kaohe_tui.text_fields import MAX_REASON, clean_text  # noqa: F401
from kaohe_tui.units import UnitIndex, load_units


def takes_records(node: Indicator) -> bool:
    """Whether records are written against ``node`` (not one computed from its children)."""
    rule = rules.get(node.rule_type)
    return rule is None or not rule.composite


@dataclass
class Draft:
    """What a user typed, before it is checked."""

    unit: str
    indicator: str
    period: str
    reason: str
    clause: str | None = None
    count: Any = None
    amount: Any = None
    value: Any = None
    date: str | None = None
    attrs: dict | None = None


def period_is_declared(scheme: Scheme, period: Period) -> bool:
    if not scheme.periods:
        return True
    return any(Period.parse(p).contains(period) or period.contains(Period.parse(p)) for p in scheme.periods)


def check_record(store: Store, scheme: Scheme, draft: Draft, index: UnitIndex | None = None,
                 memo: dict | None = None, action: str | None = "record") -> dict:
    """A checked record row ready to insert, or ``RecordError`` naming the field. ``memo``
    (one dict for a whole import) remembers period and indicator look-ups between rows;
    ``action`` is what the current login must be allowed to do for the unit (None: a preview)."""
    memo = {} if memo is None else memo
    period = _memo(memo, ("period", draft.period), lambda: declared_period(scheme, draft.period))
    index = index or UnitIndex(load_units(store, scheme))
    unit = index.resolve(draft.unit)
    path, node = _memo(memo, ("indicator", unit.category, draft.indicator),
                       lambda: _checked_indicator(scheme, unit.category, draft.indicator))
    if action:  # the indicator's responsible sections (附件2), else the unit's (附件1)
        from kaohe_tui.rights import authorize_record

        _memo(memo, ("authorize", action, unit.name, path),
              lambda: authorize_record(store, scheme, action, unit.name, unit.category, unit.assessed_by, path))
    rule = rules.require(node.rule_type)
    clause_id = None
    if draft.clause:
        clause = node.clause(draft.clause)
        if clause is None:
            ids = "、".join(c.id for c in node.clauses) or "无"
            raise RecordError(t("unknown_clause", clause=draft.clause, path=path, ids=ids))
        clause_id = clause.id
    elif rule.needs_clause:
        ids = "、".join(c.id for c in node.clauses)
        raise RecordError(t("needs_clause", path=path, ids=ids))
    count = parse_number(draft.count, "count", whole=True)
    amount = parse_number(draft.amount, "amount")
    value = parse_number(draft.value, "value")
    date = None
    if draft.date:
        day = parse_date(str(draft.date))
        if not period.contains_date(day):
            raise RecordError(t("date_outside", day=day, period=period, start=period.start, end=period.end))
        date = day.isoformat()
    frozen = _memo(memo, ("closed",), lambda: closed.closed_months(store.db.conn, scheme.id))
    _memo(memo, ("closed", str(period), date and date[:7]),
          lambda: closed.refuse_if_closed(store.db.conn, scheme.id, period, date, frozen))
    reason = clean_text(draft.reason, "reason")
    if not reason:
        raise RecordError(t("needs_reason"))
    attrs = draft.attrs or {}
    entry = Entry(id=0, unit=unit.name, indicator=path, clause=clause_id, count=count, amount=amount,
                  value=value, period=str(period), date=date, reason=reason, attrs=attrs)
    from kaohe_tui import values

    problem = rule.validate(node, entry) or values.problem(rule, node, node.clause(clause_id) if clause_id else None,
                                                           entry, period)
    if problem:
        raise RecordError(problem)
    return {"scheme": scheme.id, "period": str(period), "unit": unit.name, "indicator": path,
            "clause": clause_id, "count": count, "amount": amount, "value": value, "date": date,
            "reason": reason, "attrs": json.dumps(attrs, ensure_ascii=False) if attrs else None}


def _memo(memo: dict, key: tuple, compute):
    """Look-ups repeat on every row of an import; errors are remembered too."""
    if key not in memo:
        try:
            memo[key] = (compute(), None)
        except KaoheError as exc:
            memo[key] = (None, exc)
    value, error = memo[key]
    if error is not None:
        raise error
    return value


def declared_period(scheme: Scheme, text: str) -> Period:
    period = Period.parse(text)
    if not period_is_declared(scheme, period):
        raise RecordError(t("unknown_period", period=period, periods="、".join(scheme.periods))
                          + f"；新的一年用 `kaohe scheme new-year {scheme.id} {period.year}` 开始")
    return period


def checked_period(store: Store, scheme: Scheme, text: str) -> Period:
    """A period of the scheme none of whose months is closed (a write for the whole period
    needs one; call again inside the write transaction: ``closed.refuse_if_closed``)."""
    period = declared_period(scheme, text)
    closed.refuse_if_closed(store.db.conn, scheme.id, period)
    return period


def _checked_indicator(scheme: Scheme, category: str | None, text: str) -> tuple[str, Indicator]:
    try:
        path, node = resolve_indicator(scheme.tree(category), text)
    except KaoheError as exc:
        from kaohe_tui.values import category_hint

        raise RecordError(t("bad_indicator", error=category_hint(scheme, category, text) or exc)) from None
    if not takes_records(node):
        leaves = "、".join(c.name for c in node.children)
        raise RecordError(t("composite_indicator", path=path, leaves=leaves))
    return path, node


def add_record(store: Store, scheme: Scheme, draft: Draft, source: str = "cli", supersede: bool = False) -> int:
    """Check and write one record, with its audit entry, in one transaction. A second figure for a
    one-figure input needs ``supersede`` (checked inside the transaction: see inputs.py)."""
    from kaohe_tui.inputs import check_second_figure

    row = check_record(store, scheme, draft)
    from kaohe_tui.rights import authorize_in_write

    with store.transaction() as db:
        authorize_in_write(store, db, scheme, "record", row["unit"], row["indicator"], row["period"])
        replaced = check_second_figure(db, scheme, row, supersede)
        record_id = insert_checked(store, db, row, source)
        if replaced:
            store.audit("supersede", scheme=scheme.id, unit=row["unit"], record_id=record_id,
                        old={"records": replaced}, new={"record": record_id}, reason=row["reason"])
        return record_id


def insert_checked(store: Store, db, row: dict, source: str) -> int:
    closed.refuse_if_closed(db.conn, row["scheme"], row["period"], row["date"])  # again, under the write lock
    row = {**row, "source": source, "created_by": store.user, "created_at": now()}
    record_id = db.table("records").insert(row).last_pk
    store.audit("record", scheme=row["scheme"], unit=row["unit"], record_id=record_id,
                new={k: v for k, v in row.items() if v is not None and k not in ("scheme",)}, reason=row["reason"])
    return record_id


RECORD_COLUMNS = ("scheme", "period", "unit", "indicator", "clause", "count", "amount", "value", "date", "reason",
                  "attrs", "source", "created_by", "created_at")


def insert_many(store: Store, db, rows: list[dict], source: str) -> tuple[int, int]:
    """Bulk insert of checked rows (an import): the import itself is the audited action.
    Returns the first and last new record ids."""
    stamp = now()
    sql = f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}) VALUES ({', '.join('?' * len(RECORD_COLUMNS))})"
    first = (db.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0]) + 1
    db.conn.executemany(sql, ([*(row[c] for c in RECORD_COLUMNS[:11]), source, store.user, stamp] for row in rows))
    return first, first + len(rows) - 1


def withdraw_record(store: Store, scheme: Scheme, record_id: int, reason: str) -> None:
    reason = clean_text(reason, "reason")
    if not reason:
        raise RecordError(t("withdraw_needs_reason"))
    with store.transaction() as db:
        row = next(db.query("SELECT * FROM records WHERE id = ? AND scheme = ?", [record_id, scheme.id]), None)
        if row is None:
            raise RecordError(t("record_not_in_scheme", id=record_id, scheme=scheme.id))
        if row["withdrawn_at"]:
            raise RecordError(t("record_already_withdrawn", id=record_id, at=row["withdrawn_at"]))
        closed.refuse_if_closed(db.conn, scheme.id, row["period"], row["date"])
        from kaohe_tui.rights import authorize_in_write  # the sections of the record's year and indicator

        authorize_in_write(store, db, scheme, "withdraw", row["unit"], row["indicator"], row["period"])
        db.table("records").update(record_id, {"withdrawn_at": now(), "withdrawn_by": store.user,
                                               "withdrawn_reason": reason})
        store.audit("withdraw", scheme=scheme.id, unit=row["unit"], record_id=record_id,
                    old={"status": "active"}, new={"status": "withdrawn"}, reason=reason)


def set_period_status(store: Store, scheme: Scheme, period: Period, status: str, reason: str) -> dict:
    """Close (signed off: records and scores frozen, the results kept as signed) or reopen a
    period; administrators only. Returns what the audit line records."""
    reason = clean_text(reason, "reason")
    if not reason:
        raise RecordError(t("close_needs_reason" if status == "closed" else "reopen_needs_reason"))
    authorize(store, "close" if status == "closed" else "reopen", scheme.id)
    with store.transaction() as db:
        old = next(db.query("SELECT status FROM periods WHERE scheme = ? AND period = ?", [scheme.id, str(period)]),
                   None)
        old_status = old["status"] if old else "open"
        if old_status == status:
            raise RecordError(t("period_already_closed" if status == "closed" else "period_already_open",
                                period=period))
        db.table("periods").insert({"scheme": scheme.id, "period": str(period), "status": status,
                                    "changed_by": store.user, "changed_at": now(), "reason": reason}, replace=True)
        new = {"period": str(period), "status": status}
        if status == "closed":
            new |= signing.sign(store, scheme, period)  # the signed results, kept as signed
        else:
            signoff.void(store, scheme.id, period, reason)
        store.audit("close-period" if status == "closed" else "reopen-period", scheme=scheme.id,
                    old={"period": str(period), "status": old_status}, new=new, reason=reason)
    return new


def indicator_of(scheme: Scheme, category: str | None, path: str) -> Indicator:
    return resolve_indicator(scheme.tree(category), path)[1]
