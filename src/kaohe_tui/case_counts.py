"""What is counted of each month's cases, per unit (the definitions in ``cases``' docstring).

Kept apart from ``cases`` so that the bulk-import helper process can use it without the store.
"""

from __future__ import annotations

COLUMNS = {  # accepted header names: kaohe's own, then those platforms' exports use
    "case_id": ("case_id", "案件编号", "案卷号", "任务号", "案件号"),
    "unit": ("unit", "责任单位", "单位", "处置单位", "主责单位"),
    "source": ("source", "来源", "案件来源", "问题来源"),
    "reported_at": ("reported_at", "上报时间", "立案时间"),
    "deadline": ("deadline", "处置时限", "应结案时间", "处置截止时间", "截止时间"),
    "closed_at": ("closed_at", "结案时间", "办结时间"),
    "extensions": ("extensions", "延期次数"),
    "failed_checks": ("failed_checks", "核查未通过次数", "返工次数"),
    "satisfaction": ("satisfaction", "回访满意度", "满意度", "回访结果"),
}
REQUIRED = ("case_id", "unit", "reported_at")
SATISFIED = ("满意", "基本满意", "satisfied", "1")

STAT_COLUMNS = ("due", "on_time", "extended", "overdue", "closed", "extensions", "extensions_after_first",
                "failed_checks", "rework", "first_time", "satisfied", "visited")

class MonthlyCounts:
    """The monthly counts of the cases read so far (the same definitions as the module docstring)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], list[int]] = {}

    def add(self, unit: str, reported: str, deadline: str | None, closed: str | None, ext: int, failed: int,
            satisfaction: str | None) -> None:
        counts = self.by_key.get((unit, reported[:7]))
        if counts is None:
            counts = self.by_key[(unit, reported[:7])] = [0] * len(STAT_COLUMNS)
        counts[0] += 1
        if closed is not None:
            counts[4] += 1
            if deadline is not None:
                if closed <= deadline:
                    counts[1 if ext == 0 else 2] += 1
                else:
                    counts[3] += 1
            if failed == 0:
                counts[9] += 1
        counts[5] += ext
        counts[6] += ext - 1 if ext > 1 else 0
        counts[7] += failed
        counts[8] += failed > 0
        if satisfaction:
            counts[11] += 1
            counts[10] += satisfaction in SATISFIED

    def merge(self, unit: str, month: str, figures: list[int]) -> None:
        counts = self.by_key.setdefault((unit, month), [0] * len(STAT_COLUMNS))
        for i, n in enumerate(figures):
            counts[i] += n or 0

    def save(self, conn, scheme_id: str) -> None:
        columns = ", ".join(STAT_COLUMNS)
        updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in STAT_COLUMNS)
        conn.executemany(
            f"INSERT INTO case_month_stats (scheme, unit, month, {columns}) VALUES (?, ?, ?, {', '.join('?' * len(STAT_COLUMNS))}) "
            f"ON CONFLICT (scheme, unit, month) DO UPDATE SET {updates}",
            [(scheme_id, unit, month, *counts) for (unit, month), counts in self.by_key.items()])


def begin_import(conn, scheme: str, file: str, at: str, user: str) -> int:
    """The row that names one import (``case_imports``); its cases carry its id."""
    return conn.execute("INSERT INTO case_imports (scheme, file, at, user) VALUES (?, ?, ?, ?)",
                        [scheme, file, at, user]).lastrowid


def end_import(conn, import_id: int, cases: int) -> None:
    conn.execute("UPDATE case_imports SET cases = ? WHERE id = ?", [cases, import_id])
