"""The scheme's navigation bar: its views, the plugins' screens, and where you are."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.markup import escape
from textual import events
from textual.widgets import Static

VIEWS = [("units", "1", "单位"), ("ledger", "2", "台账"), ("results", "3", "结果"), ("audit", "4", "日志")]
SEP = " │ "
GAP = "  "


class NavBar(Static):
    """One line: ``1 单位  2 台账  3 结果  4 日志 │ k 检查表 │ esc 方案列表 │ 方案名``; the current view is
    shown reversed and marked with ▸ (readable without colour). When the views, the plugins'
    screens and esc do not fit the terminal's width, the plugins' screens go on the next line(s),
    cut between whole keys: at 80 columns every key stays visible (only the title may be cut)."""

    def __init__(self, title: str, current: str, extra: Iterable[tuple[str, str]] = (), **kwargs):
        super().__init__(**kwargs)
        self.title_text = title
        self.current = current
        self.extra = list(extra)
        self._width = 0

    def on_mount(self) -> None:
        self._lay_out(self.size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._lay_out(event.size.width)

    def _lay_out(self, width: int) -> None:
        """The bar's markup for ``width`` cells: each part is kept as (markup, cells)."""
        self._width = width
        views = []
        for view, key, label in VIEWS:
            if view == self.current:
                views.append(f"[reverse bold]▸{key} {label}[/]")
            else:
                views.append(f" [bold]{key}[/] {label}")
        head = (" ".join(views), cell_len(" ".join(f" {key} {label}" for _, key, label in VIEWS)))
        extras = [(f"[bold]{escape(k)}[/] {escape(t)}", cell_len(f"{k} {t}")) for k, t in self.extra]
        back = ("[bold]esc[/] 方案列表", cell_len("esc 方案列表"))
        tail = f"{SEP}{back[0]}{SEP}{escape(self.title_text)}"
        gaps = cell_len(GAP) * max(len(extras) - 1, 0) + 2 * cell_len(SEP)
        one = head[1] + sum(c for _, c in extras) + gaps + back[1]  # the title may be cut, nothing else
        if not extras or one <= width:
            plugins = (SEP + GAP.join(m for m, _ in extras)) if extras else ""
            lines = [head[0] + plugins + tail]
        else:
            lines = [head[0] + tail, *self._wrapped(extras, width)]
        self.styles.height = len(lines)
        self.update("\n".join(lines))

    @staticmethod
    def _wrapped(parts: list[tuple[str, int]], width: int) -> list[str]:
        """``parts`` packed into lines of ``width`` cells, each line starting with a space."""
        lines: list[str] = []
        line, used = "", 1
        for markup, cells in parts:
            need = cells if not line else cell_len(GAP) + cells
            if line and used + need > width:
                lines.append(" " + line)
                line, used = "", 1
                need = cells
            line = f"{line}{GAP}{markup}" if line else markup
            used += need
        return [*lines, " " + line] if line else lines
