"""What is left before a period's results go out (the TUI face of ``kaohe status``): every unit ×
indicator (× month) that is missing, flagged or superseded, and the counts of the rest. Opened
from the results (m) for the period shown there; esc returns."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.status import STATES, Status, status

if TYPE_CHECKING:
    from kaohe_tui.tui.app import KaoheApp


class StatusScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="status-back"),
        Binding("a", "toggle_all", "全部/缺漏", id="status-all"),
    ]

    app: KaoheApp

    def __init__(self, scheme: Scheme, period: str):
        super().__init__()
        self.scheme = scheme
        self.period = period
        self.result: Status | None = None
        self.show_all = False

    def compose(self) -> ComposeResult:
        yield Static(f"{self.scheme.title} · {self.period}：正在检查 …", id="status-head")
        yield DataTable(id="status-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#status-table", DataTable)
        for title in ("单位", "指标", "期间", "状态", "缺月", "记录数"):
            table.add_column(title)
        self.load()
        table.focus()

    @work(exclusive=True, group="status")
    async def load(self) -> None:
        try:
            result: Status = await asyncio.to_thread(self.app.in_worker_store, status, self.scheme,
                                                     Period.parse(self.period))
        except Exception as exc:
            self.app.show_error(exc, "检查失败")
            return
        self.result = result
        self.fill(result)

    def fill(self, result: Status) -> None:
        table = self.query_one("#status-table", DataTable)
        table.clear()
        wanted = set(STATES) if self.show_all else {"missing", "flagged", "superseded"}
        for c in result.cells:
            if c.state in wanted:
                table.add_row(c.unit + ("" if c.ranked else "（不排名）"), c.indicator, c.period, STATES[c.state],
                              c.months_text, str(c.records))
        counts = "，".join(f"{STATES[k]}{v}" for k, v in result.counts().items())
        verdict = "可以签发" if result.complete else "尚有未录入数据：结果为暂定"
        self.query_one("#status-head", Static).update(
            f"{self.scheme.title} · {self.period}：{counts}（{verdict}） · a 显示{'缺漏' if self.show_all else '全部'}")

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        if self.result is not None:
            self.fill(self.result)
