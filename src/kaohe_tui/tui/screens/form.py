"""The shape every modal form shares (the record form, plugins' forms): a "save" button runs
``action_save``; any other button, or escape, cancels and returns None — after asking, when the
user has typed or chosen something (a form is never lost to esc or ctrl+q unasked)."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select

ResultT = TypeVar("ResultT")


class FormModal(ModalScreen[ResultT]):
    touched = False  # the user changed a field (not the form filling itself in)

    def action_save(self) -> None:  # pragma: no cover - each form saves its own way
        raise NotImplementedError

    def is_dirty(self) -> bool:
        return self.touched

    def action_cancel(self) -> None:
        from kaohe_tui.messages import t
        from kaohe_tui.tui.screens.confirm import ask_then

        if not self.is_dirty():
            self.dismiss(None)
            return

        ask_then(self.app, t("discard_form"), lambda: self.dismiss(None), yes="放弃", no="继续填写")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    # a change made while the field has the focus is the user's (the form's own filling-in is not)
    def on_input_changed(self, event: Input.Changed) -> None:
        self.touched |= event.input.has_focus

    def on_select_changed(self, event: Select.Changed) -> None:
        self.touched |= event.select.has_focus_within

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.touched |= event.checkbox.has_focus
