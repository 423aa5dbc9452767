"""Writing the ledger — record, correct, withdraw — and what a record form may offer: the
indicators records are written against, the figure a clause takes, whether a clause is needed.
A face asks here instead of knowing the rules' internals."""

from __future__ import annotations

from kaohe_tui import rules
from kaohe_tui.ledger import Draft, add_record, takes_records, withdraw_record
from kaohe_tui.ledger_edit import edit_record
from kaohe_tui.scheme import Clause, Indicator, Scheme, walk
from kaohe_tui.store import Store

__all__ = ["Draft", "record", "correct", "withdraw", "recordable_indicators", "figure_for", "clause_required"]


def record(store: Store, scheme: Scheme, draft: Draft, source: str = "cli", supersede: bool = False) -> int:
    """Check and write one record (one transaction, audited); its id."""
    return add_record(store, scheme, draft, source=source, supersede=supersede)


def correct(store: Store, scheme: Scheme, record_id: int, draft: Draft, reason: str) -> int:
    """Replace record ``record_id`` by ``draft`` (the old one is withdrawn, ``reason`` says why);
    the new record's id."""
    return edit_record(store, scheme, record_id, draft, reason)


def withdraw(store: Store, scheme: Scheme, record_id: int, reason: str) -> None:
    withdraw_record(store, scheme, record_id, reason)


def recordable_indicators(scheme: Scheme, category: str | None) -> list[tuple[str, Indicator]]:
    """(path, indicator) a record can be written against for a unit of ``category`` — not those
    computed from their parts."""
    return [(path, node) for path, node in walk(scheme.tree(category)) if takes_records(node)]


def figure_for(node: Indicator, clause: Clause | None) -> str:
    """count, amount or value: the figure a record for ``node`` under ``clause`` is written with."""
    rule = rules.get(node.rule_type)
    return rule.figure(node, clause) if rule else "count"


def clause_required(node: Indicator) -> bool:
    """Whether a record for ``node`` must name one of its clauses."""
    rule = rules.get(node.rule_type)
    return bool(node.clauses) and bool(rule and rule.needs_clause)
