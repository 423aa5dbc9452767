"""The bulk import's SQL over sqlean's ``vsv`` CSV reader: the way a case file goes in where no
C compiler built kaohe's own reader (``native_cases``). Its cells are turned into the stored
values in SQL (kaohe's own time form only), and an ``ok`` flag says where the careful path would
take the row (``bulk_cases`` refuses the file when one is not)."""

from __future__ import annotations

from kaohe_tui.case_classes import LIVE, STORED, amount
from kaohe_tui.native_cases import PROGRESS_EVERY, SOURCE, literal

# The careful path strips every cell of all whitespace (and a case id or an answer of all of it);
# SQLite's trim() removes spaces only (with a set of characters it allocates on every call: 2 s a
# million rows). So the text cells are trimmed of spaces, and a file with any other whitespace in
# them (a tab, a line break, a full-width space U+3000 from Chinese input methods, U+2003 …), or
# a space inside an id, goes the careful way (units are matched by their normalised name, which
# drops all whitespace, so theirs may stay).
ODD_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
EXTRA = 8  # cells read beyond the header's: one not empty sends the file the careful way (which refuses it)
MAX_ID = 200  # as case_import.MAX_ID
MAX_COUNT_DIGITS = 6  # as case_import.MAX_COUNT_DIGITS


def _among(expr: str, values) -> str:
    """``expr IN (values)`` for a text never NULL, as a CASE: SQLite looks a constant IN list up
    in a temporary b-tree, several times the cost of a few comparisons."""
    whens = " ".join(f"WHEN {literal(v)} THEN 1" for v in values)
    return f"(CASE {expr} {whens} ELSE 0 END)" if whens else "0"


