"""Textual's own key descriptions in Chinese (the footer shows "esc 关闭菜单", the help and the
palette list the table's cursor keys): the catalogue's ``TEXTUAL`` names, applied to every widget
class's bindings once, before the app starts. Textual has no locale setting, and it is pinned."""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from kaohe_tui.messages import TEXTUAL

_done = False


def _translated(binding):
    if isinstance(binding, Binding) and binding.description in TEXTUAL:
        return dataclasses.replace(binding, description=TEXTUAL[binding.description])
    if isinstance(binding, tuple) and len(binding) == 3 and binding[2] in TEXTUAL:
        return (binding[0], binding[1], TEXTUAL[binding[2]])
    return binding


def _classes(cls: type[DOMNode]) -> list[type[DOMNode]]:
    out = [cls]
    for sub in cls.__subclasses__():
        out += _classes(sub)
    return out


def translate_textual() -> None:
    """Rewrite the descriptions in each class's BINDINGS (classes defined later merge these) and in
    the merged maps already computed for the classes that exist now."""
    global _done
    if _done:
        return
    _done = True
    # the widgets the app uses, so their classes exist before the rewrite
    from textual import command, widgets  # noqa: F401
    from textual.widgets import _select, _tree  # noqa: F401

    for cls in dict.fromkeys(_classes(DOMNode)):
        own = cls.__dict__.get("BINDINGS")
        if own:
            cls.BINDINGS = [_translated(b) for b in own]
        merged = cls.__dict__.get("_merged_bindings")
        if isinstance(merged, BindingsMap):
            for key, bindings in merged.key_to_bindings.items():
                merged.key_to_bindings[key] = [_translated(b) for b in bindings]
