"""What every figure of a period's platform cases counts, defined once.

Each statistic is one SQL expression over a row of ``cases`` (its columns ``unit``,
``reported_at``, ``deadline``, ``closed_at``, ``extensions``, ``failed_checks``, ``satisfied``
1/0/NULL, ``status``, ``untimed``). Everything else is made from this table:

- the monthly counts kept per unit (``case_month_stats``): ``month_sums`` over any rows shaped
  like cases — the import's new and changed cases, a withdrawn import's, the bulk helper's file;
- the list of the cases behind a figure (``kaohe cases --counted``, the TUI's case list):
  ``where``;
- the class each listed case is shown in (按时结案, 超时未结 …): ``status_sql``.

A case belongs to the month it was reported in (立案); a void case (作废) counts in nothing
but ``void``. The module imports nothing of kaohe: the bulk helper process uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

LIVE = "status IS NOT 'void'"  # a void case counts nowhere
OPEN_LATE = "closed_at IS NULL AND deadline < :until"  # still open past its deadline when the period ends
# the columns of a case row the expressions read (and a row given to ``month_sums`` carries)
ROW = ("unit", "reported_at", "deadline", "closed_at", "extensions", "failed_checks", "satisfied", "status", "untimed")


@dataclass(frozen=True)
class CaseClass:
    name: str
    label: str  # as an explanation and a case list name it
    sql: str  # over one case row: whether it counts (a sum: the amount it adds)
    doc: str
    sums: bool = False  # adds up an amount per case (延期 3次) instead of counting cases
    stored: bool = True  # kept per unit and month in ``case_month_stats`` (False: worked out per period)
    deadline: bool = False  # decided by deadlines: not scored from a file without a deadline column


_OVERDUE = "untimed = 0 AND closed_at > deadline"
CLASSES = (
    CaseClass("due", "应结案", "untimed = 0", "every case of the period (its file had a deadline column)",
              deadline=True),
    CaseClass("on_time", "按时结案", "untimed = 0 AND closed_at <= deadline AND extensions = 0",
              "closed by its deadline without an extension", deadline=True),
    CaseClass("extended", "延期结案", "untimed = 0 AND closed_at <= deadline AND extensions > 0",
              "closed by its (extended) deadline after one or more extensions", deadline=True),
    CaseClass("overdue", "超时结案", _OVERDUE, "closed after its deadline", deadline=True),
    CaseClass("red_light", "超时（红灯）", f"({_OVERDUE}) OR ({OPEN_LATE})",
              "closed late, or still open past its deadline when the period ends", stored=False, deadline=True),
    CaseClass("closed", "已结案", "closed_at IS NOT NULL", "closed (with or without a deadline)"),
    CaseClass("extensions", "延期", "extensions", "every extension, summed over the cases", sums=True),
    CaseClass("extensions_after_first", "首次以后的延期", "max(extensions - 1, 0)",
              "extensions beyond a case's first (以后每申请延期一次), summed", sums=True),
    CaseClass("failed_checks", "核查未通过", "failed_checks", "every failed check, summed over the cases", sums=True),
    CaseClass("rework", "返工", "failed_checks > 0", "cases with at least one failed check"),
    CaseClass("first_time", "一次完成", "closed_at IS NOT NULL AND failed_checks = 0",
              "closed cases with no failed check"),
    CaseClass("satisfied", "满意", "satisfied = 1", "visited and satisfied"),
    CaseClass("visited", "回访", "satisfied IS NOT NULL", "visited (satisfied or not)"),
    CaseClass("void", "作废（不计）", "status = 'void'", "void on the platform: listed, counted in nothing",
              stored=False),
    CaseClass("untimed", "无处置时限（文件无时限列）", "untimed = 1",
              "from a file without a deadline column: counted here instead of due"),
)
BY_NAME = {c.name: c for c in CLASSES}
STORED = tuple(c.name for c in CLASSES if c.stored)  # the columns of case_month_stats, in this order


@dataclass(frozen=True)
class Rate:
    name: str
    label: str
    numerator: str
    denominator: str
    listed: str  # the class whose cases the rate's figure lists


RATES = (
    Rate("satisfaction_rate", "回访满意率", "satisfied", "visited", "visited"),  # satisfied ÷ visited × 100
    Rate("first_time_rate", "一次完成率", "first_time", "closed", "closed"),
    Rate("closure_rate", "结案率", "closed", "due", "closed"),
)
RATE_BY_NAME = {r.name: r for r in RATES}
LABELS = {**{c.name: c.label for c in CLASSES if c.name not in ("void", "untimed")},  # in the order users read
          **{r.name: r.label for r in RATES}, "void": BY_NAME["void"].label, "untimed": BY_NAME["untimed"].label}
FIGURES = tuple(LABELS)  # every figure whose cases can be listed (``kaohe cases --counted``)
DEADLINE_STATS = (*(c.name for c in CLASSES if c.deadline), *(r.name for r in RATES if BY_NAME[r.denominator].deadline))


def listed(figure: str) -> CaseClass | None:
    """The class whose cases a figure lists (a rate: its ``listed`` one); None: no such figure."""
    rate = RATE_BY_NAME.get(figure)
    return BY_NAME.get(rate.listed if rate else figure)


def where(figure: str) -> str | None:
    """SQL over a case row: the cases a figure counted (a sum: those adding to it); None: not a
    figure of cases."""
    c = listed(figure)
    if c is None:
        return None
    test = f"({c.sql}) > 0" if c.sums else f"({c.sql})"
    return test if c.name == "void" else f"{LIVE} AND {test}"


def amount(figure: str) -> str:
    """SQL over a case row: what the case adds to the figure (1 or 0 for a count of cases)."""
    c = listed(figure)
    if c is None:
        raise KeyError(figure)
    if c.name == "void":
        return f"(({c.sql}) IS 1)"
    return f"CASE WHEN {LIVE} THEN {c.sql} ELSE 0 END" if c.sums else f"(({LIVE} AND ({c.sql})) IS 1)"


def month_sums(source: str, sign: str = "1", extra: tuple[str, ...] = ()) -> str:
    """``SELECT unit, month, <one sum per STORED class>`` over the rows of ``source`` (a SELECT
    whose rows carry the ``ROW`` columns), grouped by unit and month; ``sign``: an expression
    (a column) each row's counts are multiplied by (−1: the row is taken out); ``extra``: more
    aggregates, after the sums."""
    sums = ", ".join([*(f"sum(({sign}) * ({amount(name)})) AS {name}" for name in STORED), *extra])
    return f"SELECT unit, substr(reported_at, 1, 7) AS month, {sums} FROM ({source}) GROUP BY unit, month"


# the class a listed case is shown in, the first that holds (the TUI cycles through them in order)
STATUSES = (
    ("on_time", BY_NAME["on_time"].sql),
    ("extended", BY_NAME["extended"].sql),
    ("overdue", BY_NAME["overdue"].sql),
    ("open_late", OPEN_LATE),
    ("open", "closed_at IS NULL"),
    ("closed", "closed_at IS NOT NULL"),  # closed, no deadline to judge it by
    ("void", BY_NAME["void"].sql),
)
STATUS_LABELS = {"on_time": "按时结案", "extended": "延期结案", "overdue": "超时结案（红灯）",
                 "open_late": "超时未结（红灯）", "open": "未结案", "closed": "已结案（无处置时限）",
                 "void": "作废（不计）"}


def status_sql() -> str:
    """SQL over a case row (``:until``: the day after the period): its ``STATUSES`` class."""
    void = BY_NAME["void"].sql
    whens = " ".join(f"WHEN {sql} THEN '{name}'" for name, sql in STATUSES if name != "void")
    return f"CASE WHEN {void} THEN 'void' {whens} END"
