"""The plugin's own TUI screen: 附件2 分管领导及联络员名单 of the 二类 and 三类 units, with each
三类 unit's 挂钩社区 and 所在镇, and whether its form came in stamped by the deadline.

A thin face over ``roster.py`` (``list_roster`` / ``problems`` / ``set_person`` / ``set_form``):
the form below checks nothing itself; it hands the fields to those functions and shows their
message. Imported only when the screen is opened (``kaohe score`` never loads Textual).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from kaohe_tui.api import (
    FilterInput,
    FormModal,
    KaoheError,
    KTable,
    Period,
    Scheme,
    describe,
    load_units,
    norm,
    scheme_for_period,
)

from . import roster

if TYPE_CHECKING:
    from kaohe_tui.api import Store

OK, BAD = "✓", "✗"  # the status reads the same without colour
COMMUNITY, TOWN = "挂钩社区", "社区所在镇、开发区"  # unit attributes from 附件1


def roster_rule(scheme: Scheme, category: str | None) -> tuple[str, tuple[str, ...]]:
    """The deadline (MM-DD) and roles the scheme's ``roster_missing`` consequence declares."""
    for rule in scheme.consequences_for(category):
        if rule.type == "roster_missing":
            return str(rule.params.get("due", "04-05")), tuple(rule.params.get("roles", roster.ROLES))
    return "04-05", roster.ROLES


def status_text(found: list[str]) -> str:
    return f"{BAD}{'；'.join(found)}" if found else f"{OK}齐全"


