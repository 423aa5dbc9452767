"""Small helpers the screens share: a scheme's periods, how a figure is shown, per-scheme state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kaohe_tui.errors import KaoheError
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import fmt
from kaohe_tui.scheme import Scheme

FLAG = "⚑"  # flags are marked, not only coloured (16-colour terminals, colour-blind readers)
WITHDRAWN = "✗"
FIGURES = {"count": "次数", "amount": "分值", "value": "数值"}


def scheme_periods(scheme: Scheme) -> list[str]:
    """The periods a screen offers: each declared period, and a year's quarters after it."""
    out: list[str] = []
    declared = scheme.periods or [str(dt.date.today().year)]
    for text in declared:
        try:
            period = Period.parse(text)
        except KaoheError:
            continue
        out.append(str(period))
        if period.kind == "year":
            out += [str(Period(period.year, "quarter", q)) for q in range(1, 5)]
    return list(dict.fromkeys(out))


def record_periods(scheme: Scheme) -> list[str]:
    """The periods a record may be written for: years, their quarters and their months."""
    out: list[str] = []
    for text in scheme_periods(scheme):
        period = Period.parse(text)
        out.append(text)
        if period.kind == "quarter":
            out += [str(m) for m in period.months()]
    return list(dict.fromkeys(out))


def figure(row: dict) -> str:
    """A record's count/amount/value, as the CLI shows it."""
    return next((f"{FIGURES[k]}{fmt(row[k])}" for k in ("count", "amount", "value") if row.get(k) is not None), "")


@dataclass
class SchemeState:
    """What the user last chose for a scheme, kept while the app runs."""

    period: str  # the results' period
    ledger_period: str
    ledger_filter: str = ""
    units_filter: str = ""
    trend: str = "total"  # or "rank"
