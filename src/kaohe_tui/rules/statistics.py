"""Scores computed from figures: ratio to an expected count, relative to an average, rank bands
and weighted closure rates (monthly quotas: quota.py).

Figures come in as ``value`` (or ``count``) records; when the same figure is entered twice for a
period, the newer record supersedes the older one, and the explanation says which was used.
"""

from __future__ import annotations

from typing import Literal, TypeGuard

from kaohe_tui.messages import t
from kaohe_tui.periods import month_runs  # noqa: F401 — written here before; the rules' callers import it from here
from kaohe_tui.ranking import competition_ranks
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


def figure_of(entry: Entry) -> float:
    """The number a statistics record carries: its value, else its count, else its amount."""
    if entry.value is not None:
        return float(entry.value)
    if entry.count is not None:
        return float(entry.count)
    return float(entry.amount or 0.0)


def _used(entry: Entry, what: str) -> str:
    return f"{what}{fmt(figure_of(entry))}（记录{entry.ref}，{entry.period}）"


class ZeroParams(Params):
    # What a zero denominator means; a careful office writes down which it chose in the scheme
    # file. "full": nothing was due, so nothing fell short · "zero" · "unset" (the default): the
    # document says nothing, so the rate is flagged as undetermined and counts 0 until it does.
    on_zero: Literal["full", "zero", "unset"] = "unset"


def _zero_outcome(ctx: Context, on_zero: str, why: str, refs: tuple = ()) -> Outcome:
    if on_zero == "unset":
        return Outcome(0.0, ctx.max,
                       [Line(-ctx.max, f"{why}：文件未规定如何计分，暂计0分（方案可用 on_zero 写明）", None, refs)],
                       [f"{ctx.indicator.name}：{why}，文件未规定如何计分"])
    points = ctx.max if on_zero == "full" else 0.0
    return Outcome(pts(points), ctx.max,
                   [Line(points - ctx.max, f"{why}：按方案规定（on_zero = {on_zero}）记{fmt(points)}分", None, refs)])


# -- ratio to an expected count ------------------------------------------------------------
class RatioParams(ZeroParams):
    expected: float | None = None  # a fixed expected count …
    district_total: float | None = None  # … or district total ÷ district units × the unit's own
    district_units: float | None = None
    unit_attr: str | None = None  # the unit attribute holding its share (e.g. 实有工作站)


class RatioToExpected(RuleType[RatioParams]):
    """score = max × actual ÷ expected, never above max (采集数 9 × 实际 ÷ 应采集)."""

    name = "ratio_to_expected"
    title = "与应完成数之比：分值×实际数÷应完成数，封顶"
    Params = RatioParams
    uses = "value"
    one_figure = True

    def check(self, indicator: Indicator) -> str | None:
        p = self.params(indicator)
        if p.expected is None and None in (p.district_total, p.district_units, p.unit_attr):
            return t("rule_statistics_expected")
        return None

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("value", "count")

    def expected(self, ctx: Context) -> tuple[float, str]:
        p = self.params(ctx.indicator)
        override = latest(ctx.records, "expected")
        if override is not None:
            return figure_of(override), f"应完成数{fmt(figure_of(override))}（记录{override.ref}）"
        if p.expected is not None:
            return p.expected, f"应完成数{fmt(p.expected)}"
        # check() refused a declaration without expected that lacks any of the three
        assert p.unit_attr is not None and p.district_total is not None
        share = float(ctx.unit.attrs.get(p.unit_attr) or 0)
        if not p.district_units:
            return 0.0, "全区单位数为0"
        exp = p.district_total / p.district_units * share
        return exp, (f"应完成数 = {fmt(p.district_total)} ÷ {fmt(p.district_units)} × {fmt(share)}"
                     f"（{p.unit_attr}）= {fmt(exp)}")

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        actual_entry = latest([e for e in ctx.records if e.clause in (None, "actual")])
        if actual_entry is None:
            return missing_outcome(ctx, "实际数")
        actual = figure_of(actual_entry)
        exp, how = self.expected(ctx)
        refs = (actual_entry.id,) if actual_entry else ()
        if exp <= 0:
            return _zero_outcome(ctx, p.on_zero, f"{how}，无法计算比率", refs)
        ratio = actual / exp
        points = clamp(ctx.max * ratio, 0, ctx.max)
        text = f"{how}；实际{fmt(actual)}，完成{fmt(ratio * 100)}%：{fmt(ctx.max)}×{fmt(actual)}÷{fmt(exp)}"
        if ctx.max * ratio > ctx.max:
            text += "，封顶"
        return Outcome(pts(points), ctx.max, [Line(points - ctx.max, text, "actual", refs),
                                              *superseded_lines(ctx.records, actual_entry)])


