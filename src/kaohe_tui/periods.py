"""Periods are written ``2018`` (year), ``2018Q1`` (quarter) and ``2018-03`` (month)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

_FORMS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "month"),
)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # "year" | "quarter" | "month"
    index: int  # quarter 1-4, month 1-12, 0 for a year

    @classmethod
    def parse(cls, text: str) -> Period:
        text = (text or "").strip()
        for pattern, kind in _FORMS:
            m = pattern.match(text)
            if m:
                index = int(m.group(2)) if kind != "year" else 0
                return cls(int(m.group(1)), kind, index)
        raise KaoheError(t("period_format", text=text))

    @classmethod
    def quarter_of(cls, year: int, month: int) -> Period:
        """The quarter month ``month`` (1–12) of ``year`` falls in."""
        return cls(year, "quarter", (month + 2) // 3)

    @classmethod
    def of_date(cls, day: dt.date, kind: str = "month") -> Period:
        """The month, quarter or year ``day`` falls in."""
        if kind == "year":
            return cls(day.year, "year", 0)
        return cls.quarter_of(day.year, day.month) if kind == "quarter" else cls(day.year, "month", day.month)

    @property
    def quarter(self) -> Period | None:
        """The quarter this period lies in (itself for a quarter; None for a year)."""
        return None if self.kind == "year" else Period.quarter_of(self.year, self.first_month)

    def enclosing(self) -> list[Period]:
        """The periods that contain this one, outermost first (a quarter's year; a month's year and quarter)."""
        if self.kind == "year":
            return []
        year = Period(self.year, "year", 0)
        return [year, Period.quarter_of(self.year, self.first_month)] if self.kind == "month" else [year]

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def first_month(self) -> int:
        return {"year": 1, "quarter": 3 * self.index - 2, "month": self.index}[self.kind]

    @property
    def last_month(self) -> int:
        return {"year": 12, "quarter": 3 * self.index, "month": self.index}[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        if self.last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.last_month + 1, 1) - dt.timedelta(days=1)

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies inside this period (a period contains itself)."""
        return (
            other.year == self.year
            and self.first_month <= other.first_month
            and other.last_month <= self.last_month
        )

    def contains_date(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def quarters(self) -> list[Period]:
        """The quarters of this period's year up to and including this period's end."""
        last = Period.quarter_of(self.year, self.last_month).index
        return [Period(self.year, "quarter", q) for q in range(1, last + 1)]

    def months(self) -> list[Period]:
        return [Period(self.year, "month", m) for m in range(self.first_month, self.last_month + 1)]

    def sub_periods(self) -> list[Period]:
        """Every period inside this one, itself included (the keys a ledger query matches)."""
        inner = [self]
        if self.kind == "year":
            inner += [Period(self.year, "quarter", q) for q in range(1, 5)]
        if self.kind != "month":
            inner += self.months()
        return inner


def parse_date(text: str, field: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise KaoheError(t("date_format", field=field, text=text)) from None


def month_runs(months: list[int]) -> str:
    """[1, 2, 3, 7] → "1—3、7": consecutive months written as a range."""
    runs: list[list[int]] = []
    for m in sorted(months):
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return "、".join(f"{r[0]}—{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)
