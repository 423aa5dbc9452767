"""Deductions from full marks: per occurrence, zeroing triggers, escalating repeats, doubled
deductions, assessor-chosen amounts within a range, and notice ladders.

All of them floor at zero (扣完为止): an indicator never goes below zero and never spills over
into another indicator.
"""

from __future__ import annotations

from kaohe_tui.messages import t
from kaohe_tui.rules.base import Context, Entry, Line, Outcome, Params, RuleType, fmt, pts
from kaohe_tui.scheme import Clause, Indicator

YES = {"1", "是", "true", "yes", "y", "对"}
NO = {"0", "否", "false", "no", "n", "不", ""}


def attr_true(value) -> bool | None:
    """A condition attribute (未安装客户端=1) read as yes/no; None: it says neither (refused
    when recorded — "否" must never double a deduction)."""
    text = str(value).strip().lower()
    return True if text in YES else False if text in NO else None


class PerOccurrenceParams(Params):
    floor: float = 0.0  # 扣完为止


def clause_deduction(clause: Clause, entry: Entry) -> tuple[float, str]:
    """Points one record deducts under its clause, and how that was worked out."""
    n = entry.times
    if clause.steps:
        # n-th repeat costs steps[n-1]; past the end of the list the last step repeats.
        costs = [clause.steps[min(i, len(clause.steps)) - 1] for i in range(1, n + 1)]
        amount = sum(costs)
        how = "+".join(fmt(c) for c in costs) if n <= 6 else f"{n}次累进"
    elif clause.min is not None or clause.max is not None:
        amount = entry.amount or 0.0
        how = f"酌情扣{fmt(amount)}"
    elif clause.per is not None:
        amount = clause.per * n
        how = f"{n}×{fmt(clause.per)}"
    elif clause.points is not None:
        amount = clause.points * n
        how = f"{n}×{fmt(clause.points)}"
    else:
        return 0.0, "不计分"
    if clause.double_when and attr_true(entry.attrs.get(clause.double_when, "")):
        amount *= clause.factor
        how += f"，{clause.double_when}×{fmt(clause.factor)}"
    return pts(amount), how


def range_problem(clause: Clause, entry: Entry) -> str | None:
    """An assessor-chosen amount must be given and lie within the clause's range."""
    if clause.min is None and clause.max is None:
        return None
    low = clause.min if clause.min is not None else 0.0
    high = clause.max if clause.max is not None else float("inf")
    if entry.amount is None:
        return t("amount_needed", clause=clause.text, id=clause.id, low=fmt(low), high=fmt(high))
    if not (low <= entry.amount <= high):
        return t("amount_outside", amount=fmt(entry.amount), clause=clause.text, id=clause.id, low=fmt(low),
                 high=fmt(high))
    return None


class PerOccurrence(RuleType[PerOccurrenceParams]):
    name = "per_occurrence"
    title = "按次扣分，扣完为止（含不得分、累进、加倍、酌情扣分条款）"
    Params = PerOccurrenceParams
    needs_clause = True

    def check(self, indicator: Indicator) -> str | None:
        if indicator.points is None:
            return t("rule_needs_points")
        if not indicator.clauses:
            return t("rule_needs_clause")
        return None

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        clause = indicator.clause(entry.clause or "")
        if clause is None:
            return None  # the caller reports unknown clauses
        if entry.count is not None and entry.count < 0:
            return t("count_negative")
        if (clause.double_when and clause.double_when in entry.attrs
                and attr_true(entry.attrs[clause.double_when]) is None):
            return (f"属性：{clause.double_when}={entry.attrs[clause.double_when]!r} 不是是/否"
                    f"（写 {clause.double_when}=1 表示是，=0 表示否）")
        return range_problem(clause, entry)

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        # an assessor-chosen amount for a range clause; otherwise occurrences (no figure: one)
        if clause is not None and (clause.min is not None or clause.max is not None):
            return ("amount",)
        return ("count",)

    def score(self, ctx: Context) -> Outcome:
        floor = self.params(ctx.indicator).floor
        full = ctx.max
        lines: list[Line] = []
        flags: list[str] = []
        deducted = 0.0
        zeroed_by: list[Entry] = []
        applied_once: set[str] = set()
        for entry in ctx.records:
            clause = ctx.clause_of(entry)
            if clause is None or clause.tracks:
                continue
            if clause.zero:
                zeroed_by.append(entry)
                continue
            if clause.once:
                if clause.id in applied_once:
                    lines.append(Line(0.0, f"{clause.text}（一次性扣分，已扣过）{entry.reason}".rstrip(), clause.id,
                                      (entry.id,)))
                    continue
                applied_once.add(clause.id)
                entry = entry._replace(count=1)
            amount, how = clause_deduction(clause, entry)
            if amount:
                deducted += amount
                lines.append(Line(-amount, f"{clause.text}（{how}）{entry.reason}".rstrip(), clause.id, (entry.id,)))
        if zeroed_by:
            first = ctx.clause_of(zeroed_by[0])
            assert first is not None  # zeroed_by holds records of a zeroing clause
            refs = tuple(e.id for e in zeroed_by)
            lines = [Line(-full, f"不得分：{first.text}", first.id, refs)] + [
                Line(0.0, f"（已不得分，不再扣）{line.text}", line.clause, line.records) for line in lines
            ]
            flags.append(f"{ctx.indicator.name}不得分")
            return Outcome(pts(floor), full, lines, flags)
        points = full - deducted
        if points < floor:
            lines.append(Line(pts(floor - points), f"扣完为止：应扣{fmt(deducted)}分，本项最多扣{fmt(full - floor)}分",
                              None, ()))
            points = floor
        return Outcome(pts(points), full, lines, flags)


