"""Which case files go the bulk way, and the job the bulk helper (``bulk_cases``) is given.

Every CSV in UTF-8 does, whatever its layout: the columns are mapped as the careful path maps
them (``--map``, then the profile, then the built-in names), and the profile's answers,
statuses and choice of times travel with the job. The helper takes the file whole or refuses it;
refused, the careful path reads it and names every bad row (or takes what SQL could not: a time
form only Python reads, a GBK file). A later export of known cases goes this way too: the helper
updates them by id (``bulk_reimport``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe_tui.errors import KaoheError

if TYPE_CHECKING:
    from kaohe_tui.case_report import CaseImport
    from kaohe_tui.scheme import Scheme
    from kaohe_tui.store import Store


def read_header(path: Path) -> list[str] | None:
    """The first row of a UTF-8 CSV the bulk reader can split, else None."""
    import csv

    from kaohe_tui.io.tabular import open_csv

    try:
        with open_csv(path) as fh:
            if fh.encoding.lower().replace("-", "") not in ("utf8", "utf8sig"):
                return None  # GBK and the like: the careful path decodes them
            head = fh.read(1 << 16)
            if "\r" in head.replace("\r\n", ""):
                return None  # line ends the bulk reader does not split on (CR alone): careful path
            fh.seek(0)
            return [h.strip() for h in next(csv.reader(fh))]
    except (OSError, StopIteration, UnicodeDecodeError, csv.Error):
        return None


def bulk_path(store: Store, scheme: Scheme, path: Path, progress: Callable[[int], None] | None,
              report: CaseImport | None = None, *, profile: str | None = None,
              overrides: dict[str, str] | None = None) -> int | None:
    """Hand a UTF-8 CSV to the bulk helper: the cases imported, or None when it cannot or will
    not take it (``report`` is told the profile, the columns left unused and what to note)."""
    from kaohe_tui import bulk_cases
    from kaohe_tui.case_profiles import choose_profile, map_header
    from kaohe_tui.case_report import scheme_months, untimed_note
    from kaohe_tui.units import UnitIndex, load_units

    if not bulk_cases.available() or store.db.conn.in_transaction or not store.path.exists():
        return None
    header = read_header(Path(path))
    if header is None:
        return None
    try:
        mapping = map_header(header, path, choose_profile(header, profile, store.path), overrides)
    except KaoheError:
        return None  # the careful path says which column is missing (or finds the header lower down)
    columns, chosen = mapping.columns, mapping.profile
    # the case's period: its 立案 time when the profile says so and the file has one, as case_rows
    period = "filed_at" if chosen.period == "filed" and "filed_at" in columns else "reported_at"
    if period == "reported_at" and "reported_at" not in columns:
        period = "filed_at"
    closing = "disposed_at" if chosen.closing == "disposed" and "disposed_at" in columns else "closed_at"
    months = scheme_months(scheme)
    job = {"scheme": scheme.id, "columns": columns, "width": len(header), "period_field": period,
           "closing_field": closing, "untimed": "deadline" not in columns,
           "void": list(chosen.void), "force_closed": list(chosen.force_closed), "satisfied": list(chosen.satisfied),
           "unsatisfied": list(chosen.unsatisfied), "not_visited": list(chosen.not_visited),
           "profile": chosen.name, "ignored": mapping.ignored,
           "units": {key: unit.name for key, unit in UnitIndex(load_units(store, scheme)).by_key.items()},
           "audit": store.audit_row("import-cases", scheme=scheme.id, reason=f"import {Path(path).name}"),
           "months": sorted(months) if months is not None else None}
    told: dict = {}
    imported = bulk_cases.bulk_import(store.path, path, job, progress, told)
    if imported is not None and report is not None:
        report.ignored, report.profile = mapping.ignored, chosen.name
        report.updated, report.unchanged = told.get("updated", 0), told.get("unchanged", 0)
        if job["untimed"]:
            report.notes.append(untimed_note(scheme))
    return imported
