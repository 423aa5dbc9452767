"""Scores built from other scores or entered directly: sums of children, weighted composites,
quarter → year aggregation, directly assessed values, target items, bonuses, and indicators the
document declares but never defines.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from kaohe_tui.messages import t
from kaohe_tui.rules.base import (
    Context,
    Entry,
    LazyLine,
    Line,
    Outcome,
    Params,
    RuleType,
    clamp,
    fmt,
    latest,
    missing_outcome,
    pts,
    superseded_lines,
)
from kaohe_tui.scheme import Clause, Indicator


class SumParams(Params):
    cap: bool = True  # never above the node's own points (bonus children excepted)


class Sum(RuleType[SumParams]):
    """A parent scores the sum of its children (基础管理 70 = 16 indicators)."""

    name = "sum"
    composite = True
    title = "各子项得分之和"
    Params = SumParams

    def check(self, indicator: Indicator) -> str | None:
        return None if indicator.children else "a sum needs children"

    def score(self, ctx: Context) -> Outcome:
        defined = {n: o.points for n, o in ctx.children.items() if o.points is not None}
        missing = [n for n, o in ctx.children.items() if o.points is None]
        bonus_names = {c.name for c in ctx.indicator.children if c.bonus}
        capped_part: float = sum(points for n, points in defined.items() if n not in bonus_names)
        bonus_part = sum(points for n, points in defined.items() if n in bonus_names)
        lines: list[Line] = []  # the children explain themselves; a sum adds only its cap
        flags = [f for o in ctx.children.values() for f in o.flags]
        full = ctx.indicator.points
        if self.params(ctx.indicator).cap and full is not None and capped_part > full:
            lines.append(Line(full - capped_part, f"子项合计{fmt(capped_part)}分，以本项分值{fmt(full)}分封顶"))
            capped_part = full
        if missing and not defined:
            return Outcome(None, full, lines, flags)
        if missing:
            flags.append(f"{ctx.indicator.name}：{'、'.join(missing)}未定义")
        return Outcome(pts(capped_part + bonus_part), full, lines, flags)


class WeightedParams(Params):
    weights: dict[str, float]  # child name → weight (5 : 3 : 2)


class WeightedComposite(RuleType[WeightedParams]):
    """points = max × Σ wᵢ·(childᵢ ÷ child maxᵢ) ÷ Σ wᵢ: children scored on their own scale."""

    name = "weighted"
    composite = True
    title = "加权合成：各子项得分率按权重合成"
    Params = WeightedParams

    def check(self, indicator: Indicator) -> str | None:
        if indicator.points is None:
            return t("rule_needs_points")
        weights = self.params(indicator).weights
        names = {c.name for c in indicator.children}
        unknown = [w for w in weights if w not in names]
        if unknown:
            return t("rule_weights_unknown", names="、".join(unknown))
        if sum(weights.values()) <= 0:
            return t("rule_weights_zero")
        return None

    def score(self, ctx: Context) -> Outcome:
        weights = self.params(ctx.indicator).weights
        total_w = sum(weights.values())
        acc = 0.0
        parts = []
        for name, w in weights.items():
            child = ctx.children.get(name)
            if child is None or child.points is None or not child.max:
                continue
            share = child.points / child.max
            acc += w * share
            parts.append(f"{name}{fmt(child.points)}/{fmt(child.max)}×{fmt(w)}")
        points = ctx.max * acc / total_w
        lines = [Line(0.0, f"加权：{fmt(ctx.max)}×({' + '.join(parts)})÷{fmt(total_w)} = {fmt(points)}")]
        flags = [f for o in ctx.children.values() for f in o.flags]
        return Outcome(pts(points), ctx.max, lines, flags)


class QuarterMeanParams(Params):
    of: list[str] | None = None  # top-level indicators summed per quarter; None: the quarter's total
    weight: float = 1.0  # 年度考核总得分 = 季度平均×50% + …


class QuarterMean(RuleType[QuarterMeanParams]):
    """Year from quarters: weight × the mean of the quarters' scores (季度考核平均得分×50%)."""

    name = "quarter_mean"
    composite = True
    title = "季度平均：各季度得分的平均数乘以权重"
    Params = QuarterMeanParams

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        if ctx.score_period is None:
            return Outcome(0.0, ctx.max, [Line(-ctx.max, "无法取得季度得分")])
        scores = []
        for q in ctx.period.quarters():
            s = ctx.score_period(q, p.of)
            scores.append((q, s if s is not None else 0.0))
        mean = sum(s for _, s in scores) / len(scores) if scores else 0.0
        points = p.weight * mean
        parts = "、".join(f"{q}:{fmt(s)}" for q, s in scores)
        text = f"季度得分 {parts}；平均{fmt(mean)}×{fmt(p.weight)} = {fmt(points)}"
        full = ctx.indicator.points
        gaps = [f for q in ctx.period.quarters() for f in (ctx.period_gaps(q, p.of) if ctx.period_gaps else [])]
        lines = [Line(points - (full or points), text)]
        if gaps:
            lines.append(Line(0.0, f"季度得分为暂定：{len(gaps)}项季度数据未录入（见标记）"))
        return Outcome(pts(points), full, lines, list(dict.fromkeys(gaps)))


