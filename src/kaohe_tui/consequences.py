"""Consequences drawn from results and ranking history (季度排名末位累计两次 → 通报批评 …).

A scheme lists ``[[consequences]]`` with a ``type`` from this registry (plugins may add types
through ``kaohe_consequence_types``) and the ``flag`` text to raise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from kaohe_tui import plugins
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Consequence

if TYPE_CHECKING:
    from kaohe_tui.scoring import Scorer, UnitResult

# a consequence type: (the scheme's rule, the scorer, the period, one unit's result) → the flag or None
ConsequenceType = Callable[[Consequence, "Scorer", Period, "UnitResult"], "str | None"]


def last_places(scorer: Scorer, period: Period, result: UnitResult, skip_all_tied: bool = False) -> list[bool]:
    """For each quarter of the year up to ``period``: was the unit last in its category?
    With ``skip_all_tied`` a quarter in which every unit shares one rank (nothing entered yet)
    has no last place."""
    return [result.unit in last for last in _last_by_quarter(scorer, period, result.category, skip_all_tied)]


def _last_by_quarter(scorer: Scorer, period: Period, category: str | None,
                     skip_all_tied: bool) -> list[frozenset[str]]:
    """The last units of each quarter up to ``period`` (asked once per period, not per unit)."""
    memo = scorer.__dict__.setdefault("_last_by_quarter", {})
    key = (period, category, skip_all_tied)
    if key not in memo:
        memo[key] = [_last_units(scorer, quarter, category, skip_all_tied) for quarter in period.quarters()]
    return memo[key]


@functools.lru_cache(maxsize=256)
def _labels(period: Period) -> tuple[str, ...]:
    return tuple(str(q) for q in period.quarters())


def _last_units(scorer: Scorer, quarter: Period, category: str | None, skip_all_tied: bool) -> frozenset[str]:
    """The units last in their category in ``quarter`` (worked out once per scorer, not per unit)."""
    memo = scorer.__dict__.setdefault("_last_units", {})
    key = (str(quarter), category, skip_all_tied)
    if key not in memo:
        ranked = [r for r in scorer.score(quarter) if r.category == category and r.rank is not None]
        if len(ranked) < 2 or (skip_all_tied and len({r.rank for r in ranked}) == 1):
            memo[key] = frozenset()
        else:
            worst = max(r.rank or 0 for r in ranked)  # ranked: every rank is set
            memo[key] = frozenset(r.unit for r in ranked if r.rank == worst)
    return memo[key]


def last_place(rule: Consequence, scorer: Scorer, period: Period, result: UnitResult) -> str | None:
    """params: times (how many last places), consecutive (in a row, or cumulative),
    skip_all_tied (a quarter where every unit ties has no last place), across_years (the
    previous year's quarters count too; default: for a run in a row, not for a count)."""
    times = int(rule.params.get("times", 2))
    skip = bool(rule.params.get("skip_all_tied", False))
    history = last_places(scorer, period, result, skip)
    labels = list(_labels(period))
    if rule.params.get("across_years", bool(rule.params.get("consecutive"))):
        from kaohe_tui.year_history import earlier_last_places

        earlier = earlier_last_places(scorer, period, result, skip)
        history = [last for _, last in earlier] + history
        labels = [q for q, _ in earlier] + labels
    if rule.params.get("consecutive"):
        run = best = 0
        first_own = len(history) - len(_labels(period))  # a run counts here only if it reaches this year
        for i, last in enumerate(history):
            run = run + 1 if last else 0
            if i >= first_own:
                best = max(best, run)
        hit = best >= times
        count = best
    else:
        count = sum(history)
        hit = count >= times
    if not hit:
        return None
    quarters = [q for q, last in zip(labels, history, strict=False) if last]
    return f"{rule.flag}（末位：{'、'.join(quarters)}）"


def total_below(rule: Consequence, scorer: Scorer, period: Period, result: UnitResult) -> str | None:
    """params: threshold — the total is below it."""
    return rule.flag if result.total < float(rule.params.get("threshold", 0)) else None


BUILTIN: dict[str, ConsequenceType] = {"last_place": last_place, "total_below": total_below}


def types() -> dict[str, ConsequenceType]:
    found = dict(BUILTIN)
    for extra in plugins.call("kaohe_consequence_types"):
        found.update(extra)
    return found


def evaluate(rule: Consequence, scorer: Scorer, period: Period, result: UnitResult,
             known: dict[str, ConsequenceType] | None = None) -> str | None:
    """``known``: ``types()`` asked once by a caller that evaluates every unit's rules."""
    fn = (types() if known is None else known).get(rule.type)
    if fn is None:
        return f"未知的后果类型 {rule.type}"
    return fn(rule, scorer, period, result)
