"""One table cell of one line, drawn straight from its text.

Textual's DataTable draws every cell through three nested Rich renders (``Styled`` around
``Padding`` around the text, each cut into lines again); on a results table that is most of the
time between a key and the screen (issue 18). A cell one line high whose content is a ``Text``
without line breaks or tabs is drawn here with the same Rich steps in the same order (wrap with
the text's own justify and overflow, render, crop or pad, the padding, the styles), so the
segments are the ones DataTable would draw; ``tests/test_tui_cells.py`` compares the two on
Chinese, cropped, justified and styled cells. Anything else returns None: DataTable draws it.

The steps before the styles depend on the text and its width only: ``cell_segments`` makes
them, and a table's content keeps them (``Rows.segments``), so a cell's text is laid out once
per content, not once per cursor position, focus change or style (``prepare`` does it ahead)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_JOIN = Text("\n")
_NULL = Style.null()


def cell_segments(console: Console, options: ConsoleOptions, cell: object, inner: int) -> list[Segment] | None:
    """The segments of ``cell``'s one line at ``inner`` cells, before padding and styles (or None)."""
    if not isinstance(cell, Text) or inner < 1 or "\n" in cell.plain or "\t" in cell.plain:
        return None
    justify = cell.justify or options.justify or "default"
    overflow = cell.overflow or options.overflow or "fold"
    # Text.__rich_console__ with no_wrap (a row one line high), then Padding's pad=True crop
    lines = cell.wrap(console, inner, justify=justify, overflow=overflow, no_wrap=True)
    segments = list(_JOIN.join(lines).render(console))
    return Segment.adjust_line_length(segments, inner, style=_NULL)


def styled(segments: list[Segment], padding: int, pre_style: Style, post_style: Style) -> list[list[Segment]]:
    """The cell's line: its segments with the padding either side and the styles applied."""
    line = [Segment(" " * padding, _NULL), *segments, Segment(" " * padding, _NULL)] if padding else segments
    return [list(Segment.apply_style(line, pre_style, post_style))]


def prepare(kept: dict, console: Console, options: ConsoleOptions, cells: Iterable[tuple[object, int]]) -> None:
    """Lay out ``cells`` (cell, inner width) into ``kept`` ahead of their drawing (as
    ``KTable._render_cell`` keys them)."""
    for cell, inner in cells:
        key = (id(cell), inner, options.justify, options.overflow)
        if key not in kept:
            kept[key] = cell_segments(console, options, cell, inner)
