"""Signing a period at its close: score it (and the periods inside it the scheme ranks by) one
last time inside the close's write transaction, and keep each result whole as a snapshot
(``signoff``, which reads them back). Above scoring, which reads the snapshots; the scorer is
imported when a close runs, not with the ledger."""

from __future__ import annotations

import json
import zlib
from typing import TYPE_CHECKING, Any

from kaohe_tui import case_recount, chain, signed_context, signed_inputs
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.periods import Period
from kaohe_tui.signoff import TABLE, canonical, digest, inputs_of, results_data, signed_periods
from kaohe_tui.stamps import now

if TYPE_CHECKING:
    from kaohe_tui.scheme import Scheme
    from kaohe_tui.store import Store


def sign(store: Store, scheme: Scheme, period: Period) -> dict:
    """Snapshot ``period`` and every period inside it; call inside the close's transaction.
    Returns what the close's audit line records: each snapshot's digest and the chain head."""
    from kaohe_tui.scheme_years import for_period
    from kaohe_tui.scoring import Scorer

    conn = store.db.conn
    columns = signed_inputs.columns(store)
    cases = signed_inputs.start(store, [(scheme.id, period, columns)])  # helper processes scan while we score
    try:
        wrong = case_recount.mismatched_months(conn, scheme.id, period)  # never sign figures its cases do not give
        if wrong:
            raise KaoheError(t("close_cases_mismatch", scheme=scheme.id, period=period, months="、".join(wrong)))
        # the year's version now in force; every superseded figure kept
        scorer = Scorer(store, for_period(store, scheme, period), live=True, whole=True)
        inners = signed_periods(scheme, period)
        for inner in inners:
            scorer.score(inner)
        case_rows = signed_inputs.finish(cases, scheme.id, period)
    finally:
        signed_inputs.cancel(cases)  # only when scoring failed: finish has read them
    units = [u.model_dump() for u in scorer.units]
    head_id, head_hash = chain.head(conn)
    context = signed_context.context(store, scorer.scheme, scorer.standings)
    signed: dict[str, str] = {}
    for inner in inners:
        inputs = inputs_of(conn, scheme.id, inner, units)
        if case_rows is not None:  # pinned: verify need not score again (signed_inputs)
            inputs |= {"cases": signed_inputs.cases_pin(columns, case_rows, inner), "context": context}
        payload = canonical({"units": units, **results_data(scorer.score(inner), scorer.entries(inner)),
                             "inputs_digest": digest(inputs)})
        row: dict[str, Any] = {"scheme": scheme.id, "period": str(inner), "closed_period": str(period),
               "signed_at": now(), "signed_by": store.user, "audit_id": head_id, "audit_head": head_hash,
               "inputs": json.dumps(inputs, ensure_ascii=False), "inputs_digest": digest(inputs),
               "results": zlib.compress(payload, 6), "results_digest": digest(payload)}
        store.db.table(TABLE).insert(row)
        signed[str(inner)] = row["results_digest"]
    return {"snapshots": signed, "audit_head": [head_id, head_hash]}
