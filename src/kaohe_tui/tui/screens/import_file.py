"""``i``: import a file into the current scheme — ledger rows, platform cases, units or a
plugin's own format — through the very call ``kaohe import`` makes (``actions.importing``).

The import runs in a thread worker on a private connection, so the screen keeps answering; a
progress bar moves while it runs (the total is not known before the file has been read, so the
bar is indeterminate and the rows checked so far are counted beside it). All or nothing: when a
row is refused, nothing is written and every refused row is listed (file, row, column, reason);
with "skip invalid rows" the good rows go in and the refused ones are written beside the input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, ProgressBar, Select, Static

from kaohe_tui.actions import importing
from kaohe_tui.actions.importing import ImportOutcome
from kaohe_tui.messages import t
from kaohe_tui.row_errors import RowError
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.common import record_periods
from kaohe_tui.tui.widgets.tables import KTable

if TYPE_CHECKING:
    from kaohe_tui.tui.app import KaoheApp

def kinds(scheme: Scheme) -> dict[str, str]:
    """kind → title: the built-in kinds and the plugins' formats for this scheme."""
    return importing.import_kinds(scheme)


class RejectedRows(ModalScreen[None]):
    """Every refused row, one per table row; the highlighted one in full below the table."""

    DEFAULT_CSS = """
    .dialog-title { text-wrap: nowrap; text-overflow: ellipsis; }
    .rejected-dialog { height: auto; max-height: 90%; }
    #rejected-detail { height: auto; max-height: 5; background: $boost; padding: 0 1; }
    #rejected-summary { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss", "关闭", id="rejected-close")]

    def __init__(self, path: Path, summary: str, rejected: list[RowError]):
        super().__init__()
        self.path = path
        self.summary = summary
        self.rejected = rejected

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog rejected-dialog"):
            yield Static(f"✗ 导入失败 · {escape(str(self.path))}", classes="dialog-title")
            yield Static(self.summary, id="rejected-summary", markup=False)
            yield KTable(id="rejected", cursor_type="row")
            yield Static("", id="rejected-detail", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#rejected", KTable)
        table.styles.height = "auto"  # as many rows as there are (the app's tables fill the screen)
        table.styles.max_height = 12
        table.add_column("行", key="row")
        table.add_column("列", key="column")
        table.add_column("原因", key="reason")
        for row in self.rejected:  # the core's fields, not its text taken apart
            table.add_row("" if row.row is None else str(row.row), row.column or "", row.reason)
        table.focus()
        self.show_detail(0)

    def on_data_table_row_highlighted(self, event: KTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def show_detail(self, index: int) -> None:
        if 0 <= index < len(self.rejected):
            self.query_one("#rejected-detail", Static).update(self.rejected[index])


class ImportDialog(ModalScreen[str | None]):
    """Dismissed with the summary once something was imported (the view then reloads)."""

    DEFAULT_CSS = """
    .dialog-title { text-wrap: nowrap; text-overflow: ellipsis; }
    #import-skip { width: 1fr; }
    .import-progress { height: 1; margin-top: 1; }
    #import-bar { width: auto; margin-right: 1; }
    #import-status { width: 1fr; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "取消", id="import-cancel"),
        Binding("ctrl+s", "run", "导入", priority=True, id="import-run"),
    ]

    app: KaoheApp

    def __init__(self, scheme: Scheme):
        super().__init__()
        self.scheme = scheme
        self.running = False  # a running import cannot be called off: escape waits for it
        self.phase = ""

    def compose(self) -> ComposeResult:
        periods = record_periods(self.scheme)
        with Vertical(classes="dialog import-dialog"):
            yield Static(f"[b]导入文件[/b] · {escape(self.scheme.title)}", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("文件", classes="field-label")
                yield Input("", placeholder="CSV（UTF-8 或 GBK）或 xlsx 的路径", compact=True, id="import-path")
            yield Static(f"相对路径以当前目录为准：{escape(str(Path.cwd()))}", classes="field-note", id="import-cwd")
            with Horizontal(classes="field"):
                yield Label("类型", classes="field-label")
                yield Select([(title, kind) for kind, title in kinds(self.scheme).items()], value="auto",
                             allow_blank=False, compact=True, id="import-kind")
            with Horizontal(classes="field"):
                yield Label("默认期间", classes="field-label")
                yield Select([(p, p) for p in periods], prompt="不指定（用文件的期间列）", compact=True,
                             id="import-period")
            with Horizontal(classes="field"):
                yield Label("", classes="field-label")
                yield Checkbox("跳过无效行（其余导入，无效行写入旁边的 .rejected.csv）", compact=True,
                               id="import-skip")
            yield Static("默认期间与跳过无效行只用于台账记录；回车或 ctrl+s 导入", classes="field-note")
            with Horizontal(classes="import-progress"):
                yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="import-bar")
                yield Static("", id="import-status", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("导入", variant="primary", id="import", compact=True)
                yield Button("取消", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(".import-progress").display = False
        self.query_one("#import-path", Input).focus()

    # -- input -----------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_run()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import":
            self.action_run()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if self.running:  # the transaction finishes either way: wait for its outcome
            self.app.notify("正在导入，完成后对话框自动关闭", severity="warning")
            return
        self.dismiss(None)

    def action_run(self) -> None:
        if self.running:
            return
        text = self.query_one("#import-path", Input).value.strip()
        if not text:
            self.app.show_error("请填写要导入的文件路径", "导入失败")
            return
        period = self.query_one("#import-period", Select).value
        self.set_running(True)
        self.import_file(Path(text).expanduser().absolute(), str(self.query_one("#import-kind", Select).value),
                         None if period == Select.NULL else str(period), self.query_one("#import-skip", Checkbox).value)

    # -- the worker ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def import_file(self, path: Path, kind: str, period: str | None, skip_invalid: bool,
                    overrides: dict[str, str] | None = None) -> None:
        def step(done: int) -> None:
            self.app.call_from_thread(self.show_progress, done)

        def row_by_row() -> None:
            self.app.call_from_thread(self.show_row_by_row)

        try:
            outcome = self.app.in_worker_store(importing.import_file, self.scheme, path, kind, period=period,
                                               skip_invalid=skip_invalid, overrides=overrides, progress=step,
                                               row_by_row=row_by_row)
        except Exception as exc:  # KaoheError (bad file, bad header …) or an OS error: shown, not raised
            self.app.call_from_thread(self.failed, path, exc)
            return
        self.app.call_from_thread(self.finished, path, outcome)

    def set_running(self, running: bool) -> None:
        self.running = running
        self.phase = ""  # said once the file is read again, row by row
        self.query_one(".import-progress").display = running
        self.query_one("#import-status", Static).update("读取文件…" if running else "")
        for widget in self.query("Button, Input, Select, Checkbox"):
            widget.disabled = running
        if not running:
            self.query_one("#import-path", Input).focus()

    def show_progress(self, done: int) -> None:
        self.query_one("#import-status", Static).update(f"{self.phase}已处理 {done:,} 行…")

    def show_row_by_row(self) -> None:
        """The fast path did not take the file (times not written YYYY-MM-DD HH:MM:SS, not UTF-8,
        or a bad row): it is read again, row by row, which is slower."""
        self.phase = "逐行检查（较慢）："
        self.show_progress(0)

    def finished(self, path: Path, outcome: ImportOutcome) -> None:
        self.set_running(False)
        if not outcome.written:
            hint = t("import_skip_hint_tui") if outcome.skippable else ""
            self.app.push_screen(RejectedRows(path, outcome.headline.text() + hint, outcome.rejected))
            return
        summary = "\n".join(outcome.lines())
        self.app.notify(summary, title="导入完成", timeout=8)
        self.dismiss(summary)

    def failed(self, path: Path, exc: Exception) -> None:
        self.set_running(False)
        from kaohe_tui.case_profiles import MissingColumns

        if isinstance(exc, MissingColumns):  # a case file's columns not known: map them by hand
            from kaohe_tui.tui.screens.case_mapping import CaseMapping

            def mapped(overrides: dict[str, str] | None) -> None:
                if overrides:
                    self.set_running(True)
                    self.import_file(path, "cases", None, False, overrides)

            self.app.push_screen(CaseMapping(path, str(exc), self.app.opened_store.path.parent / "profiles"), mapped)
            return
        self.app.show_error(exc, "导入失败")
