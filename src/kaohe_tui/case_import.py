"""Getting a platform's case file in: all or nothing, every bad row named.

A clean UTF-8 CSV goes to the bulk helper (``bulk_cases``: SQLite reads the file itself through
kaohe's C reader, ~1.5–2× the sqlite3 shell's ``.import``); whatever it will not take is read here, row by row, on the
careful path, which accepts the other forms platforms and spreadsheets write and names each row
it rejects. What the counts kept per month count: ``case_classes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from kaohe_tui import chain
from kaohe_tui.case_bulk import bulk_path  # noqa: F401  (the bulk path: case_bulk)
from kaohe_tui.case_counts import (
    ALL_COLUMNS,
    CASE_FIELDS,
    CountChanges,
    begin_import,
    end_import,
    satisfaction_class,
    update_audit,
)
from kaohe_tui.case_profiles import (
    DEFAULT,
    FIELD_LABELS,
    Mapping,
    all_profiles,
    choose_profile,
    known_header,
    map_header,
)
from kaohe_tui.case_report import CaseImport, scheme_months, untimed_note  # noqa: F401 — callers import them from here
from kaohe_tui.case_times import parse_time
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.numbers import parse_count
from kaohe_tui.row_errors import RowError
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store, now

MAX_COUNT_DIGITS = 6  # a count of extensions or failed checks longer than this is a broken cell
MAX_ID = 200  # characters of a case id


def _count(raw: str, column: str) -> int:
    if len(raw) > MAX_COUNT_DIGITS:  # the bulk path's limit too: both paths take the same cells
        raise KaoheError(t("case_count_large", column=column, raw=raw))
    return parse_count(raw, column)


def _status_text(raw: str) -> str:
    return raw.strip().strip("[]【】").strip()  # 网格中心 writes [结案], [作废]


def case_rows(rows: Iterator[tuple[int, list[str]]], mapping: Mapping, header: list[str],
              resolve: Callable[[str], str], path: Path, rejected: list[RowError],
              closed: dict[str, str] | None = None, months: set[str] | None = None) -> Iterator[tuple]:
    """Checked case tuples (``CASE_FIELDS``) with their row numbers; bad rows go to ``rejected``;
    ``closed``: the months no case may arrive in → the closed period that freezes each;
    ``months``: the months of the scheme's periods (None: any)."""
    profile = mapping.profile
    absent = len(header)
    at = {f: mapping.columns.get(f, absent) for f in ALL_COLUMNS}  # a missing column reads as ""
    name = {f: header[i] if i < absent else FIELD_LABELS[f] for f, i in at.items()}
    period_field = "filed_at" if profile.period == "filed" and "filed_at" in mapping.columns else "reported_at"
    if period_field == "reported_at" and "reported_at" not in mapping.columns:
        period_field = "filed_at"
    closing_field = "disposed_at" if profile.closing == "disposed" and "disposed_at" in mapping.columns else "closed_at"
    untimed = "deadline" not in mapping.columns
    void, forced = {*profile.void}, {*profile.force_closed}
    forms = profile.time_forms

    def time(values, fld, **kw):
        return parse_time(values[at[fld]], name[fld], forms=forms, **kw)

    seen: set[str] = set()
    for number, values in rows:
        values.append("")  # index `absent` → ""
        try:
            case_id = "".join(values[at["case_id"]].split())  # no whitespace means anything in an id
            if not case_id:
                raise KaoheError(t("case_empty_id", column=name["case_id"]))
            if len(case_id) > MAX_ID:
                raise KaoheError(t("case_id_long", column=name["case_id"], length=len(case_id)))
            if case_id in seen:
                raise KaoheError(t("case_twice", column=name["case_id"], case=case_id))
            seen.add(case_id)
            reported = time(values, period_field, required=True)
            if closed and (period := closed.get(reported[:7])):
                raise KaoheError(t("case_in_closed", column=name["reported_at"], time=reported, period=period))
            if months is not None and reported[:7] not in months:
                raise KaoheError(t("case_outside", column=name[period_field], time=reported))
            if period_field == "filed_at" and (first := time(values, "reported_at")) and reported < first:
                raise KaoheError(t("case_before", column=name["filed_at"], time=reported, other=name["reported_at"],
                                   first=first))
            stage = _status_text(values[at["status"]])
            status = "void" if stage in void else None
            closed_at = time(values, closing_field)
            forced_at = time(values, "force_closed_at")
            if forced_at or (stage in forced and status is None):
                status = status or "force_closed"
                closed_at = closed_at or forced_at  # a forced closure closes the case at its time
            if closed_at is not None and closed_at < reported:
                raise KaoheError(t("case_before", column=name[closing_field], time=closed_at, other=name[period_field],
                                   first=reported))
            answer = "".join(values[at["satisfaction"]].split())
            try:
                satisfied = satisfaction_class(answer, profile.satisfied, profile.unsatisfied, profile.not_visited)
            except ValueError:
                raise KaoheError(t("case_answer", column=name["satisfaction"], answer=answer,
                                   satisfied="/".join(profile.satisfied), unsatisfied="/".join(profile.unsatisfied),
                                   not_visited="/".join(profile.not_visited))) from None
            yield number, (case_id, resolve(values[at["unit"]]), values[at["source"]] or None, reported,
                           time(values, "deadline", end_of_day=True), closed_at,
                           _count(values[at["extensions"]], name["extensions"]),
                           _count(values[at["failed_checks"]], name["failed_checks"]),
                           answer if satisfied is not None else None, satisfied, status, int(untimed))
        except KaoheError as exc:
            rejected.append(RowError(path, number, exc))


