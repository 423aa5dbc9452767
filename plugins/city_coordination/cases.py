"""The seam for platform case records: case rows → per-unit, per-quarter counts → ledger rows.

Today the office enters each quarter's statistics by hand (``按期结案率`` clauses on_time /
extended / overdue / due, the two rates, ``返工``). Importing the digital platform's case list is a
later step; these functions are what it will call.

How a case is counted (the platform's own export may need mapping onto these fields):
- it belongs to the quarter its ``deadline`` falls in (应结案 in that quarter);
- ``deadline`` is the deadline in force when the case was closed, i.e. after any extension;
- closed on or before the deadline with no extension → 按时结案; with one or more extensions →
  延期结案; closed after the deadline → 超时结案; not closed → counts in 应结案 only;
- 返工 = cases sent back after failing a check at least once (文件：“返工数由未通过核查而发回专业部门
  重新处置的案件数确定” — cases, not failed checks);
- 一次完成率 = closed cases that never failed a check ÷ closed cases;
- 回访满意率 = closed cases whose follow-up answer is in ``SATISFIED`` ÷ closed cases with a
  valid follow-up (an empty answer is no valid follow-up).
Rates are written as percentages rounded to 2 decimals, as a statistics sheet shows them, and
only when their denominator is not zero (the office decides a quarter without cases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kaohe_tui.api import ALL_COLUMNS, NOT_VISITED, SATISFIED, Period  # noqa: E402  (the core's answers and names)

# field → accepted column names (English or Chinese), for rows read from a CSV export: the core's
# (``case_counts``: 处置期限, 处置截止时间, 任务号, 处置部门 …), so the seam reads what ``kaohe import`` reads
FIELDS = {
    "case_id": (*ALL_COLUMNS["case_id"],),
    "unit": (*ALL_COLUMNS["unit"],),
    "reported": ("reported", *ALL_COLUMNS["reported_at"]),
    "deadline": (*ALL_COLUMNS["deadline"],),
    "closed": ("closed", *ALL_COLUMNS["closed_at"]),
    "extensions": (*ALL_COLUMNS["extensions"],),
    "failed_checks": (*ALL_COLUMNS["failed_checks"],),
    "satisfaction": (*ALL_COLUMNS["satisfaction"],),
}


def _answer(raw) -> str | None:
    """The follow-up answer; None when there was no valid visit (blank, 未回访, 联系不上 …)."""
    text = str(raw).strip() if raw is not None else ""
    return None if not text or text in NOT_VISITED else text


@dataclass(frozen=True)
class Case:
    case_id: str
    unit: str
    reported: dt.date
    deadline: dt.date
    closed: dt.date | None = None
    extensions: int = 0
    failed_checks: int = 0
    satisfaction: str | None = None  # 满意 / 基本满意 / 不满意; None: no valid follow-up

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Case:
        def get(field: str):
            for name in FIELDS[field]:
                if name in row and row[name] not in (None, ""):
                    return row[name]
            return None

        def day(value) -> dt.date | None:
            if value is None or isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip()[:10])

        return cls(case_id=str(get("case_id")), unit=str(get("unit")).strip(), reported=day(get("reported")),
                   deadline=day(get("deadline")), closed=day(get("closed")),
                   extensions=int(get("extensions") or 0), failed_checks=int(get("failed_checks") or 0),
                   satisfaction=_answer(get("satisfaction")))

    @property
    def quarter(self) -> str:
        return str(Period.of_date(self.deadline, "quarter"))

    @property
    def outcome(self) -> str | None:
        """on_time / extended / overdue, or None while the case is open."""
        if self.closed is None:
            return None
        if self.closed > self.deadline:
            return "overdue"
        return "extended" if self.extensions > 0 else "on_time"


@dataclass
class QuarterCounts:
    unit: str
    quarter: str
    due: int = 0
    on_time: int = 0
    extended: int = 0
    overdue: int = 0
    rework: int = 0
    first_time: int = 0  # closed without ever failing a check
    visited: int = 0  # closed with a valid follow-up visit
    satisfied: int = 0

    @property
    def closed(self) -> int:
        return self.on_time + self.extended + self.overdue

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.visited, 2) if self.visited else None

    @property
    def first_time_rate(self) -> float | None:
        return round(100 * self.first_time / self.closed, 2) if self.closed else None


def quarter_counts(rows: Iterable[Case | Mapping[str, Any]], satisfied: tuple[str, ...] = SATISFIED
                   ) -> dict[tuple[str, str], QuarterCounts]:
    """Case rows → counts by (unit, quarter), in the order first met."""
    out: dict[tuple[str, str], QuarterCounts] = {}
    for row in rows:
        case = row if isinstance(row, Case) else Case.from_row(row)
        counts = out.setdefault((case.unit, case.quarter), QuarterCounts(case.unit, case.quarter))
        counts.due += 1
        if case.failed_checks > 0:
            counts.rework += 1
        outcome = case.outcome
        if outcome is None:
            continue
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        if case.failed_checks == 0:
            counts.first_time += 1
        if case.satisfaction:
            counts.visited += 1
            counts.satisfied += case.satisfaction in satisfied
    return out


def ledger_rows(counts: Iterable[QuarterCounts], source: str = "数字城管平台案件统计") -> list[dict]:
    """Counts → ledger rows (the ``kaohe record`` / import fields) for either category: the leaf
    names 按期结案率, 回访满意率, 一次完成率 and 返工 are the same in both trees."""
    rows = []
    for c in counts:
        head = f"{source}（{c.quarter}）"
        for clause, n, what in (("on_time", c.on_time, "按时结案"), ("extended", c.extended, "延期结案"),
                                ("overdue", c.overdue, "超时结案"), ("due", c.due, "应结案")):
            rows.append({"unit": c.unit, "indicator": "按期结案率", "clause": clause, "count": n,
                         "period": c.quarter, "reason": f"{head}：{what}{n}件"})
        if c.satisfaction_rate is not None:
            rows.append({"unit": c.unit, "indicator": "回访满意率", "value": c.satisfaction_rate, "period": c.quarter,
                         "reason": f"{head}：有效回访{c.visited}件，满意{c.satisfied}件"})
        if c.first_time_rate is not None:
            rows.append({"unit": c.unit, "indicator": "一次完成率", "value": c.first_time_rate, "period": c.quarter,
                         "reason": f"{head}：结案{c.closed}件，一次完成{c.first_time}件"})
        if c.rework:
            rows.append({"unit": c.unit, "indicator": "返工", "clause": "rework", "count": c.rework,
                         "period": c.quarter, "reason": f"{head}：返工案件{c.rework}件"})
    return rows
