"""“整改后，问题反复出现的（一个月内3次及以上）”: recurrences recorded one by one become notices.

The office records every recurrence of a rectified problem (a tracked clause, with its date and
``--attr 问题=…``). When the same problem of the same unit recurs ``threshold`` times or more in
one calendar month, that is one notice — derived here, never written to the ledger, and naming
the records it came from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kaohe_tui.api import Entry, norm


@dataclass(frozen=True)
class RecurrenceRule:
    indicator: str = "通报"  # the category-2 indicator (path) holding both clauses
    observed_clause: str = "recurrence-observed"  # one record per recurrence
    notice_clause: str = "recurrence"  # the notice cause (4)
    threshold: int = 3  # 一个月内3次及以上
    # A month with 6 recurrences of one problem: "once" → 1 notice (one notice per problem per
    # month, the office's usual practice); "every" → one notice per full `threshold` (6 → 2).
    per_problem_month: Literal["once", "every"] = "once"
    problem_attr: str = "问题"  # the record attribute naming the problem; else its reason


RECURRENCE = RecurrenceRule()


def month_of(entry: Entry) -> str | None:
    """``YYYY-MM`` of a record: its date, else its period when that is a month."""
    if entry.date:
        return entry.date[:7]
    if len(entry.period) == 7 and entry.period[4] == "-":
        return entry.period
    return None


def problem_of(entry: Entry, rule: RecurrenceRule) -> str:
    return str(entry.attrs.get(rule.problem_attr) or entry.reason).strip()


def derive_notices(entries: Iterable[Entry], rule: RecurrenceRule = RECURRENCE) -> list[Entry]:
    groups: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    already: set[tuple[str, str, str]] = set()  # recurrence notices the office recorded by hand
    undated: set[tuple[str, str]] = set()  # … without a date: the same problem in any month of the period
    for entry in entries:
        if entry.indicator != rule.indicator or entry.derived_from:
            continue
        month = month_of(entry)
        if month is None:
            if entry.clause == rule.notice_clause and entry.attrs.get(rule.problem_attr):
                undated.add((entry.unit, norm(problem_of(entry, rule))))
            continue  # an undated recurrence cannot be placed in a month (the clause asks for --date)
        key = (entry.unit, month, norm(problem_of(entry, rule)))
        if entry.clause == rule.observed_clause:
            groups[key].append(entry)
        elif entry.clause == rule.notice_clause and entry.attrs.get(rule.problem_attr):
            already.add(key)
    derived = []
    for (unit, month, key), seen in sorted(groups.items()):
        times = sum(e.times for e in seen)
        if times < rule.threshold or (unit, month, key) in already or (unit, key) in undated:
            continue
        seen = sorted(seen, key=lambda e: (e.date or "", str(e.id)))
        notices = 1 if rule.per_problem_month == "once" else times // rule.threshold
        problem = problem_of(seen[0], rule)
        refs = "、".join(f"#{e.id}" for e in seen)
        derived.append(Entry(
            id=f"derived:recurrence:{unit}:{month}:{key}",
            unit=unit, indicator=rule.indicator, clause=rule.notice_clause,
            count=notices if notices != 1 else None, period=month, date=seen[-1].date,
            reason=f"同一问题“{problem}”{month}内整改后反复出现{times}次（记录{refs}），自动形成通报",
            attrs={rule.problem_attr: problem}, derived_from=tuple(e.id for e in seen),
        ))
    return derived
