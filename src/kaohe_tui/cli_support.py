"""What every ``kaohe`` subcommand shares: opening the database, the scheme for ``--period``,
printing tables and JSON, a progress line. Imported by the command modules (commands*.py,
scheme_cli.py) and by cli.py; it imports none of them (no cycle)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Sequence

from kaohe_tui import plugins
from kaohe_tui.messages import t
from kaohe_tui.store import Store


def json_out(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def open_store(args) -> Store:
    from kaohe_tui.units import ensure_registered

    store = Store(getattr(args, "db", None))
    ensure_registered(store)
    return store


def scheme_for(store: Store, args):
    """The scheme as it stands for ``--period`` (an office year's own version; see scheme_years)."""
    from kaohe_tui.scheme_years import for_period

    return for_period(store, args.scheme, getattr(args, "period", None))


def print_table(renderable) -> None:
    from kaohe_tui.report import render

    print(render(renderable, width=max(100, _terminal_width())))


@contextlib.contextmanager
def progress(label: str):
    """A live line on stderr while long work runs (only in a terminal: scripts and pipes stay
    clean); yields a callback taking the count done so far."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console

    with Console(stderr=True).status(label) as status:
        yield lambda n: status.update(f"{label} {n:,}")


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((160, 40)).columns


def print_failures() -> None:
    for failure in plugins.failures:
        print(f"kaohe: {t('cli_plugin_failed', failure=failure)}", file=sys.stderr)


def print_rejected(rejected: Sequence[str]) -> None:
    for message in rejected[:50]:
        print(message, file=sys.stderr)
    if len(rejected) > 50:
        print(t("import_more_rejected", more=len(rejected) - 50), file=sys.stderr)
