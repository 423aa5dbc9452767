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
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from kaohe_tui.errors import KaoheError
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Entry
from kaohe_tui.scheme import Scheme, resolve_indicator
from kaohe_tui.store import Store, now

COLUMNS = {
    "case_id": ("case_id", "案件编号", "案卷号"),
    "unit": ("unit", "责任单位", "单位"),
    "source": ("source", "来源", "案件来源"),
    "reported_at": ("reported_at", "上报时间", "立案时间"),
    "deadline": ("deadline", "处置时限", "应结案时间"),
    "closed_at": ("closed_at", "结案时间"),
    "extensions": ("extensions", "延期次数"),
    "failed_checks": ("failed_checks", "核查未通过次数", "返工次数"),
    "satisfaction": ("satisfaction", "回访满意度", "满意度"),
}
REQUIRED = ("case_id", "unit", "reported_at")
SATISFIED = ("满意", "基本满意", "satisfied", "1")

STAT_COLUMNS = ("due", "on_time", "extended", "overdue", "closed", "extensions", "extensions_after_first",
                "failed_checks", "rework", "first_time", "satisfied", "visited")

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


# -- import -----------------------------------------------------------------------------------
@dataclass
class CaseImport:
    path: Path
    imported: int = 0
    rejected: list[str] = field(default_factory=list)


_FORMS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d%H%M%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


def _timestamp(raw: str, column: str, *, required: bool) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` (so that times compare as text), from the forms platforms export."""
    if not raw:
        if required:
            raise KaoheError(f"{column}: empty")
        return None
    try:
        value = dt.datetime.fromisoformat(raw)  # fast: C-implemented, covers the usual exports
        if len(raw) == 19 and raw[10] == " " and value.tzinfo is None:
            return raw
    except ValueError:
        value = None
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


def case_rows(rows: Iterator[tuple[int, list[str]]], columns: dict[str, int], header: list[str],
              resolve: Callable[[str], str], path: Path, rejected: list[str]) -> Iterator[tuple]:
    """Checked case tuples, in table column order; bad rows go to ``rejected``."""
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
            yield (case_id, resolve(values[i_unit]), values[i_source] or None,
                   _timestamp(values[i_rep], name["reported_at"], required=True),
                   _timestamp(values[i_dead], name["deadline"], required=False),
                   _timestamp(values[i_closed], name["closed_at"], required=False),
                   _count(values[i_ext], name["extensions"]), _count(values[i_failed], name["failed_checks"]),
                   values[i_sat] or None)
        except KaoheError as exc:
            rejected.append(f"{path}: row {number}: {exc}")


def import_cases(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                 batch: int = 50_000) -> CaseImport:
    """All or nothing: one bad row and no case is kept. A clean CSV goes in on the fast path
    (SQLite parses and checks the fields); anything it refuses is read again on the careful path,
    which names every bad row."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        imported = fast_import(store, scheme, path)
        if imported is not None:
            return CaseImport(path, imported)
    return careful_import(store, scheme, path, progress, batch)


# One CSV row's cells, picked (and repeated where an expression uses a cell twice) by
# operator.itemgetter in C; SQLite checks each field, and the table's CHECK constraints refuse
# what does not parse, so a bad row stops the fast path at once.
FAST_INSERT = """
INSERT INTO cases (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks,
                   satisfaction, imported_at)
SELECT {scheme}, id, unit_name, nullif(source, ''),
       datetime(reported),
       CASE WHEN deadline = '' THEN NULL ELSE coalesce(datetime(deadline), 'invalid') END,
       CASE WHEN closed = '' THEN NULL ELSE coalesce(datetime(closed), 'invalid') END,
       CASE WHEN ext NOT GLOB '*[^0-9]*' THEN CAST(ext AS INTEGER) ELSE -1 END,
       CASE WHEN failed NOT GLOB '*[^0-9]*' THEN CAST(failed AS INTEGER) ELSE -1 END,
       nullif(sat, ''), {stamp}
FROM (SELECT ? AS id, ? AS unit_name, ? AS source, ? AS reported, ? AS deadline, ? AS closed, ? AS ext, ? AS failed,
             ? AS sat)
"""
FAST_ORDER = ("case_id", "unit", "source", "reported_at", "deadline", "closed_at", "extensions", "failed_checks",
              "satisfaction")

FAST_COUNTS = f"""
SELECT unit, substr(reported_at, 1, 7), count(*),
  sum(closed_at <= deadline AND extensions = 0), sum(closed_at <= deadline AND extensions > 0),
  sum(closed_at > deadline), sum(closed_at IS NOT NULL), sum(extensions), sum(max(extensions - 1, 0)),
  sum(failed_checks), sum(failed_checks > 0), sum(closed_at IS NOT NULL AND failed_checks = 0),
  sum(satisfaction IN ({", ".join(repr(x) for x in SATISFIED)})), sum(satisfaction IS NOT NULL)
FROM cases WHERE scheme = ? AND imported_at = ?
GROUP BY unit, substr(reported_at, 1, 7)
"""


def fast_import(store: Store, scheme: Scheme, path: Path) -> int | None:
    """The whole file in one ``executemany`` straight from the CSV reader; None when SQLite refused
    something (then nothing of it is kept and the careful path reports why)."""
    import csv
    import sqlite3

    from kaohe_tui.io.tabular import open_csv
    from kaohe_tui.units import UnitIndex, load_units

    with open_csv(path) as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except (StopIteration, UnicodeDecodeError, csv.Error):
            return None
        columns = map_columns(header, path)
        if set(columns) != set(COLUMNS):
            return None  # optional columns missing: the careful path handles them
        stamp = now() + f"#{path.name}"
        sql = FAST_INSERT.format(scheme=_quote(scheme.id), stamp=_quote(stamp))
        pick = operator.itemgetter(*(columns[f] for f in FAST_ORDER))
        index = UnitIndex(load_units(store, scheme))
        try:
            with store.transaction() as db:
                conn = db.conn
                conn.execute("PRAGMA cache_size = -131072")
                before = conn.total_changes
                # filter(None, …) drops blank lines; a short row raises IndexError → careful path
                conn.executemany(sql, map(pick, filter(None, reader)))
                imported = conn.total_changes - before
                # units are written as the file spells them; the monthly counts (one pass) show
                # every spelling, each resolved once: an alias is rewritten, an unknown name
                # sends the file to the careful path, which reports its rows
                counts = MonthlyCounts()
                for raw, month, *figures in conn.execute(FAST_COUNTS, [scheme.id, stamp]).fetchall():
                    unit = index.find(raw)
                    if unit is None:
                        raise ValueError(raw)
                    if unit.name != raw:
                        conn.execute("UPDATE cases SET unit = ? WHERE scheme = ? AND imported_at = ? AND unit = ?",
                                     [unit.name, scheme.id, stamp, raw])
                    counts.merge(unit.name, month, figures)
                counts.save(conn, scheme.id)
                store.audit("import-cases", scheme=scheme.id, new={"file": str(path), "cases": imported},
                            reason=f"import {path.name}")
                return imported
        except (sqlite3.IntegrityError, UnicodeDecodeError, csv.Error, ValueError, IndexError):
            return None  # rolled back whole; the careful path will say which rows and why


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def careful_import(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                   batch: int = 50_000) -> CaseImport:
    """Row by row in Python: every bad row named with its row number and column."""
    from kaohe_tui.io.tabular import read_table
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
        for case in case_rows(rows, columns, header, resolve, path, report.rejected):
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
