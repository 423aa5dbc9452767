"""The results table's content for one scored period: a column per top-level indicator, total,
rank, the category's short name, the consequence flags and a trend over the year's quarters, each
cell a one-line text measured once (``Rows``; kept with the scores until the next write)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from kaohe_tui.columns import score_columns
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.common import FLAG, shown
from kaohe_tui.tui.widgets.tables import Rows
from kaohe_tui.tui.widgets.trend import bars, rank_bars

if TYPE_CHECKING:
    from kaohe_tui.tui.screens.results import Scored


def short_category(scheme: Scheme, name: str | None) -> str:
    """A category's shortest name among its own and its aliases (the full name is in the line
    under the table)."""
    category = scheme.category(name) if name else None
    if category is None:
        return name or ""
    return min([category.name, *category.aliases], key=cell_len)


def results_rows(scheme: Scheme, scored: Scored, trend: str) -> Rows:
    """The table's columns and cells for a scored period in a trend mode (``total`` or ``rank``)."""
    indicators = score_columns(scheme, scored.results)
    categories = any(r.category for r in scored.results)
    # unit and 总分 first and frozen: at 80 columns the indicators scroll, the figure that counts does not
    columns = [("单位", "unit"), ("总分", "total"), ("排名", "rank")]
    if categories:
        columns.append(("类别", "category"))
    columns += [(column.title, f"ind:{column.name}") for column in indicators]
    columns += [("标记", "flags"), ("趋势" + ("名" if trend == "rank" else "分"), "trend")]
    trends = unit_trends(scored, trend)
    rows = []
    for r in scored.results:
        names = {i.name for i in r.indicators}
        style = "bold red" if r.flags else ""
        row = [Text((FLAG if r.flags else "") + r.unit, style=style),
               Text(shown(r.total), style="bold", justify="right"),
               Text("—" if r.rank is None else str(r.rank), style=style, justify="right")]
        if categories:  # its shortest name (镇街, 部门): at 80 columns the indicators need the room
            row.append(Text(short_category(scheme, r.category)))
        row += [Text(shown(c.value(r)) if c.name in names else "", justify="right") for c in indicators]
        row += [Text("；".join(f"{FLAG}{f}" for f in r.flags), style="bold red reverse" if r.flags else ""),
                Text(trends.get(r.unit, ""))]
        rows.append((row, r.unit))
    return Rows.measure(columns, rows)

def unit_trends(scored: Scored, trend: str) -> dict[str, str]:
    """Each unit's bars over the year's quarters: its total, or its rank within its category."""
    by_quarter = scored.by_quarter
    units = [r.unit for r in scored.results]
    if trend == "rank":
        out = {}
        for unit in units:
            ranks, worst = [], 1
            for quarter in scored.quarters:
                mine = by_quarter[quarter].get(unit)
                ranks.append(mine.rank if mine else None)
                if mine:  # ranks are within the unit's category
                    worst = max([worst] + [r.rank for r in by_quarter[quarter].values()
                                           if r.category == mine.category and r.rank is not None])
            out[unit] = rank_bars(ranks, worst)
        return out
    totals = [r.total for q in by_quarter.values() for r in q.values()]
    low, high = (min(totals), max(totals)) if totals else (0, 0)
    return {u: bars([by_quarter[q][u].total if u in by_quarter[q] else None for q in scored.quarters],
                    low, high)
            for u in units}
