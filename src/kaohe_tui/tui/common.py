"""Small helpers the screens share: a scheme's periods, how a figure is shown, per-scheme state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kaohe_tui.errors import KaoheError
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import fmt
from kaohe_tui.scheme import Scheme, walk

FLAG = "⚑"  # flags are marked, not only coloured (16-colour terminals, colour-blind readers)
WITHDRAWN = "✗"
FIGURES = {"count": "次数", "amount": "分值", "value": "数值"}


def shown(x: float | None) -> str:
    """A figure on a table or a preview: at most two decimals (the documents' points are 0.5, 9.75),
    so a column reads evenly; the explanation screen keeps the exact figure (``fmt``)."""
    if x is None:
        return "—"
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def scheme_periods(scheme: Scheme, store=None) -> list[str]:
    """The periods a screen offers: each declared period, and a year's quarters after it (with
    ``store``: the office's own years too, see scheme_years)."""
    out: list[str] = []
    declared = scheme.periods or [str(dt.date.today().year)]
    if store is not None:
        from kaohe_tui.scheme_years import years_of

        declared = [*declared, *(str(y["year"]) for y in years_of(store, scheme) if y["kind"] == "office")]
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


def clause_text(scheme: Scheme, path: str, clause_id: str | None) -> str:
    """The document's sentence for a clause of the indicator at ``path`` ("" if unknown)."""
    if not clause_id:
        return ""
    for _, tree in scheme.trees():
        for node_path, node in walk(tree):
            if node_path == path:
                clause = node.clause(clause_id)
                if clause:
                    return clause.text
    return ""


def record_line(scheme: Scheme, row: dict) -> str:
    """Everything about one record on one line (the table may be too narrow for its columns)."""
    parts = [f"#{row['id']} {row['period']}" + (f" {row['date']}" if row.get("date") else ""), row["unit"]]
    if figure(row):
        parts.append(figure(row))
    parts += [f"事由：{row['reason']}", row["indicator"]]
    if row.get("clause"):  # last: the document's sentence may be long
        text = clause_text(scheme, row["indicator"], row["clause"])
        parts.append(f"条款 {row['clause']}" + (f"：{text}" if text else ""))
    line = " · ".join(parts)
    if row.get("withdrawn_at"):
        line = f"{WITHDRAWN}已撤回（{row.get('withdrawn_by') or ''} {(row['withdrawn_at'] or '')[:10]}：" \
               f"{row.get('withdrawn_reason') or ''}） " + line
    return line


@dataclass
class SchemeState:
    """What the user last chose for a scheme, kept while the app runs."""

    period: str  # the results' period
    ledger_period: str
    ledger_filter: str = ""
    units_filter: str = ""
    units_year: int | None = None  # the year whose unit list the units view shows (None: the ledger's)
    trend: str = "total"  # or "rank"
    unit: str | None = None  # the unit last highlighted in a view (a plugin's sheet opens on it)
