"""Getting a platform's case file in: all or nothing, every bad row named.

A clean UTF-8 CSV goes to the bulk helper (``bulk_cases``: SQLite reads the file itself, ~2.5×
the sqlite3 shell's ``.import``); whatever it will not take is read here, row by row, on the
careful path, which accepts the other forms platforms and spreadsheets write and names each row
it rejects. The counts kept per month are those of ``case_counts``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from kaohe_tui.case_counts import COLUMNS, REQUIRED, MonthlyCounts, begin_import, end_import
from kaohe_tui.errors import KaoheError
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store, now

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
              closed: dict[str, str] | None = None) -> Iterator[tuple]:
    """Checked case tuples, in table column order; bad rows go to ``rejected``; ``closed``: the
    months no case may arrive in → the closed period that freezes each."""
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
            if closed and (period := closed.get(reported[:7])):
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
                 batch: int = 50_000, row_by_row: Callable[[], None] | None = None) -> CaseImport:
    """All or nothing: one bad row and no case is kept. A clean UTF-8 CSV goes in on the bulk path
    (SQLite parses and checks the fields, see ``bulk_cases``); anything it refuses is read again on
    the careful path, which names every bad row (``row_by_row`` is told first: the counts the
    progress callback gets start again, and a big file now takes several times as long)."""
    from kaohe_tui.roles import authorize

    authorize(store, "import", scheme.id)  # every unit's scores move: a section's assessor may not
    path = Path(path)
    if path.suffix.lower() == ".csv":
        imported = bulk_path(store, scheme, path, progress)
        if imported is not None:
            return CaseImport(path, imported)
    if row_by_row:
        row_by_row()
    return careful_import(store, scheme, path, progress, batch)


def bulk_path(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None) -> int | None:
    """Hand a clean CSV to the bulk helper; None when it cannot or will not take it."""
    import csv

    from kaohe_tui import bulk_cases
    from kaohe_tui.io.tabular import open_csv
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
    return bulk_cases.bulk_import(store.path, scheme.id, path, columns, len(header), units, audit, progress)


def careful_import(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                   batch: int = 50_000) -> CaseImport:
    """Row by row in Python: every bad row named with its row number and column."""
    from kaohe_tui.io.tabular import read_table
    from kaohe_tui.ledger import closed_months
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
    sql = ("INSERT INTO cases (scheme, case_id, unit, source, reported_at, deadline, closed_at, extensions, "
           "failed_checks, satisfaction, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    with store.transaction() as db:
        conn = db.conn
        conn.execute("PRAGMA cache_size = -131072")  # 128 MB of pages while the index grows
        import_id = begin_import(conn, scheme.id, str(path), now(), store.user)
        chunk: list[tuple] = []
        closed = closed_months(store, scheme.id)
        for case in case_rows(rows, columns, header, resolve, path, report.rejected, closed):
            if report.rejected:
                continue  # nothing will be kept: just go on finding every bad row
            chunk.append((scheme.id, *case, import_id))
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
        end_import(conn, import_id, report.imported)
        store.audit("import-cases", scheme=scheme.id,
                    new={"file": str(path), "cases": report.imported, "import": import_id}, reason=f"import {path.name}")
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
