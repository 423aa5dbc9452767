"""Digital city-management platform cases: SQL aggregation, the records they feed, and the list
of cases behind every count (getting them in: ``case_import``).

A district's platform produces hundreds of thousands of cases a year, so cases are never loaded
row by row into Python for scoring: one ``GROUP BY`` per period gives every unit's counts, and a
scheme's ``case_feeds`` turn those counts into derived records (``cases:…``) that the ordinary
rule types score — closure rates, red-light deductions, extension and failed-check clauses.

What each figure counts is defined once, as SQL over a case row, in ``case_classes``: the monthly
counts, the red lights and the lists of the cases behind a figure are all made from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kaohe_tui.case_classes import DEADLINE_STATS, LABELS, LIVE, OPEN_LATE, RATES, amount, status_sql, where
from kaohe_tui.case_counts import STAT_COLUMNS
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

OPEN_LATE_SQL = f"""
SELECT unit, count(*) AS n FROM cases
WHERE scheme = :scheme AND closed_at IS NULL AND reported_at >= :since AND reported_at < :until
  AND {LIVE} AND {OPEN_LATE}
GROUP BY unit
"""  # ``closed_at IS NULL`` written out: the partial index cases_open_late (``case_indexes``) covers it

# a quarter's open-late cases (as ``OPEN_LATE_SQL``) and, of the same quarter's cases, those open
# past their deadline when the year ends: the year's are these summed over its quarters
QUARTER_OPEN_LATE_SQL = f"""
SELECT unit, sum(deadline < :until), count(*) FROM cases
WHERE scheme = :scheme AND closed_at IS NULL AND reported_at >= :since AND reported_at < :until
  AND {LIVE} AND closed_at IS NULL AND deadline < :year_until