def import_cases(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                 batch: int = 50_000, row_by_row: Callable[[], None] | None = None, *,
                 profile: str | None = None, overrides: dict[str, str] | None = None,
                 skip_invalid: bool = False) -> CaseImport:
    """All or nothing (or, with ``skip_invalid``, the good rows): one bad row and no case is kept.
    A clean UTF-8 CSV in kaohe's own layout goes in on the bulk path (SQLite parses and checks
    the fields, see ``bulk_cases``); anything it refuses, and every other layout, is read on the
    careful path, which names every bad row (``row_by_row`` is told first: the counts the
    progress callback gets start again, and a big file now takes several times as long).
    ``profile``: an import profile's name (else chosen by the header); ``overrides``: header →
    field for this file (``--map``)."""
    from kaohe_tui.roles import authorize

    authorize(store, "import", scheme.id)  # every unit's scores move: a section's assessor may not
    path = Path(path)
    if path.suffix.lower() == ".csv":
        report = CaseImport(path)
        imported = bulk_path(store, scheme, path, progress, report, profile=profile, overrides=overrides)
        if imported is not None:
            report.imported = imported
            return report
    if row_by_row:
        row_by_row()
    return careful_import(store, scheme, path, progress, batch, profile=profile, overrides=overrides,
                          skip_invalid=skip_invalid)


