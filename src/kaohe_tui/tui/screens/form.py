"""The shape every modal form shares (the record form, plugins' forms): a "save" button runs
``action_save``; any other button, or escape, cancels and returns None."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import Button

ResultT = TypeVar("ResultT")


class FormModal(ModalScreen[ResultT]):
    def action_save(self) -> None:  # pragma: no cover - each form saves its own way
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
