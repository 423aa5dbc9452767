"""One figure per input: a rate or a score entered twice for the same unit, indicator, clause and
period replaces the first only when the user says so (``kaohe record --supersede``, the TUI's
confirmation). The first record stays in the ledger and in the explanation; the newest counts."""

from __future__ import annotations

from kaohe_tui import rules
from kaohe_tui.errors import RecordError
from kaohe_tui.scheme import Scheme, resolve_indicator

SQL = ("SELECT id, count, amount, value FROM records WHERE scheme = ? AND unit = ? AND indicator = ? AND period = ? "
       "AND clause IS ? AND withdrawn_at IS NULL ORDER BY id")


def earlier_figures(db, scheme: Scheme, row: dict) -> list[dict]:
    """The active records a new one-figure ``row`` would stand beside ([] for other rules)."""
    category = next(db.query("SELECT category FROM units WHERE scheme = ? AND name = ?", [scheme.id, row["unit"]]),
                    {}).get("category")
    node = resolve_indicator(scheme.tree(category), row["indicator"])[1]
    if not getattr(rules.get(node.rule_type), "one_figure", False):
        return []
    return list(db.query(SQL, [scheme.id, row["unit"], row["indicator"], row["period"], row["clause"]]))


def check_second_figure(db, scheme: Scheme, row: dict, supersede: bool) -> list[int]:
    """Inside the writing transaction: refuse a second figure unless ``supersede``; refuse
    ``supersede`` with nothing to replace. Returns the ids replaced."""
    earlier = earlier_figures(db, scheme, row)
    if earlier and not supersede:
        last = earlier[-1]
        figure = next(last[k] for k in ("value", "count", "amount") if last[k] is not None) if any(
            last[k] is not None for k in ("value", "count", "amount")) else "—"
        raise RecordError(f"{row['unit']} 的 {row['indicator']} {row['period']} 已有数值{figure}（记录#{last['id']}）；"
                          "要以新数值替换它请加 --supersede（原记录保留在台账和说明中）")
    if supersede and not earlier:
        raise RecordError(f"--supersede：{row['unit']} 的 {row['indicator']} {row['period']} 没有可替换的数值")
    return [r["id"] for r in earlier]
