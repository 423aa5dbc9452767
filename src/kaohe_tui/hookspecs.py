"""The plugin contract: one documented, typed function per hook (guide: docs/PLUGINS.md).

A plugin is a module in ``plugins/`` (or an installed package in the ``kaohe_tui`` entry-point
group, or a file in a ``--plugins-dir``) that implements some of these with
``@kaohe_tui.api.hookimpl``; every hook is optional, and every type named here is importable from
``kaohe_tui.api``.

The *scheme hooks* — those taking a ``scheme`` — are called only for the schemes of the plugin
that provides them (``kaohe_schemes``); a plugin that provides no scheme is called for every
scheme. A plugin never needs to check ``scheme.id`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # only for the annotations: the contract imports nothing of the core
    import argparse

    from sqlite_utils import Database, Migrations

    from kaohe_tui.consequences import ConsequenceType
    from kaohe_tui.io.exporters import Exporter, UnitSheet
    from kaohe_tui.io.formats import Importer
    from kaohe_tui.periods import Period
    from kaohe_tui.rules.base import Entry, RuleType
    from kaohe_tui.scheme import Scheme
    from kaohe_tui.scoring import UnitResult
    from kaohe_tui.store import Store
    from kaohe_tui.tui.extension import SchemeScreen

hookspec = pluggy.HookspecMarker("kaohe_tui")
hookimpl = pluggy.HookimplMarker("kaohe_tui")


@hookspec
def kaohe_schemes() -> list[Path | Scheme] | None:
    """Schemes this plugin provides: TOML file paths (or ``Scheme`` objects). The plugin then
    receives the scheme hooks below for these schemes, and only for these."""


@hookspec
def kaohe_migrations() -> Migrations | list[Migrations] | None:
    """The plugin's own tables: a ``sqlite_utils.Migrations`` set (or a list of them), named after
    the plugin. Applied whenever a database opens, after the core's; never rename an applied
    migration."""


@hookspec
def kaohe_rule_types() -> list[type[RuleType]] | None:
    """Rule types this plugin adds: ``RuleType`` subclasses (a built-in type's name cannot be
    taken)."""


@hookspec
def kaohe_seed(db: Database, scheme: Scheme) -> object:
    """Load the scheme's seed data (rosters, standards …) into a new database. Runs once per
    scheme, in a savepoint inside the transaction that registers it (a plugin that raises leaves
    nothing behind). The return value is ignored."""


@hookspec
def kaohe_demo_records(scheme: Scheme) -> list[dict] | None:
    """A plausible demo ledger for ``scheme``: dicts with the ``kaohe record`` fields (unit,
    indicator, clause, count, amount, value, period, date, reason, attrs). ``kaohe demo`` labels
    each one as demo data."""


@hookspec
def kaohe_derive_records(scheme: Scheme, period: Period, entries: list[Entry]) -> list[Entry] | None:
    """Records derived from the period's ``entries`` (e.g. a problem recurring 3 times in a month
    becomes a notice): new ``Entry`` objects with ``derived_from`` naming their sources."""


@hookspec
def kaohe_screens(scheme: Scheme) -> list[SchemeScreen] | None:
    """Extra TUI screens for ``scheme``: ``SchemeScreen(title, key, factory)``, where
    ``factory(app, store, scheme)`` returns the Textual ``Screen`` to push. A key the app already
    binds is refused and reported."""


@hookspec
def kaohe_export_formats() -> list[Exporter] | None:
    """Extra export formats: ``Exporter(name, suffix, write_results)``, where
    ``write_results(scheme, period_label, results, path)`` writes one file."""


@hookspec
def kaohe_export_tables(scheme):
    """Lists a plugin keeps for ``scheme`` that leaders print (e.g. district-categories' 附件1 list
    and 附件2 roster): a list of ``kaohe_tui.io.ledger_export.Table``, exported by
    ``kaohe export SCHEME --what KIND`` in the ledger's formats."""


@hookspec
def kaohe_import_formats() -> list[Importer] | None:
    """Extra import formats (``kaohe import --kind KIND``): ``Importer(kind, title, run, detect,
    schemes)``, where ``run(store, scheme, path)`` returns a one-line summary."""


@hookspec
def kaohe_unit_sheets(store: Store, scheme: Scheme, period: str, results: list[UnitResult]) -> list[UnitSheet] | None:
    """One printable sheet per unit for the xlsx export, laid out like the scheme's own score
    sheet (e.g. bureau-departments 附件3). ``period`` is the period's label as printed (it says
    when the period is closed)."""


@hookspec
def kaohe_consequence_types() -> dict[str, ConsequenceType] | None:
    """Extra consequence types, by the name a scheme's ``[[consequences]]`` gives as ``type``:
    ``fn(rule, scorer, period, result) -> str | None``, the flag's text when ``result`` (one
    unit's ``UnitResult`` for ``period``) raises it; ``rule.params`` holds the scheme's
    parameters and ``scorer`` scores other periods."""


@hookspec
def kaohe_cli(add_command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Extra ``kaohe`` subcommands: ``p = add_command(name, help)`` gives an argparse parser (with
    --db and --plugins-dir); add arguments and ``p.set_defaults(handler=fn)``, where ``fn(args)``
    prints and returns an exit status (a ``KaoheError`` becomes the one-line message)."""


@hookspec
def kaohe_unit_attributes(scheme: Scheme) -> Sequence[tuple[str, str]] | None:
    """Columns the units table shows for ``scheme`` beyond name and category: (attribute key,
    column title) pairs."""


@hookspec
def kaohe_case_profiles() -> list[Path] | None:
    """Import profiles for platform case files: directories of ``*.toml`` profiles (or single
    files); see ``kaohe_tui.case_profiles``."""
