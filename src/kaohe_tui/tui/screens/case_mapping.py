"""A case file whose headers kaohe does not know: each column with its first values, and which
case field it holds (or "not used"); the mapping imports the file (``--map`` in the CLI) and,
given a name, is saved as the office's own import profile (``profiles/NAME.toml`` beside the
database), chosen by itself the next time a file with these headers comes in."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from kaohe_tui.case_counts import ALL_COLUMNS
from kaohe_tui.case_profiles import FIELD_LABELS, IGNORE, column_samples, save_profile
from kaohe_tui.errors import KaoheError
from kaohe_tui.names import norm

OPTIONS = [("（不使用）", IGNORE), *[(f"{FIELD_LABELS[f]}（{f}）", f) for f in ALL_COLUMNS]]


def guess(header: str) -> str:
    """The field a header names by the built-in names, else not used."""
    key = norm(header).lower()
    return next((f for f, names in ALL_COLUMNS.items() if key in {norm(n).lower() for n in names}), IGNORE)


class CaseMapping(ModalScreen[dict | None]):
    """Dismissed with header → field for the import (None: cancelled)."""

    DEFAULT_CSS = """
    .mapping-dialog { height: auto; max-height: 95%; }
    #mapping-columns { height: auto; max-height: 16; }
    .mapping-row { height: 1; }
    .mapping-header { width: 16; }
    .mapping-sample { width: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    .mapping-row Select { width: 24; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消"), Binding("ctrl+s", "apply", "导入", priority=True)]

    def __init__(self, path: Path, message: str, profiles_dir: Path):
        super().__init__()
        self.path, self.message, self.profiles_dir = path, message, profiles_dir
        self.header, self.samples = column_samples(path)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog mapping-dialog"):
            yield Static(f"[b]案件文件的列[/b] · {escape(self.path.name)}", classes="dialog-title")
            yield Static(self.message.removeprefix(f"{self.path}: "), classes="field-note", markup=False)
            with VerticalScroll(id="mapping-columns"):
                for i, (header, sample) in enumerate(zip(self.header, self.samples, strict=False)):
                    if not header:
                        continue
                    with Horizontal(classes="mapping-row"):
                        yield Label(header, classes="mapping-header", markup=False)
                        yield Static(" · ".join(sample), classes="mapping-sample", markup=False)
                        yield Select(OPTIONS, value=guess(header), allow_blank=False, compact=True, id=f"map-{i}")
            with Horizontal(classes="field"):
                yield Label("保存为配置", classes="field-label")
                yield Input("", placeholder="配置名（不填则只用于这次导入）", compact=True, id="mapping-name")
            with Horizontal(classes="buttons"):
                yield Button("按此导入", variant="primary", id="apply", compact=True)
                yield Button("取消", id="cancel", compact=True)
        yield Footer(compact=True)

    def mapping(self) -> dict[str, str]:
        return {self.header[int(str(s.id).removeprefix("map-"))]: str(s.value) for s in self.query(Select)}

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_apply() if event.button.id == "apply" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_apply(self) -> None:
        chosen = self.mapping()
        name = self.query_one("#mapping-name", Input).value.strip()
        if name:
            try:
                target = save_profile(self.profiles_dir, name, {h: f for h, f in chosen.items() if f != IGNORE},
                                      [h for h, f in chosen.items() if f == IGNORE])
            except (KaoheError, OSError) as exc:
                self.app.notify(str(exc), severity="error")
                return
            self.app.notify(f"已保存导入配置 {target}", timeout=6)
        self.dismiss(chosen)