GROUP BY unit
"""

UNTIMED_SQL = """
SELECT unit, sum(untimed) FROM case_month_stats
WHERE scheme = :scheme AND month >= :first AND month <= :last
GROUP BY unit HAVING sum(untimed) > 0
"""  # the monthly counts' ``untimed`` (live cases from files without a deadline column): no case is read


def _bounds(period: Period) -> tuple[str, str]:
    return period.start.isoformat(), (period.end + dt.timedelta(days=1)).isoformat()


def _args(scheme: Scheme, period: Period) -> dict[str, str]:
    since, until = _bounds(period)
    months = period.months()
    return {"scheme": scheme.id, "first": f"{months[0].year}-{months[0].index:02d}",
            "last": f"{months[-1].year}-{months[-1].index:02d}", "since": since, "until": until}


def unit_stats(store: Store, scheme: Scheme, period: Period,
               open_late: dict[str, int] | None = None) -> dict[str, dict[str, float]]:
    """Every unit's case counts for the period: the monthly counts summed, plus the cases still
    open past their deadline at the end of the period (red lights; ``open_late``: counted
    already, by ``year_open_late``)."""
    args = _args(scheme, period)
    out: dict[str, dict[str, float]] = {}
    for row in store.db.execute(STATS_SQL, args).fetchall():
        out[row[0]] = {c: float(v or 0) for c, v in zip(STAT_COLUMNS, row[1:], strict=False)}
    if open_late is None:
        open_late = dict(store.db.execute(OPEN_LATE_SQL, args).fetchall())
    for unit, stats in out.items():
        stats["red_light"] = stats["overdue"] + open_late.get(unit, 0)  # red_light's two parts
        for rate in RATES:
            base = stats[rate.denominator]
            stats[rate.name] = stats[rate.numerator] / base * 100 if base else 0.0
    return out


def year_open_late(store: Store, scheme: Scheme, year: int) -> dict[str, dict[str, int]]:
    """period (the year, each quarter) → unit → its cases still open past their deadline when that
    period ends (``OPEN_LATE_SQL`` for all five in four queries: a year's trend scores them all)."""
    whole = Period(year, "year", 0)
    out: dict[str, dict[str, int]] = {str(p): {} for p in [whole, *whole.quarters()]}
    in_year = out[str(whole)]
    year_until = _args(scheme, whole)["until"]
    for quarter in whole.quarters():  # the quarters' bounds split the year's: each case is in one
        args = {**_args(scheme, quarter), "year_until": year_until}
        for unit, n, by_year_end in store.db.execute(QUARTER_OPEN_LATE_SQL, args).fetchall():
            out[str(quarter)][unit] = n
            in_year[unit] = in_year.get(unit, 0) + by_year_end
    return out


def has_cases(store: Store, scheme: Scheme) -> bool:
    """Whether the scheme takes platform cases and has any."""
    return bool(scheme.case_feeds) and \
        store.db.execute("SELECT 1 FROM cases WHERE scheme = ? LIMIT 1", [scheme.id]).fetchone() is not None


def derived_entries(store: Store, scheme: Scheme, period: Period, units: dict[str, str | None],
                    open_late: dict[str, int] | None = None) -> list[Entry]:
    """The records a scheme's case feeds make of the period's cases (``units``: name → category;
    ``open_late``: the period's cases open late, when ``year_open_late`` counted them)."""
    if not has_cases(store, scheme):
        return []
    stats = unit_stats(store, scheme, period, open_late)
    if stats:  # the platform has the period: a unit with no case had 0 due (entered), not a gap
        zero = {c: 0.0 for c in (*STAT_COLUMNS, "red_light", *(r.name for r in RATES))}
        stats = {unit: stats.get(unit, zero) for unit in {*stats, *units}}
    entries = []
    key = str(period)
    for feed in scheme.case_feeds:  # what a feed makes is worked out once, then each unit's figures
        timed = needs_deadline(feed)
        counted = [(clause, stat, f"cases:{stat}", LABELS.get(stat, stat))
                   for clause, stat in feed.clauses.items() if not stat.startswith("case:")]  # per-case: below
        rate_base = RATE_BASE.get(feed.value, "") if feed.value else ""
        for unit, figures in stats.items():
            category = units.get(unit)
            if unit not in units or (feed.category and feed.category != category):
                continue
            if figures.get("untimed") and timed:
                continue  # not scored from cases without a deadline: ``untimed_flags`` says so
            path = feed_path(scheme, category, feed.indicator)
            if path is None:
                continue
            for clause, stat, ref, label in counted:
                n = int(figures.get(stat, 0))
                if n or stat == "due":  # 应结案0件 is a figure; other zero counts add nothing
                    entries.append(Entry(id=ref, unit=unit, indicator=path, clause=clause, count=n, period=key,
                                         reason=f"数字城管案件统计：{label}{n}件", derived_from=("cases",)))
            if feed.value and figures.get(rate_base, 1):
                # a rate of no visits / no closed cases is no rate: the input stays missing (未录入)
                entries.append(Entry(id=f"cases:{feed.value}", unit=unit, indicator=path,
                                     value=round(figures.get(feed.value, 0.0), 6), period=key,
                                     reason=f"数字城管案件统计：{LABELS.get(feed.value, feed.value)}",
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


RATE_BASE = {r.name: r.denominator for r in RATES}  # rate → its denominator


def needs_deadline(feed) -> bool:
    """Whether a feed's figures are decided by deadlines (按期结案率, red lights)."""
    return bool({*feed.clauses.values(), feed.value} & set(DEADLINE_STATS))


def untimed_flags(store: Store, scheme: Scheme, period: Period, units: dict[str, str | None]) -> dict[str, list[str]]:
    """unit → what was not scored: a unit with cases from a file without a deadline column gets
    no closure-rate or red-light figure from the cases (they cannot say on time or late), and
    its result says so instead of showing a rate made of the other cases."""
    feeds = [f for f in scheme.case_feeds if needs_deadline(f)]
    if not feeds:
        return {}
    out: dict[str, list[str]] = {}
    for unit, n in store.db.execute(UNTIMED_SQL, _args(scheme, period)).fetchall():
        if unit not in units:
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
                f"AND {LIVE} "
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
LIST_SQL = f"""
SELECT case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks, satisfaction,
       satisfied, untimed, import_id, coalesce(status, '') AS platform_status, {status_sql()} AS status,
       (SELECT file FROM case_imports WHERE id = import_id) AS import_file {{counted}}
FROM cases WHERE scheme = :scheme AND reported_at >= :since AND reported_at < :until {{unit}} {{imported}} {{where}}
ORDER BY unit, reported_at, case_id
"""


def list_cases(store: Store, scheme: Scheme, period: Period, unit: str | None = None,
               status: str | None = None, counted: str | None = None) -> list[dict]:
    """The cases a period's counts were made of, each with the class it was counted in (the same
    definitions as the counts: an auditor can recount any figure from this list)."""
    return list(iter_cases(store, scheme, period, unit, status, counted=counted))


def iter_cases(store: Store, scheme: Scheme, period: Period | None, unit: str | None = None,
               status: str | None = None, import_id: int | None = None, counted: str | None = None) -> Iterator[dict]:
    """``list_cases`` a row at a time (a city's year is 10^6 of them); ``period`` None: every
    period (with ``import_id``: the cases one import last wrote); ``counted``: only the cases
    that figure counted (``case_classes.where``), each with what it adds to it (``counted``)."""
    since, until = _bounds(period) if period else ("0000", "9999")
    test = where(counted) if counted else None
    if counted and test is None:
        raise ValueError(counted)  # the faces offer case_classes.FIGURES
    sql = LIST_SQL.format(unit="AND unit = :unit" if unit else "",
                          imported="AND import_id = :import_id" if import_id is not None else "",
                          where=f"AND {test}" if test else "",
                          counted=f", {amount(counted)} AS counted" if counted else "")
    for row in store.db.query(sql, {"scheme": scheme.id, "since": since, "until": until, "unit": unit,
                                    "import_id": import_id}):
        if status is None or row["status"] == status:
            yield row

