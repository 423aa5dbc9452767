"""Digital city-management platform cases: import, SQL aggregation, and the records they feed.

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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from kaohe_tui.case_counts import COLUMNS, REQUIRED, SATISFIED, STAT_COLUMNS, MonthlyCounts, frozen_by  # noqa: F401
from kaohe_tui.errors import KaoheError
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Entry
from kaohe_tui.scheme import Scheme, resolve_indicator
from kaohe_tui.store import Store, now

STATS_SQL = f"""
SELECT unit, {", ".join(f"sum({c}) AS {c}" for c in STAT_COLUMNS)}
FROM case_month_stats
WHERE scheme = :scheme AND month >= :first AND month <= :last
GROUP BY unit
"""

OPEN_LATE_SQL = """
SELECT unit, count(*) AS n FROM cases
WHERE scheme = :scheme AND closed_at IS NULL AND reported_at >= :since AND reported_at < :until AND deadline < :until
GROUP BY unit
"""

LABELS = {"due": "应结案", "on_time": "按时结案", "extended": "延期结案", "overdue": "超时结案",
          "red_light": "超时（红灯）", "closed": "已结案", "extensions": "延期", "extensions_after_first": "首次以后的延期",
          "failed_checks": "核查未通过", "rework": "返工", "first_time": "一次完成", "satisfied": "满意",
          "visited": "回访", "satisfaction_rate": "回访满意率", "first_time_rate": "一次完成率",
          "closure_rate": "结案率"}


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
    entries = []
    for feed in scheme.case_feeds:
        for unit, figures in stats.items():
            category = units.get(unit)
            if unit not in units or (feed.category and feed.category != category):
                continue
            try:
                path, _ = resolve_indicator(scheme.tree(category), feed.indicator)
            except KaoheError:
                continue
            for clause, stat in feed.clauses.items():
                if stat.startswith("case:"):
                    continue  # per-case records, below
                n = int(figures.get(stat, 0))
                if n:
                    entries.append(Entry(id=f"cases:{stat}", unit=unit, indicator=path, clause=clause, count=n,
                                         period=str(period), reason=f"数字城管案件统计：{LABELS.get(stat, stat)}{n}件",
                                         derived_from=("cases",)))
            if feed.value:
                entries.append(Entry(id=f"cases:{feed.value}", unit=unit, indicator=path, value=round(figures.get(feed.value, 0.0), 6),
                                     period=str(period), reason=f"数字城管案件统计：{LABELS.get(feed.value, feed.value)}",
                                     derived_from=("cases",)))
    entries += per_case_entries(store, scheme, period, units)
    return entries


PER_CASE_COLUMNS = {"extensions": "延期", "failed_checks": "核查未通过"}


def per_case_entries(store: Store, scheme: Scheme, period: Period, units: dict[str, str | None]) -> list[Entry]:
    """One record per case for clauses that count repeats within a case (``case:extensions`` →
    以后每申请延期一次: the first extension of each case is free), naming the case."""
    since, until = _bounds(period)
    entries = []
    for feed in scheme.case_feeds:
        for clause, stat in feed.clauses.items():
            column = stat.removeprefix("case:")
            if not stat.startswith("case:") or column not in PER_CASE_COLUMNS:
                continue
            rows = store.db.execute(
                f"SELECT case_id, unit, {column} FROM cases INDEXED BY cases_repeats WHERE scheme = ? "
                f"AND reported_at >= ? AND reported_at < ? AND (extensions > 0 OR failed_checks > 0) AND {column} > 0 "
                f"ORDER BY case_id", [scheme.id, since, until])
            for case_id, unit, n in rows:
                category = units.get(unit)
                if unit not in units or (feed.category and feed.category != category):
                    continue
                try:
                    path, _ = resolve_indicator(scheme.tree(category), feed.indicator)
                except KaoheError:
                    continue
                entries.append(Entry(id=f"case:{case_id}", unit=unit, indicator=path, clause=clause, count=int(n),
                                     period=str(period), reason=f"案件{case_id}：{PER_CASE_COLUMNS[column]}{n}次",
                                     derived_from=(case_id,)))
    return entries


# -- the cases behind a count ----------------------------------------------------------------------
STATUS_LABELS = {"on_time": "按时结案", "extended": "延期结案", "overdue": "超时结案（红灯）",
                 "open_late": "超时未结（红灯）", "open": "未结案", "closed": "已结案（无处置时限）"}

# which classes of case a derived count was made of (the other counts run over every case)
STAT_STATUSES = {"on_time": {"on_time"}, "extended": {"extended"}, "overdue": {"overdue"},
                 "red_light": {"overdue", "open_late"}, "closed": {"on_time", "extended", "overdue", "closed"}}

LIST_SQL = """
SELECT case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks, satisfaction,
       CASE WHEN closed_at IS NULL THEN CASE WHEN deadline < :until THEN 'open_late' ELSE 'open' END
            WHEN deadline IS NULL THEN 'closed'
            WHEN closed_at <= deadline THEN CASE WHEN extensions = 0 THEN 'on_time' ELSE 'extended' END
            ELSE 'overdue' END AS status
