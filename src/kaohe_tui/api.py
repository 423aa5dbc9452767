"""Everything a plugin may import from kaohe, in one module (guide: docs/PLUGINS.md).

A plugin imports ``from kaohe_tui.api import …`` and nothing else of ``kaohe_tui``: the core's
modules may move, these names stay. The TUI's pieces (screens, tables, forms) are loaded only when
a plugin first asks for one, so that the CLI never imports Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaohe_tui.case_counts import ALL_COLUMNS, NOT_VISITED, SATISFIED

# -- schemes and units ---------------------------------------------------------------------------
from kaohe_tui.catalog import declared_units
from kaohe_tui.catalog import get as get_scheme
from kaohe_tui.closed import closed_months, refuse_if_closed
from kaohe_tui.consequences import ConsequenceType

# -- errors, names, text ---------------------------------------------------------------------------
from kaohe_tui.errors import KaoheError, RecordError, SchemeError

# -- the hook contract -------------------------------------------------------------------------
from kaohe_tui.hookspecs import hookimpl

# -- files in, files out --------------------------------------------------------------------------
from kaohe_tui.io.exporters import Exporter, UnitSheet
from kaohe_tui.io.formats import Importer
from kaohe_tui.io.tabular import read_rows
from kaohe_tui.ledger import Draft, add_record, checked_period, clean_text, parse_number
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.paths import bundled

# -- periods --------------------------------------------------------------------------------------
from kaohe_tui.periods import Period, month_runs, parse_date
from kaohe_tui.roles import authorize
from kaohe_tui.row_errors import RowError, RowsRejected

# -- rule types ---------------------------------------------------------------------------------
from kaohe_tui.rules import all_types as rule_types
from kaohe_tui.rules import get as rule_type
from kaohe_tui.rules.base import Context, Entry, Line, Outcome, Params, RuleType, fmt, latest, missing_outcome, pts
from kaohe_tui.rules.deductions import attr_true
from kaohe_tui.rules.quota import QuotaTally, parse_standard
from kaohe_tui.rules.statistics import figure_of, month_of
from kaohe_tui.scheme import PATH_SEP, Clause, Consequence, Indicator, Scheme, Unit, walk

# -- the office's own years of a scheme (kaohe scheme new-year / set) -----------------------------
# ``scheme_for_period(store, scheme, period)``: the scheme as it stands for a period — the office
# year's own version (its parameters, units, ranks), a closed period's the version it was signed
# under; a year the scheme does not have gives the built-in one, whose period check refuses it.
# ``scheme_years(store, scheme)``: every year the scheme has, [{"year", "kind", "version", …}].
from kaohe_tui.scheme_years import for_period as scheme_for_period
from kaohe_tui.scheme_years import years_of as scheme_years

# -- scores ---------------------------------------------------------------------------------------
from kaohe_tui.scoring import IndicatorResult, Scorer, UnitResult, find_result

# -- the database: read, and write through the core's checks ----------------------------------------
from kaohe_tui.store import Store, now
from kaohe_tui.target_lists import import_targets, seed_items
from kaohe_tui.target_lists import items as target_items

# -- screens (the contract is Textual-free; the widgets below load Textual on first use) ------------
from kaohe_tui.tui.extension import SchemeScreen
from kaohe_tui.units import UnitIndex, ensure_registered, load_units

if TYPE_CHECKING:
    from kaohe_tui.tui.common import FLAG, scheme_periods
    from kaohe_tui.tui.screens.error import describe
    from kaohe_tui.tui.screens.form import FormModal
    from kaohe_tui.tui.screens.parameters import ParametersScreen, YearScreen
    from kaohe_tui.tui.widgets.tables import FilterInput, KTable


def open_store(db: str | Path | None = None) -> Store:
    """The database at ``db`` (None: the office's default), every loaded scheme registered in it
    — what a plugin's own ``kaohe`` subcommand opens."""
    store = Store(db)
    ensure_registered(store)
    return store


# name → module of the TUI pieces, imported when first asked for
_TUI = {
    "FLAG": "kaohe_tui.tui.common",
    "scheme_periods": "kaohe_tui.tui.common",
    "describe": "kaohe_tui.tui.screens.error",
    "FormModal": "kaohe_tui.tui.screens.form",
    "ParametersScreen": "kaohe_tui.tui.screens.parameters",
    "YearScreen": "kaohe_tui.tui.screens.parameters",
    "FilterInput": "kaohe_tui.tui.widgets.tables",
    "KTable": "kaohe_tui.tui.widgets.tables",
}


def __getattr__(name: str) -> Any:
    if name in _TUI:
        import importlib

        return getattr(importlib.import_module(_TUI[name]), name)
    raise AttributeError(f"module 'kaohe_tui.api' has no attribute {name!r}")


from kaohe_tui.io.ledger_export import Table as ListTable  # noqa: E402 — a plugin's printable list (--what)

__all__ = [
    "ListTable",
    "hookimpl",
    "KaoheError", "RecordError", "SchemeError", "t", "norm", "bundled",
    "Period", "parse_date",
    "declared_units", "get_scheme", "scheme_for_period", "scheme_years",
    "PATH_SEP", "Clause", "Consequence", "Indicator", "Scheme", "Unit", "walk",
    "UnitIndex", "ensure_registered", "load_units",
    "rule_types", "Context", "Entry", "Line", "Outcome", "Params", "RuleType", "fmt", "latest", "missing_outcome",
    "pts",
    "attr_true",
    "figure_of", "month_of", "month_runs", "parse_standard", "QuotaTally", "rule_type", "ConsequenceType",
    "Store", "now", "open_store", "Draft", "add_record", "checked_period", "clean_text", "parse_number",
    "closed_months", "refuse_if_closed", "authorize", "import_targets", "target_items", "seed_items",
    "ALL_COLUMNS", "NOT_VISITED", "SATISFIED",
    "IndicatorResult", "Scorer", "UnitResult", "find_result",
    "Exporter", "UnitSheet", "Importer", "read_rows", "RowError", "RowsRejected",
    "SchemeScreen", "FLAG", "scheme_periods", "describe", "FormModal", "ParametersScreen", "YearScreen",
    "FilterInput", "KTable",
]
