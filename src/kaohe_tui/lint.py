"""Scheme consistency: declared totals against the sum of their parts, undefined points, unit
data anomalies. Errors fail ``kaohe lint``; warnings are reported."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kaohe_tui import catalog
from kaohe_tui.messages import CADENCES, LINT_LEVELS, t
from kaohe_tui.rules.base import fmt, pts
from kaohe_tui.scheme import Indicator, Scheme, walk


@dataclass
class Finding:
    level: str  # "error" | "warning" | "undefined"
    where: str
    message: str

    def __str__(self) -> str:
        return t("lint_finding", level=LINT_LEVELS.get(self.level, self.level), where=self.where, message=self.message)


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
                label = "" if kind == "any" else t("lint_per_cadence", kind=CADENCES.get(kind, kind))
                findings.append(Finding("error", where,
                                        t("lint_top_level", label=label, declared=fmt(declared), full=fmt(full))))
        for path, node in walk(tree):
            if node.rule_type == "sum" and node.points is not None:
                parts = sum(c.points or 0 for c in node.children if not c.bonus)
                if pts(parts) != pts(node.points):
                    findings.append(Finding("error", f"{where} {path}",
                                            t("lint_children", parts=fmt(parts), declared=fmt(node.points))))
            if node.rule_type == "undefined":
                findings.append(Finding("undefined", f"{where} {path}", t("lint_undefined", points=fmt(node.points))))
            if node.rule_type == "weighted" and node.points is None:
                findings.append(Finding("error", f"{where} {path}", t("lint_weighted")))
        undefined = sum((n.points or 0) - defined_points(n)
                        for n in tree if not n.bonus and n.cadence in ("any", max(kinds)))
        if pts(undefined):
            findings.append(Finding("undefined", where,
                                    t("lint_scheme_undefined", full=fmt(full), defined=fmt(full - undefined),
                                      undefined=fmt(undefined))))
    _units, anomalies = catalog.declared_units(scheme)
    findings += [Finding("warning", a.file, t("lint_anomaly", row=a.row, field=a.field, message=a.message))
                 for a in anomalies]
    findings += text_findings(scheme)
    findings += [Finding("warning", f"{scheme.id} 原文", text) for text in scheme.anomalies]
    return findings


# “十个严禁” in one sentence and “五个严禁” in the next: one rule book named two ways
QUANTIFIED = re.compile(r"“([一二三四五六七八九十两百\d]+)([个项条])([^”]{1,8})”")


def scheme_texts(scheme: Scheme):
    """Every sentence the scheme copies from its document, with where it stands."""
    for category, tree in scheme.trees():
        for path, node in walk(tree):
            for text in (node.text, node.method, *(c.text for c in node.clauses)):
                if text:
                    yield f"{scheme.id}{f' [{category.name}]' if category else ''} {path}", text
    for category in scheme.categories:
        if category.text:
            yield f"{scheme.id} [{category.name}]", category.text


def text_findings(scheme: Scheme) -> list[Finding]:
    """The document's own inconsistencies that its copied words show: a quantified name written
    with two numbers, a full-width ＠ in an address."""
    names: dict[str, dict[str, str]] = {}
    findings = []
    for where, text in scheme_texts(scheme):
        for number, measure, noun in QUANTIFIED.findall(text):
            names.setdefault(noun, {}).setdefault(f"“{number}{measure}{noun}”", where)
        if "＠" in text:
            findings.append(Finding("warning", where, "地址中用了全角＠，照抄不是有效地址"))
    for noun, written in names.items():
        if len(written) > 1:
            places = "；".join(f"{w}（{where}）" for w, where in written.items())
            findings.append(Finding("warning", scheme.id, f"原文对同一规定“{noun}”写了不同的数目：{places}"))
    return findings
