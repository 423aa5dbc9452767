"""The footer of the scheme views and the explanation: Textual's, made again only when what it
shows changes.

Textual's Footer throws its keys away and mounts them anew (each styled by the stylesheet) every
time the screen's bindings are refreshed — on every focus change and every return to a kept
screen — although the keys shown are mostly the same. Here it is made again only when the shown
bindings (key, text, group, enabled, tooltip) differ from those it shows (issue 18)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KFooter(Footer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _shows(self) -> tuple:
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return tuple((binding, enabled, tooltip) for key, (_, binding, enabled, tooltip) in active.items()
                     if binding.show or key == palette)

    def compose(self):
        self._shown = self._shows() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and self.is_attached and screen is self.screen and self._shows() == self._shown:
            return
        super().bindings_changed(screen)
