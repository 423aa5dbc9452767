"""The monthly quota (附件4 信息报送): items counted per month against each unit's standard — "4"
a month, or "全年不低于5条" for the year. ``tally`` counts a unit's records the one way the rule
and any view of them (the bureau's month grid) count them; ``score`` judges the tally."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Context, Entry, Line, Outcome, Params, RuleType, fmt, missing_outcome, pts
from kaohe_tui.rules.statistics import figure_of, month_of, month_runs
from kaohe_tui.scheme import Clause, Indicator, Unit


class QuotaParams(Params):
    standard_attr: str | None = None  # unit attribute holding its standard: "1" a month, or "全年不低于5条"
    standard: float | None = None  # a monthly standard for every unit without that attribute (至少10条)
    flag_short: bool = False  # raise one flag naming the months below standard (the month shows in results)
    per_month: float = 1.0  # deducted for each month below a monthly standard
    annual_shortfall: float = 1.0  # deducted when an annual minimum is missed
    floor: float = 0.0


_ANNUAL = re.compile(r"全年不[低少]于\s*(\d+(?:\.\d+)?)")


def parse_standard(text: str) -> tuple[str, float] | None:
    """``"4"`` → ("month", 4); ``"全年不低于5条"`` → ("year", 5); anything else → None."""
    text = norm(str(text))
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return "month", float(text)
    m = _ANNUAL.search(text)
    return ("year", float(m.group(1))) if m else None


@dataclass
class QuotaTally:
    """One unit's items in one period, counted as the rule counts them."""

    standard_raw: object  # the unit's attribute as stored (None if it has none)
    standard: tuple[str, float] | None  # ("month", 4) or ("year", 5); None: not assessed
    by_month: dict[int, float]  # every month of the period → items (0 where nothing was entered)
    refs: dict[int, list] = field(default_factory=dict)  # month → its records' ids
    entered: set[int] = field(default_factory=set)  # months with a figure (an explicit 0 included)
    extra: float = 0.0  # 专题 (访谈、解读 …) added to the year's total by their clauses' weight
    extra_refs: list = field(default_factory=list)
    unplaced: float = 0.0  # items recorded for a quarter or the year, with no month to put them in
    unplaced_refs: list = field(default_factory=list)

    @property
    def standard_text(self) -> str:
        return "" if self.standard_raw is None else str(self.standard_raw)

    @property
    def months(self) -> dict[int, float]:
        """The entered months only (a month nobody entered is neither short nor up to standard)."""
        return {m: got for m, got in self.by_month.items() if m in self.entered}

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(m for m in self.by_month if m not in self.entered)

    @property
    def counted(self) -> float:
        return sum(self.by_month.values()) + self.unplaced

    @property
    def short_months(self) -> list[int]:
        """Entered months below a monthly standard."""
        standard = self.standard
        if not standard or standard[0] != "month":
            return []
        return [m for m, got in self.months.items() if got < standard[1]]

    @property
    def short_year_so_far(self) -> bool:
        standard = self.standard
        return standard is not None and standard[0] == "year" and self.counted + self.extra < standard[1]

    @property
    def short_year(self) -> bool:
        """An annual minimum missed, and judged: every month (or a figure for the year) is in."""
        return self.short_year_so_far and (not self.missing or bool(self.unplaced_refs))


