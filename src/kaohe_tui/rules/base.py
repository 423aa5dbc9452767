"""What a rule type sees and returns.

A rule type takes an indicator (its clauses and parameters), the unit's records for it and, where
the rule compares units, every peer's records; it returns points **and** the lines that explain
them: which clause, which records, how much. Points are rounded to ``PRECISION`` decimals at every
step so that 10 − 3 × 0.1 is 9.7, as the office's own arithmetic says.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from kaohe_tui.periods import Period, month_runs  # month_runs: the one way months are written
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
    # the ledger's column; it hides the tuple's count() method, which no one calls on an Entry
    count: int | None = None  # type: ignore[assignment]
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


# Every flag naming a missing input starts with this; a result carrying one is provisional.
MISSING = "未录入："


@dataclass(frozen=True)
class Gap:
    """An input a rule needs and nobody has entered (an explicit 0 is entered): the indicator's
    path, the period it is scored for, and for monthly inputs the months without a figure."""

    path: str
    period: str
    months: tuple[int, ...] = ()

    @property
    def flag(self) -> str:
        return f"{MISSING}{self.path} {self.period}" + (f" {month_runs(list(self.months))}月" if self.months else "")

    def as_dict(self) -> dict:
        return {"indicator": self.path, "period": self.period, "months": list(self.months)}


@dataclass
class Outcome:
    points: float | None  # None: the document does not define how this is scored
    max: float | None
    lines: list[Line] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    missing: list[Gap] = field(default_factory=list)  # inputs not entered (this node's own, not its children's)


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
    # The flags naming missing inputs of another period for this unit (same arguments): a year
    # built from quarters names its quarters' gaps.
    period_gaps: Callable[[Period, list[str] | None], list[str]] | None = None

    @property
    def max(self) -> float:
        return self.indicator.points or 0.0

    def clause_of(self, entry: Entry) -> Clause | None:
        return self.indicator.clause(entry.clause) if entry.clause else None


class Params(BaseModel):
    """Base for a rule type's parameters (an indicator's ``params`` table).

    ``missing_points``/``missing_reason``: what a missing input counts, only where the scheme file
    states it (with the document's words or the office's reading as the reason); without it a
    missing input counts 0 and says so. Either way the result is flagged and provisional."""

    model_config = ConfigDict(extra="forbid")
    missing_points: float | None = None  # what a missing input counts (only where the scheme states it)
    missing_reason: str | None = None  # why: the document's words, or the office's reading


P = TypeVar("P", bound=Params)
# (parameters class, indicator's id) → (the indicator, a copy of its parameters, them validated);
# the indicator is kept so that its id is not reused while the entry stands
_PARAMS: dict[tuple[type, int], tuple[Indicator, dict, Params]] = {}
_BaseParams = Params  # the name ``Params`` inside RuleType is the rule's own class


class RuleType(Generic[P]):
    """Subclass, set ``name``/``title``/``Params`` and implement ``score``. Subclass
    ``RuleType[TheParams]`` (with ``Params = TheParams``) and ``params()`` is typed as them."""

    name: ClassVar[str]
    title: ClassVar[str]  # one line, Chinese, for `kaohe rules` and the TUI
    Params: ClassVar[type[_BaseParams]] = _BaseParams
    uses: ClassVar[str] = "count"  # which record field carries the figure: count|amount|value
    needs_clause: ClassVar[bool] = False  # records must name one of the indicator's clauses
    composite: ClassVar[bool] = False  # computed from the indicator's children: takes no records
    # One figure per unit, clause and period (a rate, a score): a second one replaces the first
    # only when the user says so (``--supersede``); the newest counts and both are explained.
    one_figure: ClassVar[bool] = False

    def params(self, indicator: Indicator) -> P:
        # Validated once per indicator and parameters (a year scores each indicator for every unit
        # of every quarter); a copy of the parameters is kept: an edit in place validates again.
        key = (self.Params, id(indicator))
        kept = _PARAMS.get(key)
        if kept is not None and kept[0] is indicator and kept[1] == indicator.params:
            return cast(P, kept[2])
        parsed = self.Params.model_validate(indicator.params)
        if len(_PARAMS) > 4096:  # scheme versions come and go: never more than a few thousand kept
            _PARAMS.clear()
        _PARAMS[key] = (indicator, copy.deepcopy(indicator.params), parsed)
        return cast(P, parsed)  # P is the class set as ``Params``

    def check(self, indicator: Indicator) -> str | None:
        """A problem with the indicator's declaration, or None."""
        return None

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        """A problem with a record before it is written (the field and why), or None."""
        return None

    def figure(self, indicator: Indicator, clause: Clause | None) -> str:
        """The figure (count/amount/value) a record under ``clause`` is written with: a clause
        with a range (扣0.5-1分) takes the amount, else the rule's own figure."""
        return "amount" if clause is not None and (clause.min is not None or clause.max is not None) else self.uses

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...] | None:
        """The figures (count/amount/value) this rule reads from a record under ``clause``; any
        other is refused (values.py). None: not declared, nothing is refused."""
        return None

    def score(self, ctx: Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


def missing_outcome(ctx: Context, lead: str = "", months: tuple[int, ...] = (), deducted: float = 0.0,
                    lines: list[Line] | None = None, refs: tuple = ()) -> Outcome:
    """The outcome of an input nobody entered: flagged, and scored as the scheme's stated default
    (``missing_points``) or else 0 — the explanation says which. ``deducted``/``lines``: what the
    entered part already costs (a monthly rule with some months missing)."""
    period = str(ctx.period)
    gap = Gap(ctx.path, period, months)
    p = ctx.indicator.params
    default, reason = p.get("missing_points"), p.get("missing_reason")
    lines = list(lines or [])
    if months:  # a monthly input: entered months are scored, the missing ones cost the default each
        what = f"{lead}未录入（{gap.flag.split(' ', 1)[1]}）"
        per = float(default) if default is not None else 0.0
        cost = per * len(months)
        points = max(0.0, ctx.max - deducted - cost)
        how = (f"按方案缺省每月扣{fmt(per)}分（{reason or '方案规定'}）" if default is not None
               else "方案未规定缺省值，缺月暂不扣分")
        lines.append(Line(-min(cost, ctx.max - deducted) if cost else 0.0, f"{what}：{how}，结果为暂定", None, refs))
    elif default is not None:
        points = float(default)
        lines.append(LazyLine(points - ctx.max, None, refs, _missing_default_text, lead, period, points, reason))
    else:
        points = 0.0
        lines.append(LazyLine(-ctx.max, None, refs, _missing_zero_text, lead, period))
    return Outcome(pts(points), ctx.max, lines, [gap.flag], [gap])


def _missing_default_text(lead: str, period: str, points: float, reason: str | None) -> str:
    return f"{lead}未录入（{period}）：按方案缺省值计{fmt(points)}分（{reason or '方案规定'}），结果为暂定"


def _missing_zero_text(lead: str, period: str) -> str:
    return f"{lead}未录入（{period}）：方案未规定缺省值，暂计0分，结果为暂定"


def superseded_lines(entries: list[Entry], used: Entry | None) -> list[Line]:
    """Lines naming the earlier figures ``used`` replaced (same clause and period): a superseded
    figure stays visible in the explanation."""
    if used is None:
        return []
    uid, clause, period, newer = used.id, used.clause, used.period, _id_key(used.id)  # once, not per entry
    by = f"已被记录{used.ref}替代"
    if isinstance(uid, int):  # a ledger record (the usual case): older means a smaller id
        return [_Superseded(e, by) for e in entries
                if e.clause == clause and e.period == period and not e.derived_from and e.id != uid
                and isinstance(e.id, int) and e.id < uid]
    return [_Superseded(e, by) for e in entries
            if e.id != uid and e.clause == clause and e.period == period and not e.derived_from
            and _id_key(e.id) < newer]


class LazyLine(Line):
    """A line whose text is written when first read, by ``make(*args)`` (the numbers are kept, not
    the words): a big ledger's year makes tens of thousands of lines per scoring and most are never
    shown. Read, it is the same text the rule would have written at once; equal to a ``Line`` with
    the same content."""

    def __init__(self, delta: float, clause: str | None, records: tuple, make: Callable[..., str], *args: Any):
        self.delta, self.clause, self.records, self._make, self._args = delta, clause, records, make, args

    def __getattr__(self, name: str) -> Any:  # only for what is not set yet: the text, once
        if name != "text":
            raise AttributeError(name)
        text = self.text = self._make(*self._args)
        return text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Line):
            return NotImplemented
        return (self.delta, self.text, self.clause, self.records) == (other.delta, other.text, other.clause,
                                                                       other.records)

    __hash__ = None  # type: ignore[assignment]  # as Line's (a mutable dataclass)


