"""Two rule types for requirements that cost nothing by themselves but must be visible.

Category 3's work requirements (三类工作要求) are checked month by month and quarter by quarter;
falling short deducts nothing directly — the office weighs the shortfalls once a year and
chooses a deduction of 0.1–0.5 (``range_deduction``). So these rules score the indicator's own
points (0) and turn every shortfall into a flag and an explanation line.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from kaohe_tui.api import (
    Context,
    Entry,
    Indicator,
    KaoheError,
    Line,
    Outcome,
    Params,
    Period,
    RuleType,
    norm,
    parse_date,
    pts,
    t,
)


class Requirement(RuleType):
    """Records of a requirement not met become flags (未参与公众考评 …); tracked clauses are listed."""

    name = "requirement"
    title = "工作要求：登记未达要求的情形，列为标记（本身不扣分，供年度酌情扣分参考）"
    needs_clause = True

    def score(self, ctx: Context) -> Outcome:
        lines: list[Line] = []
        missed: Counter[str] = Counter()
        for entry in ctx.records:
            clause = ctx.clause_of(entry)
            if clause is None:
                continue
            if clause.tracks:
                lines.append(Line(0.0, f"{clause.text} {entry.reason}".rstrip(), clause.id, (entry.id,)))
                continue
            missed[clause.text] += entry.times
            lines.append(Line(0.0, f"未达要求：{clause.text} {entry.reason}".rstrip(), clause.id, (entry.id,)))
        flags = [f"{ctx.indicator.name}：{text}{n}次" for text, n in missed.items()]
        return Outcome(pts(ctx.max), ctx.max, lines, flags)


class ActivityParams(Params):
    per_quarter: int = 1  # 每季度至少组织开展一次
    summary_due_day: int = 5  # 每季度第一个月5日前 (inclusive: the 5th is on time)
    activity_clause: str = "activity"
    summary_clause: str = "summary"
    date_attr: str = "报送日期"  # the summary's submission date (it falls in the next quarter)
    community_attr: str = "挂钩社区"  # the unit attribute naming its paired community
    record_community_attr: str = "社区"  # optional on an activity record: where it took place


def summary_due(quarter: Period, day: int) -> dt.date:
    """The ``day``-th of the first month of the quarter after ``quarter`` (Q4 → next January)."""
    if quarter.index == 4:
        return dt.date(quarter.year + 1, 1, day)
    return dt.date(quarter.year, 3 * quarter.index + 1, day)


def quarter_of(entry: Entry) -> Period | None:
    """The quarter an activity belongs to: its date's, else its month's or quarter's."""
    if entry.date:
        day = dt.date.fromisoformat(entry.date)
        return Period.of_date(day, "quarter")
    period = Period.parse(entry.period)
    if period.kind == "year":
        return None
    return period.quarter


class QuarterlyActivity(RuleType):
    """At least ``per_quarter`` activities a quarter in the paired community, and a summary of the
    quarter submitted by the ``summary_due_day``-th of the next quarter's first month."""

    name = "quarterly_activity"
    title = "按季度：每季度至少开展规定次数的活动，并按期报送上季度活动总结（逾期、缺报列为标记）"
    Params = ActivityParams
    needs_clause = True

    def check(self, indicator: Indicator) -> str | None:
        p = self.params(indicator)
        ids = {c.id for c in indicator.clauses}
        missing = [c for c in (p.activity_clause, p.summary_clause) if c not in ids]
        if missing:
            return t("rule_clauses_undeclared", ids="、".join(missing))
        if not 1 <= p.summary_due_day <= 28:
            return t("rule_due_day")
        return None

    def validate(self, indicator: Indicator, entry: Entry) -> str | None:
        p = self.params(indicator)
        period = Period.parse(entry.period)
        if entry.clause == p.summary_clause:
            if period.kind != "quarter":
                return t("summary_quarter", year=period.year, period=period)
            raw = entry.attrs.get(p.date_attr)
            if not raw:
                return t("summary_needs_date", attr=p.date_attr)
            try:
                day = parse_date(str(raw), p.date_attr)
            except KaoheError as exc:
                return f"属性 {exc}"
            if day < period.start:
                return t("summary_before_quarter", attr=p.date_attr, day=day, period=period)
        elif entry.clause == p.activity_clause and not entry.date and period.kind == "year":
            return t("activity_needs_date")
        return None

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        home = str(ctx.unit.attrs.get(p.community_attr) or "")
        activities = [e for e in ctx.records if e.clause == p.activity_clause]
        summaries = [e for e in ctx.records if e.clause == p.summary_clause]
        quarters = [q for q in ctx.period.quarters() if ctx.period.contains(q)]
        if not quarters:  # a month: list what happened, judge at the quarter
            lines = [Line(0.0, f"志愿活动 {e.date or e.period} {e.reason}".rstrip(), e.clause, (e.id,))
                     for e in activities]
            return Outcome(pts(ctx.max), ctx.max, lines + [Line(0.0, "按季度考核：见所在季度")])
        lines: list[Line] = []
        no_activity, no_summary, late = [], [], []
        for q in quarters:
            mine = [e for e in activities if quarter_of(e) == q]
            elsewhere = [e for e in mine if home and e.attrs.get(p.record_community_attr)
                         and norm(str(e.attrs[p.record_community_attr])) != norm(home)]
            counted = [e for e in mine if e not in elsewhere]
            n = sum(e.times for e in counted)
            ok = n >= p.per_quarter
            lines.append(Line(0.0, f"{q} 在挂钩社区{home}开展志愿活动{n}次（要求至少{p.per_quarter}次）"
                              + ("" if ok else "：未达要求"),
                              p.activity_clause, tuple(e.id for e in counted)))
            if elsewhere:
                places = "、".join(str(e.attrs[p.record_community_attr]) for e in elsewhere)
                lines.append(Line(0.0, f"{q} 有{len(elsewhere)}次活动在{places}，不是挂钩社区，不计", p.activity_clause,
                                  tuple(e.id for e in elsewhere)))
            if not ok:
                no_activity.append(str(q))
            due = summary_due(q, p.summary_due_day)
            submitted = [e for e in summaries if e.period == str(q)]
            if not submitted:
                no_summary.append(str(q))
                lines.append(Line(0.0, f"{q} 未报送活动总结（截止{due}）", p.summary_clause, ()))
                continue
            # the earliest submission decides whether the summary was on time
            first = min(submitted, key=lambda e: str(e.attrs.get(p.date_attr)))
            on = dt.date.fromisoformat(str(first.attrs[p.date_attr]))
            if on > due:
                late.append(f"{q}（{on}报送）")
            lines.append(Line(0.0, f"{q} 活动总结{on}报送，截止{due}：{'按时' if on <= due else '逾期'}",
                              p.summary_clause, (first.id,)))
        flags = []
        name = ctx.indicator.name
        if no_activity:
            flags.append(f"{name}：{'、'.join(no_activity)}未开展活动")
        if no_summary:
            flags.append(f"{name}：{'、'.join(no_summary)}未报送总结")
        if late:
            flags.append(f"{name}：{'、'.join(late)}总结逾期")
        return Outcome(pts(ctx.max), ctx.max, lines, flags)
