"""What is left before a period's results can go out (``kaohe status``): per unit × indicator
(× month for monthly inputs), whether its input is entered, missing, flagged or superseded.

Read from the same scoring the results come from, so status and results never disagree: a node
is *missing* when its rule reported an input nobody entered (``IndicatorResult.missing``),
*superseded* when a one-figure input holds more than one active record (the newest counts),
*flagged* when it carries any other flag, *entered* when it has records, and *none* when it has
none and needs none (a deduction nobody incurred)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from kaohe_tui import rules
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import MISSING
from kaohe_tui.scheme import Scheme
from kaohe_tui.scoring import IndicatorResult, Scorer
from kaohe_tui.store import Store

STATES = {"missing": "未录入", "superseded": "有替代", "flagged": "有标记", "entered": "已录入", "none": "无记录"}


@dataclass
class Cell:
    unit: str
    indicator: str  # the path
    period: str
    state: str  # one of STATES
    records: int
    months: list[int] = field(default_factory=list)  # missing months of a monthly input
    flags: list[str] = field(default_factory=list)
    ranked: bool = True  # False: a retired unit, or a sample beside real units

    @property
    def months_text(self) -> str:
        from kaohe_tui.rules.statistics import month_runs

        return f"{month_runs(self.months)}月" if self.months else ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Status:
    scheme: str
    period: str
    cells: list[Cell]

    @property
    def missing(self) -> list[Cell]:
        return [c for c in self.cells if c.state == "missing"]

    @property
    def complete(self) -> bool:
        """Nothing missing among the units that are ranked: the results may go out."""
        return not any(c.ranked for c in self.missing)

    def counts(self) -> dict[str, int]:
        return dict(Counter(c.state for c in self.cells))

    def as_dict(self) -> dict:
        return {"scheme": self.scheme, "period": self.period, "complete": self.complete, "counts": self.counts(),
                "cells": [c.as_dict() for c in self.cells]}


def leaves(nodes: list[IndicatorResult]):
    for node in nodes:
        if node.children:
            yield from leaves(node.children)
        else:
            yield node


def status(store: Store, scheme: Scheme, period: Period) -> Status:
    """Every unit × scored leaf of ``period`` and, for a year, of its quarters (a year built from
    quarters is only as complete as they are)."""
    scorer = Scorer(store, scheme)
    periods = [period] + (period.quarters() if period.kind == "year" else [])
    cells: list[Cell] = []
    seen: set[tuple[str, str]] = set()  # a node scored for the year is not repeated per quarter
    for p in periods:
        counts = Counter((e.unit, e.indicator) for e in scorer.entries(p))
        figures = Counter((e.unit, e.indicator, e.clause, e.period) for e in scorer.entries(p) if not e.derived_from)
        for result in scorer.score(p):
            for node in leaves(result.indicators):
                if p is not period and (result.unit, node.path) in seen:
                    continue
                seen.add((result.unit, node.path))
                rule = rules.get(node.rule)
                n = counts[(result.unit, node.path)]
                doubled = getattr(rule, "one_figure", False) and any(
                    v > 1 for (u, path, _c, _p), v in figures.items() if u == result.unit and path == node.path)
                own_flags = [f for f in node.flags if not f.startswith(MISSING)]
                if node.missing:
                    state = "missing"
                elif doubled:
                    state = "superseded"
                elif own_flags:
                    state = "flagged"
                else:
                    state = "entered" if n else "none"
                months = sorted({m for gap in node.missing for m in gap.months})
                cells.append(Cell(result.unit, node.path, str(p), state, n, months, node.flags,
                                  result.rank is not None))
    return Status(scheme.id, str(period), cells)