class MonthlyQuota(RuleType[QuotaParams]):
    """Items counted per month against the unit's standard; clauses with ``weight`` add extra
    items to the year's total (在线访谈等被区/市/省政府门户网站录用：年度总量+2/+5/+8)."""

    name = "monthly_quota"
    title = "按月定额：每月达标数按单位标准考核，一月未达标扣分"
    Params = QuotaParams
    uses = "value"

    def check(self, indicator: Indicator) -> str | None:
        p = self.params(indicator)
        if p.standard_attr is None and p.standard is None:
            return t("rule_quota_standard")
        return None if indicator.points is not None else "a quota rule needs the indicator's points"

    whole_items = True  # items are counted: 2.5 items means nothing

    def fields_for(self, indicator: Indicator, clause: Clause | None) -> tuple[str, ...]:
        # a feature (访谈/解读 …) is counted by occurrences; items of a month are a figure
        return ("count",) if clause is not None and clause.weight else ("value", "count")

    def tally(self, indicator: Indicator, unit: Unit, period: Period, records: list[Entry]) -> QuotaTally:
        p = self.params(indicator)
        raw = unit.attrs.get(p.standard_attr) if p.standard_attr else None
        standard = parse_standard(raw) if raw not in (None, "") else None
        if standard is None and p.standard is not None:
            standard = ("month", p.standard)
        by_month = {m.index: 0.0 for m in period.months()}
        out = QuotaTally(raw, standard, by_month, {m: [] for m in by_month})
        for entry in records:
            month = month_of(entry)
            clause = indicator.clause(entry.clause) if entry.clause else None
            if clause is not None and clause.weight:
                out.extra += clause.weight * entry.times
                out.extra_refs.append(entry.id)
            # a feature (访谈/解读 …) also counts as one item of its month
            items = entry.times if clause is not None and clause.weight else figure_of(entry)
            if month in by_month:
                by_month[month] += items
                out.refs[month].append(entry.id)
                out.entered.add(month)
            elif month is None:
                out.unplaced += items
                out.unplaced_refs.append(entry.id)
        return out

    def score(self, ctx: Context) -> Outcome:
        p = self.params(ctx.indicator)
        got = self.tally(ctx.indicator, ctx.unit, ctx.period, ctx.records)
        if got.standard is None:
            return Outcome(pts(ctx.max), ctx.max,
                           [Line(0.0, f"本单位无{p.standard_attr}（{got.standard_raw!r}）：不考核", None, ())],
                           [f"{ctx.indicator.name}：无考核标准"])
        kind, target = got.standard
        lines: list[Line] = []
        if got.unplaced_refs and kind == "month":
            lines.append(Line(0.0, f"{fmt(got.unplaced)}条记录未注明月份，不计入任何月份（按月考核请按月录入）", None,
                              tuple(got.unplaced_refs)))
        flags: list[str] = []
        deducted = 0.0
        missing = got.missing
        if kind == "month":
            short = got.short_months
            if p.flag_short and short:
                flags.append(f"{ctx.indicator.name}：{month_runs(short)}月不足{fmt(target)}条")
            for month in short:
                deducted += p.per_month
                lines.append(Line(-p.per_month, f"{month}月报送{fmt(got.by_month[month])}条，标准每月{fmt(target)}条："
                                                f"未达标扣{fmt(p.per_month)}分", None, tuple(got.refs[month])))
        else:
            text = (f"全年{fmt(got.counted)}条" + (f"+专题加{fmt(got.extra)}条" if got.extra else "")
                    + f"，标准全年不低于{fmt(target)}条")
            if got.short_year:
                missing = ()  # an annual figure was entered (or every month was): judged
                deducted += p.annual_shortfall
                lines.append(Line(-p.annual_shortfall, text + f"：未达标扣{fmt(p.annual_shortfall)}分", None,
                                  tuple(r for rs in got.refs.values() for r in rs) + tuple(got.unplaced_refs)))
            elif got.short_year_so_far:
                # months still to come in: the year's minimum is not yet missed
                lines.append(Line(0.0, text + "：尚有月份未录入，暂不判定", None, ()))
            else:
                missing = ()  # an annual minimum already met is met whatever the missing months hold
                lines.append(Line(0.0, text + "：达标", None, ()))
        if missing:
            # a month nobody entered is neither below standard nor up to it: flagged, not deducted
            out = missing_outcome(ctx, "报送数", months=missing, deducted=deducted, lines=lines)
            out.flags[:0] = flags
            return out
        points = max(p.floor, ctx.max - deducted)
        if ctx.max - deducted < p.floor:
            lines.append(Line(pts(p.floor - (ctx.max - deducted)), f"扣完为止：应扣{fmt(deducted)}分", None, ()))
        return Outcome(pts(points), ctx.max, lines, flags)
