"""A plausible demo ledger for a new user, clearly labelled: every record's reason starts with
``【演示】`` and its source is ``demo``, so it can be told apart and withdrawn at once."""

from __future__ import annotations

from kaohe_tui import plugins
from kaohe_tui.closed import closed_months, refuse_if_closed
from kaohe_tui.errors import KaoheError
from kaohe_tui.ledger import Draft, check_record, insert_checked
from kaohe_tui.messages import t
from kaohe_tui.roles import authorize
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store
from kaohe_tui.units import UnitIndex, load_units

LABEL = "【演示】"
SOURCE = "demo"


def demo_drafts(scheme: Scheme) -> list[Draft]:
    drafts = []
    for provided in plugins.call("kaohe_demo_records", scheme=scheme):
        for item in provided:
            reason = item.get("reason", "")
            drafts.append(Draft(unit=item["unit"], indicator=item["indicator"], period=item["period"],
                                reason=reason if reason.startswith(LABEL) else LABEL + reason,
                                clause=item.get("clause"), count=item.get("count"), amount=item.get("amount"),
                                value=item.get("value"), date=item.get("date"), attrs=item.get("attrs")))
    return drafts


def has_demo(store: Store, scheme: Scheme) -> bool:
    return store.db["records"].count_where("scheme = ? AND source = ? AND withdrawn_at IS NULL",
                                           [scheme.id, SOURCE]) > 0


def load_demo(store: Store, scheme: Scheme) -> int:
    """Load the scheme's demo ledger once (all or nothing); returns how many records. Demo data
    moves every unit's figures: an administrator's act, refused in a closed period."""
    authorize(store, "demo", scheme.id)
    if has_demo(store, scheme):
        return 0
    index = UnitIndex(load_units(store, scheme))
    rows = []
    for n, draft in enumerate(demo_drafts(scheme), start=1):
        try:
            rows.append(check_record(store, scheme, draft, index))
        except KaoheError as exc:  # a plugin bug, not the user's: say which demo record
            raise KaoheError(t("demo_bad_record", plugin=scheme.plugin, n=n, unit=draft.unit, indicator=draft.indicator,
                                    error=exc)) from None
    with store.transaction() as db:
        for row in rows:
            insert_checked(store, db, row, SOURCE)  # each refused in a closed period, under the lock
        store.audit("load-demo", scheme=scheme.id, new={"records": len(rows)}, reason="载入演示数据")
    return len(rows)


def remove_demo(store: Store, scheme: Scheme) -> int:
    """Withdraw the demo records, all or none: an administrator's act, refused while any of
    them lies in a closed period."""
    from kaohe_tui.store import now

    authorize(store, "demo", scheme.id)
    with store.transaction() as db:
        rows = list(db.query("SELECT id, period, date FROM records "
                             "WHERE scheme = ? AND source = ? AND withdrawn_at IS NULL",
                             [scheme.id, SOURCE]))
        frozen = closed_months(db.conn, scheme.id)
        for row in rows:
            refuse_if_closed(db.conn, scheme.id, row["period"], row["date"], frozen)
        ids = [r["id"] for r in rows]
        for record_id in ids:
            db.table("records").update(record_id, {"withdrawn_at": now(), "withdrawn_by": store.user,
                                             "withdrawn_reason": "移除演示数据"})
        store.audit("withdraw-demo", scheme=scheme.id, new={"records": len(ids)}, reason="移除演示数据")
    return len(ids)
