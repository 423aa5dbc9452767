"""The target lists (目标责任书 items with points) of a scheme's year, per unit: a thin face over
``kaohe_tui.api.target_items``. ``[`` / ``]`` move between the scheme's years."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Footer, Static

from kaohe_tui.api import FilterInput, KTable, YearScreen, fmt, norm


class TargetsScreen(YearScreen):
    DEFAULT_CSS = """
    TargetsScreen #targets-head { height: 1; }
    TargetsScreen #targets-text { height: 4; }
    """
    def __init__(self, store, scheme):
        super().__init__(store, scheme)
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="targets-head")
        yield FilterInput("targets", id="targets-filter")
        yield KTable(id="targets", cursor_type="row", filter_id="targets-filter")
        yield Static("", id="targets-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#targets", KTable)
        for title, key in (("单位", "unit"), ("指标", "indicator"), ("序号", "number"), ("任务", "task"),
                           ("分值", "points")):
            table.add_column(title, key=key)
        self.reload()
        table.focus()

    def reload(self) -> None:
        from kaohe_tui.api import target_items as items

        self.rows = items(self.store, self.scheme.id, self.year)
        units = len({r["unit"] for r in self.rows})
        head = f"{self.scheme.title} · {self.year}年目标责任书：{units}个单位，{len(self.rows)}项"
        if not self.rows:
            head += f"（导入：kaohe import {self.scheme.id} 文件 --kind targets --period {self.year}）"
        self.query_one("#targets-head", Static).update(Text(head))
        self.fill()

    def fill(self) -> None:
        table = self.query_one("#targets", KTable)
        text = norm(self.query_one("#targets-filter").value)
        table.clear()
        for r in self.rows:
            if text and not any(text in norm(str(r[k] or "")) for k in ("unit", "task", "theme", "content")):
                continue
            table.add_row(r["unit"], r["indicator"], str(r["number"]), r["task"], fmt(r["points"]), key=str(r["id"]))

    def on_input_changed(self, event) -> None:
        if event.input.id == "targets-filter":
            self.fill()

    def on_data_table_row_highlighted(self, event) -> None:
        key = event.row_key.value if event.row_key else None
        row = next((r for r in self.rows if str(r["id"]) == key), None)
        text = f"{row['theme']}｜{row['content']}" if row and (row["theme"] or row["content"]) else ""
        self.query_one("#targets-text", Static).update(Text(text))
