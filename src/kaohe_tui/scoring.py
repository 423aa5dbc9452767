"""Scheme + period + ledger → results: every unit's indicator scores with their explanations,
totals, ranks (within the unit's category; ties share a rank) and consequence flags."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from kaohe_tui import cases, consequences, gc_pause, ledger_read, plugins, rules
from kaohe_tui.ledger_read import Older
from kaohe_tui.names import norm
from kaohe_tui.period_records import enclosing, inside, split_year
from kaohe_tui.periods import Period
from kaohe_tui.ranking import competition_ranks
from kaohe_tui.results import IndicatorResult, UnitResult, find_result  # noqa: F401 — callers import them from here
from kaohe_tui.rules.base import MISSING, Context, Entry, Line, Outcome, RuleType, pts
from kaohe_tui.scheme import PATH_SEP, Indicator, Scheme, Unit, walk
from kaohe_tui.store import Store
from kaohe_tui.units import load_units, standings


class Scorer:
    """Scores one scheme; remembers the periods it has scored (a year needs its quarters).
    A signed-off period's results are its sign-off snapshot (``signoff``), unless ``live``
    (closing and verifying recompute them); ``units``: score these instead of the database's;
    ``whole``: give the rules every superseded figure, not the newest ``ledger_read.KEEP`` (a
    sign-off keeps them all)."""

    def __init__(self, store: Store, scheme: Scheme, live: bool = False, units: list[Unit] | None = None,
                 whole: bool = False):
        self.store = store
        self.scheme = scheme
        self.live = live
        self.whole = whole
        self.units = load_units(store, scheme) if units is None else units
        self.standings = standings(store, scheme)
        self._cache: dict[str, list[UnitResult]] = {}
        self._entries: dict[str, list[Entry]] = {}
        # a year's records, read once for it and its quarters
        self._years: dict[int, tuple[list[Entry], list[Older]]] = {}
        self._late: dict[int, dict[str, dict[str, int]] | None] = {}  # year → period → unit → open late
        self._parts: dict[int, tuple[dict[str, list[Entry]], dict[str, list[Older]]]] = {}  # year → period → its part
        self._older: dict[str, dict[tuple[str, str], list[Line]]] = {}  # period → (unit, path) → cut figures' line
        self._one_figure: dict[str, frozenset[str]] | None = None
        self._categories: dict[str | None, str | None] = {}
        self._plans: dict[tuple[str | None, str], list[_Node]] = {}
        self._units_of: dict[str, tuple[list[UnitResult], dict[str, list[UnitResult]]]] = {}

    # -- public ----------------------------------------------------------------------------
    def score(self, period: Period) -> list[UnitResult]:
        key = str(period)
        found = self._cache.get(key)
        if found is not None:
            return found
        with gc_pause.paused():
            self._load_signed(period)
            if key not in self._cache:
                results = self._score_uncached(period)
                self._cache[key] = results
                self._add_consequences(period, results)
        return self._cache[key]

    def score_quarters(self, year: int) -> dict[str, list[UnitResult]]:
        """A year's four quarters (a trend): the records read once for those not signed, not
        once per quarter (a quarter asked for alone reads only its own)."""
        quarters = Period(year, "year", 0).quarters()
        for quarter in quarters:
            self._load_signed(quarter)
        with gc_pause.paused():
            if year not in self._years and any(str(q) not in self._cache for q in quarters):
                self._years[year] = self._read(Period(year, "year", 0))
            return {str(q): self.score(q) for q in quarters}

    def _load_signed(self, period: Period) -> None:
        key = str(period)
        if key not in self._cache and not self.live:
            from kaohe_tui.signoff import signed_results

            signed = signed_results(self.store, self.scheme.id, period)
            if signed is not None:
                self._cache[key], self._entries[key] = signed

    def explain(self, period: Period, unit_name: str) -> UnitResult:
        for result in self.score(period):
            if norm(result.unit) == norm(unit_name):
                return result
        raise KeyError(unit_name)

    def entries(self, period: Period, unit: str | None = None) -> list[Entry]:
        """The records (derived ones included) that scored ``period``."""
        self.score(period)
        return [e for e in self._entries[str(period)] if unit is None or e.unit == unit]

    # -- the work ----------------------------------------------------------------------------
    def _score_uncached(self, period: Period) -> list[UnitResult]:
        entries = self._records_in(period)
        categories = {u.name: self._category_name(u) for u in self.units}
        entries += cases.derived_entries(self.store, self.scheme, period, categories, self._open_late(period))
        for derived in plugins.call("kaohe_derive_records", scheme=self.scheme, period=period, entries=entries):
            entries = entries + list(derived)
        self._entries[str(period)] = entries
        groups: dict[str | None, list[Unit]] = defaultdict(list)
        for unit in self.units:
            groups[categories[unit.name]].append(unit)
        # grouped for the rules, at the paths they score in this kind of period (a year's quarterly
        # figures are read for its quarters, and no yearly rule looks at them)
        scored = {n.path for category in groups for n in _walk_plan(self._plan(category, period.kind))}
        by_unit_path: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in entries:
            if entry.indicator in scored:
                by_unit_path[(entry.unit, entry.indicator)].append(entry)

        results: list[UnitResult] = []
        older = self._older.get(str(period), {})
        for category, members in groups.items():
            tree = self._plan(category, period.kind)
            full_marks = self.scheme.full_marks(category)
            peer_units = {u.name: u for u in members}
            shared = _Pass(period, by_unit_path, peer_units, older)
            for unit in members:
                calls = self._unit_calls(unit.name)
                nodes = [self._score_node(node, unit, shared, calls) for node in tree]
                total = pts(sum(n.points for n in nodes if n.points is not None))
                flags = [f for n in nodes for f in n.flags]  # a parent already carries its children's
                unranked = self.standings.get(unit.name)
                results.append(UnitResult(unit.name, category, total, full_marks, nodes,
                                          flags=list(dict.fromkeys(flags + ([unranked] if unranked else []))),
                                          unranked=unranked))
            rank_group([r for r in results if r.category == category])
        for name, flags in cases.untimed_flags(self.store, self.scheme, period, categories).items():
            for result in results:
                if result.unit == name:
                    result.flags += flags
        order = {c.name: i for i, c in enumerate(self.scheme.categories)}
        results.sort(key=lambda r: (order.get(r.category or "", len(order)), r.rank is None, r.rank or 0, r.unit))
        return results

    def _records_in(self, period: Period) -> list[Entry]:
        """A year's records are read once and serve its quarters too; a quarter asked for on its
        own reads just that quarter. One-figure inputs come cut to their newest figures
        (``ledger_read``); the lines for the rest are kept by period."""
        if period.kind == "year" and period.year not in self._years:
            self._years[period.year] = self._read(period)
        if period.year in self._years:
            entries, older = self._in_year(period)
        else:
            entries, older = self._read(period)
        lines: dict[tuple[str, str], list[Line]] = defaultdict(list)
        for cut in older:
            lines[(cut.unit, cut.path)].append(cut.line)
        self._older[str(period)] = lines
        return entries

    def _in_year(self, period: Period) -> tuple[list[Entry], list[Older]]:
        """``period``'s part of its year's records (a quarter's split off in one pass for all four)."""
        year = period.year
        if year not in self._parts:
            entries, older = self._years[year]
            self._parts[year] = split_year(year, entries), split_year(year, older)
        by_entries, by_older = self._parts[year]
        key = str(period)
        if key in by_entries:
            return list(by_entries[key]), list(by_older[key])
        keys, outer = {str(p) for p in period.sub_periods()}, set(enclosing(period))  # a month
        entries, older = self._years[year]
        return ([e for e in entries if inside(e, period, keys, outer)],
                [o for o in older if inside(o, period, keys, outer)])

    def _open_late(self, period: Period) -> dict[str, int] | None:
        """A year's or quarter's open-late cases, when the whole year is scored (a year, a trend):
        counted for the five periods at once; None: ``cases`` counts the period's itself."""
        year = period.year
        if period.kind == "month" or year not in self._years:
            return None
        if year not in self._late:
            self._late[year] = (cases.year_open_late(self.store, self.scheme, year)
                                if cases.has_cases(self.store, self.scheme) else None)
        found = self._late[year]
        return None if found is None else found[str(period)]

    def _read(self, period: Period) -> tuple[list[Entry], list[Older]]:
        if self._one_figure is None:
            self._one_figure = {}
            for u in self.units:
                category = self._category_name(u)
                self._one_figure[u.name] = one_figure_paths(self.scheme, category)
        trees = self._one_figure
        return ledger_read.read(self.store, self.scheme, period, lambda unit, path: path in trees.get(unit, ()),
                                whole=self.whole)

    def _category_name(self, unit: Unit) -> str | None:
        if unit.category not in self._categories:  # names are normalised to match: once per name
            category = self.scheme.category(unit.category)
            self._categories[unit.category] = category.name if category else unit.category
        return self._categories[unit.category]

    def _unit_calls(self, unit: str) -> tuple:
        """A unit's ``Context.score_period`` and ``period_gaps`` (made once per unit, not per node)."""
        return (lambda p, of: self._points_in(p, unit, of)), (lambda p, of: self._gaps_in(p, unit, of))

    def _plan(self, category: str | None, kind: str) -> list[_Node]:
        """A category's tree as scored for a kind of period: the nodes that apply, with their paths
        and rule types (worked out once per scorer, not for every unit)."""
        key = (category, kind)
        if key not in self._plans:
            def plan(node: Indicator, path: str) -> _Node:
                children = tuple(plan(c, f"{path}{PATH_SEP}{c.name}") for c in node.children if c.applies_to(kind))
                return _Node(node, path, rules.require(node.rule_type), children)  # children first, as scored

            self._plans[key] = [plan(node, node.name) for node in self.scheme.tree(category) if node.applies_to(kind)]
        return self._plans[key]

    def _score_node(self, plan: _Node, unit: Unit, shared: _Pass, calls: tuple) -> IndicatorResult:
        node, path = plan.node, plan.path
        children = [self._score_node(c, unit, shared, calls) for c in plan.children]
        child_outcomes = {c.name: Outcome(c.points, c.max, c.lines, c.flags) for c in children}
        ctx = Context(
            indicator=node, path=path, unit=unit, period=shared.period,
            records=shared.by_unit_path.get((unit.name, path), []),
            peers=shared.peers(path),
            peer_units=shared.peer_units, children=child_outcomes,
            score_period=calls[0], period_gaps=calls[1],
        )
        outcome = plan.rule.score(ctx)
        cut = shared.older.get((unit.name, path))
        lines = outcome.lines + cut if cut else outcome.lines
        return IndicatorResult(node.name, path, outcome.points, outcome.max, node.rule_type,
                               lines, outcome.flags, children, node.bonus, outcome.missing)

    def _by_unit(self, period: Period) -> dict[str, list[UnitResult]]:
        """A period's results by unit name (a year asks each unit's quarters: a lookup, not a scan)."""
        results = self.score(period)
        key = str(period)
        found = self._units_of.get(key)
        if found is None or found[0] is not results:
            index: dict[str, list[UnitResult]] = defaultdict(list)
            for result in results:
                index[result.unit].append(result)
            found = self._units_of[key] = (results, index)
        return found[1]

    def _points_in(self, period: Period, unit: str, names: list[str] | None) -> float | None:
        mine = self._by_unit(period).get(unit)
        if not mine:
            return None
        result = mine[0]
        if names is None:
            return result.total
        wanted = _wanted(tuple(names))
        return pts(sum(r.points or 0 for r in result.indicators if _norm(r.name) in wanted))

    def _gaps_in(self, period: Period, unit: str, names: list[str] | None) -> list[str]:
        wanted = None if names is None else _wanted(tuple(names))
        return [f for r in self._by_unit(period).get(unit, ()) for i in r.indicators
                if wanted is None or _norm(i.name) in wanted for f in i.flags if f.startswith(MISSING)]

    def _add_consequences(self, period: Period, results: list[UnitResult]) -> None:
        by_category = {c: self.scheme.consequences_for(c) for c in {r.category for r in results}}
        known = consequences.types() if any(by_category.values()) else {}  # the plugins asked once, not per unit
        for result in results:
            if result.rank is None:
                continue  # retired, or a sample beside real units: no last place, no notice
            for rule in by_category[result.category]:
                flag = consequences.evaluate(rule, self, period, result, known)
                if flag and flag not in result.flags:
                    result.flags.append(flag)


PROVISIONAL_MARK = "【暂定】尚有未录入数据，结果仍会变动，不得作为正式结果签发"


def provisional(results: list[UnitResult]) -> bool:
    """Any ranked unit's result rests on a missing input: exports and sheets carry the mark."""
    return any(r.provisional for r in results if r.rank is not None)


class _Node(NamedTuple):
    """An indicator as one kind of period scores it (``Scorer._plan``)."""

    node: Indicator
    path: str
    rule: RuleType
    children: tuple[_Node, ...]


def _walk_plan(nodes: list[_Node] | tuple[_Node, ...]):
    for node in nodes:
        yield node
        yield from _walk_plan(node.children)


class _Pass:
    """What every unit of one category shares while a period is scored: the records by unit and
    path, the peer units, the cut figures' lines, and one ``_Peers`` per path."""

    def __init__(self, period: Period, by_unit_path: dict, peer_units: dict[str, Unit],
                 older: dict[tuple[str, str], list[Line]]):
        self.period, self.by_unit_path, self.peer_units, self.older = period, by_unit_path, peer_units, older
        self._peers: dict[str, _Peers] = {}

    def peers(self, path: str) -> _Peers:
        found = self._peers.get(path)
        if found is None:
            found = self._peers[path] = _Peers(self.by_unit_path, path, self.peer_units)
        return found


class _Peers(Mapping):
    """Every peer unit → its records at one path, looked up when a rule asks (most never do)."""

    def __init__(self, by_unit_path: dict, path: str, units: dict):
        self._by, self._path, self._units = by_unit_path, path, units

    def __getitem__(self, unit: str) -> list[Entry]:
        if unit not in self._units:
            raise KeyError(unit)
        return self._by.get((unit, self._path), [])

    def __iter__(self):
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)


