"""Closing (signing off) and reopening a period. A close freezes the period's records and scores
and keeps the signed results; what comes back is what the signer keeps with the paper."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store


@dataclass
class Closed:
    period: Period
    snapshot: str  # the digest of the signed results
    audit_id: int  # the audit chain's head at signing
    audit_hash: str


def close(store: Store, scheme: Scheme, period: Period | str, reason: str) -> Closed:
    from kaohe_tui.ledger import set_period_status

    period = Period.parse(period) if isinstance(period, str) else period
    signed = set_period_status(store, scheme, period, "closed", reason)
    head_id, head_hash = signed["audit_head"]
    return Closed(period, signed["snapshots"][str(period)], head_id, head_hash)


def reopen(store: Store, scheme: Scheme, period: Period | str, reason: str) -> None:
    from kaohe_tui.ledger import set_period_status

    set_period_status(store, scheme, Period.parse(period) if isinstance(period, str) else period, "open", reason)
