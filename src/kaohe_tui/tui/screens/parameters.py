"""A year's parameters (``kaohe scheme params``) with the document's text; an administrator edits
one: the new value is linted as it is typed (``scheme_params.check_changes``, nothing written),
and saved with a reason through ``scheme_params.set_params`` — the same call as ``kaohe scheme
set``. ``[`` / ``]`` move between the scheme's years."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from kaohe_tui.errors import KaoheError
from kaohe_tui.rules.base import fmt
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.widgets.tables import FilterInput, KTable

if TYPE_CHECKING:
    from textual.timer import Timer

    from kaohe_tui.store import Store

OK, BAD = "✓", "✗"  # the lint line reads the same without colour


def shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    return fmt(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


class YearScreen(Screen):
    """A screen over one year of a scheme: ``[`` / ``]`` move between the scheme's years (the
    document's and the office's), newest first shown."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="year-back"),
        Binding("left_square_bracket", "year(-1)", "上一年", key_display="[", id="year-prev"),
        Binding("right_square_bracket", "year(1)", "下一年", key_display="]", id="year-next"),
    ]

    def __init__(self, store: Store, scheme: Scheme):
        super().__init__()
        from kaohe_tui.scheme_years import years_of

        self.store = store
        self.scheme = scheme
        self.years = [r["year"] for r in years_of(store, scheme)]
        self.year = self.years[-1] if self.years else 0

    def reload(self) -> None:  # pragma: no cover - each screen has its own
        pass

    def action_year(self, step: int) -> None:
        i = self.years.index(self.year) + step if self.year in self.years else -1
        if 0 <= i < len(self.years):
            self.year = self.years[i]
            self.reload()


class ParametersScreen(YearScreen):
    DEFAULT_CSS = """
    ParametersScreen #params-head, ParametersScreen #params-lint { height: 1; }
    ParametersScreen #params-text { height: 4; }
    ParametersScreen #params-edit { height: 1; }
    ParametersScreen #params-value { width: 24; }
    """
    BINDINGS = [
        Binding("e", "edit", "改值", id="params-edit"),
        Binding("ctrl+s", "save", "保存", id="params-save", priority=True),
    ]

    def __init__(self, store: Store, scheme: Scheme):
        super().__init__(store, scheme)
        self.rows: list[dict] = []
        self._lint_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="params-head")
        yield FilterInput("params", id="params-filter")
        yield KTable(id="params", cursor_type="row", filter_id="params-filter")
        yield Static("", id="params-text")
        with Horizontal(id="params-edit"):
            yield Input(placeholder="新值", id="params-value", compact=True)
            yield Input(placeholder="事由（必填）", id="params-reason", compact=True)
        yield Static("", id="params-lint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#params", KTable)
        # the document's names first; the key (what `kaohe scheme set` takes) last, and under the table
        for title, key in (("参数", "label"), ("值", "value"), ("文件原值", "document"), ("键", "key")):
            table.add_column(title, key=key)
        self.reload()
        table.focus()

    # -- reading -----------------------------------------------------------------------------------
    def reload(self) -> None:
        from kaohe_tui.param_changes import year_parameters

        scheme, self.rows = year_parameters(self.store, self.scheme.id, self.year or None)
        version = getattr(scheme, "version", 0)
        kind = "办公室版本" if getattr(scheme, "office", False) else "文件版本"
        changed = sum(r["changed"] for r in self.rows)
        self.query_one("#params-head", Static).update(Text(
            f"{self.scheme.title} · {self.year}年（{kind}，第{version}版）：{len(self.rows)}个参数，调整{changed}个"))
        self.fill()

    def fill(self) -> None:
        from kaohe_tui.names import norm

        table = self.query_one("#params", KTable)
        text = norm(self.query_one("#params-filter", Input).value)
        table.clear()
        for row in self.rows:
            if text and not any(text in norm(row[k]) for k in ("label", "key", "text")):
                continue
            mark = "⚑" if row["changed"] else ""
            table.add_row(row["label"], mark + shown(row["value"]), shown(row["document"]) if row["changed"] else "",
                          row["key"], key=row["key"])
        self.show_text()

    def current(self) -> dict | None:
        table = self.query_one("#params", KTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if r["key"] == key), None)

    def show_text(self) -> None:
        row = self.current()
        self.query_one("#params-text", Static).update(Text(f"原文：{row['text']}\n键：{row['key']}" if row else ""))

    def on_data_table_row_highlighted(self, event) -> None:
        self.show_text()
        row = self.current()
        if row:
            self.query_one("#params-value", Input).value = shown(row["value"])
            self.query_one("#params-lint", Static).update("")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "params-filter":
            self.fill()
        elif event.input.id == "params-value":
            if self._lint_timer:
                self._lint_timer.stop()
            self._lint_timer = self.set_timer(0.2, self.lint)

    # -- editing -------------------------------------------------------------------------------------
    def lint(self) -> bool:
        """Lint the typed value against the year's scheme (nothing is written)."""
        from kaohe_tui.param_changes import check_changes
        from kaohe_tui.scheme_years import for_year

        row = self.current()
        status = self.query_one("#params-lint", Static)
        if row is None:
            return False
        value = self.query_one("#params-value", Input).value
        try:
            scheme = for_year(self.store, self.scheme, self.year)
            changes, _, findings = check_changes(self.store, scheme, [(row["key"], value)])
        except KaoheError as exc:
            status.update(Text(f"{BAD} {exc}"))
            return False
        undefined = sum(1 for f in findings if f.level != "error")
        note = f"（另有{undefined}条提示，见 kaohe lint）" if undefined else ""
        status.update(Text(f"{OK} 检查通过：{row['key']} {shown(changes[0].old)} → {shown(changes[0].new)}{note}"))
        return True

    def action_edit(self) -> None:
        self.query_one("#params-value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "params-value":
            self.query_one("#params-reason", Input).focus()
        elif event.input.id == "params-reason":
            self.action_save()

    def action_save(self) -> None:
        from kaohe_tui.param_changes import set_params

        row = self.current()
        if row is None or not self.lint():
            return
        value = self.query_one("#params-value", Input).value
        reason = self.query_one("#params-reason", Input).value
        try:
            changes = set_params(self.store, self.scheme.id, self.year, [f"{row['key']}={value}"], reason)
        except KaoheError as exc:
            self.query_one("#params-lint", Static).update(Text(f"{BAD} {exc}"))
            return
        for change in changes:
            self.notify(f"{self.year}年已调整：{change.key} {shown(change.old)} → {shown(change.new)}")
        self.query_one("#params-reason", Input).value = ""
        self.reload()
        self.query_one("#params", KTable).focus()
