"""What a rule type sees and returns.

A rule type takes an indicator (its clauses and parameters), the unit's records for it and, where
the rule compares units, every peer's records; it returns points **and** the lines that explain
them: which clause, which records, how much. Points are rounded to ``PRECISION`` decimals at every
step so that 10 − 3 × 0.1 is 9.7, as the office's own arithmetic says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping, NamedTuple

from pydantic import BaseModel, ConfigDict

from kaohe_tui.periods import Period
from kaohe_tui.scheme import Clause, Indicator, Unit

PRECISION = 6


def pts(x: float) -> float:
    """Round points so that binary floating point never shows through (0.30000000000000004)."""
    r = round(x + 0.0, PRECISION)
    return 0.0 if r == 0 else r


def fmt(x: float | None) -> str:
    """Points as an office writes them: 0.5, 2, 9.75."""
    if x is None:
        return "—"
    return f"{pts(x):g}" if abs(x) < 1e15 else str(x)


class Entry(NamedTuple):
    """One ledger record as the rules see it (withdrawn records never reach a rule). A tuple: a big
    year builds one per record (10^6), and a tuple is the cheapest object Python makes."""

    id: int | str
    unit: str
    indicator: str  # the indicator's path
    clause: str | None = None
    count: int | None = None
    amount: float | None = None
    value: float | None = None
    period: str = ""
    date: str | None = None
    reason: str = ""
    attrs: Mapping[str, Any] = {}
    derived_from: tuple = ()  # ids of the records a derived record was computed from

    @property
    def times(self) -> int:
        """How many occurrences this record stands for (a record without a count is one)."""
        return 1 if self.count is None else int(self.count)

    @property
    def ref(self) -> str:
        return f"#{self.id}"


@dataclass
class Line:
    """One line of an explanation: ``delta`` points because of ``clause``, from ``records``."""

    delta: float
    text: str
    clause: str | None = None
    records: tuple = ()

    def as_dict(self) -> dict:
        return {"delta": pts(self.delta), "text": self.text, "clause": self.clause, "records": list(self.records)}


@dataclass
class Outcome:
    points: float | None  # None: the document does not define how this is scored
    max: float | None
    lines: list[Line] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class Context:
    """Everything a rule may look at for one unit and one indicator in one period."""

    indicator: Indicator
    path: str
    unit: Unit
    period: Period
    records: list[Entry]  # this unit's records for this indicator
    peers: Mapping[str, list[Entry]]  # every unit of the same category → its records here
    peer_units: Mapping[str, Unit]
    children: Mapping[str, Outcome]  # outcomes of the node's children, by child name
    # Scores another period for this unit: (period, indicator names or None) → points.
    score_period: Callable[[Period, list[str] | None], float | None] | None = None

    @property
    def max(self) -> float:
        return self.indicator.points or 0.0

    def clause_of(self, entry: Entry) -> Clause | None:
        return self.indicator.clause(entry.clause) if entry.clause else None


class Params(BaseModel):
    """Base for a rule type's parameters (an indicator's ``params`` table)."""

    model_config = ConfigDict(extra="forbid")


class RuleType:
    """Subclass, set ``name``/``title``/``Params`` and implement ``score``."""

    name: ClassVar[str]
    title: ClassVar[str]  # one line, Chinese, for `kaohe rules` and the TUI
    Params: ClassVar[type[Params]] = Params
    uses: ClassVar[str] = "count"  # which record field carries the figure: count|amount|value
    needs_clause: ClassVar[bool] = False  # records must name one of the indicator's clauses

    def params(self, indicator: Indicator) -> Params:
        return self.Params.model_validate(indicator.params)

    def check(self, indicator: Indicator) -> str | None:
        """A problem with the indicator's declaration, or None."""
        return None

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        """A problem with a record before it is written (the field and why), or None."""
        return None

    def score(self, ctx: Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


def latest(entries: list[Entry], clause: str | None = None) -> Entry | None:
    """The newest record (a statistic entered again supersedes the earlier one)."""
    chosen = [e for e in entries if clause is None or e.clause == clause]
    return max(chosen, key=lambda e: (str(e.period), _id_key(e.id)), default=None)


def _id_key(value: Any) -> tuple:
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def clamp(x: float, low: float, high: float) -> float:
    return max(low, min(high, x))
