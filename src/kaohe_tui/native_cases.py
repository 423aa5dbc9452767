"""The bulk import's SQL over ``kaohe_cases``, the C reader of a case file (native/kaohetime.c).

Why: SQL turning each CSV cell into its stored value (trim, time forms, the answer's class, the
stage's status, the checks) cost ~35k instructions a row, four times reading the row. The C
reader hands SQLite each row already as ``cases`` stores it, or ends the statement at the first
row the careful path might read otherwise (the helper then refuses the file and the careful path
names the row). What is left in SQL per row is the month tally: ``case_classes``' expressions,
the one definition of what each figure counts.

Without a C compiler ``vsv_cases.CaseFileSQL`` reads the file with sqlean's ``vsv`` instead.
"""

from __future__ import annotations

import re

from kaohe_tui.case_classes import LIVE, ROW, STORED, amount

SOURCE = "temp.case_file"
PROGRESS_EVERY = 65536  # rows between progress reports (a power of two: a cheap test in SQL)
# the job's fields: the key the C reads → the job's field (period and closing: chosen per profile)
FIELDS = {"id": "case_id", "unit": "unit", "source": "source", "deadline": "deadline",
          "forced": "force_closed_at", "status": "status", "ext": "extensions", "failed": "failed_checks",
          "sat": "satisfaction"}
LISTS = ("void", "force_closed", "satisfied", "unsatisfied", "not_visited")
STORED_COLUMNS = ("case_id", "unit", "source", "reported_at", "deadline", "closed_at", "extensions",
                  "failed_checks", "satisfaction", "satisfied", "status", "untimed")
RS, US = "\x1e", "\x1f"


def literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


class NativeCaseFile:
    """``job``: as ``case_bulk.bulk_path`` writes it (the file's columns, width, the profile's
    answers and statuses, which times are the period and the closing)."""

    def __init__(self, job: dict):
        self.job = job

    def spec(self, path: str, unique: bool = False, threads: bool = False) -> str | None:
        """The job as the C reads it (``key=value`` items, lists inside by US); None when a value
        holds a separator (no such file name or answer is met: the careful path takes it). ``unique``: the reader
        refuses a case id written twice (for a later export: the table it goes to is not keyed).
        ``threads``: the file is read and checked in a thread of its own, rows ahead of SQLite's
        insert (the same rows, and the same refusal)."""
        job, columns = self.job, self.job["columns"]
        period, closing = job["period_field"], job["closing_field"]
        items = {"path": path, "width": str(int(job["width"])), "untimed": str(int(bool(job["untimed"]))),
                 "unique": str(int(unique)), "threads": str(int(threads))}
        for key, field in {**FIELDS, "period": period, "closing": closing}.items():
            if field in columns:
                items[key] = str(int(columns[field]))
        if period == "filed_at" and "reported_at" in columns:
            items["first"] = str(int(columns["reported_at"]))  # 上报 no later than 立案, as case_rows checks
        for name in LISTS:
            items[name] = US.join(job[name])
        units = [text for pair in job["units"].items() for text in pair]  # normalised name or alias, unit
        items["units"] = US.join(units)
        if any(RS in v or US in v for v in [path, *units, *(x for name in LISTS for x in job[name])]):
            return None
        return RS.join(f"{k}={v}" for k, v in items.items())

    def create(self, path: str, unique: bool = False, threads: bool = False) -> str | None:
        spec = self.spec(path, unique, threads)
        return None if spec is None else f"CREATE VIRTUAL TABLE {SOURCE} USING kaohe_cases({literal(spec)})"

    @staticmethod
    def tallied(live: str = LIVE) -> list[str]:
        """What each row adds to its (unit as written, month): nothing for the careful path to
        read (the reader stops at such a row), the cases counted (a void case counts nowhere),
        then ``case_classes.STORED`` in order (each its SQL there). ``live``: the SQL that says
        a case counts, or its known value (``1``, ``0``) where the caller has tested it."""
        return ["0", f"({live}) IS 1", *(amount(name).replace(LIVE, live) for name in STORED)]

    def insert(self, scheme: str, import_id: int, into: str = "cases") -> str:
        """Every row of the file into ``cases``; the month tally is the work of ``tally``, run at
        the same time on a second connection (another core: it cost a third of the insert).

        A later export (``into``: ``bulk_reimport``'s table) keeps only the rows that are new or
        differ from the stored case (the rest, most of a later export, are not written at all;
        ``bulk_reimport.merge`` compares what is kept once more, after the units are named),
        tallied here by unit and month (checked by the helper) with a count of every row read."""
        columns = ", ".join(STORED_COLUMNS)
        if into == "cases":
            return f"""
INSERT INTO {into} (scheme, {columns}, import_id)
SELECT {literal(scheme)}, {columns}, {int(import_id)}
FROM {SOURCE}
WHERE rowid % {PROGRESS_EVERY} != 0 OR kaohe_progress(rowid)
"""
        mine, stored = (", ".join(f"{side}.{c}" for c in STORED_COLUMNS[1:]) for side in ("f", "c"))
        return f"""
INSERT INTO {into} (scheme, {columns}, import_id)
SELECT {literal(scheme)}, {', '.join(f'f.{c}' for c in STORED_COLUMNS)}, {int(import_id)}
FROM {SOURCE} f LEFT JOIN main.cases c ON c.scheme = {literal(scheme)} AND c.case_id = f.case_id
WHERE kaohe_tally(f.unit, f.month, 0, ({LIVE.replace('status', 'f.status')}) IS 1, 1)
  AND (f.rowid % {PROGRESS_EVERY} != 0 OR kaohe_progress(f.rowid))
  AND (c.case_id IS NULL OR ({mine}) IS NOT ({stored}))
"""

    def tally(self) -> str:
        """Reads the file once more, adding every row to the month tally (``kaohe_tally``, read
        after by ``kaohe_tallied()``). Whether a case counts (``case_classes.LIVE``) is tested
        once a row, and each figure's expression is given its value (a void case adds 0 to each:
        ``amount``), which halves the SQL run per row; so is ``untimed`` (one value a file), and
        the reader's columns are read once a row (a sub-query SQLite does not flatten: ``LIMIT
        -1``). Its connection need not be the insert's: the reader's rows are the same on any
        connection, and stop at the same row."""
        untimed = str(int(bool(self.job["untimed"])))

        def tally(live: str) -> str:
            values = (re.sub(r"\buntimed\b", untimed, value) for value in self.tallied(f"({live})"))
            return f"kaohe_tally(unit, month, {', '.join(values)})"

        read = ", ".join(["month", *(c for c in ROW if c != "untimed")])
        return (f"SELECT count(*) FROM (SELECT {read} FROM {SOURCE} LIMIT -1) "
                f"WHERE CASE WHEN {LIVE} THEN {tally('1')} ELSE {tally('0')} END")

    def month_counts(self) -> str:
        """The same sums by SQL's GROUP BY (the tests hold the tally to it)."""
        sums = ", ".join(f"sum({value})" for value in self.tallied())
        return f"SELECT unit, month, {sums} FROM {SOURCE} GROUP BY 1, 2"
