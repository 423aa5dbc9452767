"""The plugin contract: one documented function per hook.

A scheme plugin is a module in ``plugins/`` (or an installed package in the ``kaohe_tui``
entry-point group, or a file in a ``--plugins-dir``) that implements some of these with
``@kaohe_tui.hookimpl``. Every hook is optional.
"""

import pluggy

hookspec = pluggy.HookspecMarker("kaohe_tui")
hookimpl = pluggy.HookimplMarker("kaohe_tui")


@hookspec
def kaohe_schemes():
    """Schemes this plugin provides: a list of TOML file paths (or ``Scheme`` objects)."""


@hookspec
def kaohe_migrations():
    """The plugin's own tables: a ``sqlite_utils.Migrations`` set (or a list of them).
    Applied whenever a database opens; never rename an applied migration."""


@hookspec
def kaohe_rule_types():
    """Rule types this plugin adds: a list of ``kaohe_tui.rules.base.RuleType`` subclasses."""


@hookspec
def kaohe_seed(db, scheme):
    """Load the scheme's seed data (rosters, standards …) into a new database. Runs once per
    scheme, inside the transaction that registers it. ``db`` is a ``sqlite_utils.Database``."""


@hookspec
def kaohe_demo_records(scheme):
    """A plausible demo ledger for ``scheme``: a list of dicts with the ``kaohe record`` fields
    (unit, indicator, clause, count, amount, value, period, date, reason). ``kaohe demo`` labels
    each one as demo data."""


@hookspec
def kaohe_derive_records(scheme, period, entries):
    """Records derived from others (e.g. a problem recurring 3 times in a month becomes a
    notice): return a list of ``Entry`` with ``derived_from`` naming their sources."""


@hookspec
def kaohe_screens(scheme):
    """Extra TUI screens for ``scheme``: a list of ``kaohe_tui.tui.extension.SchemeScreen``."""


@hookspec
def kaohe_export_formats():
    """Extra export formats: a list of ``kaohe_tui.io.formats.Exporter``."""


@hookspec
def kaohe_export_tables(scheme):
    """Lists a plugin keeps for ``scheme`` that leaders print (e.g. district-categories' 附件1 list
    and 附件2 roster): a list of ``kaohe_tui.io.ledger_export.Table``, exported by
    ``kaohe export SCHEME --what KIND`` in the ledger's formats."""


@hookspec
def kaohe_import_formats():
    """Extra import formats: a list of ``kaohe_tui.io.formats.Importer``."""


@hookspec
def kaohe_unit_sheets(store, scheme, period, results):
    """One printable sheet per unit for the xlsx export, laid out like the scheme's own score
    sheet (e.g. bureau-departments 附件3): a list of ``kaohe_tui.io.exporters.UnitSheet``."""


@hookspec
def kaohe_consequence_types():
    """Extra consequence types: a dict of name → function(results_history, params) → flags."""


@hookspec
def kaohe_cli(add_command):
    """Extra ``kaohe`` subcommands: ``p = add_command(name, help)`` gives an argparse parser (with
    --db and --plugins-dir); add arguments and ``p.set_defaults(handler=fn)``, where ``fn(args)``
    prints and returns an exit status (a ``KaoheError`` becomes the one-line message)."""


@hookspec
def kaohe_unit_attributes(scheme):
    """Columns the units table shows for this scheme beyond name and category: list of
    (attribute key, column title)."""


@hookspec
def kaohe_case_profiles():
    """Import profiles for platform case files: a list of directories of ``*.toml`` profiles (or
    single files); see ``kaohe_tui.case_profiles``."""
