"""The tables of every screen, and the filter line above some of them. Filtering starts with ``/``
on every screen (as in less, vim, lazygit, k9s): a letter typed in a table is a command key, never
the start of a filter that hides the rows and the footer."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Input

from kaohe_tui.tui.widgets.cell_lines import cell_segments, prepare, styled


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` at once. Textual's ``focus()`` takes effect only after the keys already
    queued: over SSH, the text typed right behind ``/`` came before it and went to the table."""
    widget.screen.set_focus(widget)


class FilterInput(Input):
    """The filter line above a table. ``escape`` clears it, ``enter``/``down`` go back to the table."""

    BINDINGS = [
        Binding("escape", "clear", "清除筛选", show=False),
        Binding("down", "to_table", "表格", show=False),
        Binding("enter", "to_table", "表格", show=False),
    ]

    def __init__(self, table_id: str, **kwargs):
        kwargs.setdefault("compact", True)
        kwargs.setdefault("select_on_focus", False)  # typing in the table continues the text
        kwargs.setdefault("placeholder", "筛选：按 / 后输入文字")
        super().__init__(**kwargs)
        self.table_id = table_id

    def action_clear(self) -> None:
        self.value = ""
        self.action_to_table()

    def action_to_table(self) -> None:
        focus_now(self.screen.query_one(f"#{self.table_id}"))


@dataclass
class Rows:
    """A table's content, measured once: (label, key, width) per column and (cells, key) per row,
    every cell a one-line ``Text``. ``KTable.show_rows`` puts it in a table with nothing measured
    again, so showing the same content a second time costs no measuring (issue 18). ``segments``
    keeps each cell's text laid out at its width (``cell_lines``), made as the cells are first
    drawn or ahead (``prepare``): the cells it is keyed by live as long as it does."""

    columns: list[tuple[Text, str, int]]
    rows: list[tuple[list[Text], str]]
    segments: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def measure(cls, columns: list[tuple[str, str]], rows: list[tuple[list, str]]) -> Rows:
        """Each column as wide as its widest cell or label (as DataTable would make it)."""
        texts = [([c if isinstance(c, Text) else Text(c) for c in cells], key) for cells, key in rows]
        labels = [Text(label) for label, _ in columns]
        widths = [cell_len(label.plain) for label in labels]
        for cells, _ in texts:
            widths = [max(w, cell_len(c.plain)) for w, c in zip(widths, cells, strict=False)]
        return cls([(label, key, width) for label, (_, key), width in zip(labels, columns, widths, strict=False)],
                   texts)

    def prepare(self, console: Console, options: ConsoleOptions, lines: int) -> None:
        """Lay out the labels and the first ``lines`` rows' cells ahead, as a table draws them."""
        widths = [width for _, _, width in self.columns]
        cells = [*zip((label for label, _, _ in self.columns), widths, strict=False),
                 *((cell, width) for cells, _ in self.rows[:lines] for cell, width in zip(cells, widths, strict=False))]
        prepare(self.segments, console, options, cells)


class KTable(DataTable):
    """A DataTable whose text cells and labels are shown as written: a reason such as "[late] 迟到"
    is data, not markup. ``filter_id`` names the filter line above it (the screen's ``/``)."""

    BINDINGS = [
        Binding("home", "first_row", "第一行", show=False),
        Binding("end", "last_row", "最后一行", show=False),
    ]

    def __init__(self, *args, filter_id: str | None = None, **kwargs):
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self.filter_id = filter_id
        self._segments: dict | None = None  # the content's laid-out cells (``show_rows``)

    def add_column(self, label, *args, **kwargs):
        return super().add_column(Text(label) if isinstance(label, str) else label, *args, **kwargs)

    def add_row(self, *cells, **kwargs):
        return super().add_row(*[Text(c) if isinstance(c, str) else c for c in cells], **kwargs)

    def show_rows(self, content: Rows) -> None:
        """Replace the columns and rows with ``content`` (widths already measured)."""
        self.clear(columns=True)
        for label, key, width in content.columns:
            super().add_column(label, key=key, width=width)
        for cells, key in content.rows:
            super().add_row(*cells, key=key, height=1)
        self._segments = content.segments

    def clear(self, columns: bool = False):
        self._segments = None  # cells added one by one are laid out at each drawing (DataTable's way)
        return super().clear(columns)

    def notify_style_update(self) -> None:
        # The stylesheet is applied again on every focus change and every return to a screen;
        # DataTable then drops every drawn cell. A drawn cell is kept under its widget state
        # (focus, hover: in DataTable's own cache key), so the cells are kept when the styles for
        # the state now are the ones they were drawn with.
        Widget.notify_style_update(self)  # the widget's own style caches
        names = sorted(self.COMPONENT_CLASSES)
        if any(name not in self._component_styles for name in names):  # not yet styled
            super().notify_style_update()
            return
        state = self.get_pseudo_class_state()
        styles = (self.rich_style, *(self.get_component_rich_style(name) for name in names))
        drawn = self.__dict__.setdefault("_drawn_styles", {})
        if drawn.get(state) == styles:
            self._line_cache.clear()
            self._styles_cache.clear()
            self.refresh()
            return
        drawn[state] = styles
        super().notify_style_update()

    def _update_dimensions(self, new_rows) -> None:
        # DataTable measures every cell of each new row for its column's width; a column whose
        # width is given never uses it. Only rows with a label or an automatic height still count.
        if not any(column.auto_width for column in self.columns.values()):
            new_rows = [key for key in new_rows
                        if (row := self.rows.get(key)) and (row.auto_height or row.label is not None)]
        super()._update_dimensions(new_rows)

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False):
        """DataTable's, with a one-line text cell drawn by ``cell_lines`` (same segments, a
        fraction of the time: issue 18). Cached under DataTable's own key, as DataTable does."""
        header = row_index == -1
        row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if (column_index == -1 or row_key is None or column_key is None
                or not (header or self.rows[row_key].height == 1)):  # (no key: left to DataTable's own)
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (row_key, column_key, base_style, cursor, hover,
               self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        lines = self._cell_render_cache.get(key)
        if lines is not None:
            return lines
        fixed = not header and (row_index < self.fixed_rows or column_index < self.fixed_columns)
        component, post = self._get_styles_to_render_cell(
            header, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        cell = self._get_row_renderables(row_index).cells[column_index]
        if header and self.header_height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        options = self.app.console_options
        inner = width - 2 * self.cell_padding
        kept = self._segments
        if kept is None:
            segments = cell_segments(self.app.console, options, cell, inner)
        else:  # as ``cell_lines.prepare`` keys them
            laid = (id(cell), inner, options.justify, options.overflow)
            segments = kept[laid] if laid in kept else kept.setdefault(
                laid, cell_segments(self.app.console, options, cell, inner))
        if segments is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component
        lines = self._cell_render_cache[key] = styled(segments, self.cell_padding, pre, post)
        return lines

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # ``enter`` goes to the screen's own (non-priority) binding when it has one: the key then
        # waits its turn behind the cursor keys of the same burst, where a priority binding would
        # run before them and act on the row the cursor has not yet left
        if action == "select_cursor" and "enter" in self.screen._bindings.key_to_bindings:
            return False
        return super().check_action(action, parameters)

    def on_idle(self) -> None:
        # DataTable measures new rows when idle (after this handler); a row drawn before that
        # could stay drawn in the old, narrower columns until something redrew it
        if (self._new_rows or self._updated_cells) and any(c.auto_width for c in self.columns.values()):
            self.call_after_refresh(self._redraw_all)

    def _redraw_all(self) -> None:
        self._clear_caches()
        self.refresh()