def careful_import(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None = None,
                   batch: int = 50_000, *, profile: str | None = None, overrides: dict[str, str] | None = None,
                   skip_invalid: bool = False) -> CaseImport:
    """Row by row in Python: every bad row named with its row number and column. A case already
    imported is updated from the file (a later export), each change in the audit."""
    from kaohe_tui.io.tabular import read_table
    from kaohe_tui.ledger import closed_months
    from kaohe_tui.units import UnitIndex, load_units

    path = Path(path)
    known, mine = header_test(all_profiles(store.path)), {k.lower() for k in overrides or {}}
    header, rows = read_table(path, known=lambda h: known(h) or h.lower() in mine)
    mapping = map_header(header, path, choose_profile(header, profile, store.path), overrides)
    index = UnitIndex(load_units(store, scheme))
    resolved: dict[str, str] = {}

    def resolve(name: str) -> str:
        unit = resolved.get(name)
        if unit is None:
            unit = resolved[name] = index.resolve(name, field_name=header[mapping.columns["unit"]]).name
        return unit

    report = CaseImport(path, ignored=mapping.ignored, profile=mapping.profile.name)
    if "deadline" not in mapping.columns:
        report.notes.append(untimed_note(scheme))
    numbered: dict[int, list[str]] = {}

    def remember(rows):  # --skip-invalid writes the refused rows out as they were
        for number, values in rows:
            numbered[number] = list(values)
            yield number, values

    with store.transaction() as db:
        conn = db.conn
        conn.execute("PRAGMA cache_size = -131072")  # 128 MB of pages while the index grows
        import_id = begin_import(conn, scheme.id, str(path), now(), store.user)
        counts = CountChanges(conn)
        writer = CaseWriter(store, scheme.id, import_id, counts, report, path)
        chunk: list[tuple[int, tuple]] = []
        closed = closed_months(store, scheme.id)
        source = remember(rows) if skip_invalid else rows
        for number, case in case_rows(source, mapping, header, resolve, path, report.rejected, closed,
                                      scheme_months(scheme)):
            if report.rejected and not skip_invalid:
                continue  # nothing will be kept: just go on finding every bad row
            chunk.append((number, case))
            if len(chunk) >= batch:
                writer.write(chunk, closed)
                chunk = []
                if progress:
                    progress(report.imported + report.updated + report.unchanged)
        if not report.rejected or skip_invalid:
            writer.write(chunk, closed)
        if report.rejected and not skip_invalid:
            raise CaseImportRejected(report)
        counts.save(scheme.id)
        end_import(conn, import_id, report.imported)
        conn.execute("UPDATE case_imports SET updated = ?, profile = ? WHERE id = ?",
                     [report.updated, report.profile, import_id])
        store.audit("import-cases", scheme=scheme.id,
                    new={"file": str(path), "cases": report.imported, "updated": report.updated, "import": import_id,
                         "profile": report.profile, "ignored": report.ignored, "rejected": len(report.rejected)},
                    reason=f"import {path.name}")
    if report.rejected:
        report.rejects_file = write_rejects(path, header, report.rejected, numbered)
    return report


def write_rejects(path: Path, header: list[str], rejected: list[RowError], numbered: dict[int, list[str]]) -> Path:
    """The refused rows beside the file: row number, the row as read, the reason (RowError's fields)."""
    from kaohe_tui.io.tabular import write_csv

    target = path.with_name(path.stem + ".rejected.csv")
    rows = []
    for message in rejected:
        number = getattr(message, "row", None)
        values = numbered.get(number, []) if number else []
        rows.append([number or "", *values[:len(header)], getattr(message, "reason", message)])
    write_csv(target, ["行号", *header, "原因"], rows)
    return target


class CaseWriter:
    """Writes checked cases: new ones inserted, known ones (same scheme and id) updated where the
    file changes them, each change old → new in the audit; the monthly counts follow."""

    def __init__(self, store: Store, scheme_id: str, import_id: int, counts: CountChanges, report: CaseImport,
                 path: Path):
        self.store, self.scheme_id, self.import_id, self.counts, self.report, self.path = (
            store, scheme_id, import_id, counts, report, path)
        self.conn = store.db.conn
        columns = ", ".join(CASE_FIELDS)
        self.insert_sql = (f"INSERT INTO cases (scheme, {columns}, import_id) "
                           f"VALUES (?, {', '.join('?' * len(CASE_FIELDS))}, ?)")
        self.update_sql = (f"UPDATE cases SET {', '.join(f'{c} = ?' for c in CASE_FIELDS[1:])}, "
                           "first_import_id = coalesce(first_import_id, import_id), import_id = ? "
                           "WHERE scheme = ? AND case_id = ?")

    def known(self, ids: list[str]) -> dict[str, tuple]:
        found = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for row in self.conn.execute(f"SELECT {', '.join(CASE_FIELDS)} FROM cases WHERE scheme = ? "
                                         f"AND case_id IN ({','.join('?' * len(part))})", [self.scheme_id, *part]):
                found[row[0]] = tuple(row)
        return found

    def write(self, chunk: list[tuple[int, tuple]], closed: dict[str, str]) -> None:
        old = self.known([case[0] for _, case in chunk])
        inserts, updates, audits, changes = [], [], [], []
        for number, case in chunk:
            before = old.get(case[0])
            if before is None:
                inserts.append((self.scheme_id, *case, self.import_id))
                changes.append(_counted(case, 1))
                continue
            if before == case:
                self.report.unchanged += 1
                continue
            if period := closed.get(before[3][:7]):
                said = t("case_counted_closed", case=case[0], period=period)
                self.report.rejected.append(RowError(self.path, number, said))
                continue
            changes += [_counted(before, -1), _counted(case, 1)]
            updates.append((*case[1:], self.import_id, self.scheme_id, case[0]))
            old_fields, new_fields = update_audit(before, case, self.import_id)
            audits.append(self.store.audit_row("update-case", scheme=self.scheme_id, unit=case[1], old=old_fields,
                                               new=new_fields, reason=f"import {self.path.name}"))
        self.conn.executemany(self.insert_sql, inserts)
        self.conn.executemany(self.update_sql, updates)
        self.counts.add(changes)
        for audit in audits:  # each a link of the chain (``kaohe verify`` walks it)
            chain.append(self.conn, audit)
        self.report.imported += len(inserts)
        self.report.updated += len(updates)



