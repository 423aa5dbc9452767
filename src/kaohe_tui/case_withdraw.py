"""Withdrawing one import of platform cases: its cases go, the monthly counts follow, the audit
keeps what went (file, cases, who, why). Refused when a closed period holds any of them, when the
import changed cases of earlier imports (their earlier state is in the audit, not restorable by
removing rows), or when a later import changed cases it brought (withdraw that one first)."""

from __future__ import annotations

import json

from kaohe_tui.case_classes import ROW
from kaohe_tui.case_counts import apply_changes
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store, now


def withdraw_import(store: Store, scheme: Scheme, import_id: int, reason: str) -> int:
    """The number of cases withdrawn."""
    from kaohe_tui.ledger import closed_months
    from kaohe_tui.roles import authorize

    authorize(store, "import", scheme.id)
    if not reason.strip():
        raise KaoheError(t("withdraw_import_reason"))
    with store.transaction() as db:
        conn = db.conn
        row = conn.execute("SELECT file, cases, updated, withdrawn_at FROM case_imports WHERE id = ? AND scheme = ?",
                           [import_id, scheme.id]).fetchone()
        if row is None:
            raise KaoheError(t("withdraw_import_unknown", id=import_id, scheme=scheme.id))
        file, _, updated, withdrawn = row
        if withdrawn:
            raise KaoheError(t("withdraw_import_done", id=import_id, file=file, at=withdrawn))
        if updated:
            raise KaoheError(t("withdraw_import_updated", id=import_id, file=file, n=updated))
        later = conn.execute("SELECT count(*) FROM cases WHERE scheme = ? AND first_import_id = ?",
                             [scheme.id, import_id]).fetchone()[0]
        if later:
            raise KaoheError(t("withdraw_import_later", id=import_id, file=file, n=later))
        closed = closed_months(store, scheme.id)
        frozen = conn.execute("SELECT case_id, substr(reported_at, 1, 7) FROM cases WHERE scheme = ? AND import_id = ? "
                              "AND substr(reported_at, 1, 7) IN (SELECT value FROM json_each(?)) "
                              "ORDER BY case_id LIMIT 1",
                              [scheme.id, import_id, json.dumps(sorted(closed))]).fetchone()
        if frozen:
            raise KaoheError(t("case_withdraw_closed", id=import_id, case=frozen[0], period=closed[frozen[1]]))
        # its cases taken out of the monthly counts (the SQL of ``case_classes``), then deleted
        apply_changes(conn, scheme.id,
                      f"SELECT -1 AS sign, {', '.join(ROW)} FROM cases WHERE scheme = ? AND import_id = ?",
                      [scheme.id, import_id])
        n = conn.execute("DELETE FROM cases WHERE scheme = ? AND import_id = ?", [scheme.id, import_id]).rowcount
        conn.execute("UPDATE case_imports SET withdrawn_at = ? WHERE id = ?", [now(), import_id])
        store.audit("withdraw-case-import", scheme=scheme.id, old={"import": import_id, "file": file, "cases": n},
                    reason=reason)
    return n


def list_imports(store: Store, scheme: Scheme) -> list[dict]:
    return list(store.db.query(
        "SELECT id, file, at, user, cases, coalesce(updated, 0) AS updated, profile, withdrawn_at FROM case_imports "
        "WHERE scheme = ? ORDER BY id", [scheme.id]))
