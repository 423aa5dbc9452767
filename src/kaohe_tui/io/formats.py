"""Import formats: what ``kaohe import --kind KIND`` can read. Built-in: ledger rows, platform
cases, units; plugins add their own (e.g. a roster) through ``kaohe_import_formats``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t


@dataclass
class Importer:
    kind: str  # the --kind value
    title: str
    run: Callable  # (store, scheme, path) -> one-line summary; raises KaoheError, writes nothing then
    detect: Callable[[list[str]], bool] | None = None  # header → is this file mine? (for --kind auto)
    schemes: tuple[str, ...] = ()  # the schemes it serves; empty: every scheme


def plugin_importers(scheme_id: str) -> dict[str, Importer]:
    from kaohe_tui import plugins

    found = {}
    for provided in plugins.call("kaohe_import_formats"):
        for importer in provided or []:
            if not importer.schemes or scheme_id in importer.schemes:
                found[importer.kind] = importer
    return found


def choose(kind: str, scheme_id: str, header: list[str] | None) -> Importer | str:
    """A plugin's importer, or the name of a built-in kind (ledger, cases, units)."""
    extra = plugin_importers(scheme_id)
    if kind == "auto":
        for importer in extra.values():
            if importer.detect and header is not None and importer.detect(header):
                return importer
        from kaohe_tui.case_import import looks_like_cases

        return "cases" if header is not None and looks_like_cases(header) else "ledger"
    if kind in ("ledger", "cases", "units"):
        return kind
    if kind in extra:
        return extra[kind]
    known = "、".join(["auto", "ledger", "cases", "units", *extra])
    raise KaoheError(t("option_one_of", option="--kind", value=kind, known=known))
