"""附件6《考核附加分申报表》: a unit applies (申报项目，附获奖证书), the bureau leader gives an
opinion and the final points (局分管领导意见、最终赋分); an approval writes the points to the
ledger under 特别附加分, through the core ``add_record``, so they are audited and explained like
every other record. UI-free: the TUI and the CLI call these.
"""

from __future__ import annotations

from kaohe_tui.api import (
    Draft,
    Period,
    RecordError,
    Scheme,
    Store,
    UnitIndex,
    add_record,
    authorize,
    clean_text,
    fmt,
    load_units,
    now,
    refuse_if_closed,
    scheme_for_period,
    t,
)

from .selfscore import BONUS, check_period, parse_points
from .tables import BONUS_APPLICATIONS

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
# each state as `kaohe bonus list` and the 附加分申报 screen show it
STATE_NAMES = {PENDING: "待审批", APPROVED: "已同意", REJECTED: "未同意"}
BONUS_CLAUSE = "final-points"  # 特别附加分's clause 最终赋分
SOURCE = "bonus-application"


def _required(text: str, field: str) -> str:
    text = clean_text(text, field)
    if not text:
        raise RecordError(t("field_required", field=field))
    return text


def apply_bonus(store: Store, scheme: Scheme, period: str, unit: str, project: str, certificate: str) -> int:
    """File an application (申报单位、申报项目、获奖证书); returns its number. State: pending.
    The unit is one of the period's own year (an office year keeps its own list)."""
    scheme, p = check_period(store, scheme, period)
    name = UnitIndex(load_units(store, scheme)).resolve(unit).name
    row = {"scheme": scheme.id, "period": str(p), "unit": name, "project": _required(project, "project"),
           "certificate": _required(certificate, "certificate"), "state": PENDING,
           "applied_by": store.user, "applied_at": now()}
    with store.transaction() as db:
        authorize(store, "bonus-apply", scheme.id, name)  # the unit itself (or an administrator)
        refuse_if_closed(db.conn, scheme.id, p)  # again, under the write lock
        app_id = db[BONUS_APPLICATIONS].insert(row).last_pk
        store.audit("bonus-apply", scheme=scheme.id, unit=name, new={"application": app_id, **row},
                    reason=f"附加分申报：{row['project']}")
    return app_id


def get_application(store: Store, scheme: Scheme, app_id: int) -> dict:
    row = next(store.db.query(f"SELECT * FROM {BONUS_APPLICATIONS} WHERE id = ? AND scheme = ?",
                              [int(app_id), scheme.id]), None)
    if row is None:
        raise RecordError(t("bonus_not_in_scheme", id=app_id, scheme=scheme.id))
    return row


def _pending(store: Store, scheme: Scheme, app_id: int) -> dict:
    row = get_application(store, scheme, app_id)
    if row["state"] != PENDING:
        state = {"approved": "同意", "rejected": "不同意"}.get(row["state"], row["state"])
        raise RecordError(t("bonus_decided", id=app_id, state=state, at=row["decided_at"]))
    return row


def approve_bonus(store: Store, scheme: Scheme, app_id: int, points, opinion: str) -> int:
    """Approve with the leader's opinion and the final points; returns the ledger record's id.
    The record and the application's new state are written together, or not at all."""
    opinion = _required(opinion, "opinion")
    final = parse_points(points, "points")
    if final <= 0:
        raise RecordError(t("bonus_not_positive", points=fmt(final)))
    with store.transaction() as db:
        app = _pending(store, scheme, app_id)
        authorize(store, "bonus-approve", scheme.id, app["unit"])  # 局分管领导: administrators only
        draft = Draft(unit=app["unit"], indicator=BONUS, clause=BONUS_CLAUSE, amount=final, period=app["period"],
                      reason=f"附件6申报#{app['id']}：{app['project']}（证书：{app['certificate']}）；局分管领导意见：{opinion}")
        # the application's period decides the scheme: an office year's own version
        record_id = add_record(store, scheme_for_period(store, scheme, app["period"]), draft, source=SOURCE)
        db[BONUS_APPLICATIONS].update(app["id"], {"state": APPROVED, "points": final, "leader_opinion": opinion,
                                                  "record_id": record_id, "decided_by": store.user,
                                                  "decided_at": now()})
        store.audit("bonus-approve", scheme=scheme.id, unit=app["unit"], record_id=record_id,
                    old={"application": app["id"], "state": PENDING},
                    new={"application": app["id"], "state": APPROVED, "points": final}, reason=opinion)
    return record_id


def reject_bonus(store: Store, scheme: Scheme, app_id: int, opinion: str) -> None:
    """Reject with the leader's opinion; nothing reaches the ledger."""
    opinion = _required(opinion, "opinion")
    with store.transaction() as db:
        app = _pending(store, scheme, app_id)
        authorize(store, "bonus-approve", scheme.id, app["unit"])
        refuse_if_closed(db.conn, scheme.id, app["period"])
        db[BONUS_APPLICATIONS].update(app["id"], {"state": REJECTED, "leader_opinion": opinion,
                                                  "decided_by": store.user, "decided_at": now()})
        store.audit("bonus-reject", scheme=scheme.id, unit=app["unit"],
                    old={"application": app["id"], "state": PENDING},
                    new={"application": app["id"], "state": REJECTED}, reason=opinion)


def list_applications(store: Store, scheme: Scheme, period: str | None = None, state: str | None = None) -> list[dict]:
    sql, args = f"SELECT * FROM {BONUS_APPLICATIONS} WHERE scheme = ?", [scheme.id]
    if period:
        sql += " AND period = ?"
        args.append(str(Period.parse(period)))
    if state:
        if state not in (PENDING, APPROVED, REJECTED):
            raise RecordError(t("bonus_bad_state", state=state, states="、".join((PENDING, APPROVED, REJECTED))))
        sql += " AND state = ?"
        args.append(state)
    return list(store.db.query(sql + " ORDER BY id", args))
