"""Plain-text faces of results, trees and explanations for the CLI (rich tables align CJK)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from kaohe_tui import rules
from kaohe_tui.rules.base import fmt
from kaohe_tui.scheme import Indicator, Scheme
from kaohe_tui.scoring import PROVISIONAL_MARK, IndicatorResult, UnitResult, provisional

if TYPE_CHECKING:
    from rich.table import Table
    from rich.tree import Tree


def escape(text: str) -> str:
    # rich is imported only when a table or tree is drawn: ``kaohe score --json`` and the ledger
    # export (clause_line) never load it
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def render(renderable, width: int = 120) -> str:
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=width, no_color=True, highlight=False, emoji=False, soft_wrap=False).print(renderable)
    return buf.getvalue().rstrip("\n")


def table(columns: list[str], rows: list[list], title: str | None = None) -> Table:
    from rich.table import Table

    t = Table(title=escape(title) if title else None, show_lines=False, header_style="bold", expand=False)
    for c in columns:
        t.add_column(escape(c), overflow="fold")
    for row in rows:
        t.add_row(*["" if v is None else escape(str(v)) for v in row])
    return t


def results_table(scheme: Scheme, results: list[UnitResult], period: str) -> Table:
    from kaohe_tui.columns import score_columns

    shown = score_columns(scheme, results, zero_points=True)
    columns = ["排名", "单位", "类别", *[c.title for c in shown], "总分", "标记"]
    rows = []
    for r in results:
        names = {i.name for i in r.indicators}
        rows.append(["—" if r.rank is None else r.rank, r.unit + ("（暂定）" if r.provisional else ""),
                     r.category or "", *[fmt(c.value(r)) if c.name in names else "" for c in shown], fmt(r.total),
                     "；".join(r.flags)])
    mark = f"\n{PROVISIONAL_MARK}" if provisional(results) else ""
    return table(columns, rows, title=f"{scheme.title} · {period}{mark}")


def status_table(scheme: Scheme, result) -> Table:
    """``kaohe status``: what is still missing, flagged or superseded (entered cells are counted)."""
    from kaohe_tui.status import STATES

    shown = [c for c in result.cells if c.state in ("missing", "superseded", "flagged")]
    counts = "，".join(f"{STATES[k]}{v}"
                      for k, v in sorted(result.counts().items(), key=lambda kv: list(STATES).index(kv[0])))
    verdict = "可以签发" if result.complete else "尚有未录入数据：结果为暂定"
    rows = [[c.unit + ("" if c.ranked else "（不排名）"), c.indicator, c.period, STATES[c.state],
             c.months_text, c.records,
             "；".join(f for f in c.flags if c.state != "missing" or f.startswith("未录入"))] for c in shown]
    return table(["单位", "指标", "期间", "状态", "缺月", "记录数", "标记"], rows,
                 title=f"{scheme.title} · {result.period}：{counts}（{verdict}）")


def clause_line(clause) -> str:
    parts = []
    if clause.zero:
        parts.append("不得分")
    if clause.per is not None:
        parts.append(f"每次{fmt(clause.per)}分")
    if clause.steps:
        parts.append("累进" + "/".join(fmt(s) for s in clause.steps))
    if clause.min is not None or clause.max is not None:
        parts.append(f"酌情{fmt(clause.min)}–{fmt(clause.max)}分")
    if clause.points is not None:
        parts.append(f"{fmt(clause.points)}分")
    if clause.weight is not None:
        parts.append(f"权重{fmt(clause.weight)}")
    if clause.double_when:
        parts.append(f"{clause.double_when}×{fmt(clause.factor)}")
    if clause.tracks:
        parts.append("只登记")
    if clause.once:
        parts.append("一次性")
    return f"[{clause.id}] {clause.text}" + (f"  〔{'，'.join(parts)}〕" if parts else "")


def indicator_label(node: Indicator) -> str:
    rule = rules.get(node.rule_type)
    if node.points is not None:
        points = f"{fmt(node.points)}分"
    elif node.bonus or node.rule_type == "bonus":
        points = "不设上限"
    else:
        points = "（未定义）"
    label = f"{node.name}  {points}  〈{node.rule_type}〉"
    if node.cadence != "any":
        label += f"  按{ {'year': '年', 'quarter': '季度', 'month': '月'}[node.cadence]}"
    if node.bonus:
        label += "  加分项"
    if node.responsible:
        label += f"  责任：{'、'.join(node.responsible)}"
    if node.cooperating:
        label += f"  配合：{'、'.join(node.cooperating)}"
    if node.params:
        label += f"  参数：{node.params}"
    if rule and node.rule_type not in ("sum", "per_occurrence"):
        label += f"\n{rule.title}"
    return label


def _add(parent: Tree, label: str) -> Tree:
    return parent.add(escape(label))


def _add_nodes(parent: Tree, nodes: list[Indicator]) -> None:
    for node in nodes:
        branch = _add(parent, indicator_label(node))
        if node.text:
            _add(branch, f"内容：{node.text}")
        if node.method:
            _add(branch, f"办法：{node.method}")
        for clause in node.clauses:
            _add(branch, clause_line(clause))
        _add_nodes(branch, node.children)


def rules_tree(scheme: Scheme) -> Tree:
    from rich.tree import Tree

    root = Tree(escape(f"{scheme.title}（{scheme.id}）满分{fmt(scheme.total)}  来源：{scheme.source}"))
    for category, nodes in scheme.trees():
        if category is None:
            _add_nodes(root, nodes)
    for category in scheme.categories:
        label = f"类别：{category.name}"
        if category.value is not None:
            label += f"  年度分值{fmt(category.value)}"
        if category.total is not None:
            label += f"  满分{fmt(category.total)}"
        branch = _add(root, label)
        if category.text:
            _add(branch, category.text)
        _add_nodes(branch, category.indicators)
        for c in category.consequences:
            _add(branch, f"后果：{c.flag} 〈{c.type} {c.params}〉 {c.text}")
    for c in scheme.consequences:
        _add(root, f"后果：{c.flag} 〈{c.type} {c.params}〉 {c.text}")
    for note in scheme.notes:
        _add(root, f"说明：{note}")
    return root


def rules_json(scheme: Scheme) -> dict:
    def node_json(path: str, node: Indicator) -> dict:
        return {"name": node.name, "path": path, "points": node.points, "rule": node.rule_type,
                "params": node.params, "cadence": node.cadence, "bonus": node.bonus,
                "responsible": node.responsible, "cooperating": node.cooperating, "text": node.text,
                "method": node.method,
                "clauses": [c.model_dump(exclude_none=True, exclude_defaults=True) | {"id": c.id, "text": c.text}
                            for c in node.clauses],
                "children": [node_json(f"{path}/{c.name}", c) for c in node.children]}

    trees = []
    for category, nodes in scheme.trees():
        trees.append({"category": category.name if category else None,
                      "indicators": [node_json(n.name, n) for n in nodes]})
    return {"id": scheme.id, "title": scheme.title, "total": scheme.total, "source": scheme.source,
            "categories": [{"name": c.name, "value": c.value, "total": c.total} for c in scheme.categories],
            "trees": trees, "notes": scheme.notes}


def explain_tree(result: UnitResult, records: dict[int | str, dict], period: str) -> Tree:
    head = f"{result.unit}  {period}  总分{fmt(result.total)}（{result.marks_label}）{result.rank_label}"
    if result.category:
        head += f"  类别：{result.category}"
    from rich.tree import Tree

    root = Tree(escape(head))
    for ind in result.indicators:
        _explain_node(root, ind, records)
    if result.flags:
        _add(root, "标记：" + "；".join(result.flags))
    return root


def _explain_node(parent: Tree, node: IndicatorResult, records: dict[int | str, dict]) -> None:
    label = f"{node.name}  {fmt(node.points)}/{fmt(node.max)}"
    branch = _add(parent, label)
    for line in node.lines:
        delta = f"{'+' if line.delta > 0 else ''}{fmt(line.delta)}" if line.delta else "±0"
        text = f"{delta}  {line.text}"
        if line.clause:
            text += f"  〔条款 {line.clause}〕"
        leaf = _add(branch, text)
        for rid in line.records:
            row = records.get(rid)
            if row is None:
                _add(leaf, f"记录 {rid}")
                continue
            figure = next((f"{k}={fmt(row[k])}" for k in ("count", "amount", "value") if row.get(k) is not None), "")
            label = "派生" if row.get("derived_from") else f"记录#{rid}"
            source = f"（来自 {'、'.join(map(str, row['derived_from']))}）" if row.get("derived_from") else ""
            _add(leaf, " ".join(p for p in (label, row["period"], row.get("date") or "", figure, row["reason"] + source)
                                if p))
    for child in node.children:
        _explain_node(branch, child, records)
