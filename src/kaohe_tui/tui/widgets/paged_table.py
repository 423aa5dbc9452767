"""A table over a result too large to load: one page at a time, fetched by keyset.

Moving past the last row loads the next page, past the first row the previous one; ``home`` and
``end`` jump to the first and last page. Only ``page_size`` rows are ever in the widget. The
owner counts the rows and fetches the first page (in a worker: a count over 10^6 filtered rows
takes a moment) and hands them over with ``show``; moving between pages is a keyset query of a
few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.message import Message

from kaohe_tui.tui.widgets.tables import KTable

# fetch(after=id, before=id, last=bool, limit=n) -> rows in display order
Fetch = Callable[..., list[dict]]
Render = Callable[[dict], list]


def _no_source(row: dict) -> list:
    raise NotImplementedError  # a bug: set_source gives the table its renderer before show


class PagedTable(KTable):
    BINDINGS = [
        Binding("home", "first_page", "首页", show=False),
        Binding("end", "last_page", "末页", show=False),
    ]

    class PageChanged(Message):
        def __init__(self, table: PagedTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, *args, page_size: int = 200, **kwargs):
        kwargs.setdefault("cursor_type", "row")
        super().__init__(*args, **kwargs)
        self.page_size = page_size
        self.fetch: Fetch | None = None
        self.render_row: Render = _no_source
        self.total = 0
        self.first_index = 0  # position of the first row shown in the whole result
        self.rows_shown: list[dict] = []
        self.has_before = self.has_after = False
        self.query_shown: dict = {}  # how the shown page was fetched (to fetch it again)

    def set_source(self, fetch: Fetch, render: Render, total: int) -> None:
        self.fetch, self.render_row, self.total = fetch, render, total

    def show(self, rows: list[dict], first_index: int, cursor: int = 0, query: dict | None = None) -> None:
        self.rows_shown = rows
        self.first_index = max(0, first_index)
        self.query_shown = dict(query or {})
        self.clear()
        for row in rows:
            self.add_row(*self.render_row(row), key=str(row["id"]))
        self.has_before = self.first_index > 0
        self.has_after = self.first_index + len(rows) < self.total
        if rows:
            self.move_cursor(row=max(0, min(cursor, len(rows) - 1)), animate=False)
        self.post_message(self.PageChanged(self))

    # -- pages ---------------------------------------------------------------------------------
    def action_first_page(self) -> None:
        if self.fetch:
            self.show(self.fetch(limit=self.page_size), 0, 0)

    def action_last_page(self) -> None:
        if self.fetch:
            rows = self.fetch(last=True, limit=self.page_size)
            self.show(rows, self.total - len(rows), len(rows) - 1, {"last": True})

    def next_page(self) -> bool:
        if not (self.fetch and self.has_after and self.rows_shown):
            return False
        query = {"after": self.rows_shown[-1]["id"]}
        rows = self.fetch(limit=self.page_size, **query)
        if rows:
            self.show(rows, self.first_index + len(self.rows_shown), 0, query)
        return bool(rows)

    def previous_page(self) -> bool:
        if not (self.fetch and self.has_before and self.rows_shown):
            return False
        query = {"before": self.rows_shown[0]["id"]}
        rows = self.fetch(limit=self.page_size, **query)
        if rows:
            self.show(rows, self.first_index - len(rows), len(rows) - 1, query)
        return bool(rows)

    def current(self) -> dict | None:
        if not self.rows_shown or self.cursor_row < 0 or self.cursor_row >= len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]

    # -- moving past either end ----------------------------------------------------------------
    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1 and self.next_page():
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and self.previous_page():
            return
        super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.cursor_row >= self.row_count - 1 and self.next_page():
            return
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row <= 0 and self.previous_page():
            return
        super().action_page_up()

    def position(self) -> str:
        if not self.total:
            return "无记录"
        here = self.first_index + max(self.cursor_row, 0) + 1
        return f"第{here}条/共{self.total}条（本页{self.first_index + 1}–{self.first_index + len(self.rows_shown)}）"


def count_and_page(store, table: str, flt, query: dict, newest_first: bool = False,
                   limit: int = 200) -> tuple[int, list[dict]]:
    """The total and one page, for a worker thread (``store`` is the worker's own connection)."""
    from kaohe_tui import ledger_edit

    total = ledger_edit.count(store, table, flt)
    rows = ledger_edit.page(store, table, flt, newest_first=newest_first, limit=limit, **query)
    return total, rows
