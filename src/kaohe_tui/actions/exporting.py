"""Exporting — the one call behind ``kaohe export`` and the TUI's ctrl+e: a scheme's results (the
plugins' signable unit sheets with them), its ledger or the audit log, for a period, written
whole or not at all; an existing file is replaced only with ``force``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import EXPORT_WHAT, t
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store

WHAT = ("results", "ledger", "audit")


@dataclass
class ExportOutcome:
    path: Path
    what: str  # results | ledger | audit
    rows: int  # units (results) or rows (ledger, audit) written


def export_formats() -> dict:
    """name → exporter (its ``suffix`` and writers): the built-in formats and the plugins'."""
    from kaohe_tui.io.exporters import exporters

    return exporters()


def export_kinds(scheme: Scheme) -> dict[str, str]:
    """What can be exported for ``scheme`` (``kaohe export --what``), each with the name a user
    reads: results, ledger, audit log, then the plugin's own lists (district-categories: 附件1, 附件2)."""
    from kaohe_tui.io.ledger_export import plugin_tables

    return {"results": t("export_what_results"), "ledger": EXPORT_WHAT["ledger"], "audit": EXPORT_WHAT["audit"],
            **{kind: table.title for kind, table in plugin_tables(scheme).items()}}


def export(store: Store, scheme: Scheme | str, period: Period | str, fmt: str, path: Path, what: str = "results",
           force: bool = False, progress: Callable[[int], None] | None = None) -> ExportOutcome:
    """``scheme``: the scheme or its id; an office year's own version is used for ``period``."""
    from kaohe_tui.io.exporters import export_results
    from kaohe_tui.scheme_years import for_period

    if fmt not in export_formats():
        raise KaoheError(t("option_one_of", option="--format", value=fmt, known="、".join(export_formats())))
    period = Period.parse(period) if isinstance(period, str) else period
    scheme = for_period(store, scheme, period)
    path = Path(path)
    if what != "results":
        from kaohe_tui.io.ledger_export import export_table

        rows = export_table(what, store, scheme, period, fmt, path, progress=progress, force=force)
        return ExportOutcome(path, what, rows)
    from kaohe_tui.scoring import score

    results = score(store, scheme, period)
    return ExportOutcome(Path(export_results(store, scheme, period, fmt, path, results=results, force=force)),
                         what, len(results))
