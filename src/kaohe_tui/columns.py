"""The score columns a sheet shows (xlsx, csv, the ``kaohe score`` table, the TUI's results):
one per top-level indicator, by its name, or, where the scheme says ``shown_deducted``, the
points taken off under that title — a column headed 扣分 never shows the points left. The JSON
contract keeps every indicator's points by its name."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe_tui.rules.base import pts
from kaohe_tui.scheme import Scheme
from kaohe_tui.scoring import UnitResult


@dataclass(frozen=True)
class Column:
    name: str  # the indicator
    title: str  # the header
    deducted: bool = False

    def value(self, result: UnitResult) -> float | None:
        node = next((i for i in result.indicators if i.name == self.name), None)
        if node is None or node.points is None:
            return None
        return pts((node.max or 0) - node.points) if self.deducted else node.points


def score_columns(scheme: Scheme | None, results: list[UnitResult], zero_points: bool = False) -> list[Column]:
    """The indicators the results hold, in order; a 0-point requirement (报送问题建议 …) only with
    ``zero_points``: its flags are in 标记, a column of 0s says nothing."""
    titles = {}
    if scheme is not None:
        for _, tree in scheme.trees():
            for node in tree:
                if node.shown_deducted:
                    titles[node.name] = node.shown_deducted
    columns: dict[str, Column] = {}
    for r in results:
        for ind in r.indicators:
            if ind.name not in columns and (zero_points or ind.max != 0):
                title = titles.get(ind.name)
                columns[ind.name] = Column(ind.name, title or ind.name, title is not None)
    return list(columns.values())
