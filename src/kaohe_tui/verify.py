"""``kaohe verify``: is the file still what kaohe wrote? For people who could open it with
``sqlite3`` and edit it past kaohe's checks (every member of the office group can write it).

Checks, each naming what changed:
- the triggers that keep the ledger append-only and closed periods closed are all there, as written;
- the audit log's hash chain (``chain``) is unbroken;
- every standing sign-off snapshot (``signoff``) is intact, matches its close's audit line and
  the chain head it kept, its period is still marked closed, its inputs (each record, each
  month's case counts, each unit-month's cases) are as signed, and scoring them again gives the
  signed figures — scored again only when an input differs, the snapshot predates the pins that
  make that unnecessary (``signed_inputs``), or with ``full``.

Linear in the size of the file: one pass over the audit log, one over each closed period's records
and cases (the cases in a helper process, while this one walks the chain).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kaohe_tui import case_recount, chain, closed, signed_context, signed_inputs, signoff
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import fmt
from kaohe_tui.store import Store

# triggers kaohe creates → a word their SQL must contain (the closed-period ones are compared whole)
GUARDS = {"audit_no_update": "RAISE", "audit_no_delete": "RAISE", "records_no_delete": "RAISE",
          "signoffs_no_edit": "RAISE", "signoffs_void_once": "RAISE", "signoffs_no_delete": "RAISE"}


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


def verify(store: Store, scheme_id: str | None = None, period: str | None = None, full: bool = False) -> Report:
    """``full``: score every snapshot again even when its inputs are all as signed."""
    conn = store.db.conn
    report = Report()
    wanted = str(Period.parse(period)) if period else None
    snapshots = [s for s in signoff.active(conn, scheme_id)
                 if wanted is None or wanted in (s["period"], s["closed_period"])]
    pinned = [(s["scheme"], Period.parse(s["closed_period"]), inputs["cases"]["columns"])
              for s in snapshots if s["period"] == s["closed_period"]
              for inputs in [_inputs(s)] if inputs and "cases" in inputs]
    cases = signed_inputs.start(store, pinned)  # the cases are scanned in helper processes meanwhile
    try:
        _triggers(conn, report)
        broken, rows, hashes = chain.walk(conn)
        report.problems += broken
        report.checked.append(t("verify_chain", rows=rows))
        _unsigned_closures(conn, scheme_id, wanted, snapshots, report)
        scorers: dict[tuple, object] = {}
        for snap in snapshots:
            _snapshot(store, snap, hashes, scorers, cases, full, report)
    finally:
        signed_inputs.cancel(cases)  # unread only when something failed
    return report


def _inputs(snap: dict) -> dict | None:
    try:
        inputs = json.loads(snap["inputs"])
    except (TypeError, ValueError):
        return None
    return inputs if isinstance(inputs, dict) else None


def _triggers(conn, report: Report) -> None:
    present: dict[str, str] = dict(
        conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    for name in [*GUARDS, *closed.TRIGGERS]:
        if name not in present:
            report.problems.append(t("verify_trigger_dropped", name=name))
        elif _squash(present[name]) != _squash(closed.TRIGGERS.get(name, present[name])) \
                or GUARDS.get(name, "RAISE") not in present[name]:
            report.problems.append(t("verify_trigger_changed", name=name))
    report.checked.append(t("verify_triggers", n=len(GUARDS) + len(closed.TRIGGERS)))


def _squash(sql: str) -> str:
    return " ".join(sql.split())


def _unsigned_closures(conn, scheme_id, wanted, snapshots, report: Report) -> None:
    signed = {(s["scheme"], s["closed_period"]) for s in snapshots}
    sql, args = "SELECT scheme, period, status FROM periods", []
    if scheme_id:
        sql += " WHERE scheme = ?"
        args.append(scheme_id)
    status = {(s, p): st for s, p, st in conn.execute(sql, args)}
    for key, st in sorted(status.items()):
        if st == "closed" and key not in signed and wanted in (None, key[1]):
            report.problems.append(t("verify_no_snapshot", scheme=key[0], period=key[1]))
    for scheme, period in sorted(signed):
        if status.get((scheme, period)) != "closed":
            report.problems.append(t("verify_status", scheme=scheme, period=period,
                                     status=status.get((scheme, period), t("verify_status_gone"))))


def _snapshot(store: Store, snap: dict, hashes: dict[int, str], scorers: dict, cases: signed_inputs.Pending,
              full: bool, report: Report) -> None:
    where = f"{snap['scheme']} {snap['period']}"
    problems = report.problems
    before = len(problems)
    try:
        raw = _raw(snap["results"])
        blob_ok = signoff.digest(raw) == snap["results_digest"]
    except KaoheError:
        blob_ok = False
    if not blob_ok:
        problems.append(t("verify_snapshot_changed", where=where))
        return
    pin, payload = _pin(raw)
    signed_inputs_ = _inputs(snap)
    # the inputs a snapshot kept are pinned by its digest, and (since the pins) by the signed payload
    if signed_inputs_ is None or signoff.digest(signed_inputs_) != snap["inputs_digest"] \
            or (pin or snap["inputs_digest"]) != snap["inputs_digest"]:
        problems.append(t("verify_inputs_changed", where=where))
        return
    if snap["audit_id"] and hashes.get(snap["audit_id"]) != snap["audit_head"]:
        problems.append(t("verify_audit_changed", where=where, id=snap["audit_id"]))
    line = store.db.execute("SELECT id, new FROM audit WHERE id > ? AND action = 'close-period' AND scheme = ? "
                            "ORDER BY id LIMIT 1", [snap["audit_id"], snap["scheme"]]).fetchone()
    signed_digest = json.loads(line[1] or "{}").get("snapshots", {}).get(snap["period"]) if line else None
    if signed_digest != snap["results_digest"]:
        problems.append(t("verify_close_line", where=where,
                          line=f" #{line[0]}" if line else t("verify_close_line_missing")))
    period = Period.parse(snap["period"])
    now_inputs = signoff.inputs_of(store.db.conn, snap["scheme"], period, payload["units"] if payload else [])
    _records(where, signed_inputs_["records"], now_inputs["records"], problems)
    for month in sorted(set(signed_inputs_["case_months"]) | set(now_inputs["case_months"])):
        if signed_inputs_["case_months"].get(month) != now_inputs["case_months"].get(month):
            problems.append(t("verify_case_months", where=where, month=month))
    cases_as_signed = _cases(store, snap, signed_inputs_.get("cases"), cases, where, period, report)
    if full or not cases_as_signed or len(problems) > before or not _same_context(store, snap, signed_inputs_):
        payload = payload or json.loads(raw)
        if signed_inputs_["units"] != signoff.digest(payload["units"])[:16]:
            problems.append(t("verify_units", where=where))
        _recompute(store, snap, payload, period, scorers, problems)
    else:  # every input as signed: scoring them again can only give the signed figures
        report.checked.append(t("verify_not_rescored", where=where))
    if len(problems) == before:
        report.checked.append(t("verify_as_signed", where=where, n=len(signed_inputs_["records"])))


def _pin(raw: bytes) -> tuple[str | None, dict | None]:
    """The digest of the inputs a signed payload carries, without parsing all of it (a year of 10^6
    cases explains itself in 30 MB): canonical JSON sorts its keys, so it opens with "entries"
    and then "inputs_digest". A payload signed before the pins has none: it is parsed whole
    (returned second), as scoring it again needs it."""
    text = raw.decode("utf-8")
    decoder = json.JSONDecoder()
    opening, key = '{"entries":', ',"inputs_digest":'
    if text.startswith(opening):
        try:
            end = decoder.raw_decode(text, len(opening))[1]
            if text.startswith(key, end):
                pin = decoder.raw_decode(text, end + len(key))[0]
                if isinstance(pin, str):
                    return pin, None
        except ValueError:
            pass
    return None, json.loads(text)


def _cases(store: Store, snap: dict, pinned: dict | None, cases: signed_inputs.Pending, where: str, period: Period,
           report: Report) -> bool:
    """Compare the period's cases with the signed unit-months (named once, on the closed period's
    own snapshot) and, when some differ, recount them against the monthly counts scoring reads.
    True when the cases are known to be as signed."""
    whole = snap["period"] == snap["closed_period"]
    rows = signed_inputs.finish(cases, snap["scheme"], snap["closed_period"]) if pinned else None
    if pinned is None or rows is None:  # signed before the pins, or no helper here: the counts only, by SQL
        if whole:
            _cases_match_counts(store.db.conn, where, snap["scheme"], period, report.problems)
        return False
    now = signed_inputs.cases_pin(pinned["columns"], rows, period)
    changed = signed_inputs.changed_unit_months(pinned["months"], now["months"])
    if whole:
        for unit, month in changed:
            report.problems.append(t("verify_case_unit_month", where=where, unit=unit, month=month))
        if changed:  # unchanged cases and counts (their digest, above) agree as they did when signed
            _cases_match_counts(store.db.conn, where, snap["scheme"], period, report.problems)
        if now["months"] and not changed:
            report.checked.append(t("verify_cases_as_signed", where=where, n=sum(r[2] for r in now["months"])))
    return not changed


def _same_context(store: Store, snap: dict, signed: dict) -> bool:
    from kaohe_tui.scheme_years import for_period
    from kaohe_tui.units import standings

    if not signed.get("context"):
        return False
    try:
        scheme = for_period(store, snap["scheme"], Period.parse(snap["closed_period"]))
    except KaoheError:
        return False  # scoring again says the scheme is not loaded
    return signed_context.context(store, scheme, standings(store, scheme)) == signed["context"]


def _cases_match_counts(conn, where: str, scheme_id: str, period: Period, problems: list[str]) -> None:
    for month in case_recount.mismatched_months(conn, scheme_id, period):
        problems.append(t("verify_cases", where=where, month=month))


def _raw(blob: bytes) -> bytes:
    import zlib

    try:
        return zlib.decompress(blob)
    except (zlib.error, TypeError) as exc:
        raise KaoheError(str(exc)) from None


def _records(where: str, signed: dict[str, str], now: dict[str, str], problems: list[str]) -> None:
    gone = [i for i in signed if i not in now]
    changed = [i for i in signed if i in now and now[i] != signed[i]]
    added = [i for i in now if i not in signed]
    for ids, what in ((gone, "verify_deleted"), (changed, "verify_changed"), (added, "verify_added")):
        if ids:
            listed = (", ".join(f"#{i}" for i in ids[:20])
                      + (t("verify_records_more", n=len(ids)) if len(ids) > 20 else ""))
            problems.append(t("verify_records", where=where, listed=listed, what=t(what)))


def _recompute(store: Store, snap: dict, payload: dict, period: Period, scorers: dict, problems: list[str]) -> None:
    from kaohe_tui.scheme import Unit
    from kaohe_tui.scoring import Scorer

    where = f"{snap['scheme']} {snap['period']}"
    from kaohe_tui.scheme_years import for_period

    try:
        scheme = for_period(store, snap["scheme"], period)  # the version it was signed under
    except KaoheError:
        problems.append(t("verify_not_loaded", where=where, scheme=snap["scheme"]))
        return
    key = (snap["scheme"], snap["closed_period"])  # one scorer per sign-off: a year reads its records once
    scorer = scorers.get(key)
    if scorer is None:
        scorer = scorers[key] = Scorer(store, scheme, live=True, units=[Unit(**u) for u in payload["units"]])
    live = {r.unit: r for r in scorer.score(period)}
    for signed in payload["results"]:
        now = live.get(signed["unit"])
        unit = signed["unit"]
        if now is None:
            problems.append(t("verify_not_scored", where=where, unit=unit))
            continue
        if now.total != signed["total"]:
            problems.append(t("verify_total", where=where, unit=unit, signed=fmt(signed["total"]), now=fmt(now.total)))
        elif now.rank != signed["rank"]:
            problems.append(t("verify_rank", where=where, unit=unit, signed=signed["rank"], now=now.rank))
        points = now.points_by_indicator()
        for node in signed["indicators"]:
            if points.get(node["name"]) != node["points"]:
                problems.append(t("verify_points", where=where, unit=unit, name=node["name"],
                                  signed=fmt(node["points"]), now=fmt(points.get(node["name"]))))
        if list(now.flags) != list(signed["flags"]):
            problems.append(t("verify_flags", where=where, unit=unit, signed=signed["flags"] or "无",
                              now=now.flags or "无"))
