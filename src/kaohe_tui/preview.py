"""What a draft record would do, before it is saved: the unit's points for that indicator, its
total and its rank, before and after.

The draft is checked exactly as ``kaohe record`` checks it, written inside a transaction, scored
by the real scorer, and the transaction is rolled back: the figures come from the very code that
will score the saved record, derived records and consequences included. Give it a connection
no one else is using at that moment (the TUI opens one for its worker): until the rollback, a
reader on the same connection would see the draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kaohe_tui.ledger import Draft, check_record
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.scoring import Scorer, UnitResult, find_result
from kaohe_tui.store import Store, now


@dataclass
class Standing:
    points: float | None  # the record's indicator (None: not scored in this period)
    total: float
    rank: int | None  # None: the unit takes no part in the ranking
    flags: list[str] = field(default_factory=list)


@dataclass
class Preview:
    unit: str
    indicator: str  # the indicator's path
    period: str  # the period the standing is computed for
    before: Standing
    after: Standing


class _Rollback(Exception):
    """Raised to leave the preview transaction without keeping anything."""



def _standing(result: UnitResult, path: str) -> Standing:
    node = find_result(result.indicators, path)
    return Standing(node.points if node else None, result.total, result.rank, list(result.flags))


def preview_record(store: Store, scheme: Scheme, draft: Draft, *, replacing: int | None = None,
                   period: str | Period | None = None) -> Preview:
    """Score ``period`` (default: the draft's own) with and without the draft. ``replacing``: the
    id of a record the draft corrects, left out of the "after" figures. Raises ``RecordError``
    exactly as ``kaohe record`` would."""
    row = check_record(store, scheme, draft)
    own = Period.parse(row["period"])
    target = Period.parse(str(period)) if period else own
    if not target.contains(own):  # a year view previews a quarter's record in the year
        target = own
    before = _standing(Scorer(store, scheme).explain(target, row["unit"]), row["indicator"])
    if before.points is None and target != own:  # not scored in the view's period (a quarterly
        target = own                            # indicator seen from the year): its own period
        before = _standing(Scorer(store, scheme).explain(target, row["unit"]), row["indicator"])
    after: Standing | None = None
    try:
        with store.transaction() as db:
            if replacing is not None:
                db.table("records").update(replacing, {"withdrawn_at": now(), "withdrawn_reason": "preview"})
            db.table("records").insert({**row, "source": "preview", "created_by": store.user, "created_at": now()})
            after = _standing(Scorer(store, scheme).explain(target, row["unit"]), row["indicator"])
            raise _Rollback
    except _Rollback:
        pass
    assert after is not None
    return Preview(row["unit"], row["indicator"], str(target), before, after)
