"""The app's own key bindings (everywhere, on every screen), apart from the app so that the scheme
views can reserve these keys against plugin screens without importing the app."""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_BINDINGS: list[BindingType] = [
    Binding("ctrl+q", "quit", "退出", show=False, priority=True, id="quit"),
    Binding("question_mark", "help", "帮助", key_display="?", id="help"),
    Binding("ctrl+e", "export", "导出", id="export"),
    Binding("ctrl+p", "command_palette", "命令", show=False, priority=True, id="command-palette",
            tooltip="命令面板：搜索本页的所有操作"),
]
