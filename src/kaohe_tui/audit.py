"""Reading the audit log: who changed what, when and why."""

from __future__ import annotations

from kaohe_tui.names import norm
from kaohe_tui.store import Store


def history(store: Store, unit: str | None = None, since: str | None = None, user: str | None = None,
            limit: int | None = None) -> list[dict]:
    where, args = [], []
    if unit:
        where.append("unit = ?")
        args.append(unit)
    if since:
        where.append("at >= ?")
        args.append(since)
    if user:
        where.append("user = ?")
        args.append(user)
    sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = list(store.db.query(sql, args))
    if unit and not rows:  # the unit may have been written differently (full-width brackets …)
        rows = [r for r in store.db.query("SELECT * FROM audit ORDER BY id") if norm(r["unit"] or "") == norm(unit)]
    return rows