class ValueParams(Params):
    scale: float | None = None  # the figure is entered out of `scale` (e.g. 100) and scaled to points
    # Where a figure can come from the office and from platform cases, which wins (both are shown).
    prefer: Literal["office", "cases"] = "office"


class AssessedValue(RuleType[ValueParams]):
    """A score entered directly by the assessor (社会评价, 年度综合考评); newest entry counts."""

    name = "value"
    title = "直接评分：考评人员录入得分（可按满分折算）"
    Params = ValueParams
    uses = "value"
    one_figure = True

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("value",)

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        if entry.value is None:
            return t("value_needed")
        top = self.params(indicator).scale or indicator.points
        if top is not None and not (0 <= entry.value <= top):
            return t("value_outside", value=fmt(entry.value), top=fmt(top))
        return None

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        valued = [e for e in ctx.records if e.value is not None]
        # The office's figure or the one computed from platform cases, as the scheme says (both are
        # shown); where the platform has no visits or no closed cases it computes nothing to rate.
        office = latest([e for e in valued if not e.derived_from])
        computed = latest([e for e in valued if e.derived_from])
        entry = (office or computed) if p.prefer == "office" else (computed or office)
        if entry is None:
            return missing_outcome(ctx, "评分")
        assert entry.value is not None  # chosen among the records with a value
        raw = float(entry.value)
        points = raw / p.scale * ctx.max if p.scale else raw
        points = clamp(points, 0, ctx.max)
        lines: list[Line] = [LazyLine(points - ctx.max, entry.clause, (entry.id,), _value_text, raw, p.scale, ctx.max,
                                      entry.reason)]
        lines += superseded_lines(valued, entry)
        if office and computed:
            other = computed if entry is office else office
            why = "以考核办登记的为准" if entry is office else "以案件统计为准"
            lines.append(Line(0.0, f"另有{'案件统计' if other is computed else '考核办登记'}{fmt(other.value)}"
                                   f"（{other.reason}）：方案规定{why}（params.prefer）", None, (other.id,)))
        return Outcome(pts(points), ctx.max, lines)


def _value_text(raw: float, scale: float | None, top: float, reason: str) -> str:
    how = f"{fmt(raw)}÷{fmt(scale)}×{fmt(top)}" if scale else f"{fmt(raw)}"
    return f"评分{how} {reason}".rstrip()


class TargetParams(Params):
    # A list nobody assessed (no record at all) is missing (未录入): the office records its
    # assessment, even "all done" (a tracked clause). Until then it counts "zero", or "full" (the
    # scheme's stated default, with ``missing_reason``: flagged and provisional all the same);
    # "none": the scheme says no record means every item done.
    unassessed: Literal["zero", "full", "none"] = "zero"


