"""附加分申报 (``b``): 附件6's applications and where each stands (待审批 / 已同意 with its final points
/ 未同意), read-only, from ``bonus.list_applications`` — the call behind ``kaohe bonus list``.
Applying and deciding stay with ``kaohe bonus apply|approve|reject`` (a unit applies for itself,
only an administrator decides)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kaohe_tui.api import Scheme, fmt

from .bonus import STATE_NAMES, list_applications

if TYPE_CHECKING:
    from kaohe_tui.api import Store


class BonusScreen(Screen):
    DEFAULT_CSS = """
    BonusScreen #bonus { height: 1fr; }
    BonusScreen #bonus-detail { max-height: 4; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="bonus-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="bonus-back-q"),
    ]

    def __init__(self, store: Store, scheme: Scheme):
        super().__init__()
        self.store, self.scheme = store, scheme
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        # the state and the points first (and frozen): at 80 columns the project and opinion scroll
        yield DataTable(id="bonus", cursor_type="row", zebra_stripes=True, fixed_columns=3)
        yield Static("", id="bonus-detail", classes="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        try:
            self.rows = list_applications(self.store, self.scheme)
        except Exception as exc:
            self.app.show_error(exc, "附加分申报打不开")
            return
        counts = {state: sum(1 for r in self.rows if r["state"] == state) for state in STATE_NAMES}
        tally = "、".join(f"{name}{counts[state]}项" for state, name in STATE_NAMES.items())
        self.query_one("#title-bar", Static).update(
            f" [b]附加分申报[/b]（附件6）· 共{len(self.rows)}项：{tally} │ [b]esc[/b] 返回")
        table = self.query_one("#bonus", DataTable)
        for key, label in (("id", "申报"), ("unit", "单位"), ("state", "状态"), ("points", "最终赋分"),
                           ("period", "期间"), ("project", "申报项目"), ("certificate", "证书"),
                           ("opinion", "局分管领导意见")):
            table.add_column(label, key=key)
        for r in self.rows:
            table.add_row(f"#{r['id']}", r["unit"], STATE_NAMES[r["state"]],
                          "" if r["points"] is None else fmt(r["points"]), r["period"], r["project"],
                          r["certificate"], r["leader_opinion"] or "", key=str(r["id"]))
        if not self.rows:
            self.query_one("#bonus-detail", Static).update(
                "还没有附加分申报（单位申报：kaohe bonus apply；管理员审批：kaohe bonus approve|reject）")
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = next((r for r in self.rows if str(r["id"]) == event.row_key.value), None)
        if row is None:
            return
        decided = f"；{row['decided_by']} {row['decided_at']} 审批" if row.get("decided_at") else ""
        self.query_one("#bonus-detail", Static).update(
            f"#{row['id']} {escape(row['unit'])}：{escape(row['project'])}（证书：{escape(row['certificate'])}）"
            f"{decided}" + (f"；意见：{escape(row['leader_opinion'])}" if row["leader_opinion"] else ""))


def open_bonus(app, store: Store, scheme: Scheme) -> BonusScreen:
    return BonusScreen(store, scheme)
