"""The scheme's navigation bar: its views, the plugins' screens, and where you are."""

from __future__ import annotations

from collections.abc import Iterable

from rich.markup import escape
from textual.widgets import Static

VIEWS = [("units", "1", "单位"), ("ledger", "2", "台账"), ("results", "3", "结果"), ("audit", "4", "日志")]


class NavBar(Static):
    """One line: ``1 单位  2 台账  3 结果  4 日志 │ k 检查表 │ esc 方案列表 │ 方案名``; the current view is
    shown reversed and marked with ▸ (readable without colour)."""

    def __init__(self, title: str, current: str, extra: Iterable[tuple[str, str]] = (), **kwargs):
        super().__init__(**kwargs)
        self.title_text = title
        self.current = current
        self.extra = list(extra)

    def on_mount(self) -> None:
        parts = []
        for view, key, label in VIEWS:
            if view == self.current:
                parts.append(f"[reverse bold]▸{key} {label}[/]")
            else:
                parts.append(f" [bold]{key}[/] {label}")
        line = " ".join(parts)
        if self.extra:
            line += " │ " + "  ".join(f"[bold]{escape(k)}[/] {escape(t)}" for k, t in self.extra)
        line += f" │ [bold]esc[/] 方案列表 │ {escape(self.title_text)}"
        self.update(line)
