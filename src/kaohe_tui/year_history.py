"""Looking back across the year boundary: a consequence that counts a run of quarters (连续末位)
sees the previous year's quarters of the same scheme, scored with that year's own version and
units; a unit renamed since is found by its aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from kaohe_tui.names import norm
from kaohe_tui.periods import Period

if TYPE_CHECKING:
    from kaohe_tui.scoring import Scorer, UnitResult

_previous: WeakKeyDictionary[Scorer, Scorer | None] = WeakKeyDictionary()


def previous_scorer(scorer: Scorer, year: int) -> Scorer | None:
    """One scorer of the previous year per scorer (its quarters are scored once for all units)."""
    if scorer not in _previous:
        from kaohe_tui.scheme_years import for_period, has_year

        prev = year - 1
        found = None
        if has_year(scorer.store, scorer.scheme, prev):
            # a scorer of the same kind, built from this one (scoring is not imported: it imports us)
            found = type(scorer)(scorer.store, for_period(scorer.store, scorer.scheme.id, Period(prev, "year", 0)))
        _previous[scorer] = found
    return _previous[scorer]


def earlier_last_places(scorer: Scorer, period: Period, result: UnitResult,
                        skip_all_tied: bool) -> list[tuple[str, bool]]:
    """(quarter, was last) for each quarter of the previous year, for the unit of ``result``."""
    prev = previous_scorer(scorer, period.year)
    if prev is None:
        return []
    mine = next((u for u in scorer.units if u.name == result.unit), None)
    names = {norm(result.unit), *(norm(a) for a in (mine.aliases if mine else []))}
    for unit in prev.units:  # a merge: last year's unit may name this one as its alias
        if norm(result.unit) in {norm(a) for a in unit.aliases}:
            names.add(norm(unit.name))
    out = []
    for quarter in Period(period.year - 1, "year", 0).quarters():
        ranked = prev.score(quarter)
        theirs = next((r for r in ranked if norm(r.unit) in names), None)
        if theirs is None or theirs.rank is None:  # absent, or took no rank then (retired, sample)
            out.append((str(quarter), False))
            continue
        peers = [r for r in ranked if r.category == theirs.category and r.rank is not None]
        if len(peers) < 2 or (skip_all_tied and len({r.rank for r in peers}) == 1):
            out.append((str(quarter), False))
            continue
        out.append((str(quarter), theirs.rank == max(r.rank or 0 for r in peers)))  # peers: every rank is set
    return out


def trend_quarters(scorer: Scorer, period: Period) -> dict[str, dict[str, UnitResult]]:
    """Quarter → this year's unit name → result, for a trend: the previous year's quarters (when
    the scheme has that year; a renamed unit found by its aliases), then this year's."""
    out: dict[str, dict[str, UnitResult]] = {}
    prev = previous_scorer(scorer, period.year)
    if prev is not None:
        names: dict[str, str] = {}
        for unit in scorer.units:
            for name in (unit.name, *unit.aliases):
                names.setdefault(norm(name), unit.name)
        for quarter in Period(period.year - 1, "year", 0).quarters():
            out[str(quarter)] = {names[norm(r.unit)]: r for r in prev.score(quarter) if norm(r.unit) in names}
    for quarter in Period(period.year, "year", 0).quarters():
        out[str(quarter)] = {r.unit: r for r in scorer.score(quarter)}
    return out
