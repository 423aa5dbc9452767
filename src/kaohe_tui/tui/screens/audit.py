"""The audit log (who changed what, when and why), newest first, filtered by unit, user and date.
Shown for the current scheme; a page at a time, like the ledger."""

from __future__ import annotations

import asyncio

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from kaohe_tui import ledger_edit
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.screens.base import SchemeView
from kaohe_tui.tui.widgets.paged_table import PagedTable, count_and_page
from kaohe_tui.tui.widgets.tables import FilterInput, focus_now

ACTIONS = {"record": "记录", "withdraw": "撤回", "edit": "更正", "register-scheme": "登记方案",
           "withdraw-demo": "撤回演示"}


class AuditScreen(SchemeView):
    VIEW = "audit"
    AUTO_FOCUS = "#audit"  # the table from the start: keys typed ahead of the view are its (base.py)
    BINDINGS = [
        Binding("slash", "filter('audit-unit')", "按单位", key_display="/", id="audit-filter-unit"),
        Binding("u", "filter('audit-user')", "按用户", id="audit-filter-user"),
        Binding("t", "filter('audit-since')", "按日期", id="audit-filter-date"),
    ]

    def __init__(self, scheme: Scheme):
        super().__init__(scheme)

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield FilterInput("audit", id="audit-unit", placeholder="单位（/）")
            yield FilterInput("audit", id="audit-user", placeholder="用户（u）")
            yield FilterInput("audit", id="audit-since", placeholder="自日期 YYYY-MM-DD（t）")
        yield PagedTable(id="audit", filter_id="audit-unit", page_size=self.app.page_size)
        yield Static("", id="audit-status", classes="status")

    def on_mount(self) -> None:
        table = self.query_one("#audit", PagedTable)
        for title, key in [("#", "id"), ("时间", "at"), ("用户", "user"), ("操作", "action"), ("单位", "unit"),
                           ("记录", "record"), ("事由", "reason")]:
            table.add_column(title, key=key)
        self.reload()
        table.focus()

    @work(exclusive=True, group="audit")
    async def reload(self) -> None:
        values = {i: self.query_one(f"#{i}", Input).value for i in ("audit-unit", "audit-user", "audit-since")}
        flt = ledger_edit.audit_filter(self.store, values["audit-unit"], values["audit-user"], values["audit-since"])
        flt.where += " AND scheme = ?"
        flt.args.append(self.scheme.id)
        try:
            total, rows = await asyncio.to_thread(self.app.in_worker_store, count_and_page, "audit", flt, {},
                                                  newest_first=True, limit=self.app.page_size)
        except Exception as exc:
            self.app.show_error(exc, "审计日志读取失败")
            return

        def fetch(**kwargs) -> list[dict]:
            return ledger_edit.page(self.store, "audit", flt, newest_first=True, **kwargs)

        table = self.query_one("#audit", PagedTable)
        table.set_source(fetch, self.render_row, total)
        table.show(rows, 0, 0)

    @staticmethod
    def render_row(row: dict) -> list:
        return [row["id"], (row["at"] or "")[:19].replace("T", " "), row["user"] or "",
                ACTIONS.get(row["action"], row["action"]), row["unit"] or "",
                f"#{row['record_id']}" if row["record_id"] else "", row["reason"] or ""]

    def on_input_changed(self, event: Input.Changed) -> None:
        self.schedule_reload()

    def on_paged_table_page_changed(self, event: PagedTable.PageChanged) -> None:
        self.query_one("#audit-status", Static).update(f"审计日志 · {event.table.position()}")

    def on_data_table_row_highlighted(self, event) -> None:
        self.query_one("#audit-status", Static).update(f"审计日志 · {self.query_one('#audit', PagedTable).position()}")

    def action_filter(self, field: str) -> None:
        focus_now(self.query_one(f"#{field}", Input))
