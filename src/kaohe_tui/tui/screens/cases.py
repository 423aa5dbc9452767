"""The platform cases behind a derived count (``数字城管案件统计：按时结案8件``): each case with the
class it was counted in, so that an auditor can recount the figure (opened from the explanation)."""

from __future__ import annotations

import asyncio
from collections import Counter

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kaohe_tui.cases import STATUS_LABELS, list_cases
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme


class CasesScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="cases-back"),
        Binding("s", "next_status", "按归类筛选", id="cases-status"),
    ]

    def __init__(self, scheme: Scheme, period: Period, unit: str, statuses: set[str] | None = None,
                 case_id: str | None = None):
        super().__init__()
        self.scheme, self.period, self.unit = scheme, period, unit
        self.statuses = statuses  # None: every case
        self.case_id = case_id
        self.cases: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static(f" [b]案件[/b] · {escape(self.unit)} · {self.period} · 载入中…", id="cases-head")
        yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#cases-table", DataTable)
        for title in ("案件编号", "归类", "上报时间", "处置时限", "结案时间", "延期", "核查未通过", "回访", "来源"):
            table.add_column(title)
        table.focus()
        self.load()

    @work(exclusive=True, group="cases")
    async def load(self) -> None:
        try:  # a year of a city's cases is a full scan: off the UI thread
            self.cases = await asyncio.to_thread(self.app.in_worker_store, list_cases, self.scheme, self.period, self.unit)
        except Exception as exc:
            self.app.show_error(exc, "案件读取失败")
            return
        self.show()

    def shown(self) -> list[dict]:
        return [c for c in self.cases if (self.statuses is None or c["status"] in self.statuses)
                and (self.case_id is None or c["case_id"] == self.case_id)]

    def show(self) -> None:
        rows = self.shown()
        table = self.query_one("#cases-table", DataTable)
        table.clear()
        table.add_rows([[c["case_id"], STATUS_LABELS[c["status"]], c["reported_at"], c["deadline"] or "",
                         c["closed_at"] or "", c["extensions"] or "", c["failed_checks"] or "", c["satisfaction"] or "",
                         c["source"] or ""] for c in rows])
        counted = Counter(c["status"] for c in rows)
        summary = "，".join(f"{STATUS_LABELS[k]}{counted[k]}" for k in STATUS_LABELS if counted[k]) or "无"
        which = "全部" if self.statuses is None and self.case_id is None else "筛选后"
        self.query_one("#cases-head", Static).update(
            f" [b]案件[/b] · {escape(self.unit)} · {self.period} · {which}{len(rows)}件（{summary}）")

    def action_next_status(self) -> None:
        """Cycle: every case → each class in turn → every case."""
        order = [None, *({k} for k in STATUS_LABELS)]
        at = order.index(self.statuses) if self.statuses in order else 0
        self.statuses = order[(at + 1) % len(order)]
        self.case_id = None
        self.show()
