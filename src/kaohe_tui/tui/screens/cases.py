"""The platform cases behind a derived count (``数字城管案件统计：按时结案8件``): each case with the
class it was counted in, so that an auditor can recount the figure (opened from the explanation)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kaohe_tui.case_classes import FIGURES, STATUS_LABELS
from kaohe_tui.cases import list_cases
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme

if TYPE_CHECKING:
    from kaohe_tui.tui.app import KaoheApp


class CasesScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="cases-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="cases-q-back"),
        Binding("s", "next_status", "按归类筛选", id="cases-status"),
    ]

    app: KaoheApp

    def __init__(self, scheme: Scheme, period: Period, unit: str, counted: str | None = None,
                 what: str = "", case_id: str | None = None):
        super().__init__()
        self.scheme, self.period, self.unit = scheme, period, unit
        # the figure whose cases are shown (case_classes.FIGURES; None: every case), and its name
        self.counted, self.what = (counted if counted in FIGURES else None), what
        self.keep: set[str] | None = None  # the ids of the cases shown (None: every case)
        if case_id is not None:
            self.keep, self.what = {case_id}, f"案件{case_id}"
        self.status: str | None = None  # a class chosen with s
        self.cases: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static(f" [b]案件[/b] · {escape(self.unit)} · {self.period} · 载入中…", id="cases-head")
        yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#cases-table", DataTable)
        for title in ("案件编号", "归类", "上报时间", "处置时限", "结案时间", "延期", "核查未通过", "回访", "来源",
                      "导入自"):
            table.add_column(title)
        table.focus()
        self.load()

    @work(exclusive=True, group="cases")
    async def load(self) -> None:
        try:  # a year of a city's cases is a full scan: off the UI thread
            self.cases = await asyncio.to_thread(self.app.in_worker_store, list_cases, self.scheme, self.period,
                                                 self.unit)
            if self.counted:  # the figure's own SQL chooses them (the TUI then cycles through all)
                chosen = await asyncio.to_thread(self.app.in_worker_store, list_cases, self.scheme, self.period,
                                                 self.unit, None, self.counted)
                self.keep = {c["case_id"] for c in chosen}
        except Exception as exc:
            self.app.show_error(exc, "案件读取失败")
            return
        self.show()

    def shown(self) -> list[dict]:
        return [c for c in self.cases if (self.keep is None or c["case_id"] in self.keep)
                and (self.status is None or c["status"] == self.status)]

    def show(self) -> None:
        rows = self.shown()
        table = self.query_one("#cases-table", DataTable)
        table.clear()
        table.add_rows([[c["case_id"], STATUS_LABELS[c["status"]], c["reported_at"], c["deadline"] or "",
                         c["closed_at"] or "", c["extensions"] or "", c["failed_checks"] or "", c["satisfaction"] or "",
                         c["source"] or "", c["import_file"] or ""] for c in rows])
        counted = Counter(c["status"] for c in rows)
        summary = "，".join(f"{STATUS_LABELS[k]}{counted[k]}" for k in STATUS_LABELS if counted[k]) or "无"
        which = "·".join(filter(None, [self.what, STATUS_LABELS.get(self.status or "")])) or "全部"
        self.query_one("#cases-head", Static).update(
            f" [b]案件[/b] · {escape(self.unit)} · {self.period} · {escape(which)}{len(rows)}件（{summary}）")

    def action_next_status(self) -> None:
        """Cycle over every case of the period: each class in turn, then all of them."""
        order = [None, *STATUS_LABELS]
        self.keep, self.what = None, ""
        self.status = order[(order.index(self.status) + 1) % len(order)]
        self.show()