class TargetItems(RuleType[TargetParams]):
    """Target items scored one by one (逐项赋分): an item not completed loses its points, unless
    it is recorded under a clause marked as special circumstances (``points = 0``). A unit with
    no record at all was not assessed: missing, unless ``require_assessment = false``."""

    name = "target_items"
    title = "逐项赋分：未按要求完成的项目不得分（特殊情况除外）"
    Params = TargetParams
    needs_clause = True
    uses = "amount"

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        clause = indicator.clause(entry.clause or "")
        if clause is not None and not clause.tracks and entry.amount is None:
            return t("item_points_needed")
        if entry.amount is not None and entry.amount < 0:
            return t("item_points_negative")
        if entry.amount is not None and indicator.points is not None and entry.amount > indicator.points:
            return t("item_points_over", amount=fmt(entry.amount), name=indicator.name, points=fmt(indicator.points))
        return None

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("amount",)

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        if not ctx.records and p.unassessed != "none":
            if p.unassessed == "full":  # the stated default follows the year's points
                params = {**ctx.indicator.params, "missing_points": ctx.max}
                ctx = replace(ctx, indicator=ctx.indicator.model_copy(update={"params": params}))
            return missing_outcome(ctx, lead="逐项考核")
        lines = []
        lost = 0.0
        for entry in ctx.records:
            clause = ctx.clause_of(entry)
            if clause is None:
                continue
            item = entry.attrs.get("item") or entry.reason
            if clause.tracks:
                held = f"（{fmt(entry.amount)}分，不扣）" if entry.amount is not None else "（不扣分）"
                lines.append(Line(0.0, f"{clause.text}：{item}{held}", clause.id, (entry.id,)))
                continue
            lost += entry.amount or 0.0
            lines.append(Line(-(entry.amount or 0.0), f"{clause.text}：{item}", clause.id, (entry.id,)))
        points = max(0.0, ctx.max - lost)
        if ctx.max - lost < 0:
            lines.append(Line(lost - ctx.max, f"扣完为止：未完成项目合计{fmt(lost)}分"))
        return Outcome(pts(points), ctx.max, lines)


class BonusParams(Params):
    cap: float | None = None  # most points a unit may gain here, if the document limits it


class Bonus(RuleType[BonusParams]):
    """Points added (加分/特别附加分), approved amounts only; may take the total above full marks."""

    name = "bonus"
    title = "加分：经批准的附加分，可使总分超过满分"
    Params = BonusParams
    uses = "amount"

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        clause = indicator.clause(entry.clause or "") if entry.clause else None
        if (clause is None or clause.points is None) and entry.amount is None:
            return t("bonus_needed")
        if entry.amount is not None and entry.amount < 0:
            return t("bonus_negative")
        return None

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("count", "amount") if clause is not None and clause.points is not None else ("amount",)

    def score(self, ctx: Context) -> Outcome:
        cap = self.params(ctx.indicator).cap
        total = 0.0
        lines = []
        for entry in ctx.records:
            clause = ctx.clause_of(entry)
            gain = entry.amount if entry.amount is not None else (clause.points or 0.0) * entry.times if clause else 0.0
            total += gain
            label = clause.text if clause else "加分"
            lines.append(Line(gain, f"{label}：{entry.reason}", entry.clause, (entry.id,)))
        if cap is not None and total > cap:
            lines.append(Line(cap - total, f"加分以{fmt(cap)}分为限"))
            total = cap
        return Outcome(pts(total), None, lines)


class Undefined(RuleType):
    """The document declares the points but stops before saying how they are scored."""

    name = "undefined"
    title = "未定义：文件未给出计分办法（不计分，由 lint 报告）"

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ()  # nothing to score yet: a figure here would mean nothing

    def score(self, ctx: Context) -> Outcome:
        return Outcome(None, ctx.indicator.points,
                       [Line(0.0, f"文件未定义“{ctx.indicator.name}”的计分办法，"
                                  f"本项{fmt(ctx.indicator.points)}分暂不计")],
                       [f"{ctx.indicator.name}未定义"])

