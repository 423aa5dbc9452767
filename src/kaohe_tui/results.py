"""What scoring returns: each unit's result and its tree of indicator results, as plain data.
Its own module so that what keeps results (sign-off snapshots, below the store) needs no scorer."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaohe_tui.rules.base import MISSING, Gap, Line, fmt, pts


@dataclass
class IndicatorResult:
    name: str
    path: str
    points: float | None
    max: float | None
    rule: str
    lines: list[Line] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    children: list[IndicatorResult] = field(default_factory=list)
    bonus: bool = False
    missing: list[Gap] = field(default_factory=list)  # this node's own inputs nobody entered

    def as_dict(self) -> dict:
        return {"name": self.name, "path": self.path, "points": self.points, "max": self.max, "rule": self.rule,
                "lines": [line.as_dict() for line in self.lines], "flags": self.flags,
                "missing": [g.as_dict() for g in self.missing],
                "children": [c.as_dict() for c in self.children]}


def find_result(nodes: list[IndicatorResult], path: str) -> IndicatorResult | None:
    """The node at ``path`` in a result tree (depth first), or None."""
    for node in nodes:
        if node.path == path:
            return node
        found = find_result(node.children, path)
        if found:
            return found
    return None


@dataclass
class UnitResult:
    unit: str
    category: str | None
    total: float
    full_marks: float
    indicators: list[IndicatorResult]
    rank: int | None = 0  # None: takes no part in the ranking (retired, or a sample beside real units)
    flags: list[str] = field(default_factory=list)
    unranked: str | None = None  # why it takes no part

    @property
    def defined_marks(self) -> float:
        """Full marks less the points the document declares but never defines (street-linkage's
        cut-off section): what the total can actually reach."""
        def undefined(nodes: list[IndicatorResult]) -> float:
            return sum((n.max or 0) if n.rule == "undefined" else undefined(n.children) for n in nodes)
        return pts(self.full_marks - undefined(self.indicators))

    @property
    def marks_label(self) -> str:
        defined = self.defined_marks
        return f"满分{fmt(self.full_marks)}" + (f"，其中已定义{fmt(defined)}分" if defined != self.full_marks else "")

    @property
    def rank_label(self) -> str:
        return "不排名" if self.rank is None else f"第{self.rank}名"

    @property
    def provisional(self) -> bool:
        """An input is missing: the figure can still move and must not go out as final."""
        return any(f.startswith(MISSING) for f in self.flags)

    @property
    def missing(self) -> list[str]:
        return [f for f in self.flags if f.startswith(MISSING)]

    def points_by_indicator(self) -> dict[str, float | None]:
        return {r.name: r.points for r in self.indicators}

    def as_json(self) -> dict:
        """The ``kaohe score --json`` contract: every top-level indicator's points as a number (one
        the document leaves undefined counts 0, as in the total, and its flag says so)."""
        points = {name: (0.0 if v is None else v) for name, v in self.points_by_indicator().items()}
        return {"unit": self.unit, "category": self.category, "total": self.total, "rank": self.rank,
                "indicators": points, "flags": self.flags}