class RosterScreen(Screen):
    """Every 二类/三类 unit's roster: type to filter, ``enter`` or ``e`` to enter or correct one."""

    DEFAULT_CSS = """
    RosterScreen #roster-head { height: 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="roster-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="roster-back-q"),
        Binding("e", "edit", "填写/更正", id="roster-edit"),
        Binding("enter", "edit", "填写/更正", show=False, id="roster-edit-enter"),
        Binding("slash", "filter", "筛选", key_display="/", id="roster-filter"),
    ]

    def __init__(self, store: Store, scheme: Scheme, period: str):
        super().__init__()
        self.store = store
        self.year = Period.parse(period).year
        # the scheme as it stands for the year: an office year's own units and rules
        self.scheme = scheme_for_period(store, scheme, Period(self.year, "year", 0))
        self.units = {u.name: u for u in load_units(store, self.scheme)}
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        due, _ = roster_rule(self.scheme, None)
        yield Static(f" [b]名单[/b]（附件2 分管领导及联络员）· {self.year}年 · 截止 {self.year}-{due}（含当日）"
                     f" │ [b]esc[/b] 返回 │ {escape(self.scheme.title)}", id="title-bar")
        yield FilterInput("roster", id="roster-filter-input")
        yield KTable(id="roster", cursor_type="row", fixed_columns=1, filter_id="roster-filter-input")
        yield Static("", id="roster-detail", classes="detail")
        yield Static("", id="roster-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#roster", KTable)
        for key, title in [("unit", "单位"), ("category", "类别"), ("community", "挂钩社区"), ("town", "所在镇"),
                           ("status", "状态"), ("received", "收到日期"), ("stamped", "盖章")]:
            table.add_column(title, key=key)
        for role in roster.ROLES:
            for label in roster.FIELDS:
                table.add_column(role if label == "姓名" else label, key=f"{role}:{label}")
        self.load()
        table.focus()

    # -- data ------------------------------------------------------------------------------------
    def load(self) -> None:
        self.rows = roster.list_roster(self.store, self.scheme, self.year)
        for row in self.rows:
            due, roles = roster_rule(self.scheme, row["category"])
            row["problems"] = roster.problems(row, roster.due_date(self.year, due), roles)
        self.fill()

    def cells(self, row: dict) -> list:
        unit, form = self.units.get(row["unit"]), row["form"] or {}
        attrs = unit.attrs if unit else {}
        status = status_text(row["problems"])
        cells = [row["unit"], row["category"], str(attrs.get(COMMUNITY) or ""), str(attrs.get(TOWN) or ""),
                 Text(status, style="bold red" if row["problems"] else "green"),
                 form.get("received_on", "—"), ("是" if form["stamped"] else f"{BAD}否") if form else ""]
        for role in roster.ROLES:
            person = row["people"].get(role, {})
            cells += [person.get(label, "") for label in roster.FIELDS]
        return cells

    def fill(self) -> None:
        table = self.query_one("#roster", KTable)
        text = norm(self.query_one("#roster-filter-input", FilterInput).value)
        keep = table.cursor_coordinate
        table.clear()
        shown = 0
        for row in self.rows:
            cells = self.cells(row)
            if text and not any(text in norm(str(c)) for c in cells):
                continue
            table.add_row(*cells, key=row["unit"])
            shown += 1
        table.cursor_coordinate = keep
        complete = sum(1 for r in self.rows if not r["problems"])
        self.query_one("#roster-status", Static).update(
            f"{shown}/{len(self.rows)}个单位 · {OK}齐全{complete} · {BAD}未齐{len(self.rows) - complete}"
            " · 直接输入文字筛选 · 回车填写")
        self.show_detail()

    def selected(self) -> dict | None:
        table = self.query_one("#roster", KTable)
        if not table.row_count:
            return None
        name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if r["unit"] == name), None)

    def show_detail(self) -> None:
        """The highlighted unit in full: at 80 columns the people are off to the right."""
        row = self.selected()
        detail = self.query_one("#roster-detail", Static)
        if row is None:
            detail.update("")
            return
        people = "；".join(
            f"{role} " + " ".join(v for v in row["people"][role].values() if v)
            for role in roster.ROLES if row["people"].get(role))
        detail.update(f"[b]{escape(row['unit'])}[/b] {escape(status_text(row['problems']))}"
                      + (f" · {escape(people)}" if people else ""))

    def on_data_table_row_highlighted(self, event) -> None:
        self.show_detail()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "roster-filter-input":
            self.fill()

    # -- actions ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "edit":
            return True if self.query_one("#roster", KTable).has_focus and self.selected() else None
        return True

    def action_filter(self) -> None:
        self.query_one("#roster-filter-input", FilterInput).focus()

    def action_edit(self) -> None:
        row = self.selected()
        if row:
            due, _ = roster_rule(self.scheme, row["category"])
            self.app.push_screen(RosterForm(self.store, self.scheme, self.year, row, due), self.after_edit)

    def after_edit(self, saved: str | None) -> None:
        if saved:
            self.load()
            self.app.notify(f"已保存：{saved}的名单")


class RosterForm(FormModal[str | None]):
    """附件2 for one unit: both people's five fields side by side, and the form as received.
    Saving is one transaction (the plugin's functions nest inside it): all of it or none."""

    DEFAULT_CSS = """
    RosterForm #rf-people { height: auto; }
    RosterForm .rf-labels { width: 9; height: auto; }
    RosterForm .roster-col { width: 1fr; height: auto; margin-right: 1; }
    RosterForm .roster-head { height: 1; }
    RosterForm .rf-row { height: 1; }
    RosterForm #rf-received { width: 14; }
    RosterForm #rf-stamped { width: 16; margin: 0 1; }
    RosterForm #rf-fax { width: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="roster-save"),
        Binding("escape", "cancel", "取消", id="roster-cancel"),
    ]

    def __init__(self, store: Store, scheme: Scheme, year: int, row: dict, due: str):
        super().__init__()
        self.store, self.scheme, self.year, self.row, self.due = store, scheme, year, row, due

    def compose(self) -> ComposeResult:
        row, form = self.row, self.row["form"] or {}
        with Vertical(classes="dialog form-dialog"):
            yield Static(f"[b]名单[/b] · {escape(row['unit'])}（{row['category']}）· {self.year}年",
                         classes="dialog-title")
            # one column per person, so Tab goes down one person's fields before the next's
            with Horizontal(id="rf-people"):
                with Vertical(classes="rf-labels"):
                    yield Label("", classes="field-label")
                    for label in roster.FIELDS:
                        yield Label(label, classes="field-label")
                for j, role in enumerate(roster.ROLES):
                    with Vertical(classes="roster-col"):
                        yield Static(f"[b]{role}[/b]", classes="roster-head")
                        for i, label in enumerate(roster.FIELDS):
                            value = row["people"].get(role, {}).get(label, "")
                            hint = ("必填" if label == "姓名"
                                    else ("数字" if label in ("手机", "办公电话", "QQ") else ""))
                            yield Input(value, placeholder=hint, compact=True, id=f"rf-{j}-{i}")
            with Horizontal(classes="rf-row"):  # not .field: its inputs and selects take the whole width
                yield Label("收到日期", classes="field-label")
                yield Input(form.get("received_on", ""), placeholder="YYYY-MM-DD", compact=True, id="rf-received")
                yield Select([("已加盖公章", True), ("未盖章", False)], value=bool(form.get("stamped", True)),
                             allow_blank=False, compact=True, id="rf-stamped")
                yield Label("传真", classes="field-label-short")
                yield Input(form.get("fax", ""), placeholder="传真号码（可空）", compact=True, id="rf-fax")
            yield Static(f"截止 {self.year}-{self.due}（含当日）；未知的一人可先留空", classes="field-note")
            yield Static("", id="roster-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("保存 ctrl+s", variant="primary", id="save", compact=True)
                yield Button("取消 esc", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#rf-0-0", Input).focus()

    def person(self, j: int) -> dict[str, str]:
        return {label: self.query_one(f"#rf-{j}-{i}", Input).value.strip() for i, label in enumerate(roster.FIELDS)}

    def action_save(self) -> None:
        error = self.query_one("#roster-error", Static)
        unit, old_form = self.row["unit"], self.row["form"]
        received = self.query_one("#rf-received", Input).value.strip()
        stamped = bool(self.query_one("#rf-stamped", Select).value)
        fax = self.query_one("#rf-fax", Input).value.strip()
        try:
            with self.store.transaction():
                for j, role in enumerate(roster.ROLES):
                    fields, old = self.person(j), self.row["people"].get(role)
                    if old is None and not any(fields.values()):
                        continue  # this person is not known yet
                    if old is not None and fields == {k: (v or "") for k, v in old.items()}:
                        continue  # unchanged: no audit entry
                    try:
                        roster.set_person(self.store, self.scheme, unit, role, **fields)
                    except KaoheError as exc:
                        raise KaoheError(f"{role} · {exc}") from None
                new_form = {"received_on": received, "stamped": stamped, "fax": fax}
                if old_form and not received:
                    raise KaoheError("收到日期：已登记的报送表，日期不能清空")
                if received:
                    if old_form != new_form:
                        roster.set_form(self.store, self.scheme, unit, self.year, received, stamped=stamped, fax=fax)
                elif fax:  # a fax number belongs to a form that came in
                    raise KaoheError("收到日期：填写报送表收到的日期（YYYY-MM-DD）")
        except Exception as exc:  # the plugin's message names the field
            error.update(f"✗ {describe(exc)}")
            return
        self.dismiss(unit)


def open_roster(app, store: Store, scheme: Scheme) -> RosterScreen:
    """The ``SchemeScreen`` factory: the year is the one the scheme's views are showing."""
    return RosterScreen(store, scheme, app.state(scheme).period)

