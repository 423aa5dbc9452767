"""A yes/no question before something cannot be taken back (overwriting a file, discarding a
form). The safe answer is the default: enter and esc both say no unless "yes" has the focus."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static


class Confirm(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "answer(False)", "否", id="confirm-no"),
                Binding("y", "answer(True)", "是", id="confirm-yes")]

    def __init__(self, question: str, yes: str = "是", no: str = "否"):
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.no}（esc）", id="no", compact=True)
                yield Button(f"{self.yes}（y）", variant="warning", id="yes", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def ask_then(app: App, question: str, then: Callable[[], object], *, yes: str = "是", no: str = "否") -> None:
    """Ask ``question``; run ``then`` only on yes (no, esc and a dismissed dialog do nothing)."""

    def answered(answer: bool | None) -> None:
        if answer:
            then()

    app.push_screen(Confirm(question, yes=yes, no=no), answered)
