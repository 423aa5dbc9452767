"""The first screen: every scheme with its periods, units, records and plugin, and every plugin
that failed to load (with its error). An empty ledger offers the labelled demo ledger."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import Footer, Static

from kaohe_tui import catalog, demo, plugins
from kaohe_tui.actions.listing import scheme_summaries
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.widgets.tables import KTable

if TYPE_CHECKING:
    from kaohe_tui.tui.app import KaoheApp


class SchemesScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "打开", id="open-scheme"),
        Binding("d", "demo", "载入演示台账", id="load-demo"),
        Binding("q", "app.quit", "退出", show=False, id="q-quit"),
    ]

    app: KaoheApp

    def __init__(self):
        super().__init__()
        self.records: dict[str, int] = {}
        self.demo_counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Static(" [b]考核 kaohe[/b] · 考核方案（回车打开）", id="title-bar")
        yield KTable(id="schemes", cursor_type="row")
        yield Static("", id="scheme-hint")
        yield Static("", id="failures", markup=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#schemes", KTable).loading = True
        self.load()

    def add_columns(self, table: KTable, rows: list) -> None:
        # a long title is cut (…) so the counts and the id (what the CLI takes) stay on an 80-column
        # screen; the plugin's name is in the line under the table, for the highlighted scheme
        longest = max([cell_len(r.display_title) for r in rows] + [4])
        ids = max([cell_len(r.id) for r in rows] + [2])
        years = max([cell_len(r.years_text()) for r in rows] + [4])
        others = ids + years + 4 + 4 + 2 * 5 + 2  # cell padding and the scrollbar
        table.add_column("方案", key="title", width=max(16, min(longest, self.app.size.width - others)))
        table.add_column("年度", key="periods")  # every year the office has, as `kaohe schemes` shows
        table.add_column("单位", key="units")
        table.add_column("记录", key="records")
        table.add_column("id", key="id")

    @work(exclusive=True, group="schemes")
    async def load(self) -> None:
        try:
            await self.app.ensure_store()
        except Exception as exc:
            from kaohe_tui.tui.screens.error import ErrorModal, describe

            self.query_one("#schemes", KTable).loading = False
            self.app.push_screen(ErrorModal(describe(exc), title="数据库打不开"))
            return
        self.demo_counts = await asyncio.to_thread(
            lambda: {s.id: len(demo.demo_drafts(s)) for s in catalog.schemes().values()})
        self.refresh_rows()

    def refresh_rows(self) -> None:
        table = self.query_one("#schemes", KTable)
        store = self.app.opened_store
        keep = table.cursor_row
        table.clear(columns=True)
        rows = scheme_summaries(store)  # the counts and years `kaohe schemes` shows
        self.add_columns(table, rows)
        for row in rows:
            self.records[row.id] = row.records
            table.add_row(row.display_title, row.years_text(), row.units, row.records, row.id, key=row.id)
        table.loading = False
        if table.row_count:
            table.move_cursor(row=max(0, min(keep, table.row_count - 1)))
        else:
            self.query_one("#scheme-hint", Static).update("没有已加载的方案：检查插件目录（kaohe plugins）")
        self.show_failures()
        table.focus()
        self.refresh_bindings()

    def show_failures(self) -> None:
        box = self.query_one("#failures", Static)
        if not plugins.failures:
            box.display = False
            return
        lines = ["[b]⚠ 插件加载失败（已跳过，其余照常）：[/b]"]
        lines += [f"  ✗ {escape(f.plugin)}（{escape(f.place)}）：{escape(f.error)}" for f in plugins.failures]
        box.update("\n".join(lines))
        box.display = True

    # -- the highlighted scheme ----------------------------------------------------------------
    def highlighted(self) -> Scheme | None:
        table = self.query_one("#schemes", KTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return catalog.schemes().get(key) if key is not None else None

    def on_data_table_row_highlighted(self, event) -> None:
        scheme = self.highlighted()
        hint = self.query_one("#scheme-hint", Static)
        # the key first: the line is cut at the screen's edge (the scheme's title is in the table)
        plugin = f"插件 {escape(scheme.plugin)}" if scheme and scheme.plugin else ""
        if scheme and not self.records.get(scheme.id):
            if self.demo_counts.get(scheme.id):
                hint.update(f"台账为空：按 [b]d[/b] 载入演示台账（{self.demo_counts[scheme.id]}条，事由标注【演示】）"
                            f"· {plugin}")
            else:
                hint.update(f"台账为空（本方案没有演示台账）· {plugin}")
        else:
            hint.update(plugin)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open":
            return True if self.query_one("#schemes", KTable).has_focus and self.highlighted() else None
        if action == "demo":
            scheme = self.highlighted()
            return True if scheme and self.demo_counts.get(scheme.id) else None
        return True

    def action_open(self) -> None:
        scheme = self.highlighted()
        if scheme:
            self.app.show_view(scheme, "units")

    @work(exclusive=True, group="demo")
    async def action_demo(self) -> None:
        scheme = self.highlighted()
        if not scheme:
            return
        if self.records.get(scheme.id):  # said, not silently ignored
            self.app.notify(f"「{scheme.title}」的台账已有{self.records[scheme.id]}条记录：演示台账只载入空台账",
                            severity="warning")
            return
        try:
            loaded = await asyncio.to_thread(self.app.in_worker_store, demo.load_demo, scheme)
        except Exception as exc:
            from kaohe_tui.tui.screens.error import ErrorModal, describe

            self.app.push_screen(ErrorModal(describe(exc), title="演示台账载入失败"))
            return
        self.app.notify(f"已载入演示台账：{loaded}条（事由标注【演示】，可用 kaohe demo --remove 撤回）")
        self.refresh_rows()

    def export_target(self) -> tuple[Scheme, str] | None:
        scheme = self.highlighted()
        return (scheme, self.app.state(scheme).period) if scheme else None

    def on_screen_resume(self) -> None:
        if self.app.store is not None:
            self.refresh_rows()
