"""Importing a file into a scheme — the one dispatch both ``kaohe import`` and the TUI's ``i``
dialog call: ledger rows, platform cases, units, or a plugin's own kind (the roster, target
lists). All or nothing unless ``skip_invalid``; refused rows come back as ``RowError``s
(file, row, column, reason), never only as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kaohe_tui.actions.notes import Note
from kaohe_tui.row_errors import RowError, RowsRejected
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store

BUILT_IN = {"auto": "自动识别", "ledger": "台账记录", "cases": "平台案件", "units": "单位名单"}
WHAT = {"ledger": "记录", "cases": "案件", "units": "单位"}  # what "nothing imported" did not import
SKIPPABLE = ("ledger", "cases")  # kinds that take --skip-invalid


@dataclass
class ImportOutcome:
    path: Path
    kind: str  # ledger | cases | units | a plugin's kind
    written: bool  # False: every row was refused together, nothing was written
    headline: Note  # what happened, in one sentence
    notes: list[Note] = field(default_factory=list)  # what else the user must know (unused columns …)
    rejected: list[RowError] = field(default_factory=list)
    rejects_file: Path | None = None  # skip_invalid: the refused rows, written beside the input
    report: object | None = None  # the importer's own report, for a caller that wants more

    @property
    def skippable(self) -> bool:
        return self.kind in SKIPPABLE

    def lines(self) -> list[str]:
        return [self.headline.text(), *(n.text() for n in self.notes)]


def import_kinds(scheme: Scheme) -> dict[str, str]:
    """kind → title: the built-in kinds and the plugins' formats for this scheme."""
    from kaohe_tui.io.formats import plugin_importers

    return BUILT_IN | {kind: f"{imp.title}（{kind}）" for kind, imp in plugin_importers(scheme.id).items()}


def import_file(store: Store, scheme: Scheme, path: Path, kind: str = "auto", *, period: str | None = None,
                skip_invalid: bool = False, supersede: bool = False, profile: str | None = None,
                overrides: dict[str, str] | None = None,
                progress: Callable[[int], None] | None = None,
                row_by_row: Callable[[], None] | None = None) -> ImportOutcome:
    """``kind`` auto: judged by the header (a plugin's detector, a case file's columns or a known
    import profile, else ledger rows). ``period``: the ledger's default period; ``profile`` and
    ``overrides`` (header → field): how a case file's columns are read; ``supersede``: a ledger row may
    replace the figure a one-figure input already has. A bad file raises
    ``KaoheError`` (``MissingColumns`` for a case file whose columns are not known)."""
    from kaohe_tui.case_import import file_header, fits_a_profile
    from kaohe_tui.io.formats import choose

    path = Path(path)
    header = file_header(path) if kind == "auto" else None
    mapped = overrides or profile or (header is not None and fits_a_profile(header, store.path))
    chosen = choose("cases" if mapped and kind == "auto" else kind, scheme.id, header)
    if not isinstance(chosen, str):  # a plugin's format: it raises, writing nothing, on a bad file
        try:
            summary = chosen.run(store, scheme, path)
        except RowsRejected as exc:
            return _refused(path, chosen.kind, exc.rejected)
        return ImportOutcome(path, chosen.kind, True, Note("plugin_import_done", {"summary": str(summary)}))
    if chosen == "cases":
        return _cases(store, scheme, path, skip_invalid, profile, overrides, progress, row_by_row)
    if chosen == "units":
        return _units(store, scheme, path)
    return _ledger(store, scheme, path, period, skip_invalid, supersede, progress)


def _refused(path: Path, kind: str, rejected: list[RowError]) -> ImportOutcome:
    headline = Note("import_rejected", {"file": str(path), "rejected": len(rejected), "what": WHAT.get(kind, "内容")})
    return ImportOutcome(path, kind, False, headline, rejected=list(rejected))


def _ledger(store, scheme, path, period, skip_invalid, supersede, progress) -> ImportOutcome:
    from kaohe_tui.io.ledger_import import import_ledger

    if not period:  # rows of one office year are checked against that year's scheme
        from kaohe_tui.io.ledger_import import for_ledger_file

        scheme = for_ledger_file(store, scheme, path)
    report = import_ledger(store, scheme, path, period=period or None, skip_invalid=skip_invalid, progress=progress,
                           supersede=supersede)
    if report.rejected and not skip_invalid:
        return _refused(path, "ledger", report.rejected)
    fields = {"imported": report.imported, "rejected": len(report.rejected), "rejects_file": report.rejects_file}
    headline = Note("import_records_done", fields, ("import_skipped",) if report.rejected else ())
    return ImportOutcome(path, "ledger", True, headline, rejected=report.rejected,
                         rejects_file=report.rejects_file, report=report)


def _cases(store, scheme, path, skip_invalid, profile, overrides, progress, row_by_row) -> ImportOutcome:
    from kaohe_tui.case_import import CaseImportRejected, import_cases

    try:
        report = import_cases(store, scheme, path, progress=progress, row_by_row=row_by_row, profile=profile,
                              overrides=overrides or None, skip_invalid=skip_invalid)
    except CaseImportRejected as exc:
        return _refused(path, "cases", exc.report.rejected)
    fields = {"imported": report.imported, "updated": report.updated, "unchanged": report.unchanged,
              "rejected": len(report.rejected), "rejects_file": report.rejects_file}
    more = ("import_cases_updated",) if report.updated else ("import_cases_unchanged",) if report.unchanged else ()
    headline = Note("import_cases_done", fields, more + (("import_skipped",) if report.rejected else ()))
    notes = []
    if report.profile != "default":
        notes.append(Note("case_profile", {"profile": report.profile}))
    if report.ignored:
        notes.append(Note("case_ignored", {"columns": "、".join(report.ignored)}))
    notes += [Note("note", {"text": text}) for text in report.notes]
    return ImportOutcome(path, "cases", True, headline, notes, rejected=report.rejected,
                         rejects_file=report.rejects_file, report=report)


def _units(store, scheme, path) -> ImportOutcome:
    from kaohe_tui.io.units_import import import_units

    try:
        report = import_units(store, scheme, path)
    except RowsRejected as exc:
        return _refused(path, "units", exc.rejected)
    fields = {k: getattr(report, k, 0) for k in ("added", "updated", "replaced", "renamed")}
    more = tuple(f"import_units_{k}" for k in ("replaced", "renamed") if fields[k])
    return ImportOutcome(path, "units", True, Note("import_units_done", fields, more), report=report)
