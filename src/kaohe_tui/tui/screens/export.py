"""``ctrl+e``: export the current scheme's results. Choose the format (xlsx by default) and the
path; the export runs in a worker, the path written is shown in a notification, and an error is
shown in a modal, never as a traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Select, Static

from kaohe_tui.actions.exporting import export, export_formats, export_kinds
from kaohe_tui.messages import t
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.common import scheme_periods
from kaohe_tui.tui.screens.confirm import ask_then

if TYPE_CHECKING:
    from kaohe_tui.tui.app import KaoheApp


class ExportDialog(ModalScreen[Path | None]):
    BINDINGS = [
        Binding("escape", "cancel", "取消", id="export-cancel"),
        Binding("ctrl+s", "export", "导出", priority=True, id="export-run"),
    ]

    app: KaoheApp

    def __init__(self, scheme: Scheme, period: str, folder: Path | None = None):
        super().__init__()
        self.scheme = scheme
        self.period = period
        self.folder = folder
        self.formats = export_formats()
        self.kinds = export_kinds(scheme)  # what `kaohe export --what` offers: results, ledger, 附件1 …
        self.what = "results"

    def default_path(self, fmt_name: str, what: str | None = None) -> str:
        what = what or self.what
        middle = "" if what == "results" else f"-{what}"
        name = f"{self.scheme.id}{middle}-{self.period}{self.formats[fmt_name].suffix}"
        return str(self.folder / name) if self.folder else name

    def compose(self) -> ComposeResult:
        first = "xlsx" if "xlsx" in self.formats else next(iter(self.formats))
        periods = scheme_periods(self.scheme, self.app.store)
        with Vertical(classes="dialog export-dialog"):
            yield Static(f"[b]导出[/b] · {escape(self.scheme.title)}", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("内容", classes="field-label")
                yield Select([(label, kind) for kind, label in self.kinds.items()], value="results",
                             allow_blank=False, compact=True, id="export-what")
            with Horizontal(classes="field"):
                yield Label("期间", classes="field-label")
                yield Select([(p, p) for p in periods], value=self.period if self.period in periods else periods[0],
                             allow_blank=False, compact=True, id="export-period")
            with Horizontal(classes="field"):
                yield Label("格式", classes="field-label")
                yield Select([(name, name) for name in self.formats], value=first, allow_blank=False,
                             compact=True, id="export-format")
            with Horizontal(classes="field"):
                yield Label("文件", classes="field-label")
                yield Input(self.default_path(first), compact=True, id="export-path")
            yield Static(t("export_folder_note", folder=self.folder or Path.cwd()), classes="field-note", markup=False)
            yield LoadingIndicator(id="export-busy")
            with Horizontal(classes="buttons"):
                yield Button("导出", variant="primary", id="export", compact=True)
                yield Button("取消", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-busy").display = False
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        if event.select.id == "export-period":
            old = self.default_path(self.fmt_name())
            self.period = str(event.value)
            if path.value == old or not path.value.strip():
                path.value = self.default_path(self.fmt_name())
        elif event.select.id == "export-what":
            old = self.default_path(self.fmt_name())
            self.what = str(event.value)
            if path.value == old or not path.value.strip():
                path.value = self.default_path(self.fmt_name())
        elif event.select.id == "export-format":
            # follow the format's suffix unless the user typed a path of their own
            if any(path.value == self.default_path(name) for name in self.formats) or not path.value.strip():
                path.value = self.default_path(self.fmt_name())

    def fmt_name(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def target(self) -> Path | None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.is_absolute() or self.folder is None else self.folder / path

    def action_export(self) -> None:
        path = self.target()
        if path is None:
            self.app.show_error("请填写导出文件的路径", "导出失败")
            return
        if not path.parent.is_dir():  # said here, in Chinese, before anything is scored
            self.app.show_error(t("export_no_folder", path=path, folder=path.parent), "导出失败")
            return
        if not path.exists():
            self.run_export(path)
            return
        ask_then(self.app, t("export_exists", path=path.resolve()), lambda: self.run_export(path), yes="覆盖",
                 no="不覆盖")

    @work(exclusive=True, group="export")
    async def run_export(self, path: Path) -> None:
        busy = self.query_one("#export-busy")
        busy.display = True
        for button in self.query(Button):
            button.disabled = True
        try:
            # the dialog has already asked before an existing file is replaced
            done = await asyncio.to_thread(self.app.in_worker_store, export, self.scheme, self.period,
                                           self.fmt_name(), path.expanduser().resolve(), what=self.what, force=True)
        except Exception as exc:
            busy.display = False
            for button in self.query(Button):
                button.disabled = False
            self.app.show_error(exc, "导出失败")
            return
        said = (t("export_done", count=done.rows, path=done.path) if done.what == "results"
                else t("export_rows_done", what=self.kinds[done.what], rows=done.rows, path=done.path))
        self.app.notify(said, title="导出完成", timeout=8)
        self.dismiss(done.path)