FROM cases WHERE scheme = :scheme AND reported_at >= :since AND reported_at < :until {unit}
ORDER BY unit, reported_at, case_id
"""


def list_cases(store: Store, scheme: Scheme, period: Period, unit: str | None = None,
               status: str | None = None) -> list[dict]:
    """The cases a period's counts were made of, each with the class it was counted in (the same
    definitions as the counts: an auditor can recount any figure from this list)."""
    return list(iter_cases(store, scheme, period, unit, status))


def iter_cases(store: Store, scheme: Scheme, period: Period, unit: str | None = None,
               status: str | None = None) -> Iterator[dict]:
    """``list_cases`` a row at a time (a city's year is 10^6 of them)."""
    since, until = _bounds(period)
    sql = LIST_SQL.format(unit="AND unit = :unit" if unit else "")
    for row in store.db.query(sql, {"scheme": scheme.id, "since": since, "until": until, "unit": unit}):
        if status is None or row["status"] == status:
            yield row


# -- import -----------------------------------------------------------------------------------
@dataclass
class CaseImport:
    path: Path
    imported: int = 0
    rejected: list[str] = field(default_factory=list)


_FORMS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d%H%M%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")
# what spreadsheets write (2018/4/5 9:03): read without strptime, which is
# ten times slower, for files of a million rows saved from Excel or WPS
_SPREADSHEET = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _timestamp(raw: str, column: str, *, required: bool) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` (so that times compare as text), from the forms platforms export."""
    if not raw:
        if required:
            raise KaoheError(f"{column}: empty")
        return None
    if len(raw) == 19 and raw[10] == " " and raw[13] == ":" == raw[16] and raw[4] == raw[7] in "-/":
        # the platform's own form, or with slashes: C checks the calendar
        text = raw.replace("/", "-") if raw[4] == "/" else raw
        try:
            dt.datetime.fromisoformat(text)
            return text
        except ValueError:
            pass
    try:
        value = dt.datetime.fromisoformat(raw)  # C: the other ISO forms (T, no seconds, a zone)
        return value.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    except ValueError:
        pass
    value = None
    match = _SPREADSHEET.fullmatch(raw)
    if match:
        y, mo, d, h, mi, sec = match.groups()
        try:
            value = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0))
        except ValueError:
            value = None  # no such day or hour: said below
    if value is None:
        text = raw.replace("/", "-").replace("T", " ")
        for form in _FORMS:
            try:
                value = dt.datetime.strptime(text, form)
                break
            except ValueError:
                continue
        if value is None:
            raise KaoheError(f"{column}: {raw!r} is not a date-time (YYYY-MM-DD HH:MM[:SS])") from None
    return value.replace(tzinfo=None).isoformat(sep=" ")


def _count(raw: str, column: str) -> int:
    if not raw:
        return 0
    if not raw.isdigit():
        raise KaoheError(f"{column}: {raw!r} must be a whole number ≥ 0")
    return int(raw)


def case_rows(rows: Iterator[tuple[int, list[str]]], columns: dict[str, int], header: list[str],
              resolve: Callable[[str], str], path: Path, rejected: list[str],
              closed: frozenset[str] = frozenset()) -> Iterator[tuple]:
    """Checked case tuples, in table column order; bad rows go to ``rejected``; ``closed``: the
    scheme's closed periods, in which no case may arrive."""
    absent = len(header)
    at = {f: columns.get(f, absent) for f in COLUMNS}  # a missing column reads as ""
    name = {f: header[i] if i < absent else f for f, i in at.items()}
    i_id, i_unit, i_source, i_rep, i_dead, i_closed, i_ext, i_failed, i_sat = (at[f] for f in COLUMNS)
    seen: set[str] = set()
    for number, values in rows:
        values.append("")  # index `absent` → ""
        try:
            case_id = values[i_id]
            if not case_id:
                raise KaoheError(f"{name['case_id']}: empty case id")
            if case_id in seen:
                raise KaoheError(f"{name['case_id']}: case {case_id} appears earlier in the file")
            seen.add(case_id)
            reported = _timestamp(values[i_rep], name["reported_at"], required=True)
            if closed and (period := frozen_by(reported[:7], closed)):
                raise KaoheError(f"{name['reported_at']}: {reported} falls in {period}, which is closed; "
                                 "an administrator must reopen it first")
            yield (case_id, resolve(values[i_unit]), values[i_source] or None, reported,
                   _timestamp(values[i_dead], name["deadline"], required=False),
                   _timestamp(values[i_closed], name["closed_at"], required=False),
                   _count(values[i_ext], name["extensions"]), _count(values[i_failed], name["failed_checks"]),
                   values[i_sat] or None)
        except KaoheError as exc:
            rejected.append(f"{path}: row {number}: {exc}")


def import_cases(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                 batch: int = 50_000) -> CaseImport:
    """All or nothing: one bad row and no case is kept. A clean UTF-8 CSV goes in on the bulk path
    (SQLite parses and checks the fields, see ``bulk_cases``); anything it refuses is read again on
    the careful path, which names every bad row."""
    from kaohe_tui.roles import authorize

    authorize(store, "import", scheme.id)  # every unit's scores move: a section's assessor may not
    path = Path(path)
    if path.suffix.lower() == ".csv":
        imported = bulk_path(store, scheme, path, progress)
        if imported is not None:
            return CaseImport(path, imported)
    return careful_import(store, scheme, path, progress, batch)


def bulk_path(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None) -> int | None:
    """Hand a clean CSV to the bulk helper; None when it cannot or will not take it."""
    import csv

    from kaohe_tui import bulk_cases
    from kaohe_tui.io.tabular import open_csv
    from kaohe_tui.ledger import closed_periods
    from kaohe_tui.units import UnitIndex, load_units

    if not bulk_cases.available() or store.db.conn.in_transaction or not store.path.exists():
        return None
    try:
        with open_csv(path) as fh:
            if fh.encoding.lower().replace("-", "") not in ("utf8", "utf8sig"):
                return None  # GBK and the like: the careful path decodes them
            header = [h.strip() for h in next(csv.reader(fh))]
    except (OSError, StopIteration, UnicodeDecodeError, csv.Error):
        return None
    try:
        columns = map_columns(header, path)
    except KaoheError:
        return None  # the careful path says which column is missing
    units = {key: unit.name for key, unit in UnitIndex(load_units(store, scheme)).by_key.items()}
    audit = store.audit_row("import-cases", scheme=scheme.id, reason=f"import {path.name}")
    return bulk_cases.bulk_import(store.path, scheme.id, path, columns, len(header), units,
                                  now(), audit, closed_periods(store, scheme.id), progress)


def careful_import(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                   batch: int = 50_000) -> CaseImport:
    """Row by row in Python: every bad row named with its row number and column."""
    from kaohe_tui.io.tabular import read_table
    from kaohe_tui.ledger import closed_periods
    from kaohe_tui.units import UnitIndex, load_units

    path = Path(path)
    header, rows = read_table(path)
    columns = map_columns(header, path)
    index = UnitIndex(load_units(store, scheme))
    resolved: dict[str, str] = {}

    def resolve(name: str) -> str:
        unit = resolved.get(name)
        if unit is None:
            unit = resolved[name] = index.resolve(name, field_name=header[columns["unit"]]).name
        return unit

    report = CaseImport(path)
    counts = MonthlyCounts()
    stamp = now()
    sql = ("INSERT INTO cases (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, "
           "failed_checks, satisfaction, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    with store.transaction() as db:
        conn = db.conn
        conn.execute("PRAGMA cache_size = -131072")  # 128 MB of pages while the index grows
        chunk: list[tuple] = []
        closed = frozenset(closed_periods(store, scheme.id))
        for case in case_rows(rows, columns, header, resolve, path, report.rejected, closed):
            if report.rejected:
                continue  # nothing will be kept: just go on finding every bad row
            chunk.append((scheme.id, *case, stamp))
            counts.add(case[1], case[3], case[4], case[5], case[6], case[7], case[8])
            if len(chunk) >= batch:
                report.imported += _insert(conn, sql, chunk, path, report.rejected)
                chunk = []
                if progress:
                    progress(report.imported)
        if not report.rejected:
            report.imported += _insert(conn, sql, chunk, path, report.rejected)
        if report.rejected:
            raise CaseImportRejected(report)
        counts.save(conn, scheme.id)
        store.audit("import-cases", scheme=scheme.id, new={"file": str(path), "cases": report.imported},
                    reason=f"import {path.name}")
    return report


class CaseImportRejected(KaoheError):
    def __init__(self, report: CaseImport):
        self.report = report
        super().__init__(f"{report.path}: {len(report.rejected)} invalid row(s); no case imported")


def _insert(conn, sql: str, chunk: list[tuple], path: Path, rejected: list[str]) -> int:
    import sqlite3

    try:
        conn.executemany(sql, chunk)
    except sqlite3.IntegrityError:
        ids = [row[1] for row in chunk]
        known = None
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            found = conn.execute(f"SELECT case_id FROM cases WHERE scheme = ? AND case_id IN ({','.join('?' * len(part))})",
                                 [chunk[0][0], *part]).fetchone()
            if found:
                known = found[0]
                break
        rejected.append(f"{path}: case {known or ids[0]} is already imported (case ids must be unique)")
        return 0
    return len(chunk)


def map_columns(header: list[str], path: Path) -> dict[str, int]:
    """field → the index of the column holding it."""
    from kaohe_tui.io.tabular import find_columns

    return find_columns(header, COLUMNS, REQUIRED, path)


def looks_like_cases(header: list[str]) -> bool:
    from kaohe_tui.names import norm

    keys = {norm(h).lower() for h in header}
    return any(norm(n).lower() in keys for n in COLUMNS["case_id"])
