"""信息报送 (附件4) as data: every unit's items per month against its standard, tallied by the
``monthly_quota`` rule itself, with the points the scorer gave (``info_grid`` shows it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kaohe_tui.api import (
    Entry,
    Indicator,
    Period,
    QuotaTally,
    Scheme,
    Scorer,
    find_result,
    rule_type,
    scheme_for_period,
    walk,
)

if TYPE_CHECKING:
    from kaohe_tui.api import Store


@dataclass
class UnitMonths:
    """One unit's row of the grid: its items each month against its standard, as the rule counts
    and judges them (``MonthlyQuota.tally``), and the points the scorer gave."""

    unit: str
    tally: QuotaTally
    points: float | None = None  # the indicator's points, from the scorer
    max: float | None = None
    lines: list[str] = field(default_factory=list)  # the scorer's explanation

    # what the grid shows, as the rule has it
    standard = property(lambda self: self.tally.standard)
    standard_text = property(lambda self: self.tally.standard_text)
    months = property(lambda self: self.tally.months)  # entered months only: the others are 未录入
    extra = property(lambda self: self.tally.extra)
    counted = property(lambda self: self.tally.counted)
    short_months = property(lambda self: self.tally.short_months)
    short_year = property(lambda self: self.tally.short_year)


def quota_indicator(scheme: Scheme) -> tuple[str, Indicator]:
    """The ``monthly_quota`` indicator the scheme scores 附件4 with (信息报送)."""
    for path, node in walk(scheme.tree(None)):
        if node.rule_type == "monthly_quota":
            return path, node
    raise LookupError(f"{scheme.id}: no monthly_quota indicator")


def month_grid(store: Store, scheme: Scheme, year: int) -> tuple[str, Indicator, list[UnitMonths]]:
    """Every unit's items per month of ``year`` from the records the scorer used, tallied by the
    ``monthly_quota`` rule itself, and the points the scorer gave (the year's own scheme)."""
    period = Period(year, "year", 0)
    scheme = scheme_for_period(store, scheme, period)
    path, node = quota_indicator(scheme)
    rule = rule_type(node.rule_type)
    scorer = Scorer(store, scheme)
    results = {r.unit: r for r in scorer.score(period)}
    by_unit: dict[str, list[Entry]] = {}
    for entry in scorer.entries(period):
        if entry.indicator == path:
            by_unit.setdefault(entry.unit, []).append(entry)
    rows = []
    for unit in scorer.units:
        row = UnitMonths(unit.name, rule.tally(node, unit, period, by_unit.get(unit.name, [])))
        scored = find_result(results[unit.name].indicators, path) if unit.name in results else None
        if scored:
            row.points, row.max = scored.points, scored.max
            row.lines = [line.text for line in scored.lines]
        rows.append(row)
    return path, node, rows
