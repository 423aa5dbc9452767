"""What is counted of each month's cases, per unit (the definitions in ``cases``' docstring).

Kept apart from ``cases`` so that the bulk-import helper process can use it without the store.
"""

from __future__ import annotations

COLUMNS = {  # accepted header names: kaohe's own, then those platforms' exports use (the first found wins)
    "case_id": ("case_id", "案件编号", "案卷号", "任务号", "案件号", "工单编号", "工单号", "留言编号", "案卷编号"),
    "unit": ("unit", "责任单位", "单位", "处置单位", "主责单位", "处置部门", "承办单位", "责任部门", "街道", "所属街道"),
    "source": ("source", "来源", "案件来源", "问题来源"),
    "reported_at": ("reported_at", "上报时间", "推送时间", "派单时间", "受理时间", "留言时间"),
    "deadline": ("deadline", "处置时限", "处置期限", "应结案时间", "处置截止时间", "截止时间", "办理时限", "办结时限"),
    "closed_at": ("closed_at", "结案时间", "办结时间", "答复时间"),
    "extensions": ("extensions", "延期次数"),
    "failed_checks": ("failed_checks", "核查未通过次数", "返工次数"),
    "satisfaction": ("satisfaction", "回访满意度", "满意度", "回访结果", "满意度评价", "回访评价"),
}
# Fields only the careful path reads (a file that has them is read row by row): the 立案 time (the
# case's period when given), the end of disposal, a forced closure, the platform's stage.
MORE_COLUMNS = {
    "filed_at": ("filed_at", "立案时间"),
    "disposed_at": ("disposed_at", "处置结束时间", "处置完成时间"),
    "force_closed_at": ("force_closed_at", "强制结案时间"),
    "status": ("status", "当前阶段名称", "当前阶段", "案件阶段名称", "案件状态", "工单状态"),
}
ALL_COLUMNS = {**COLUMNS, **MORE_COLUMNS}
REQUIRED = ("case_id", "unit", "reported_at")  # reported_at: or filed_at
# Satisfaction answers (a profile may add its own): satisfied, visited but not satisfied, not visited.
SATISFIED = ("满意", "非常满意", "基本满意", "比较满意", "satisfied", "1")
UNSATISFIED = ("不满意", "非常不满意", "一般", "不太满意", "unsatisfied", "dissatisfied", "0")
NOT_VISITED = ("未回访", "联系不上", "无法联系", "未联系上", "拒绝回访", "无需回访")
VOID = ("作废", "已作废", "无效", "无效案件")  # platform stages of a void case: counted nowhere
FORCE_CLOSED = ("强制结案", "强结")

STAT_COLUMNS = ("due", "on_time", "extended", "overdue", "closed", "extensions", "extensions_after_first",
                "failed_checks", "rework", "first_time", "satisfied", "visited", "untimed")
# the figures a case without a deadline cannot be counted in (its file had no deadline column)
DEADLINE_STATS = ("due", "on_time", "extended", "overdue", "red_light", "closure_rate")


class MonthlyCounts:
    """The monthly counts of the cases read so far (the same definitions as the module docstring)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], list[int]] = {}

    def add(self, unit: str, reported: str, deadline: str | None, closed: str | None, ext: int, failed: int,
            satisfied: int | None, status: str | None = None, untimed: bool = False, sign: int = 1) -> None:
        """One case (``sign`` −1: take it out again, when a later export changes it). ``satisfied``:
        1/0, None when not visited; a void case counts nowhere; an ``untimed`` one (its file had no
        deadline column) counts in ``untimed`` instead of the figures a deadline decides."""
        if status == "void":
            return
        counts = self.by_key.get((unit, reported[:7]))
        if counts is None:
            counts = self.by_key[(unit, reported[:7])] = [0] * len(STAT_COLUMNS)
        if untimed:
            counts[12] += sign
        else:
            counts[0] += sign
        if closed is not None:
            counts[4] += sign
            if deadline is not None and not untimed:
                if closed <= deadline:
                    counts[1 if ext == 0 else 2] += sign
                else:
                    counts[3] += sign
            if failed == 0:
                counts[9] += sign
        counts[5] += sign * ext
        counts[6] += sign * (ext - 1 if ext > 1 else 0)
        counts[7] += sign * failed
        counts[8] += sign * (failed > 0)
        if satisfied is not None:
            counts[11] += sign
            counts[10] += sign * satisfied

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
        if any(n < 0 for counts in self.by_key.values() for n in counts):
            # cases taken out (an update moved them, an import was withdrawn): a unit-month left
            # with no case is no platform data, not a month of zeros
            empty = " AND ".join(f"coalesce({c}, 0) = 0" for c in STAT_COLUMNS)
            conn.executemany(f"DELETE FROM case_month_stats WHERE scheme = ? AND unit = ? AND month = ? AND {empty}",
                             [(scheme_id, unit, month) for unit, month in self.by_key])


def begin_import(conn, scheme: str, file: str, at: str, user: str) -> int:
    """The row that names one import (``case_imports``); its cases carry its id."""
    return conn.execute("INSERT INTO case_imports (scheme, file, at, user) VALUES (?, ?, ?, ?)",
                        [scheme, file, at, user]).lastrowid


def end_import(conn, import_id: int, cases: int) -> None:
    conn.execute("UPDATE case_imports SET cases = ? WHERE id = ?", [cases, import_id])


def satisfaction_class(value: str, satisfied=SATISFIED, unsatisfied=UNSATISFIED, not_visited=NOT_VISITED) -> int | None:
    """1 satisfied, 0 visited and not satisfied, None not visited (blank too); ValueError: unknown."""
    if not value or value in not_visited:
        return None
    if value in satisfied:
        return 1
    if value in unsatisfied:
        return 0
    raise ValueError(value)
