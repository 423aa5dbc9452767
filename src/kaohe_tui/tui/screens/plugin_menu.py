"""``p``: the screens the scheme's plugins add, to choose from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kaohe_tui.tui.extension import SchemeScreen


class PluginMenu(ModalScreen[SchemeScreen | None]):
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, screens: list[SchemeScreen]):
        super().__init__()
        self.screens = screens

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("插件页", classes="dialog-title")
            yield OptionList(*[Option(f"{s.key}  {s.title}", id=str(i)) for i, s in enumerate(self.screens)],
                             id="plugin-screens")
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.screens[event.option_index])  # the options are the screens, in order

    def on_key(self, event) -> None:
        for screen in self.screens:
            if event.key == screen.key:
                event.stop()
                self.dismiss(screen)

    def action_cancel(self) -> None:
        self.dismiss(None)
