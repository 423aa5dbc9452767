"""Digital city-management platform cases: SQL aggregation, the records they feed, and the list
of cases behind every count (getting them in: ``case_import``).

A district's platform produces hundreds of thousands of cases a year, so cases are never loaded
row by row into Python for scoring: one ``GROUP BY`` per period gives every unit's counts, and a
scheme's ``case_feeds`` turn those counts into derived records (``cases:…``) that the ordinary
rule types score — closure rates, red-light deductions, extension and failed-check clauses.

Definitions (the reading a careful office would take; each is one SQL expression below):
- a case belongs to the period in which it was reported (立案);
- due (应结案数): every case of the period; on_time (按时结案): closed by its deadline with no
  extension; extended (延期结案): closed by its (extended) deadline after one or more extensions;
  overdue (超时结案): closed after its deadline; red_light (超时/红灯): closed late, or still open
  past its deadline at the end of the period;
- extensions_after_first: extensions beyond the first (以后每申请延期一次); failed_checks: every
  failed check; ``case:extensions`` / ``case:failed_checks``: one record per case carrying its
  count, for clauses whose cost depends on the repeats within one case (``steps``); rework (返工): cases with at least one failed check; first_time (一次完成): closed
  cases with no failed check; satisfaction_rate: satisfied ÷ visited × 100.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterator

from kaohe_tui.case_counts import DEADLINE_STATS, STAT_COLUMNS
from kaohe_tui.errors import KaoheError
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Entry
from kaohe_tui.scheme import Scheme, resolve_indicator
from kaohe_tui.store import Store

STATS_SQL = f"""
SELECT unit, {", ".join(f"sum({c}) AS {c}" for c in STAT_COLUMNS)}
FROM case_month_stats
WHERE scheme = :scheme AND month >= :first AND month <= :last
GROUP BY unit
"""

OPEN_LATE_SQL = """
SELECT unit, count(*) AS n FROM cases
WHERE scheme = :scheme AND closed_at IS NULL AND reported_at >= :since AND reported_at < :until AND deadline < :until
  AND status IS NOT 'void'
GROUP BY unit
"""

LABELS = {"due": "应结案", "on_time": "按时结案", "extended": "延期结案", "overdue": "超时结案",
          "red_light": "超时（红灯）", "closed": "已结案", "extensions": "延期", "extensions_after_first": "首次以后的延期",
          "failed_checks": "核查未通过", "rework": "返工", "first_time": "一次完成", "satisfied": "满意",
          "visited": "回访", "satisfaction_rate": "回访满意率", "first_time_rate": "一次完成率",
          "closure_rate": "结案率", "void": "作废（不计）", "untimed": "无处置时限（文件无时限列）"}


def _bounds(period: Period) -> tuple[str, str]:
    return period.start.isoformat(), (period.end + dt.timedelta(days=1)).isoformat()


def unit_stats(store: Store, scheme: Scheme, period: Period) -> dict[str, dict[str, float]]:
    """Every unit's case counts for the period: the monthly counts summed, plus the cases still
    open past their deadline at the end of the period (red lights)."""
    since, until = _bounds(period)
    months = period.months()
    args = {"scheme": scheme.id, "first": f"{months[0].year}-{months[0].index:02d}",
            "last": f"{months[-1].year}-{months[-1].index:02d}", "since": since, "until": until}
    out: dict[str, dict[str, float]] = {}
    for row in store.db.execute(STATS_SQL, args).fetchall():
        out[row[0]] = {c: float(v or 0) for c, v in zip(STAT_COLUMNS, row[1:])}
    open_late = dict(store.db.execute(OPEN_LATE_SQL, args).fetchall())
    for unit, stats in out.items():
        stats["red_light"] = stats["overdue"] + open_late.get(unit, 0)
        stats["satisfaction_rate"] = stats["satisfied"] / stats["visited"] * 100 if stats["visited"] else 0.0
        stats["first_time_rate"] = stats["first_time"] / stats["closed"] * 100 if stats["closed"] else 0.0
        stats["closure_rate"] = stats["closed"] / stats["due"] * 100 if stats["due"] else 0.0
    return out


def derived_entries(store: Store, scheme: Scheme, period: Period, units: dict[str, str | None]) -> list[Entry]:
    """The records a scheme's case feeds make of the period's cases (``units``: name → category)."""
    if not scheme.case_feeds or store.db.execute("SELECT 1 FROM cases WHERE scheme = ? LIMIT 1", [scheme.id]).fetchone() is None:
        return []
    stats = unit_stats(store, scheme, period)
    if stats:  # the platform has the period: a unit with no case had 0 due (entered), not a gap
        zero = {c: 0.0 for c in (*STAT_COLUMNS, "red_light", "satisfaction_rate", "first_time_rate", "closure_rate")}
        stats = {unit: stats.get(unit, zero) for unit in {*stats, *units}}
    entries = []
    for feed in scheme.case_feeds:
        for unit, figures in stats.items():
            category = units.get(unit)
            if unit not in units or (feed.category and feed.category != category):
                continue
            if figures.get("untimed") and needs_deadline(feed):
                continue  # not scored from cases without a deadline: ``untimed_flags`` says so
            path = feed_path(scheme, category, feed.indicator)
            if path is None:
                continue
            for clause, stat in feed.clauses.items():
                if stat.startswith("case:"):
                    continue  # per-case records, below
                n = int(figures.get(stat, 0))
                if n or stat == "due":  # 应结案0件 is a figure; other zero counts add nothing
                    entries.append(Entry(id=f"cases:{stat}", unit=unit, indicator=path, clause=clause, count=n,
                                         period=str(period), reason=f"数字城管案件统计：{LABELS.get(stat, stat)}{n}件",
                                         derived_from=("cases",)))
            if feed.value and figures.get(RATE_BASE.get(feed.value, ""), 1):
                # a rate of no visits / no closed cases is no rate: the input stays missing (未录入)
                entries.append(Entry(id=f"cases:{feed.value}", unit=unit, indicator=path, value=round(figures.get(feed.value, 0.0), 6),
                                     period=str(period), reason=f"数字城管案件统计：{LABELS.get(feed.value, feed.value)}",
                                     derived_from=("cases",)))
    entries += per_case_entries(store, scheme, period, units)
    return entries


def feed_path(scheme: Scheme, category: str | None, indicator: str) -> str | None:
    """The path a case feed's indicator has in a category's tree (None: not there). Resolved once
    per scheme, category and name: a city's year asks for every one of its 10^5 repeat cases."""
    key = (id(scheme), category, indicator)
    if key not in _FEED_PATHS:
        try:
            path = resolve_indicator(scheme.tree(category), indicator)[0]
        except KaoheError:
            path = None
        _FEED_PATHS[key] = (scheme, path)  # the scheme is kept alive: its id is never reused
    return _FEED_PATHS[key][1]


