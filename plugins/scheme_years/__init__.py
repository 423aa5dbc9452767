"""Built-in: the office's own years of every scheme in the TUI — a screen (``y``) listing a
year's parameters with the document's text, where an administrator changes one, linted as it is
typed (the same core call as ``kaohe scheme set``; see ``kaohe_tui.scheme_params``). Registered
through the plugin hook like any scheme plugin's screen."""

from __future__ import annotations

from kaohe_tui.api import SchemeScreen, hookimpl


def _parameters(app, store, scheme):
    from kaohe_tui.api import ParametersScreen

    return ParametersScreen(store, scheme)


@hookimpl
def kaohe_screens(scheme):
    return [SchemeScreen("参数", "y", _parameters)]
