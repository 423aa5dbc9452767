"""Issue 18: the tables draw a one-line text cell themselves (``cell_lines``), a fraction of the
time DataTable's three nested Rich renders take. What they draw must be exactly what DataTable
draws: every cell below is drawn both ways, at its own width and at narrower ones (a Chinese
character cut in half at the edge), with and without the cursor and the mouse over it."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable
from textual.widgets._data_table import _EMPTY_TEXT

from kaohe_tui.tui.widgets.tables import KTable

CELLS = [
    "示例镇甲", "⚑示例镇丁", "[late] 迟到", "", "—", "基础管理·工作纪律", "a b  c ",
    Text("92.5", justify="right"), Text("81.93", style="bold", justify="right"),
    Text("⚑通报批评；⚑约谈", style="bold red reverse"), Text("居中", justify="center"),
    Text.assemble(("甲", "bold"), "乙", ("丙丁", "red on blue")), Text("折行\n两行"), Text("tab\there"),
    Text("很长的一段中文事由会被截断", overflow="ellipsis"), Text("crop me please", overflow="crop"),
]


class Tables(App):
    def compose(self) -> ComposeResult:
        yield KTable(id="t", cursor_type="cell", fixed_columns=1)


def drawn(table, method, row: int, column: int, width: int, cursor: bool, hover: bool):
    table._cell_render_cache.clear()
    style = table.rich_style if row % 2 else table.rich_style + Style(bgcolor="grey11")
    return method(table, row, column, style, width, cursor, hover)


async def test_cells_are_drawn_as_datatable_draws_them():
    app = Tables()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(KTable)
        table.add_column("单位", key="a")
        table.add_column(Text("总分", justify="right"), key="b")
        for i, cell in enumerate(CELLS):
            table.add_row(cell, CELLS[-1 - i], key=str(i))
        table.add_row("两行高", "x", key="tall", height=2)
        await pilot.pause()
        compared = 0
        for row in range(-1, table.row_count):
            for column in range(2):
                for width in range(1, 18):
                    for cursor, hover in ((False, False), (True, False), (False, True), (True, True)):
                        ours = drawn(table, KTable._render_cell, row, column, width, cursor, hover)
                        theirs = drawn(table, DataTable._render_cell, row, column, width, cursor, hover)
                        assert ours == theirs, (row, column, width, cursor, hover)
                        compared += 1
        assert compared == (len(CELLS) + 2) * 2 * 17 * 4


async def test_cells_laid_out_once_per_content_are_drawn_as_datatable_draws_them():
    """A table's content (``Rows``) keeps each cell laid out at its width, made ahead for its
    first lines (``Rows.prepare``) or at the first drawing: drawn again (another cursor, the
    mouse over it, another row's stripe) from what was kept, each cell is still exactly DataTable's."""
    from kaohe_tui.tui.widgets.tables import Rows

    app = Tables()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(KTable)
        cells = [c for c in CELLS if "\n" not in str(c)]
        content = Rows.measure([("单位", "a"), ("总分", "b")],
                               [([cell, cells[-1 - i]], str(i)) for i, cell in enumerate(cells)])
        content.prepare(app.console, app.console_options, lines=3)
        assert len(content.segments) == 2 + 3 * 2  # the labels and three rows' cells, ahead
        table.show_rows(content)
        await pilot.pause()
        compared, kept = 0, []
        for _ in range(2):  # the second time from the segments kept
            for row in range(-1, table.row_count):
                for column in range(2):
                    width = table.ordered_columns[column].get_render_width(table)
                    for cursor, hover in ((False, False), (True, False), (False, True), (True, True)):
                        ours = drawn(table, KTable._render_cell, row, column, width, cursor, hover)
                        theirs = drawn(table, DataTable._render_cell, row, column, width, cursor, hover)
                        assert ours == theirs, (row, column, width, cursor, hover)
                        compared += 1
            kept.append(dict(content.segments))
        # (an empty cell is drawn as DataTable's one empty text)
        distinct = {id(c) for c, _, _ in content.columns} | {id(c) for cells, _ in content.rows for c in cells if c}
        distinct.add(id(_EMPTY_TEXT))
        assert len(kept[0]) == len(distinct) and kept[1] == kept[0]  # (both columns are 26 wide)
        assert compared == 2 * (len(cells) + 1) * 2 * 4
