"""Asks for a reason (withdrawing a record needs one)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static


class ReasonPrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, detail: str = ""):
        super().__init__()
        self.title_text = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, markup=False, classes="dialog-detail")
            yield Input(placeholder="原因（必填），回车确认", id="reason", compact=True)
            yield Static("", id="reason-error", classes="form-error")
        yield Footer(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#reason-error", Static).update("✗ 请填写原因")
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
