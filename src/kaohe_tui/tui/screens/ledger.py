"""The ledger of a scheme and period, a page at a time: add, correct ("edit" = withdraw with a
reason + add the corrected record, in one transaction) and withdraw records. Withdrawn records
stay in the list, dimmed and marked ✗."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from kaohe_tui import ledger_edit
from kaohe_tui.actions.recording import withdraw
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.common import WITHDRAWN, clause_text, figure, record_line, scheme_periods
from kaohe_tui.tui.screens.base import PERIOD, SchemeView
from kaohe_tui.tui.widgets.paged_table import PagedTable, count_and_page
from kaohe_tui.tui.widgets.tables import FilterInput, focus_now

# who, how much and why first (# and 单位 stay when the rest scrolls): at 80 columns they are what
# a clerk reads; a long reason or clause is cut here and shown whole in the line under the table
COLUMNS = [("#", "id", None), ("单位", "unit", None), ("数", "figure", None), ("事由", "reason", 24),
           ("指标", "indicator", None), ("条款", "clause", 16), ("期间", "period", None), ("日期", "date", None),
           ("状态", "status", None)]


class LedgerScreen(SchemeView):
    VIEW = "ledger"
    AUTO_FOCUS = "#ledger"  # the table from the start: keys typed ahead of the view are its (base.py)
    BINDINGS = [
        Binding("slash", "filter", "筛选", key_display="/", id="ledger-filter"),
        Binding("a", "add", "新增", id="record-add"),
        Binding("e", "edit", "更正", id="record-edit"),
        Binding("w", "withdraw", "撤回", id="record-withdraw"),
        Binding("left_square_bracket", "period(-1)", "上期", key_display="[", group=PERIOD, id="ledger-prev-period"),
        Binding("right_square_bracket", "period(1)", "下期", key_display="]", group=PERIOD, id="ledger-next-period"),
    ]

    def __init__(self, scheme: Scheme):
        super().__init__(scheme)
        self.periods = scheme_periods(scheme, self.app.store)  # the office's own years too

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield Select([(p, p) for p in self.periods], value=self.state.ledger_period, allow_blank=False,
                         compact=True, id="ledger-period")
            yield FilterInput("ledger", id="ledger-filter", value=self.state.ledger_filter)
        yield PagedTable(id="ledger", filter_id="ledger-filter", page_size=self.app.page_size, fixed_columns=2)
        yield Static("", id="ledger-detail", classes="detail", markup=False)
        yield Static("", id="ledger-status", classes="status")

    def on_mount(self) -> None:
        table = self.query_one("#ledger", PagedTable)
        for title, key, width in COLUMNS:
            table.add_column(title, key=key, width=width)
        self.reload()
        table.focus()

    # -- data ------------------------------------------------------------------------------------
    @work(exclusive=True, group="ledger")
    async def reload(self, keep: int | None = None, same_page: bool = False) -> None:
        """Count and fetch in a worker (a filtered count over 10^6 records takes a moment)."""
        table = self.query_one("#ledger", PagedTable)
        period = Period.parse(self.state.ledger_period)
        flt = ledger_edit.ledger_filter(self.store, self.scheme, period, self.state.ledger_filter)
        query = table.query_shown if same_page else ({"last": True} if keep is not None else {})
        self.query_one("#ledger-status", Static).update(f"{self.state.ledger_period} · 载入中…")
        try:
            total, rows = await asyncio.to_thread(self.app.in_worker_store, count_and_page, "records", flt, query,
                                                  limit=self.app.page_size)
        except Exception as exc:  # e.g. the database is busy: say so, keep the screen
            self.app.show_error(exc, "台账读取失败")
            return

        def fetch(**kwargs) -> list[dict]:
            return ledger_edit.page(self.store, "records", flt, **kwargs)

        table.set_source(fetch, self.render_row, total)
        if same_page:
            table.show(rows, table.first_index, table.cursor_row, query)
        elif keep is not None:
            at = next((i for i, row in enumerate(rows) if row["id"] == keep), len(rows) - 1)
            table.show(rows, total - len(rows), at, query)
        else:
            table.show(rows, 0, 0, query)

    def render_row(self, row: dict) -> list:
        withdrawn = bool(row["withdrawn_at"])
        status = f"{WITHDRAWN}撤回：{row['withdrawn_reason'] or ''}" if withdrawn else ""
        clause = clause_text(self.scheme, row["indicator"], row["clause"]) or row["clause"] or ""
        cells = [row["id"], row["unit"], figure(row), row["reason"], row["indicator"], clause, row["period"],
                 row["date"] or "", status]
        if withdrawn:  # dimmed and struck through, and marked ✗ in the first column for 16 colours
            cells[0] = f"{WITHDRAWN}{row['id']}"
            return [Text(str(c), style="dim strike") if i < len(cells) - 1 else Text(str(c), style="dim")
                    for i, c in enumerate(cells)]
        return cells

    def on_paged_table_page_changed(self, event: PagedTable.PageChanged) -> None:
        self.update_status()

    def on_data_table_row_highlighted(self, event) -> None:
        self.update_status()
        self.refresh_bindings()

    def update_status(self) -> None:
        table = self.query_one("#ledger", PagedTable)
        self.query_one("#ledger-status", Static).update(f"{self.state.ledger_period} · {table.position()}")
        row = table.current()
        self.query_one("#ledger-detail", Static).update(record_line(self.scheme, row) if row else "")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "ledger-filter":
            self.state.ledger_filter = event.value
            self.schedule_reload()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "ledger-period" and event.value != Select.NULL:
            self.state.ledger_period = str(event.value)
            self.reload()

    # -- actions -----------------------------------------------------------------------------------
    def current(self) -> dict | None:
        return self.query_one("#ledger", PagedTable).current()

    def current_unit(self) -> str | None:
        row = self.current()
        return row["unit"] if row else None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("edit", "withdraw"):
            row = self.current()
            return True if row and not row["withdrawn_at"] else None
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        focus_now(self.query_one("#ledger-filter", FilterInput))

    def action_period(self, step: int) -> None:
        i = self.periods.index(self.state.ledger_period) if self.state.ledger_period in self.periods else 0
        self.query_one("#ledger-period", Select).value = self.periods[(i + step) % len(self.periods)]

    def action_add(self) -> None:
        from kaohe_tui.tui.screens.record_form import RecordForm

        self.app.push_screen(RecordForm(self.year_scheme(), period=self.state.ledger_period), self.after_save)

    def action_edit(self) -> None:
        from kaohe_tui.tui.screens.record_form import RecordForm

        row = self.current()
        if row and not row["withdrawn_at"]:
            self.app.push_screen(RecordForm(self.year_scheme(), period=self.state.ledger_period, record=row),
                                 self.after_save)

    def year_scheme(self) -> Scheme:
        """The scheme as it stands for the ledger's period (an office year: its units, its periods)."""
        from kaohe_tui.scheme_years import for_period

        return for_period(self.store, self.scheme, self.state.ledger_period)

    def after_save(self, record_id: int | None) -> None:
        if record_id:
            self.app.notify(f"已保存记录 #{record_id}")
            self.reload(keep=record_id)

    def action_withdraw(self) -> None:
        from kaohe_tui.tui.screens.reason import ReasonPrompt

        row = self.current()
        if not row or row["withdrawn_at"]:
            return

        def done(reason: str | None) -> None:
            if not reason:
                return
            try:
                withdraw(self.store, self.scheme, row["id"], reason)
            except Exception as exc:
                self.app.show_error(exc, "撤回失败")
                return
            self.app.notify(f"已撤回记录 #{row['id']}")
            self.reload(same_page=True)

        detail = f"#{row['id']} {row['unit']} · {row['indicator']} · {row['reason']}"
        self.app.push_screen(ReasonPrompt("撤回记录（记录不会删除，标记为已撤回）", detail), done)

    def export_target(self) -> tuple[Scheme, str]:
        return self.scheme, self.state.ledger_period
