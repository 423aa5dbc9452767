"""计分表 (附件3): one unit's sheet for a period, its self-score beside the assessed score, and
the form that enters a self-score (``selfscore.set_self_score`` checks it). The periods include
the office's own years; each period's units and rows are its own scheme's (``scheme_for_period``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from kaohe_tui.api import (
    FLAG,
    FormModal,
    KaoheError,
    Scheme,
    UnitIndex,
    describe,
    fmt,
    load_units,
    scheme_for_period,
    scheme_periods,
    t,
)

from .screens import PERIOD, _num
from .selfscore import SheetIndicator, set_self_score, sheet_indicators
from .sheet import ScoreSheet, SheetRow, score_sheet

if TYPE_CHECKING:
    from kaohe_tui.api import Store

MIN_REASON = 10  # cells; a reason column narrower than this is left out (the row's reasons show below)
GROUP = Binding.Group("单位", compact=True)


class SheetScreen(Screen):
    DEFAULT_CSS = """
    SheetScreen .sheet-toolbar { height: 1; }
    SheetScreen #sheet-unit { width: 1fr; margin-right: 1; }
    SheetScreen #sheet-period { width: 14; }
    SheetScreen #sheet { height: 1fr; }
    SheetScreen #sheet-detail { max-height: 3; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="sheet-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="sheet-back-q"),
        Binding("e", "self_score", "填自评分", id="sheet-self-score"),
        Binding("b", "unit(-1)", "上一单位", group=GROUP, id="sheet-prev-unit"),
        Binding("n", "unit(1)", "下一单位", group=GROUP, id="sheet-next-unit"),
        Binding("left_square_bracket", "period(-1)", "上期", key_display="[", group=PERIOD, id="sheet-prev-period"),
        Binding("right_square_bracket", "period(1)", "下期", key_display="]", group=PERIOD, id="sheet-next-period"),
    ]

    def __init__(self, store: Store, scheme: Scheme, period: str, unit: str | None = None):
        super().__init__()
        self.store, self.scheme = store, scheme
        self.periods = scheme_periods(scheme, store)  # the office's own years too
        self.period = period if period in self.periods else self.periods[0]
        self.year_scheme = scheme_for_period(store, scheme, self.period)  # the period's units and rows
        self.units = [u.name for u in load_units(store, self.year_scheme)]
        self.unit = self.same_unit(unit)
        self.sheet: ScoreSheet | None = None
        self.narrow = False

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        with Horizontal(classes="sheet-toolbar"):
            yield Select([(u, u) for u in self.units], value=self.unit, allow_blank=False, compact=True,
                         id="sheet-unit")
            yield Select([(p, p) for p in self.periods], value=self.period, allow_blank=False, compact=True,
                         id="sheet-period")
        yield DataTable(id="sheet", cursor_type="row", zebra_stripes=True)
        yield Static("", id="sheet-detail", classes="detail")
        yield Static("", id="sheet-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()
        self.query_one("#sheet", DataTable).focus()

    def on_resize(self) -> None:
        if self.sheet:
            self.fill()  # the reason columns share the width

    def same_unit(self, name: str | None) -> str:
        """``name`` as the period's year lists it (a renamed unit keeps its old name as an alias),
        else the first unit."""
        try:
            return UnitIndex(load_units(self.store, self.year_scheme)).resolve(name or "").name
        except KaoheError:
            return self.units[0]

    def year_changed(self) -> None:
        """The period moved: its scheme's units and rows, the unit kept where the year has it."""
        self.year_scheme = scheme_for_period(self.store, self.scheme, self.period)
        units = [u.name for u in load_units(self.store, self.year_scheme)]
        if units == self.units:
            return
        self.units = units
        self.unit = self.same_unit(self.unit)
        choose = self.query_one("#sheet-unit", Select)
        with self.prevent(Select.Changed):
            choose.set_options([(u, u) for u in self.units])
            choose.value = self.unit

    # -- data ------------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            self.year_changed()
            self.sheet = score_sheet(self.store, self.year_scheme, self.period, self.unit)
        except Exception as exc:
            self.sheet = None
            self.query_one("#sheet", DataTable).clear(columns=True)
            self.app.show_error(exc, "计分表打不开")
            return
        self.fill()

    def fill(self) -> None:
        sheet, table = self.sheet, self.query_one("#sheet", DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        widths = {"category": max(cell_len(r.category) for r in sheet.rows),
                  "content": max(cell_len(r.content) for r in sheet.rows)}
        fixed = sum(widths.values()) + cell_len("标准分值自评分考评分") + 2 * 7 + 2  # cell padding, scrollbar
        reason = (self.size.width - fixed) // 2
        self.narrow = reason < MIN_REASON  # the reasons then show below the table, for the row chosen
        columns = [("category", "考核类别"), ("content", "考核内容"), ("standard", "标准分值"), ("self", "自评分"),
                   ("self_reason", "原因"), ("assessed", "考评分"), ("assessed_reason", "原因")]
        for key, title in columns:
            if self.narrow and key.endswith("reason"):
                continue
            table.add_column(title, key=key, width=reason if key.endswith("reason") else widths.get(key))
        previous = None
        for i, row in enumerate(sheet.rows):
            mark, style = (FLAG, "bold red reverse") if row.gap else ("", "")
            category = "" if row.content and row.category == previous else row.category  # the sheet merges these
            previous = row.category
            cells = {"category": category, "content": row.content,
                     "standard": Text(_num(row.standard), justify="right"),
                     "self": Text(mark + _num(row.self_score), style=style, justify="right"),
                     "self_reason": Text(row.self_reason, no_wrap=True, overflow="ellipsis"),
                     "assessed": Text(mark + _num(row.assessed), style=style, justify="right"),
                     "assessed_reason": Text(row.assessed_reason, no_wrap=True, overflow="ellipsis")}
            table.add_row(*[cells[str(c.key.value)] for c in table.ordered_columns], key=str(i))
        table.cursor_coordinate = keep
        self.query_one("#title-bar", Static).update(
            f" [b]计分表[/b]（附件3）· 被考核科室 [b]{escape(sheet.unit)}[/b] · "
            f"考核扎口科室 {escape(sheet.assessed_by or '—')} · {sheet.period} · 第{sheet.rank}名 │ [b]esc[/b] 返回")
        gaps = len(sheet.gaps)
        self.query_one("#sheet-status", Static).update(
            (f"{FLAG}{gaps}行自评与考评相差≥{fmt(sheet.gap_threshold)}分" if gaps
             else f"自评与考评相差均<{fmt(sheet.gap_threshold)}分")
            + (" · 原因见上行（加宽终端可见原因列）" if self.narrow else "") + " · 回车填自评分")
        self.show_detail()

    def selected(self) -> tuple[SheetRow, SheetIndicator | None] | None:
        table = self.query_one("#sheet", DataTable)
        if not self.sheet or not table.row_count:
            return None
        row = self.sheet.rows[table.cursor_row]
        return row, self.indicator_of(row)

    def indicator_of(self, row: SheetRow) -> SheetIndicator | None:
        """The scored row of the sheet behind a table row (None for 现场考核分小计 and 合计分)."""
        for ind in sheet_indicators(self.year_scheme):
            same_content = bool(row.content) and ind.content == row.content
            same_closing = not row.content and not ind.content and ind.path == row.category
            if same_content or same_closing:
                return ind
        return None

    def show_detail(self) -> None:
        detail = self.query_one("#sheet-detail", Static)
        chosen = self.selected()
        if chosen is None:
            detail.update("")
            return
        row, _ = chosen
        name = row.content or row.category
        text = f"[b]{escape(name)}[/b]" + (f" 标准{fmt(row.standard)}" if row.standard is not None else "")
        text += f" · 自评 [b]{_num(row.self_score) or '—'}[/b]"
        text += f"（{escape(row.self_reason)}）" if row.self_reason else ""
        text += f" · 考评 [b]{_num(row.assessed) or '—'}[/b]"
        text += f"（{escape(row.assessed_reason)}）" if row.assessed_reason else ""
        if row.self_score is not None and row.assessed is not None and row.self_score != row.assessed:
            diff = row.self_score - row.assessed
            gap = f"相差{'+' if diff > 0 else ''}{fmt(diff)}"
            text += f" · [b reverse]{FLAG}{gap}[/]" if row.gap else f" · {gap}"
        detail.update(text)

    def on_data_table_row_highlighted(self, event) -> None:
        self.show_detail()

    # -- choosing ----------------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value == Select.NULL:
            return
        if event.select.id == "sheet-unit" and event.value != self.unit:
            self.unit = str(event.value)
            self.load()
        elif event.select.id == "sheet-period" and event.value != self.period:
            self.period = str(event.value)
            self.load()

    def action_unit(self, step: int) -> None:
        i = self.units.index(self.unit)
        self.query_one("#sheet-unit", Select).value = self.units[(i + step) % len(self.units)]

    def action_period(self, step: int) -> None:
        i = self.periods.index(self.period)
        self.query_one("#sheet-period", Select).value = self.periods[(i + step) % len(self.periods)]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "self_score":
            chosen = self.selected() if self.query_one("#sheet", DataTable).has_focus else None
            return True if chosen and chosen[1] else None  # the sums are not entered
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # enter reaches the table in turn with the cursor keys before it (a priority binding
        # would run ahead of them over SSH and open the row the cursor had not yet left)
        if event.data_table.id == "sheet":
            self.action_self_score()

    def action_self_score(self) -> None:
        chosen = self.selected()
        if chosen and chosen[1]:
            row, indicator = chosen
            form = SelfScoreForm(self.store, self.year_scheme, self.period, self.sheet.unit, indicator, row)
            self.app.push_screen(form, self.after_self_score)

    def after_self_score(self, saved: dict | None) -> None:
        if saved:
            self.load()
            self.app.notify(t("selfscore_saved", unit=saved["unit"], indicator=saved["indicator"],
                              points=fmt(saved["points"])))


class SelfScoreForm(FormModal[dict | None]):
    """One row's 自评分 and 原因. ``set_self_score`` checks them (a number, within the row's
    range, a reason when not full marks, an open period); its message is shown here."""

    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="self-score-save"),
        Binding("escape", "cancel", "取消", id="self-score-cancel"),
    ]

    def __init__(self, store: Store, scheme: Scheme, period: str, unit: str, indicator: SheetIndicator,
                 row: SheetRow):
        super().__init__()
        self.store, self.scheme, self.period, self.unit = store, scheme, period, unit
        self.indicator, self.row = indicator, row

    def compose(self) -> ComposeResult:
        ind, row = self.indicator, self.row
        top = fmt(ind.high) if ind.high is not None else "不限"
        with Vertical(classes="dialog"):
            yield Static(f"[b]自评分[/b] · {escape(self.unit)} · {self.period}", classes="dialog-title")
            yield Static(f"{escape(ind.category)} · [b]{escape(ind.content or ind.path)}[/b]"
                         + (f"（标准分值{fmt(ind.standard)}）" if ind.standard is not None else "")
                         + f" · 考评分 {_num(row.assessed) or '—'}", classes="field-note", id="ss-what")
            with Horizontal(classes="field"):
                yield Label("自评分", classes="field-label")
                yield Input(_num(row.self_score), placeholder=f"{fmt(ind.low)}–{top}", compact=True, id="ss-points")
            with Horizontal(classes="field"):
                yield Label("原因", classes="field-label")
                yield Input(row.self_reason, placeholder="加（扣）分原因；不是满分必填", compact=True, id="ss-reason")
            yield Static(f"范围 {fmt(ind.low)}–{top}", classes="field-note")
            yield Static("", id="ss-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("保存 ctrl+s", variant="primary", id="save", compact=True)
                yield Button("取消 esc", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#ss-points", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "ss-points":
            self.query_one("#ss-reason", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        try:
            saved = set_self_score(self.store, self.scheme, self.period, self.unit, self.indicator.path,
                                   self.query_one("#ss-points", Input).value, self.query_one("#ss-reason", Input).value)
        except Exception as exc:  # RecordError names the field
            self.query_one("#ss-error", Static).update(f"✗ {describe(exc)}")
            return
        self.dismiss(saved)


def open_sheet(app, store: Store, scheme: Scheme) -> SheetScreen:
    state = app.state(scheme)
    return SheetScreen(store, scheme, state.period, getattr(state, "unit", None))  # the unit the user is on