# -- relative to an average ------------------------------------------------------------------
class AverageParams(ZeroParams):
    average: float | None = None  # a fixed base (e.g. the district's 2011 average); else the peers'
    percent: bool = True  # the figure is a rate in per cent (确认率, 办结率): 0–100


class RelativeToAverage(RuleType[AverageParams]):
    """score = max × rate ÷ average rate, never above max (以全区平均确认率为基数)."""

    name = "relative_to_average"
    title = "与平均数之比：分值×本单位÷平均数，封顶"
    Params = AverageParams
    uses = "value"
    one_figure = True

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("value",)

    def rate(self, indicator: Indicator) -> bool:
        return self.params(indicator).percent

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        own = latest(ctx.records)
        refs = (own.id,) if own else ()
        if p.average is not None:
            avg, how = p.average, f"基数{fmt(p.average)}"
        else:
            figures = [figure_of(e) for unit in ctx.peer_units if (e := latest(ctx.peers.get(unit, [])))]
            avg = sum(figures) / len(figures) if figures else 0.0
            how = f"{len(figures)}个单位平均{fmt(avg)}"
        if own is None:
            return missing_outcome(ctx, f"本单位数据（{how}）")
        if avg <= 0:
            return _zero_outcome(ctx, p.on_zero, f"{how}，平均数为0", refs)
        rate = figure_of(own)
        points = clamp(ctx.max * rate / avg, 0, ctx.max)
        text = f"本单位{fmt(rate)}，{how}：{fmt(ctx.max)}×{fmt(rate)}÷{fmt(avg)}" + ("，封顶" if rate > avg else "")
        return Outcome(pts(points), ctx.max,
                       [Line(points - ctx.max, text, None, refs), *superseded_lines(ctx.records, own)])


# -- rank bands --------------------------------------------------------------------------------
class BandParams(Params):
    bands: list[tuple[int, int, float]]  # [from rank, to rank, points]
    base: float = 0.0  # points for having reported anything at all (得基础分)
    # A recorded 0 means "reported, nothing adopted": it earns the base and is ranked (last);
    # only a unit with no record at all is 无信息上报. Off by default: 0 then means nothing reported.
    zero_reported: bool = False


class RankBands(RuleType[BandParams]):
    """Units ranked by a figure; the rank's band gives the points (第1-5名得0.8分 …)."""

    name = "rank_bands"
    title = "按排名分档计分（并列名次取高档）"
    Params = BandParams
    uses = "value"
    one_figure = True

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("value", "count")

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        own = latest(ctx.records)

        def reported(e: Entry | None) -> TypeGuard[Entry]:
            return e is not None and (figure_of(e) > 0 or (p.zero_reported and figure_of(e) == 0))

        if own is None:
            return missing_outcome(ctx, "录用数")
        if not reported(own):
            return Outcome(0.0, ctx.max, [Line(-ctx.max, f"{_used(own, '录用数')}：无信息上报，0分", None, (own.id,))])
        figures = {u: figure_of(e) for u in ctx.peer_units if reported(e := latest(ctx.peers.get(u, [])))}
        figures[ctx.unit.name] = figure_of(own)
        rank = competition_ranks(figures)[ctx.unit.name]
        band = next((b for b in p.bands if b[0] <= rank <= b[1]), None)
        band_points = band[2] if band else 0.0
        points = clamp(p.base + band_points, 0, ctx.max)
        tied = sum(1 for v in figures.values() if v == figure_of(own)) > 1
        band_text = f"第{band[0]}-{band[1]}名得{fmt(band[2])}分" if band else "排名未进入任何分档"
        text = (f"基础分{fmt(p.base)}；{_used(own, '录用数')}，{len(figures)}个单位中排第{rank}名"
                f"{'（并列）' if tied else ''}，{band_text}")
        return Outcome(pts(points), ctx.max,
                       [Line(points - ctx.max, text, None, (own.id,)), *superseded_lines(ctx.records, own)])