_FEED_PATHS: dict[tuple, tuple[Scheme, str | None]] = {}


RATE_BASE = {"satisfaction_rate": "visited", "first_time_rate": "closed", "closure_rate": "due"}  # rate → its denominator


def needs_deadline(feed) -> bool:
    """Whether a feed's figures are decided by deadlines (按期结案率, red lights)."""
    return bool({*feed.clauses.values(), feed.value} & set(DEADLINE_STATS))


def untimed_flags(store: Store, scheme: Scheme, period: Period, units: dict[str, str | None]) -> dict[str, list[str]]:
    """unit → what was not scored: a unit with cases from a file without a deadline column gets
    no closure-rate or red-light figure from the cases (they cannot say on time or late), and
    its result says so instead of showing a rate made of the other cases."""
    feeds = [f for f in scheme.case_feeds if needs_deadline(f)]
    if not feeds or store.db.execute("SELECT 1 FROM cases WHERE scheme = ? AND untimed = 1 LIMIT 1",
                                     [scheme.id]).fetchone() is None:
        return {}
    out: dict[str, list[str]] = {}
    for unit, figures in unit_stats(store, scheme, period).items():
        n = int(figures.get("untimed") or 0)
        if not n or unit not in units:
            continue
        for feed in feeds:
            if feed.category and feed.category != units[unit]:
                continue
            out.setdefault(unit, []).append(
                f"{feed.indicator.split('/')[-1]}未由案件计分：{n}件案件来自无处置时限列的文件，不能判断按期与否")
    return out


PER_CASE_COLUMNS = {"extensions": "延期", "failed_checks": "核查未通过"}


def per_case_entries(store: Store, scheme: Scheme, period: Period, units: dict[str, str | None]) -> list[Entry]:
    """One record per case for clauses that count repeats within a case (``case:extensions`` →
    以后每申请延期一次: the first extension of each case is free), naming the case."""
    since, until = _bounds(period)
    entries = []
    plan = None
    for feed in scheme.case_feeds:
        for clause, stat in feed.clauses.items():
            column = stat.removeprefix("case:")
            if not stat.startswith("case:") or column not in PER_CASE_COLUMNS:
                continue
            plan = plan or _repeats_plan(store, scheme.id, since, until)
            rows = store.db.execute(
                f"SELECT case_id, unit, {column} FROM cases {plan} WHERE scheme = ? "
                f"AND reported_at >= ? AND reported_at < ? AND (extensions > 0 OR failed_checks > 0) AND {column} > 0 "
                f"AND status IS NOT 'void' "
                f"ORDER BY case_id", [scheme.id, since, until])
            for case_id, unit, n in rows:
                category = units.get(unit)
                if unit not in units or (feed.category and feed.category != category):
                    continue
                path = feed_path(scheme, category, feed.indicator)
                if path is None:
                    continue
                entries.append(Entry(id=f"case:{case_id}", unit=unit, indicator=path, clause=clause, count=int(n),
                                     period=str(period), reason=f"案件{case_id}：{PER_CASE_COLUMNS[column]}{n}次",
                                     derived_from=(case_id,)))
    return entries