class RangeDeduction(PerOccurrence):
    """The assessor chooses the deduction within a range (年度达不到工作要求的，扣除0.1—0.5分不等)."""

    name = "range_deduction"
    title = "酌情扣分：在条款规定的范围内由考核办确定，并记录理由"

    def check(self, indicator: Indicator) -> str | None:
        problem = super().check(indicator)
        if problem:
            return problem
        scored = [c for c in indicator.clauses if not c.tracks]
        if not any(c.min is not None and c.max is not None for c in scored):
            return t("rule_range_clause")
        return None


class LadderParams(Params):
    # [[notices, points deducted]]; a deduction of "all" takes the whole value.
    ladder: list[tuple[int, float | str]]


class NoticeLadder(RuleType[LadderParams]):
    """Notices are counted; the count maps to a deduction (被通报1次扣0.5分，2次全部扣除)."""

    name = "notice_ladder"
    title = "通报阶梯：按被通报次数扣除"
    Params = LadderParams
    needs_clause = True

    def check(self, indicator: Indicator) -> str | None:
        if indicator.points is None:
            return t("rule_needs_points")
        ladder = self.params(indicator).ladder
        counts = [n for n, _ in ladder]
        if counts != sorted(counts) or len(set(counts)) != len(counts):
            return t("rule_ladder_increasing")
        for _, amount in ladder:
            if isinstance(amount, str) and amount != "all":
                return t("rule_ladder_step")
        return None

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("count",)  # how many notices

    def score(self, ctx: Context) -> Outcome:
        ladder = self.params(ctx.indicator).ladder
        notices = [(e, c) for e in ctx.records if (c := ctx.clause_of(e)) is not None and not c.tracks]
        count = sum(e.times for e, _ in notices)
        lines = [
            Line(0.0, f"通报：{c.text}" + (f"（{e.times}次）" if e.times != 1 else "") + f" {e.reason}".rstrip(),
                 e.clause, (e.id,))
            for e, c in notices
        ]
        # records kept for the record (a recurrence before it makes a notice) are shown, never hidden
        lines += [Line(0.0, f"登记：{c.text}（{e.date or e.period}）{e.reason}".rstrip(), e.clause, (e.id,))
                  for e in ctx.records if (c := ctx.clause_of(e)) is not None and c.tracks]
        step = None
        for threshold, amount in ladder:
            if count >= threshold:
                step = (threshold, amount)
        if step is None:
            return Outcome(pts(ctx.max), ctx.max, lines)
        threshold, amount = step
        deduct = ctx.max if amount == "all" else min(float(amount), ctx.max)
        words = "全部扣除" if amount == "all" else f"扣{fmt(deduct)}分"
        refs = tuple(e.id for e, _ in notices)
        lines.append(Line(-deduct, f"被通报{count}次（≥{threshold}次）：{words}", None, refs))
        flags = [f"被通报{count}次"] + (["年度分值全部扣除"] if pts(ctx.max - deduct) == 0 else [])
        return Outcome(pts(ctx.max - deduct), ctx.max, lines, flags)
