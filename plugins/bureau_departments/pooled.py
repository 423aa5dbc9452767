"""The ``pooled_deductions`` rule type: one indicator whose 计分办法 has several sentences of
different kinds, each deducting from the same points.

信息宣传 (7分) deducts for the 责任宣传计划 (per occurrence), for each month the 信息报送 standard
is missed (附件4, a monthly quota) and under the 政务信息报送规定. The document does not share the
7 points among them, so each part is scored on the whole 7 and the parent loses the sum of the
parts' deductions, down to zero (扣完为止).
"""

from __future__ import annotations

from kaohe_tui.api import Context, Entry, Indicator, Line, Outcome, Params, RuleType, fmt, pts, t


class PooledParams(Params):
    floor: float = 0.0  # 扣完为止


class PooledDeductions(RuleType):
    name = "pooled_deductions"
    title = "合并扣分：各子项按本项分值计扣分，扣分合计从本项分值中扣除，扣完为止"
    Params = PooledParams

    def check(self, indicator: Indicator) -> str | None:
        if indicator.points is None:
            return t("rule_needs_points")
        if not indicator.children:
            return t("rule_pooled_children")
        odd = [c.name for c in indicator.children if c.points != indicator.points]
        if odd:
            return t("rule_pooled_parts", points=fmt(indicator.points), parts="、".join(odd))
        return None

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        # Records belong to a part; a record here would be silently ignored.
        parts = "、".join(c.name for c in indicator.children)
        from kaohe_tui.api import t

        return t("composite_indicator", path=indicator.name, leaves=parts)

    def score(self, ctx: Context) -> Outcome:
        floor = self.params(ctx.indicator).floor
        full = ctx.max
        lost = {name: (o.max or 0.0) - (o.points or 0.0) for name, o in ctx.children.items()}
        deducted = sum(lost.values())
        lines: list[Line] = []  # the parts explain their own deductions
        flags = [f for o in ctx.children.values() for f in o.flags]
        points = full - deducted
        if points < floor:
            parts = " + ".join(f"{n}{fmt(v)}" for n, v in lost.items() if v)
            lines.append(Line(pts(floor - points),
                              f"扣完为止：{parts} = 应扣{fmt(deducted)}分，本项最多扣{fmt(full - floor)}分"))
            points = floor
        return Outcome(pts(points), full, lines, flags)
