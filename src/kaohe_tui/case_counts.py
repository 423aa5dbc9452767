"""The monthly counts of cases kept per unit (what each counts: ``case_classes``), the columns a
case file may have, and the answers and statuses platforms write.

Kept apart from ``cases`` so that the bulk-import helper process can use it without the store.
"""

from __future__ import annotations

from kaohe_tui.case_classes import ROW, STORED, month_sums

COLUMNS = {  # accepted header names: kaohe's own, then those platforms' exports use (the first found wins)
    "case_id": ("case_id", "案件编号", "案卷号", "任务号", "案件号", "工单编号", "工单号", "留言编号", "案卷编号"),
    "unit": ("unit", "责任单位", "单位", "处置单位", "主责单位", "处置部门", "承办单位", "责任部门", "街道",
             "所属街道"),
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

# a case as both import paths store it (the columns of ``cases`` but the scheme and the import)
CASE_FIELDS = ("case_id", "unit", "source", "reported_at", "deadline", "closed_at", "extensions", "failed_checks",
               "satisfaction", "satisfied", "status", "untimed")
STAT_COLUMNS = STORED  # the columns of case_month_stats (what each counts: ``case_classes``)


def apply_changes(conn, scheme_id: str, source: str, params=(), sign: str = "sign") -> None:
    """Add to ``case_month_stats`` the counts of the rows ``source`` selects (case rows with a
    ``sign`` column: +1 a case put in, −1 one taken out), inside the caller's transaction."""
    _delta_table(conn)
    conn.execute(f"INSERT INTO temp.month_delta {month_sums(source, sign)}", params)
    _merge(conn, scheme_id)


def add_counts(conn, scheme_id: str, rows) -> None:
    """Add counts already made (``(unit, month, *STAT_COLUMNS)``: the bulk helper's, from the file)."""
    _delta_table(conn)
    conn.executemany(f"INSERT INTO temp.month_delta VALUES ({', '.join('?' * (len(STAT_COLUMNS) + 2))})", rows)
    _merge(conn, scheme_id)


def _delta_table(conn) -> None:
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS month_delta (unit TEXT, month TEXT, {', '.join(STAT_COLUMNS)})")
    conn.execute("DELETE FROM temp.month_delta")


def _merge(conn, scheme_id: str) -> None:
    columns = ", ".join(STAT_COLUMNS)
    updates = ", ".join(f"{c} = coalesce({c}, 0) + excluded.{c}" for c in STAT_COLUMNS)
    conn.execute(f"INSERT INTO case_month_stats (scheme, unit, month, {columns}) "
                 f"SELECT ?, unit, month, {columns} FROM temp.month_delta WHERE true "
                 f"ON CONFLICT (scheme, unit, month) DO UPDATE SET {updates}", [scheme_id])
    # a unit-month left with no case counted (cases taken out, or void ones only) is no platform
    # data, not a month of zeros
    empty = " AND ".join(f"coalesce({c}, 0) = 0" for c in STAT_COLUMNS)
    conn.execute(f"DELETE FROM case_month_stats WHERE scheme = ? AND {empty} "
                 "AND (unit, month) IN (SELECT unit, month FROM temp.month_delta)", [scheme_id])
    conn.execute("DELETE FROM temp.month_delta")


class CountChanges:
    """The cases an import puts in (+1) and takes out (−1: the earlier state of a case a later
    export changes), gathered in a temporary table; ``save`` adds their counts."""

    def __init__(self, conn) -> None:
        self.conn = conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS case_changes (sign INTEGER, {', '.join(ROW)})")
        conn.execute("DELETE FROM temp.case_changes")

    def add(self, rows: list[tuple]) -> None:
        """``rows``: ``(sign, *ROW)``."""
        self.conn.executemany(f"INSERT INTO temp.case_changes VALUES ({', '.join('?' * (len(ROW) + 1))})", rows)

    def save(self, scheme_id: str) -> None:
        apply_changes(self.conn, scheme_id, "SELECT * FROM temp.case_changes")
        self.conn.execute("DELETE FROM temp.case_changes")


def update_audit(before: tuple, after: tuple, import_id: int) -> tuple[dict, dict]:
    """The audit's old and new of a case a later export changes (``CASE_FIELDS`` tuples): the
    fields that changed, each side named by the case's id."""
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    return ({"case_id": after[0], **{CASE_FIELDS[i]: before[i] for i in changed}},
            {"case_id": after[0], **{CASE_FIELDS[i]: after[i] for i in changed}, "import": import_id})


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