class _Superseded(LazyLine):
    """A superseded figure's line (``superseded_lines``): a year makes thousands, so it keeps just
    the record and who replaced it; its text is made when read."""

    def __init__(self, entry: Entry, by: str):  # noqa: D107 — not LazyLine's: less to keep
        self.delta, self.clause, self.records, self._entry, self._by = 0.0, entry.clause, (entry.id,), entry, by

    def __getattr__(self, name: str) -> Any:
        if name != "text":
            raise AttributeError(name)
        e = self._entry
        figure = e.value if e.value is not None else e.count if e.count is not None else e.amount
        text = self.text = f"记录{e.ref}的数值{fmt(figure)}{self._by}（{e.reason}）".replace("（）", "")
        return text


def latest(entries: list[Entry], clause: str | None = None) -> Entry | None:
    """The newest record (a statistic entered again supersedes the earlier one): the latest
    period, then the newest record (a ledger id; derived records after every ledger record)."""
    chosen = entries if clause is None else [e for e in entries if e.clause == clause]
    if len(chosen) < 2:
        return chosen[0] if chosen else None
    for e in chosen:
        if type(e.id) is not int or type(e.period) is not str:
            return max(chosen, key=_newness)
    return max(chosen, key=_PERIOD_ID)  # ledger records: (period, id) orders them as ``_newness`` does


def _newness(e: Entry) -> tuple:
    return (str(e.period), _id_key(e.id))


_PERIOD_ID = operator.itemgetter(7, 0)  # an Entry's (period, id)
assert Entry._fields[7] == "period" and Entry._fields[0] == "id"


def _id_key(value: Any) -> tuple:
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def clamp(x: float, low: float, high: float) -> float:
    return max(low, min(high, x))
