"""The results table and what covers it while it scores (issue 18: each drawn line kept with
its content, the cover still)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.events import Mount
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import LoadingIndicator

from kaohe_tui.messages import t
from kaohe_tui.tui.widgets.tables import KTable, Rows


class Scoring(LoadingIndicator):
    """What covers the table while it scores: still, in words. The animated indicator is drawn
    16 times a second, and each drawing takes the interpreter from the scoring thread (#18)."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # LoadingIndicator's own: it starts the animation

    def render(self) -> Text:
        return Text(t("scoring_cover"))


class ResultsTable(KTable):
    """The results table: each line drawn for one period's content is kept with that content
    (its ``Rows``, which go with the scores at the next write), so switching back to a period
    draws none of its lines again (#18). A line is kept under everything DataTable's own cache
    key holds but its count of changes (every ``show_rows`` is one), and the styles it is drawn with."""

    drawn: dict | None = None
    styles_now: tuple | None = None

    def show_rows(self, content: Rows) -> None:
        super().show_rows(content)
        self.drawn = content.__dict__.setdefault("drawn_lines", {})

    def clear(self, columns: bool = False) -> ResultsTable:
        self.drawn = None  # (show_rows sets it again once the new content is in)
        super().clear(columns)
        return self

    def render_lines(self, crop: Region) -> list[Strip]:
        # the styles the lines are drawn with now (those DataTable draws with, from its cache)
        null = Style.null()
        self.styles_now = (self.rich_style, *(self.get_component_rich_style(name, default=null)
                                               for name in sorted(self.COMPONENT_CLASSES)))
        try:
            return super().render_lines(crop)
        finally:
            self.styles_now = None

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        styles = self.styles_now
        if self.drawn is None or styles is None:  # drawn outside render_lines: nothing to key it on
            return super()._render_line(y, x1, x2, base_style)
        key = (y, x1, x2, self.size.width, self.cursor_coordinate, self.hover_coordinate, base_style,
               self.cursor_type, self._show_hover_cursor, self._pseudo_class_state, styles)
        strip = self.drawn.get(key)
        if strip is None:
            if len(self.drawn) > 4000:  # a cursor walked over many cells: start again
                self.drawn.clear()
            strip = self.drawn[key] = super()._render_line(y, x1, x2, base_style)
        return strip
