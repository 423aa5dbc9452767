"""One table cell of one line, drawn straight from its text.

Textual's DataTable draws every cell through three nested Rich renders (``Styled`` around
``Padding`` around the text, each cut into lines again); on a results table that is most of the
time between a key and the screen (issue 18). A cell one line high whose content is a ``Text``
without line breaks or tabs is drawn here with the same Rich steps in the same order (wrap with
the text's own justify and overflow, render, crop or pad, the padding, the styles), so the
segments are the ones DataTable would draw; ``tests/test_tui_cells.py`` compares the two on
Chinese, cropped, justified and styled cells. Anything else returns None: DataTable draws it."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_JOIN = Text("\n")


def text_cell_lines(console: Console, options: ConsoleOptions, cell: object, width: int, padding: int,
                    pre_style: Style, post_style: Style) -> list[list[Segment]] | None:
    """The one line of ``cell`` at ``width`` cells (``padding`` either side), or None."""
    inner = width - 2 * padding
    if not isinstance(cell, Text) or inner < 1 or "\n" in cell.plain or "\t" in cell.plain:
        return None
    justify = cell.justify or options.justify or "default"
    overflow = cell.overflow or options.overflow or "fold"
    # Text.__rich_console__ with no_wrap (a row one line high), then Padding's pad=True crop
    lines = cell.wrap(console, inner, justify=justify, overflow=overflow, no_wrap=True)
    segments = list(_JOIN.join(lines).render(console))
    null = Style.null()
    line = [Segment(" " * padding, null), *Segment.adjust_line_length(segments, inner, style=null),
            Segment(" " * padding, null)] if padding else Segment.adjust_line_length(segments, inner, style=null)
    return [list(Segment.apply_style(line, pre_style, post_style))]
