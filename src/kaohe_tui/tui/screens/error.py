"""An error, in words, in a modal: never a traceback."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static


def describe(exc: BaseException) -> str:
    """The one line a user reads: a KaoheError's message, an OS error's file and reason."""
    from kaohe_tui.errors import KaoheError

    if isinstance(exc, KaoheError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename or ''}: {exc.strerror}".lstrip(": ")
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


class ErrorModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "关闭")]

    def __init__(self, message: str, title: str = "出错了"):
        super().__init__()
        self.message = message
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Static(f"✗ {self.title_text}", classes="dialog-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Button("确定", variant="error", id="ok", compact=True)
        yield Footer(compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss()