def month_of(entry: Entry) -> int | None:
    """The month (1–12) a record belongs to: its date's, else a monthly period's; None for neither."""
    if entry.date and len(entry.date) >= 7:
        return int(entry.date[5:7])
    if len(entry.period) == 7 and entry.period[4] == "-":
        return int(entry.period[5:7])
    return None


# -- weighted closure rate ------------------------------------------------------------------------
class ClosureParams(ZeroParams):
    # 按时结案 : 延期结案 : 超时结案 = 1 : 0.6 : 0.3 (clause ids → weights)
    weights: dict[str, float] = {"on_time": 1.0, "extended": 0.6, "overdue": 0.3}
    due_clause: str = "due"  # 应结案数, if entered; else the sum of the weighted counts
    full_at: float = 1.0  # the rate that earns full marks
    per_point_below: float | None = None  # points lost per percentage point below full_at; else proportional


class WeightedClosureRate(RuleType[ClosureParams]):
    """结案率 = (按时×1 + 延期×0.6 + 超时×0.3) ÷ 应结案数, then scored against ``full_at``."""

    name = "closure_rate"
    title = "加权结案率：按时、延期、超时结案按权重计入"
    Params = ClosureParams
    uses = "count"
    needs_clause = True

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        return ("count",)  # numbers of cases

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        counts = {c: 0.0 for c in [*p.weights, p.due_clause]}
        refs = []
        for entry in ctx.records:
            if entry.clause in counts:
                counts[entry.clause] += figure_of(entry) if entry.count is None else entry.count
                refs.append(entry.id)
        if not refs:
            return missing_outcome(ctx, "结案数")
        closed = sum(counts[c] for c in p.weights)
        due = counts[p.due_clause] or closed
        if due <= 0:
            return _zero_outcome(ctx, p.on_zero, "应结案数为0", tuple(refs))
        weighted = sum(counts[c] * w for c, w in p.weights.items())
        if counts[p.due_clause] and closed > counts[p.due_clause]:
            # 60 closed of 50 due is not 120% (nor full marks): the figures contradict each other
            text = f"结案数{fmt(closed)}多于应结案数{fmt(due)}：数据矛盾，请核对后更正，暂计0分"
            return Outcome(0.0, ctx.max, [Line(-ctx.max, text, None, tuple(refs))],
                           [f"{ctx.indicator.name}：结案数{fmt(closed)}多于应结案数{fmt(due)}"])
        rate = weighted / due
        if rate >= p.full_at:
            points = ctx.max
        elif p.per_point_below is not None:
            points = clamp(ctx.max - (p.full_at - rate) * 100 * p.per_point_below, 0, ctx.max)
        else:
            points = clamp(ctx.max * rate / p.full_at, 0, ctx.max)
        return Outcome(pts(points), ctx.max,
                       [LazyLine(points - ctx.max, None, tuple(refs), _closure_text, p, counts, due, rate, ctx.max)])


def _closure_text(p: ClosureParams, counts: dict[str, float], due: float, rate: float, top: float) -> str:
    formula = " + ".join(f"{fmt(counts[c])}×{fmt(w)}" for c, w in p.weights.items())
    text = f"结案率 = ({formula}) ÷ {fmt(due)} = {fmt(rate * 100)}%"
    if rate >= p.full_at:
        return text + f"，达到{fmt(p.full_at * 100)}%得满分"
    if p.per_point_below is not None:
        return text + f"，低于{fmt(p.full_at * 100)}%每个百分点扣{fmt(p.per_point_below)}分"
    return text + f"，得{fmt(top)}×{fmt(rate * 100)}%÷{fmt(p.full_at * 100)}%"