def _repeats_plan(store: Store, scheme_id: str, since: str, until: str) -> str:
    """How to read a period's cases with repeats: through their partial index while the scheme
    has such cases outside the period (other years, other quarters: a lookup per case beats
    reading them all); when every one lies inside (a year's close or verify, one year on file),
    one pass over the table in case-id order, a third of the index's cost at 10^6 cases."""
    outside = store.db.execute(
        "SELECT EXISTS (SELECT 1 FROM cases INDEXED BY cases_repeats WHERE scheme = :s AND reported_at < :since "
        "AND (extensions > 0 OR failed_checks > 0)) OR EXISTS (SELECT 1 FROM cases INDEXED BY cases_repeats "
        "WHERE scheme = :s AND reported_at >= :until AND (extensions > 0 OR failed_checks > 0))",
        {"s": scheme_id, "since": since, "until": until}).fetchone()[0]
    return "INDEXED BY cases_repeats" if outside else "NOT INDEXED"


# -- the cases behind a count ----------------------------------------------------------------------
STATUS_LABELS = {"on_time": "按时结案", "extended": "延期结案", "overdue": "超时结案（红灯）",
                 "open_late": "超时未结（红灯）", "open": "未结案", "closed": "已结案（无处置时限）",
                 "void": "作废（不计）"}

CLOSED = {"on_time", "extended", "overdue", "closed"}


def counted_in(stat: str) -> Callable[[dict], bool] | None:
    """Which listed cases the derived count ``cases:<stat>`` counted (the definitions of the
    module docstring, applied to one case); None: every case of the period (``due``)."""
    tests: dict[str, Callable[[dict], bool]] = {
        "on_time": lambda c: c["status"] == "on_time",
        "extended": lambda c: c["status"] == "extended",
        "overdue": lambda c: c["status"] == "overdue",
        "red_light": lambda c: c["status"] in ("overdue", "open_late"),
        "closed": lambda c: c["status"] in CLOSED,
        "closure_rate": lambda c: c["status"] in CLOSED,
        "extensions": lambda c: c["extensions"] > 0,
        "extensions_after_first": lambda c: c["extensions"] > 1,
        "failed_checks": lambda c: c["failed_checks"] > 0,
        "rework": lambda c: c["failed_checks"] > 0,
        "first_time": lambda c: c["status"] in CLOSED and c["failed_checks"] == 0,
        "first_time_rate": lambda c: c["status"] in CLOSED,
        "visited": lambda c: c["satisfied"] is not None,
        "satisfaction_rate": lambda c: c["satisfied"] is not None,
        "satisfied": lambda c: c["satisfied"] == 1,
        "due": lambda c: not c["untimed"],
        "untimed": lambda c: bool(c["untimed"]),
        "void": lambda c: c["status"] == "void",
    }
    test = tests.get(stat)
    if test is None or stat == "void":
        return test
    return lambda c: c["status"] != "void" and test(c)  # a void case is counted in nothing


LIST_SQL = """
SELECT case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks, satisfaction,
       satisfied, untimed, import_id, coalesce(status, '') AS platform_status,
       CASE WHEN status = 'void' THEN 'void'
            WHEN closed_at IS NULL THEN CASE WHEN deadline < :until THEN 'open_late' ELSE 'open' END
            WHEN deadline IS NULL THEN 'closed'
            WHEN closed_at <= deadline THEN CASE WHEN extensions = 0 THEN 'on_time' ELSE 'extended' END
            ELSE 'overdue' END AS status,
       (SELECT file FROM case_imports WHERE id = import_id) AS import_file
FROM cases WHERE scheme = :scheme AND reported_at >= :since AND reported_at < :until {unit} {imported}
ORDER BY unit, reported_at, case_id
"""


def list_cases(store: Store, scheme: Scheme, period: Period, unit: str | None = None,
               status: str | None = None) -> list[dict]:
    """The cases a period's counts were made of, each with the class it was counted in (the same
    definitions as the counts: an auditor can recount any figure from this list)."""
    return list(iter_cases(store, scheme, period, unit, status))


def iter_cases(store: Store, scheme: Scheme, period: Period | None, unit: str | None = None,
               status: str | None = None, import_id: int | None = None) -> Iterator[dict]:
    """``list_cases`` a row at a time (a city's year is 10^6 of them); ``period`` None: every
    period (with ``import_id``: the cases one import last wrote)."""
    since, until = _bounds(period) if period else ("0000", "9999")
    sql = LIST_SQL.format(unit="AND unit = :unit" if unit else "",
                          imported="AND import_id = :import_id" if import_id is not None else "")
    for row in store.db.query(sql, {"scheme": scheme.id, "since": since, "until": until, "unit": unit,
                                    "import_id": import_id}):
        if status is None or row["status"] == status:
            yield row
