"""The command palette, in Chinese and guarded against Textual 8.2.8's own races.

Upstream (a bare Textual 8.2.8 app does the same): page up/down reaching the palette before its
list has any line raises ``KeyError: 0`` in ``OptionList._move_page``, and the "no matches" timer
or a list action arriving while the palette closes raises ``NoMatches: 'CommandList'``. Either
ended the app and lost any open form. Textual is pinned, so the palette here swallows exactly
those, where they happen; everything else still reaches the app's error handling."""

from __future__ import annotations

from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Button, LoadingIndicator
from textual.widgets.option_list import Option

from kaohe_tui.messages import TEXTUAL

RACES = (KeyError, IndexError, NoMatches)  # an empty or vanishing list, see the module's comment


class SafeCommandList(CommandList):
    def _move_page(self, direction) -> None:
        if not self._lines or self.highlighted is not None and self.highlighted not in self._index_to_line:
            return  # nothing laid out yet: nothing to page through
        try:
            super()._move_page(direction)
        except RACES:
            pass


class KaohePalette(CommandPalette):
    BINDINGS = [Binding("escape", "escape", TEXTUAL["Exit the command palette"])]

    def __init__(self, **kwargs):
        kwargs.setdefault("placeholder", TEXTUAL["Search for commands…"])
        super().__init__(**kwargs)

    @staticmethod
    def is_open(app: App[Any]) -> bool:
        # upstream's, typed for any app (upstream's App[object] takes no App[None]: App is invariant)
        return CommandPalette.is_open(app)

    def compose(self):
        # upstream's layout, with the guarded list
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=self._placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield SafeCommandList()
                yield LoadingIndicator()

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except RACES:
            pass

    def _action_cursor_down(self) -> None:
        try:
            super()._action_cursor_down()
        except RACES:
            pass

    def _watch__list_visible(self) -> None:
        try:
            super()._watch__list_visible()
        except RACES:
            pass

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Upstream's, in Chinese, and quiet when the palette has closed meanwhile."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not self.is_attached:
                return
            if not search_value:
                self._list_visible = False
                return
            try:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(TEXTUAL["No matches found"], style="not bold")), disabled=True,
                           id=self._NO_MATCHES))
            except RACES:
                return
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
