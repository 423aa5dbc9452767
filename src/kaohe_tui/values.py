"""Every value means something: a record's figure must be one its rule reads, in the range the
rule gives it meaning, for a period the indicator is scored in. Called by ``ledger.check_record``
(every door: CLI, import, TUI) after the rule's own ``validate``; each problem is one line naming
the field and the valid choice."""

from __future__ import annotations

from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Entry, RuleType, fmt
from kaohe_tui.scheme import Clause, Indicator, Scheme, walk

FLAGS = {"count": "--count", "amount": "--amount", "value": "--value"}
KIND_WORDS = {"year": "年度", "quarter": "季度", "month": "月份"}


def given(entry: Entry) -> list[str]:
    return [f for f in ("count", "amount", "value") if getattr(entry, f) is not None]


def problem(rule: RuleType, node: Indicator, clause: Clause | None, entry: Entry, period: Period) -> str | None:
    fields = rule.fields_for(node, clause) if hasattr(rule, "fields_for") else None
    if fields is not None:
        unused = [f for f in given(entry) if f not in fields]
        if unused:
            allowed = "、".join(FLAGS[f] for f in fields) or "不填数值（每条记录计一次）"
            return (f"{unused[0]}: {node.name}{f'的条款 {clause.id}' if clause else ''}不使用 {FLAGS[unused[0]]}"
                    f"（可用：{allowed}）")
    if clause is not None and clause.needs_attr and not str(entry.attrs.get(clause.needs_attr, "")).strip():
        return f"attr: 条款 {clause.id} 需写明{clause.needs_attr}（--attr {clause.needs_attr}=…）"
    for f in given(entry):
        if getattr(entry, f) < 0:
            return f"{f}: {fmt(getattr(entry, f))} 为负数；{node.name}的数值不能小于0"
    if getattr(rule, "rate", lambda n: False)(node) and entry.value is not None and entry.value > 100:
        return f"value: {fmt(entry.value)} 不是0—100之间的百分数（{node.name}）"
    if getattr(rule, "whole_items", False) and entry.value is not None and entry.value != int(entry.value):
        return f"value: {fmt(entry.value)} 不是整数；{node.name}按条数计（0、1、2 …）"
    return cadence_problem(node, entry, period)


def cadence_problem(node: Indicator, entry: Entry, period: Period) -> str | None:
    """A record for a period wider than the indicator's cadence counts nowhere (业务考核 is scored
    per quarter: a record for 2018 without a date lies in no quarter)."""
    order = ["month", "quarter", "year"]
    if node.cadence in ("any", "year") or entry.date:
        return None
    if order.index(period.kind) > order.index(node.cadence):
        example = (f"{period.year}Q1—{period.year}Q4" if node.cadence == "quarter"
                   else f"{period.year}-01—{period.year}-12")
        return (f"period: {node.name}按{KIND_WORDS[node.cadence]}计分，"
                f"{period}的记录不计入任何{KIND_WORDS[node.cadence]}；"
                f"期间写{example}（或给出 --date）")
    return None


def category_hint(scheme: Scheme, category: str | None, text: str) -> str | None:
    """Where an indicator the unit's category lacks belongs: the right reason for the refusal."""
    from kaohe_tui.names import norm

    key = norm(text)
    for cat in scheme.categories:
        if category and norm(cat.name) == norm(category):
            continue
        for path, node in walk(cat.indicators):
            if key in {norm(path), norm(node.name), *(norm(a) for a in node.aliases)}:
                return f"{text!r} 是{cat.name}的指标，本单位属{category or '未分类'}（请查 kaohe rules 中该类别的指标）"
    return None