def _counted(case: tuple, sign: int) -> tuple:
    """A case (``CASE_FIELDS``) as ``CountChanges`` takes it: its sign, then ``case_classes.ROW``."""
    (_, unit, _, reported, deadline, closed_at, ext, failed, _, satisfied, status, untimed) = case
    return sign, unit, reported, deadline, closed_at, ext, failed, satisfied, status, untimed


def summary_lines(report: CaseImport) -> list[str]:
    """What an import did, for a person: the count first, then the columns left unused and notes."""
    first = f"imported {report.imported} case(s)"
    if report.updated or report.unchanged:
        first += (f"; {report.unchanged} unchanged" if not report.updated
                  else f"; {report.updated} updated, {report.unchanged} unchanged")
    if report.rejected:
        first += f"; {len(report.rejected)} rejected, see {report.rejects_file}"
    lines = [first]
    if report.profile != "default":
        lines.append(f"导入配置：{report.profile}")
    if report.ignored:
        lines.append(f"未使用的列：{'、'.join(report.ignored)}")
    return lines + report.notes


class CaseImportRejected(KaoheError):
    def __init__(self, report: CaseImport):
        self.report = report
        super().__init__(f"{report.path}: {len(report.rejected)} invalid row(s); no case imported")


def map_columns(header: list[str], path: Path) -> dict[str, int]:
    """field → the index of the column holding it (the built-in names)."""
    return map_header(header, path).columns


def header_test(profiles: dict | None = None) -> Callable[[str], bool]:
    """Whether a cell names a case column (built-in names, or any profile's)."""
    known = known_header(DEFAULT)
    profiles = all_profiles() if profiles is None else profiles
    return lambda h: known(h) or any(p.knows(h) for p in profiles.values())


def file_header(path: Path) -> list[str]:
    """A file's header as ``--kind auto`` should judge it: below title rows where case columns
    are named there (else the first row, as every other kind of file has it)."""
    from kaohe_tui.io.tabular import read_table

    return read_table(path, known=header_test())[0]


def fits_a_profile(header: list[str], db_path: Path | None) -> bool:
    """Whether an import profile (the office's own beside the database too) maps this header."""
    return choose_profile(header, db_path=db_path) is not DEFAULT


def looks_like_cases(header: list[str]) -> bool:
    """A case file: a case-id header, or two headers only case files have (a file without its id
    column is then told what is missing, not answered with the ledger's error)."""
    from kaohe_tui.names import norm

    keys = {norm(h).lower() for h in header}
    if any(norm(n).lower() in keys for n in ALL_COLUMNS["case_id"]):
        return True
    own = [f for f in ("reported_at", "filed_at", "deadline", "closed_at", "status", "force_closed_at", "disposed_at")
           if any(norm(n).lower() in keys for n in ALL_COLUMNS[f])]
    if len(own) >= 2:
        return True
    return any(p.columns and all(norm(h).lower() in keys for h in p.columns) for p in all_profiles().values())
