"""Tables you can type into: a printable key that is not a binding starts filtering."""

from __future__ import annotations

from rich.text import Text
from textual import events
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
        kwargs.setdefault("placeholder", "筛选：直接输入文字（/）")
        super().__init__(**kwargs)
        self.table_id = table_id

    def action_clear(self) -> None:
        self.value = ""
        self.action_to_table()

    def action_to_table(self) -> None:
        self.screen.query_one(f"#{self.table_id}").focus()


class KTable(DataTable):
    """A DataTable that hands unbound printable keys (a Chinese name typed through the IME …) to
    its filter input, so that typing filters. Text cells and labels are shown as written: a
    reason such as "[late] 迟到" is data, not markup."""

    def __init__(self, *args, filter_id: str | None = None, **kwargs):
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self.filter_id = filter_id

    def add_column(self, label, *args, **kwargs):
        return super().add_column(Text(label) if isinstance(label, str) else label, *args, **kwargs)

    def add_row(self, *cells, **kwargs):
        return super().add_row(*[Text(c) if isinstance(c, str) else c for c in cells], **kwargs)

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

    async def _on_key(self, event: events.Key) -> None:
        if (self.filter_id and event.is_printable and event.character
                and event.key not in self.screen.active_bindings and event.character not in " "
                and event.character not in getattr(self.screen, "plugin_keys", ())):
            field = self.screen.query_one(f"#{self.filter_id}", Input)
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()  # DataTable's own key handling does not run
