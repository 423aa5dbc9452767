"""附件5 as data: the OA signing breaches of a year in the ledger (信息管理, clause ``oa``), each
with the points the scorer took for it, and each unit's 信息管理 points (``oa_screen`` shows it).
The points come from the scorer's explanation lines, never worked out again here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kaohe_tui.api import Period, Scorer, attr_true, find_result, scheme_for_period

from .oa import CLAUSE, DOUBLE_ATTR, INDICATOR

if TYPE_CHECKING:
    from kaohe_tui.api import Scheme, Store


@dataclass(frozen=True)
class OaBreach:
    record: int | str
    unit: str
    period: str
    date: str | None
    reason: str
    not_installed: bool  # 48小时未签收 → 视为未安装客户端, deducted twice
    points: float | None  # the scorer's deduction for this record (negative), None if it gave none


@dataclass(frozen=True)
class UnitOa:
    unit: str
    points: float | None  # 信息管理 as scored
    max: float | None
    oa: float  # what the OA records took from it (the sum of their lines)


def oa_breaches(store: Store, scheme: Scheme, year: int) -> tuple[list[OaBreach], dict[str, UnitOa]]:
    """The year's OA records (all periods within it) and, for each unit with one, its 信息管理,
    scored with the scheme as it stands for that year."""
    period = Period(year, "year", 0)
    scorer = Scorer(store, scheme_for_period(store, scheme, period))
    results = {r.unit: r for r in scorer.score(period)}
    taken: dict[object, float] = {}
    units: dict[str, UnitOa] = {}
    entries = [e for e in scorer.entries(period) if e.indicator == INDICATOR and e.clause == CLAUSE]
    for unit in sorted({e.unit for e in entries}):
        scored = find_result(results[unit].indicators, INDICATOR) if unit in results else None
        lines = [line for line in (scored.lines if scored else []) if line.clause == CLAUSE]
        for line in lines:
            for ref in line.records:
                taken[ref] = taken.get(ref, 0.0) + line.delta
        units[unit] = UnitOa(unit, scored.points if scored else None, scored.max if scored else None,
                             sum(line.delta for line in lines))
    breaches = [OaBreach(e.id, e.unit, e.period, e.date, e.reason, attr_true(e.attrs.get(DOUBLE_ATTR, "")) is True,
                         taken.get(e.id)) for e in entries]
    breaches.sort(key=lambda b: (b.date or b.period, str(b.record)))
    return breaches, units
