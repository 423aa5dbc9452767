"""The contract for plugin screens.

A plugin adds screens to a scheme's navigation by implementing ``kaohe_screens(scheme)`` and
returning a list of ``SchemeScreen``; the app shows each under its ``key`` for that scheme only::

    @kaohe_tui.hookimpl
    def kaohe_screens(scheme):
        if scheme.id != "my-scheme":
            return None
        return [SchemeScreen("检查表", "k", lambda app, store, scheme: ChecklistScreen(store, scheme))]

The factory receives the running ``App``, the open ``Store`` and the ``Scheme``, and returns a
``Screen`` that the app pushes (so the screen should pop itself on ``escape``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from kaohe_tui.scheme import Scheme
    from kaohe_tui.store import Store


@dataclass(frozen=True)
class SchemeScreen:
    title: str  # shown in the scheme's navigation bar and the command palette
    # One key, e.g. "k". A key the app or every scheme view binds (1–4, i, p, q, ?, esc, ctrl+e …;
    # ``tui.screens.base.reserved_keys``) is refused and reported; a view's own keys (a e w s t u
    # [ ]) win on that view; ``p`` lists every plugin screen whatever its key.
    key: str
    factory: Callable[[App, Store, Scheme], Screen]


def screens_for(scheme: Scheme) -> list[tuple[str, SchemeScreen]]:
    """Every plugin's screens for ``scheme`` with the plugin that gives each (a plugin whose hook
    raises is reported and skipped)."""
    from kaohe_tui import plugins

    found: list[tuple[str, SchemeScreen]] = []
    for plugin, provided in plugins.call_by_plugin("kaohe_screens", scheme=scheme):
        for item in provided or []:
            if isinstance(item, SchemeScreen):
                found.append((plugin, item))
    return found
