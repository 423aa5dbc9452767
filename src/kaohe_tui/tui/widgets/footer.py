"""The footer of the scheme views and the explanation: Textual's, made again only when what it
shows changes.

Textual's Footer throws its keys away and mounts them anew (each styled by the stylesheet) every
time the screen's bindings are refreshed — on every focus change, every return to a kept screen,
every key turned on or off — and once more for each such refresh still queued behind it (issue
18: ~100 ms a time at 80 columns). Here one look at the bindings is queued at a time; when the
same keys are shown (key, text, group, tooltip) only their enabled state is set in place, and the
keys are made again only when the keys shown differ."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KFooter(Footer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._queued = False

    def _shows(self) -> tuple:
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return tuple((binding, enabled, tooltip) for key, (_, binding, enabled, tooltip) in active.items()
                     if binding.show or key == palette)

    def compose(self):
        if not self._bindings_ready:
            # the keys at once, as the screen's bindings stand when it is built (Textual's waits
            # for their first refresh and makes them then: one more layout after the first frame)
            try:
                self._shows()
            except Exception:  # a screen whose actions ask for widgets not mounted yet: Textual's way
                pass
            else:
                self.set_reactive(Footer._bindings_ready, True)
        self._shown = self._shows() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._queued:
            return
        self._queued = True
        self.call_after_refresh(self._sync)

    async def _sync(self) -> None:
        """The keys as the bindings are now (not as they were when this was queued)."""
        self._queued = False
        if not self.is_attached or self._pruning or self._closing:  # its screen is going: nothing to show
            return
        shows = self._shows()
        if shows == self._shown:
            return
        if self._shown is not None and _keys(shows) == _keys(self._shown):
            enabled: dict[str, bool] = {}
            for binding, on, _ in shows:  # a key stands for its action's first binding (as Footer)
                enabled.setdefault(binding.action, on)
            for key in self.query(FooterKey):
                off = not enabled.get(key.action, not key._disabled)
                key._disabled = off  # FooterKey's own: drawn dim, a click rings the bell
                key.set_class(off, "-disabled")
            self._shown = shows
            return
        await self.recompose()


def _keys(shows: tuple) -> tuple:
    """What is shown but whether each key is enabled."""
    return tuple((binding, tooltip) for binding, _, tooltip in shows)
