"""Scheme consistency: declared totals against the sum of their parts, undefined points, unit
data anomalies. Errors fail ``kaohe lint``; warnings are reported."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe_tui import catalog
from kaohe_tui.rules.base import fmt, pts
from kaohe_tui.scheme import Indicator, Scheme, walk


@dataclass
class Finding:
    level: str  # "error" | "warning" | "undefined"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


def defined_points(node: Indicator) -> float:
    """Points a node actually defines: undefined leaves count nothing."""
    if node.rule_type == "undefined":
        return 0.0
    if node.children and node.rule_type == "sum":
        return sum(defined_points(c) for c in node.children if not c.bonus)
    return node.points or 0.0


def lint_scheme(scheme: Scheme) -> list[Finding]:
    findings: list[Finding] = []
    for category, tree in scheme.trees():
        where = f"{scheme.id}" + (f" [{category.name}]" if category else "")
        full = scheme.full_marks(category.name if category else None)
        kinds = {n.cadence for n in tree} - {"any"} or {"any"}
        for kind in sorted(kinds):
            scored = [n for n in tree if not n.bonus and n.cadence in ("any", kind)]
            declared = sum(n.points or 0 for n in scored)
            if pts(declared) != pts(full):
                label = "" if kind == "any" else f" scored per {kind}"
                findings.append(Finding("error", where, f"top-level indicators{label} add up to {fmt(declared)}, the scheme declares {fmt(full)}"))
        for path, node in walk(tree):
            if node.rule_type == "sum" and node.points is not None:
                parts = sum(c.points or 0 for c in node.children if not c.bonus)
                if pts(parts) != pts(node.points):
                    findings.append(Finding("error", f"{where} {path}", f"children add up to {fmt(parts)}, declared {fmt(node.points)}"))
            if node.rule_type == "undefined":
                findings.append(Finding("undefined", f"{where} {path}", f"{fmt(node.points)} points declared but not defined by the document"))
            if node.rule_type == "weighted" and node.points is None:
                findings.append(Finding("error", f"{where} {path}", "a weighted composite needs points"))
        undefined = sum((n.points or 0) - defined_points(n) for n in tree if not n.bonus and n.cadence in ("any", max(kinds)))
        if pts(undefined):
            findings.append(Finding("undefined", where,
                                    f"declares {fmt(full)} points, defines {fmt(full - undefined)}: {fmt(undefined)} points not defined"))
    _units, anomalies = catalog.declared_units(scheme)
    findings += [Finding("warning", a.file, f"row {a.row}, {a.field}: {a.message}") for a in anomalies]
    return findings
