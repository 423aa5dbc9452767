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

STATS_SQL = """
SELECT unit,
  count(*) AS due,
  sum(closed_at IS NOT NULL AND closed_at <= deadline AND extensions = 0) AS on_time,
  sum(closed_at IS NOT NULL AND closed_at <= deadline AND extensions > 0) AS extended,
  sum(closed_at IS NOT NULL AND closed_at > deadline) AS overdue,
  sum((closed_at IS NOT NULL AND closed_at > deadline) OR (closed_at IS NULL AND deadline < :until)) AS red_light,
  sum(closed_at IS NOT NULL) AS closed,
  sum(extensions) AS extensions,
  sum(max(extensions - 1, 0)) AS extensions_after_first,
  sum(failed_checks) AS failed_checks,
  sum(failed_checks > 0) AS rework,
  sum(closed_at IS NOT NULL AND failed_checks = 0) AS first_time,
  sum(satisfaction IN ('满意', '基本满意', 'satisfied', '1')) AS satisfied,
  sum(coalesce(satisfaction, '') != '') AS visited
FROM cases
WHERE scheme = :scheme AND reported_at >= :since AND reported_at < :until
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
    """Every unit's case counts for the period, from one aggregate query."""
    since, until = _bounds(period)
    out = {}
    for row in store.db.query(STATS_SQL, {"scheme": scheme.id, "since": since, "until": until}):
        stats = {k: float(v or 0) for k, v in row.items() if k != "unit"}
        stats["satisfaction_rate"] = stats["satisfied"] / stats["visited"] * 100 if stats["visited"] else 0.0
        stats["first_time_rate"] = stats["first_time"] / stats["closed"] * 100 if stats["closed"] else 0.0
        stats["closure_rate"] = stats["closed"] / stats["due"] * 100 if stats["due"] else 0.0
        out[row["unit"]] = stats
    return out


def derived_entries(store: Store, scheme: Scheme, period: Period, units: dict[str, str | None]) -> list[Entry]:
    """The records a scheme's case feeds make of the period's cases (``units``: name → category)."""
    if not scheme.case_feeds or not store.db["cases"].count_where("scheme = ?", [scheme.id]):
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
                f"SELECT case_id, unit, {column} FROM cases WHERE scheme = ? AND reported_at >= ? AND reported_at < ? "
                f"AND {column} > 0 ORDER BY case_id", [scheme.id, since, until])
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


def _timestamp(raw: str, column: str, *, required: bool) -> str | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise KaoheError(f"{column}: empty")
        return None
    text = raw.replace("/", "-").replace("T", " ")
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, form).isoformat(sep=" ")
        except ValueError:
            continue
    raise KaoheError(f"{column}: {raw!r} is not a date-time (YYYY-MM-DD HH:MM[:SS])")


def _count(raw: str, column: str) -> int:
    raw = (raw or "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        raise KaoheError(f"{column}: {raw!r} must be a whole number ≥ 0")
    return int(raw)


def case_rows(rows: Iterator[tuple[int, dict]], mapping: dict[str, str], resolve: Callable[[str], str],
              path: Path, rejected: list[str]) -> Iterator[tuple]:
    """Checked case tuples, in table column order; bad rows go to ``rejected``."""
    seen: set[str] = set()
    for number, row in rows:
        get = lambda f: row.get(mapping[f], "") if f in mapping else ""  # noqa: E731
        try:
            case_id = get("case_id").strip()
            if not case_id:
                raise KaoheError(f"{mapping['case_id']}: empty case id")
            if case_id in seen:
                raise KaoheError(f"{mapping['case_id']}: case {case_id} appears earlier in the file")
            seen.add(case_id)
            yield (case_id, resolve(get("unit")), get("source").strip() or None,
                   _timestamp(get("reported_at"), mapping["reported_at"], required=True),
                   _timestamp(get("deadline"), mapping.get("deadline", "deadline"), required=False),
                   _timestamp(get("closed_at"), mapping.get("closed_at", "closed_at"), required=False),
                   _count(get("extensions"), mapping.get("extensions", "extensions")),
                   _count(get("failed_checks"), mapping.get("failed_checks", "failed_checks")),
                   get("satisfaction").strip() or None)
        except KaoheError as exc:
            rejected.append(f"{path}: row {number}: {exc}")


def import_cases(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                 batch: int = 20_000) -> CaseImport:
    """All or nothing: one bad row and no case is kept. Units are resolved once per distinct name."""
    from kaohe_tui.io.tabular import read_rows
    from kaohe_tui.names import norm
    from kaohe_tui.units import UnitIndex, load_units

    path = Path(path)
    header, rows = read_rows(path)
    mapping = map_columns(header, path)
    index = UnitIndex(load_units(store, scheme))
    resolved: dict[str, str] = {}

    def resolve(name: str) -> str:
        key = norm(name)
        if key not in resolved:
            resolved[key] = index.resolve(name, field_name=mapping["unit"]).name
        return resolved[key]

    report = CaseImport(path)
    stamp = now()
    sql = ("INSERT INTO cases (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, "
           "failed_checks, satisfaction, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    with store.transaction() as db:
        conn = db.conn
        chunk: list[tuple] = []
        for case in case_rows(rows, mapping, resolve, path, report.rejected):
            if report.rejected:
                continue  # nothing will be kept: just go on finding every bad row
            chunk.append((scheme.id, *case, stamp))
            if len(chunk) >= batch:
                report.imported += _insert(conn, sql, chunk, path, report.rejected)
                chunk = []
                if progress:
                    progress(report.imported)
        if not report.rejected:
            report.imported += _insert(conn, sql, chunk, path, report.rejected)
        if report.rejected:
            raise CaseImportRejected(report)
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


def map_columns(header: list[str], path: Path) -> dict[str, str]:
    from kaohe_tui.names import norm

    by_key = {norm(h).lower(): h for h in header if h}
    mapping = {}
    for fld, names in COLUMNS.items():
        for name in names:
            if norm(name).lower() in by_key:
                mapping[fld] = by_key[norm(name).lower()]
                break
    missing = [f"{f}/{COLUMNS[f][1]}" for f in REQUIRED if f not in mapping]
    if missing:
        raise KaoheError(f"{path}: missing column(s) {', '.join(missing)}")
    return mapping


def looks_like_cases(header: list[str]) -> bool:
    from kaohe_tui.names import norm

    keys = {norm(h).lower() for h in header}
    return any(norm(n).lower() in keys for n in COLUMNS["case_id"])
