"""Built-in: the office's own years of every scheme in the TUI — a screen (``y``) listing a
year's parameters with the document's text, where an administrator changes one, linted as it is
typed (the same core call as ``kaohe scheme set``; see ``kaohe_tui.scheme_params``). Registered
through the plugin hook like any scheme plugin's screen."""

from __future__ import annotations

import kaohe_tui
from kaohe_tui.tui.extension import SchemeScreen


def _parameters(app, store, scheme):
    from kaohe_tui.tui.screens.parameters import ParametersScreen

    return ParametersScreen(store, scheme)


@kaohe_tui.hookimpl
def kaohe_screens(scheme):
    return [SchemeScreen("参数", "y", _parameters)]
