"""Correcting a record and browsing a large ledger or audit log page by page.

A correction ("edit") is the withdrawal of the old record, with a reason, and the addition of the
corrected one, in one transaction: the ledger keeps both, and nothing is ever overwritten.
Browsing uses keyset paging (``id > ?``/``id < ?`` with a LIMIT), so a screen shows 10^6 records
without reading them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kaohe_tui.errors import RecordError
from kaohe_tui.ledger import Draft, check_record, clean_text, insert_checked, withdraw_record
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store
from kaohe_tui.units import load_units

PAGE = 200


def edit_record(store: Store, scheme: Scheme, record_id: int, draft: Draft, reason: str,
                source: str = "tui") -> int:
    """Withdraw record ``record_id`` because of ``reason`` and add ``draft`` in its place, all or
    nothing. Returns the new record's id; ``RecordError`` names the field at fault."""
    row = check_record(store, scheme, draft)  # the same check as `kaohe record`
    reason = clean_text(reason, "reason")
    if not reason:
        raise RecordError(t("correction_needs_reason"))
    with store.transaction() as db:
        withdraw_record(store, scheme, record_id, reason)  # nested: a savepoint of this action
        from kaohe_tui.rights import authorize_in_write

        authorize_in_write(store, db, scheme, "record", row["unit"], row["indicator"], row["period"])
        new_id = insert_checked(store, db, row, source)
        store.audit("edit", scheme=scheme.id, unit=row["unit"], record_id=new_id,
                    old={"record": record_id}, new={"record": new_id}, reason=reason)
    return new_id


def get_record(store: Store, scheme: Scheme, record_id: int) -> dict | None:
    return next(store.db.query("SELECT * FROM records WHERE id = ? AND scheme = ?", [record_id, scheme.id]), None)


def records_by_id(store: Store, ids: Iterable[int]) -> dict[int, dict]:
    wanted = sorted({int(i) for i in ids if isinstance(i, int) or str(i).isdigit()})
    out: dict[int, dict] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.db.query(f"SELECT * FROM records WHERE id IN ({marks})", chunk):
            out[row["id"]] = row
    return out


# -- paging ------------------------------------------------------------------------------------
@dataclass
class Filter:
    """A WHERE clause and its arguments."""

    where: str
    args: list


def ledger_filter(store: Store, scheme: Scheme, period: Period, text: str = "") -> Filter:
    """Records of ``period`` (its quarters and months included), withdrawn ones too, whose unit,
    indicator, clause or reason contains ``text``. Unit names are matched after NFKC (a user who
    types 侨办( finds 侨办（侨联）)."""
    keys = [str(p) for p in period.sub_periods()]
    where = f"scheme = ? AND period IN ({','.join('?' * len(keys))})"
    args: list = [scheme.id, *keys]
    text = (text or "").strip()
    if text:
        key = norm(text)
        units = [u.name for u in load_units(store, scheme)
                 if key in norm(u.name) or any(key in norm(a) for a in u.aliases)]
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        parts = [f"{col} LIKE ? ESCAPE '\\'" for col in ("unit", "indicator", "clause", "reason")]
        args += [like] * 4
        if units:
            parts.append(f"unit IN ({','.join('?' * len(units))})")
            args += units
        where += " AND (" + " OR ".join(parts) + ")"
    return Filter(where, args)


def audit_filter(store: Store, unit: str = "", user: str = "", since: str = "") -> Filter:
    """Audit entries for a unit (its name contains ``unit``, compared after NFKC), by a user,
    from a date on (``2018-03-01`` or any prefix of an ISO time)."""
    where, args = ["1 = 1"], []
    if unit.strip():
        key = norm(unit)
        names = [r["name"] for r in store.db.query("SELECT DISTINCT name FROM units") if key in norm(r["name"])]
        parts = ["unit LIKE ?"] + ([f"unit IN ({','.join('?' * len(names))})"] if names else [])
        where.append("(" + " OR ".join(parts) + ")")
        args += [f"%{unit.strip()}%", *names]
    if user.strip():
        where.append("user LIKE ?")
        args.append(f"%{user.strip()}%")
    if since.strip():
        where.append("at >= ?")
        args.append(since.strip())
    return Filter(" AND ".join(where), args)


def count(store: Store, table: str, flt: Filter) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table} WHERE {flt.where}", flt.args).fetchone()[0]


def page(store: Store, table: str, flt: Filter, *, after: int | None = None, before: int | None = None,
         last: bool = False, limit: int = PAGE, newest_first: bool = False) -> list[dict]:
    """One page of rows in display order (by id, or newest first). ``after``/``before`` are ids
    of the row the page follows / precedes in display order; ``last`` gives the final page."""
    forward = "DESC" if newest_first else "ASC"
    backward = "ASC" if newest_first else "DESC"
    where, args = flt.where, list(flt.args)
    if after is not None:
        where += " AND id < ?" if newest_first else " AND id > ?"
        args.append(after)
        order = forward
    elif before is not None:
        where += " AND id > ?" if newest_first else " AND id < ?"
        args.append(before)
        order = backward
    else:
        order = backward if last else forward
    # NOT INDEXED: walk the table in id order and stop after `limit` matches, rather than sort
    # every match of the (scheme, period) index first.
    sql = f"SELECT * FROM {table} NOT INDEXED WHERE {where} ORDER BY id {order} LIMIT {int(limit)}"
    rows = list(store.db.query(sql, args))
    return rows if order == forward else rows[::-1]
