"""附件3《2018年局目标管理考核计分表》 for one unit, built from the scoring results.

Rows: 考核类别, 考核内容, 标准分值, 自评分, 加（扣）分原因 (the unit's), 考评分, 加（扣）分原因 (the ledger's
explanation); then 重点指标扣分, 现场考核分小计, 特别附加分, 合计分. A row whose self-score and
assessed score differ by ``gap_threshold`` points or more is flagged, so the assessing section
looks at it before signing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kaohe_tui.api import (
    IndicatorResult,
    Period,
    Scheme,
    Scorer,
    Store,
    UnitIndex,
    UnitResult,
    find_result,
    fmt,
    load_units,
    pts,
    scheme_for_period,
)

from .selfscore import BONUS, list_self_scores, sheet_indicators

GAP_THRESHOLD = 1.0  # points; a parameter of score_sheet
COLUMNS = ["考核类别", "考核内容", "标准分值", "自评分", "加（扣）分原因", "考评分", "加（扣）分原因"]  # 附件3's words
SUBTOTAL = "现场考核分小计"
TOTAL = "合计分"


@dataclass
class SheetRow:
    category: str  # 考核类别 (or the label of a closing row)
    content: str  # 考核内容
    standard: float | None  # 标准分值
    self_score: float | None  # 自评分
    self_reason: str  # 加（扣）分原因, the unit's
    assessed: float | None  # 考评分
    assessed_reason: str  # 加（扣）分原因, from the ledger
    gap: bool = False  # self-score and assessed score differ by the threshold or more

    def cells(self) -> list:
        return [self.category, self.content, fmt(self.standard) if self.standard is not None else "",
                fmt(self.self_score) if self.self_score is not None else "", self.self_reason,
                fmt(self.assessed) if self.assessed is not None else "", self.assessed_reason]


@dataclass
class ScoreSheet:
    unit: str  # 被考核科室
    assessed_by: str | None  # 考核扎口科室
    period: str
    rank: int
    rows: list[SheetRow] = field(default_factory=list)
    gap_threshold: float = GAP_THRESHOLD

    @property
    def gaps(self) -> list[SheetRow]:
        return [r for r in self.rows if r.gap]

    def as_dict(self) -> dict:
        return {"unit": self.unit, "assessed_by": self.assessed_by, "period": self.period, "rank": self.rank,
                "gap_threshold": self.gap_threshold, "columns": COLUMNS,
                "rows": [{"category": r.category, "content": r.content, "standard": r.standard,
                          "self_score": r.self_score, "self_reason": r.self_reason, "assessed": r.assessed,
                          "assessed_reason": r.assessed_reason, "gap": r.gap} for r in self.rows]}


def reason_of(node: IndicatorResult) -> str:
    """Every point lost or gained under ``node`` (its parts included), as the sheet's 原因."""
    parts = []
    for line in node.lines:
        if line.delta:
            parts.append(f"{line.text}（{'+' if line.delta > 0 else ''}{fmt(line.delta)}）")
    for child in node.children:
        inner = reason_of(child)
        if inner:
            parts.append(inner)
    return "；".join(parts)



def _gap(self_score: float | None, assessed: float | None, threshold: float) -> bool:
    return self_score is not None and assessed is not None and abs(self_score - assessed) >= threshold


def score_sheet(store: Store, scheme: Scheme, period: str, unit: str, *, gap_threshold: float = GAP_THRESHOLD,
                result: UnitResult | None = None) -> ScoreSheet:
    """The 附件3 sheet of one unit (name or alias) for ``period``.

    ``result``: the unit's scoring result, if the caller has scored already. The units, the rows'
    standards and the scores are the period's own scheme's (an office year's version)."""
    scheme = scheme_for_period(store, scheme, period)
    units = load_units(store, scheme)
    me = UnitIndex(units).resolve(unit)
    if result is None:
        result = Scorer(store, scheme).explain(Period.parse(period), me.name)
    own = {r["indicator"]: r for r in list_self_scores(store, scheme, period, me.name)}
    sheet = ScoreSheet(me.name, me.assessed_by, str(Period.parse(period)), result.rank, gap_threshold=gap_threshold)
    scored = {}
    for row in sheet_indicators(scheme):
        node = find_result(result.indicators, row.path)
        assessed = node.points if node else None
        mine = own.get(row.path)
        self_score = mine["points"] if mine else None
        # an empty 自评分 for 重点指标扣分 or 特别附加分 claims nothing: 0 in the sums
        scored[row.path] = (self_score if self_score is not None or row.standard is not None else 0.0, assessed)
        if row.path == BONUS:
            parts = [v for p, v in scored.items() if p != BONUS]
            sheet.rows.append(_closing(SUBTOTAL, scheme.total, parts, gap_threshold))
        label = row.category if row.content else row.path  # the closing rows have no 考核内容
        sheet.rows.append(SheetRow(label, row.content, row.standard, self_score, mine["reason"] if mine else "",
                                   assessed, reason_of(node) if node else "",
                                   _gap(self_score, assessed, gap_threshold)))
    sheet.rows.append(_closing(TOTAL, None, list(scored.values()), gap_threshold))
    return sheet


def _sum(values: list[float | None]) -> float | None:
    """A sum of a column, or None while any of its cells is still empty."""
    return None if any(v is None for v in values) else pts(sum(values))


def _closing(label: str, standard: float | None, parts: list[tuple], threshold: float) -> SheetRow:
    self_score, assessed = _sum([s for s, _ in parts]), _sum([a for _, a in parts])
    return SheetRow(label, "", standard, self_score, "", assessed, "", _gap(self_score, assessed, threshold))