# A year asks each unit's quarters for the same few indicator names again and again: each is
# normalised once (``norm`` is a pure function of the text).
_norm = functools.lru_cache(maxsize=4096)(norm)


@functools.lru_cache(maxsize=1024)
def _wanted(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_norm(n) for n in names)


def one_figure_paths(scheme: Scheme, category: str | None) -> frozenset[str]:
    """The paths of a category's one-figure inputs (only their newest figure counts)."""
    key = (id(scheme), category)
    if key not in _ONE_FIGURE:
        _ONE_FIGURE[key] = (scheme, frozenset(path for path, node in walk(scheme.tree(category))
                                              if getattr(rules.get(node.rule_type), "one_figure", False)))
    return _ONE_FIGURE[key][1]


_ONE_FIGURE: dict[tuple[int, str | None], tuple[Scheme, frozenset[str]]] = {}  # the scheme is kept: ids stay unique


def rank_group(results: list[UnitResult]) -> None:
    """Competition ranking (1, 2, 2, 4) by total, highest first, of the units that take part."""
    ranks = competition_ranks({i: r.total for i, r in enumerate(results) if r.unranked is None})
    for i, r in enumerate(results):
        r.rank = ranks.get(i)


def score(store: Store, scheme: Scheme, period: Period | str) -> list[UnitResult]:
    period = Period.parse(period) if isinstance(period, str) else period
    return Scorer(store, scheme).score(period)
