"""The tables of every screen, and the filter line above some of them. Filtering starts with ``/``
on every screen (as in less, vim, lazygit, k9s): a letter typed in a table is a command key, never
the start of a filter that hides the rows and the footer."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, Input


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
        self.screen.query_one(f"#{self.table_id}").focus()


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

    def add_column(self, label, *args, **kwargs):
        return super().add_column(Text(label) if isinstance(label, str) else label, *args, **kwargs)

    def add_row(self, *cells, **kwargs):
        return super().add_row(*[Text(c) if isinstance(c, str) else c for c in cells], **kwargs)

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
        if self._new_rows or self._updated_cells:
            self.call_after_refresh(self._redraw_all)

    def _redraw_all(self) -> None:
        self._clear_caches()
        self.refresh()
