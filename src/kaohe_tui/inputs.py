"""One figure per input: a rate or a score entered twice for the same unit, indicator, clause and
period replaces the first only when the user says so (``kaohe record --supersede``, the TUI's
confirmation). The first record stays in the ledger and in the explanation; the newest counts."""

from __future__ import annotations

from kaohe_tui import rules
from kaohe_tui.errors import RecordError
from kaohe_tui.messages import FIELDS, t
from kaohe_tui.rules.base import fmt
from kaohe_tui.scheme import Scheme, resolve_indicator

SQL = ("SELECT id, count, amount, value FROM records WHERE scheme = ? AND unit = ? AND indicator = ? AND period = ? "
       "AND clause IS ? AND withdrawn_at IS NULL ORDER BY id")


class SecondFigure(RecordError):
    """A second figure without ``supersede``: ``question`` is what the TUI asks before replacing."""

    def __init__(self, message: str, question: str):
        super().__init__(message)
        self.question = question


def one_figure(db, scheme: Scheme, unit: str, indicator: str) -> bool:
    """Whether ``indicator`` (a checked path) of ``unit`` takes one figure per period."""
    from kaohe_tui.scheme_years import unit_row_of  # an office year keeps its own units

    category = unit_row_of(db, scheme, unit).get("category")
    node = resolve_indicator(scheme.tree(category), indicator)[1]
    return bool(getattr(rules.get(node.rule_type), "one_figure", False))


def earlier_figures(db, scheme: Scheme, row: dict) -> list[dict]:
    """The active records a new one-figure ``row`` would stand beside ([] for other rules)."""
    if not one_figure(db, scheme, row["unit"], row["indicator"]):
        return []
    return list(db.query(SQL, [scheme.id, row["unit"], row["indicator"], row["period"], row["clause"]]))


def figure_field(row: dict) -> str:
    """The field that holds a row's figure (value, count or amount)."""
    return next((k for k in ("value", "count", "amount") if row.get(k) is not None), "value")


def second_figure(row: dict, earlier: dict, where: str, key: str = "second_figure") -> str:
    return t(key, field=FIELDS[figure_field(row)], unit=row["unit"], indicator=row["indicator"],
             period=row["period"], figure=fmt(earlier[figure_field(earlier)]) if any(
                 earlier.get(k) is not None for k in ("value", "count", "amount")) else "—", where=where)


def check_second_figure(db, scheme: Scheme, row: dict, supersede: bool) -> list[int]:
    """Inside the writing transaction: refuse a second figure unless ``supersede``; refuse
    ``supersede`` with nothing to replace. Returns the ids replaced."""
    earlier = earlier_figures(db, scheme, row)
    if earlier and not supersede:
        where = f"记录#{earlier[-1]['id']}"
        raise SecondFigure(second_figure(row, earlier[-1], where),
                           second_figure(row, earlier[-1], where, key="supersede_question"))
    if supersede and not earlier:
        raise RecordError(t("nothing_to_supersede", unit=row["unit"], indicator=row["indicator"], period=row["period"]))
    return [r["id"] for r in earlier]


def check_import_figures(db, scheme: Scheme, rows: list[dict], numbers: list[int], path,
                         supersede: bool) -> dict[int, list]:
    """Inside an import's transaction: a row that brings a second figure for a one-figure input
    (beside the ledger's or an earlier row's) is refused, naming file, row and field, unless
    ``supersede``; then the newer row counts and the earlier stay visible. Returns each replacing
    row's index → what it replaces (record ids, or ``"row N"`` for an earlier row of the file)."""
    kinds: dict[tuple, bool] = {}
    seen: dict[tuple, tuple[dict, str, int | str]] = {}  # input → its latest figure, where, what it is
    replaced: dict[int, list] = {}
    for offset, (number, row) in enumerate(zip(numbers, rows, strict=False)):
        kind = (row["unit"], row["indicator"])
        if kind not in kinds:
            kinds[kind] = one_figure(db, scheme, *kind)
        if not kinds[kind]:
            continue
        key = (row["unit"], row["indicator"], row["period"], row["clause"])
        if key in seen:
            earlier = [seen[key]]
        else:
            earlier = [(r, f"记录#{r['id']}", r["id"]) for r in
                       db.query(SQL, [scheme.id, row["unit"], row["indicator"], row["period"], row["clause"]])]
        if earlier and not supersede:
            figure, where, _ = earlier[-1]
            raise RecordError(t("second_figure_row", path=path, row=number, message=second_figure(row, figure, where)))
        if earlier:
            replaced[offset] = [what for _, _, what in earlier]
        seen[key] = (row, f"第{number}行", f"row {number}")
    return replaced