class CaseFileSQL:
    """The SQL that reads one case file (``job``: which ``cN`` column holds each field, the
    profile's answers and statuses): two layers of sub-queries, each run once per row (``LIMIT
    -1``: not flattened, so a time is read once however often it is used), give every row its
    stored values and an ``ok`` flag that holds where the careful path would take the row.
    Wholly blank lines are skipped, as the careful path skips them."""

    def __init__(self, job: dict):
        self.width = int(job["width"])
        self.col = {field: f"c{int(index)}" for field, index in job["columns"].items()}
        self.job = job
        blank = " AND ".join(f"trim(coalesce(c{i}, '')) = ''" for i in range(self.width))
        self.keep = f"({self.col['case_id']} > '' OR NOT ({blank}))"  # the cheap test first

    def create(self, path: str) -> str:
        names = ", ".join(f"c{i}" for i in range(self.width + EXTRA))
        return (f"CREATE VIRTUAL TABLE {SOURCE} USING vsv(filename={literal(path)}, header=yes, "
                f"columns={self.width + EXTRA}, validatetext=yes, schema='CREATE TABLE x({names})')")

    def cell(self, field: str) -> str:
        return self.col.get(field, "NULL")  # a column the file does not have reads as empty

    def time(self, field: str, end_of_day: bool = False) -> str:
        """The cell as ``YYYY-MM-DD HH:MM:SS``; NULL when empty or not a time taken here."""
        c = self.cell(field)
        if c == "NULL":
            return "NULL"
        # exactly YYYY-MM-DD HH:MM:SS: datetime() gives back only such text unchanged (it rolls
        # 02-31 over into March); hour 24 it keeps, so that is refused by hand
        return f"CASE WHEN datetime({c}) IS {c} AND substr({c}, 12, 2) != '24' THEN {c} END"

    def valid_count(self, field: str) -> str:
        c = self.cell(field)  # digits only, or empty (0); not so many that SQLite would saturate them
        return f"(coalesce({c}, '') NOT GLOB '*[^0-9]*' AND length(coalesce({c}, '')) <= {MAX_COUNT_DIGITS})"

    def count(self, field: str) -> str:
        """The cell as a count (empty: 0); NULL when it is not one."""
        return f"CASE WHEN {self.valid_count(field)} THEN CAST(coalesce({self.cell(field)}, '') AS INTEGER) END"

    def satisfaction_class(self) -> str:
        """2 satisfied, 1 visited and not satisfied, 0 not visited or blank, -1 an unknown answer."""
        if "satisfaction" not in self.col:
            return "0"
        job = self.job  # the first list an answer is in decides, as in case_counts.satisfaction_class
        whens = [*(f"WHEN {literal(v)} THEN 2" for v in job["satisfied"]),
                 *(f"WHEN {literal(v)} THEN 1" for v in job["unsatisfied"]),
                 *(f"WHEN {literal(v)} THEN 0" for v in ["", *job["not_visited"]])]
        return f"CASE coalesce(trim({self.col['satisfaction']}), '') {' '.join(whens)} ELSE -1 END"

    def stage(self) -> str:
        """The platform's stage as ``case_import._status_text`` reads it (网格中心 writes [作废])."""
        if "status" not in self.col:
            return "''"
        return f"trim(trim(trim(coalesce({self.col['status']}, '')), '[]【】'))"

    def rows(self, checks: bool = True) -> str:
        """``checks`` False: the stored values only, every row ``ok``. Three layers of sub-queries,
        each run once per row (``LIMIT -1``: not flattened): the first reads each cell of the file
        once (every read of a ``vsv`` column copies and validates the text again), the second
        gives the stored values, the third the checks and the values made from them."""
        job = self.job
        period, closing = job["period_field"], job["closing_field"]
        first = "reported_at" if period == "filed_at" and "reported_at" in self.col else None
        cells = [self.cell(f) for f in ("case_id", "source", "satisfaction", "status") if f in self.col]
        joined = " || ".join(f"coalesce({c}, '')" for c in cells)
        odd = f"({joined}) GLOB {literal('*[' + ODD_SPACES + ']*')}"
        extra = " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(self.width, self.width + EXTRA))
        read = ", ".join(sorted(set(self.col.values()), key=lambda c: int(c[1:])))

        def given(field):
            return f"coalesce({self.cell(field)}, '') > ''"

        answer = f"nullif(trim({self.cell('satisfaction')}), '')"
        cells_read = f"""
SELECT rowid AS rid, {read}{f", {extra} AS extra" if checks else ""}
FROM {SOURCE} WHERE {self.keep} LIMIT -1"""
        raw = f"""
SELECT rid, trim({self.col['case_id']}) AS case_id, trim({self.col['unit']}) AS unit,
       nullif(trim({self.cell('source')}), '') AS source,
       {self.time(period)} AS reported, {given(period)} AS reported_given,
       {self.time(first) if first else 'NULL'} AS first, {given(first) if first else '0'} AS first_given,
       {self.time('deadline', True)} AS deadline, {given('deadline')} AS deadline_given,
       {self.time(closing)} AS closed, {given(closing)} AS closed_given,
       {self.time('force_closed_at')} AS forced, {given('force_closed_at')} AS forced_given,
       {self.stage()} AS stage, {self.count('extensions')} AS ext, {self.count('failed_checks')} AS failed,
       {self.satisfaction_class()} AS sat, {answer} AS answer{f", {odd} AS odd, extra" if checks else ""}
FROM ({cells_read}) LIMIT -1"""
        void, forced = _among("stage", job["void"]), _among("stage", job["force_closed"])
        marked = f"(forced IS NOT NULL OR ({forced} AND NOT {void}))"
        ok = (f"NOT odd AND extra AND instr(case_id, ' ') = 0 AND length(case_id) <= {MAX_ID}"
              " AND reported IS NOT NULL AND (deadline IS NOT NULL OR NOT deadline_given)"
              " AND (closed IS NOT NULL OR NOT closed_given) AND (forced IS NOT NULL OR NOT forced_given)"
              " AND (NOT first_given OR (first IS NOT NULL AND reported >= first))"
              " AND (closed_at IS NULL OR closed_at >= reported) AND ext IS NOT NULL AND failed IS NOT NULL"
              " AND sat >= 0")
        return f"""
SELECT *, {ok if checks else 1} AS ok
FROM (SELECT *, CASE WHEN {marked} THEN coalesce(closed, forced) ELSE closed END AS closed_at,
             CASE WHEN {void} THEN 'void' WHEN {marked} THEN 'force_closed' END AS status
      FROM ({raw}) LIMIT -1)"""

    def stored(self, checks: bool = True) -> str:
        """Every row as it will be stored (the columns of ``cases``), with its ``rid`` and ``ok``."""
        return f"""
SELECT rid, case_id, unit, source, reported AS reported_at, deadline, closed_at, coalesce(ext, 0) AS extensions,
       coalesce(failed, 0) AS failed_checks, CASE WHEN sat > 0 THEN answer END AS satisfaction,
       CASE sat WHEN 2 THEN 1 WHEN 1 THEN 0 END AS satisfied, status, {int(bool(self.job['untimed']))} AS untimed, ok
FROM ({self.rows(checks)})"""

    def tallied(self) -> list[str]:
        """What each stored row adds to its (unit as written, month): the rows the careful path
        must read, the cases counted (a void case counts nowhere), then ``case_classes.STORED`` in
        order (each its SQL there)."""
        return ["ok IS NOT 1", f"({LIVE}) IS 1", *(amount(name) for name in STORED)]

    def insert(self, scheme: str, import_id: int, into: str = "cases") -> str:
        """Every row as it is stored (a row the careful path would refuse may be written here:
        ``month_counts``, read beside it, counts it, and the whole import is rolled back).
        ``into``: the table (a later export goes to ``bulk_reimport``'s first)."""
        return f"""
INSERT INTO {into} (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks,
                   satisfaction, satisfied, status, untimed, import_id)
SELECT {literal(scheme)}, case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks,
       satisfaction, satisfied, status, untimed, {int(import_id)}
FROM ({self.stored(checks=False)})
WHERE rid % {PROGRESS_EVERY} != 0 OR kaohe_progress(rid)
"""

    def month_counts(self) -> str:
        """The sums per (unit as written, month) by GROUP BY: the rows the careful path must read,
        the cases counted, ``case_classes.STORED``."""
        sums = ", ".join(f"sum({value})" for value in self.tallied())
        return f"SELECT unit, substr(reported_at, 1, 7), {sums} FROM ({self.stored()}) GROUP BY 1, 2"
