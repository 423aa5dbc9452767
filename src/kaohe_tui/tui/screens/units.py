"""The scheme's units of one year: sortable (``s`` on a column), filterable (``/``), with category
and the scheme's own attributes (the ``kaohe_unit_attributes`` hook names the columns). An office
year has its own list (renames as aliases): ``[`` / ``]`` move between the scheme's years."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from kaohe_tui.actions.listing import unit_columns
from kaohe_tui.names import norm
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme, Unit
from kaohe_tui.tui.screens.base import PERIOD, SchemeView
from kaohe_tui.tui.widgets.tables import FilterInput, KTable, Rows, focus_now
from kaohe_tui.units import load_units


class UnitsScreen(SchemeView):
    VIEW = "units"
    AUTO_FOCUS = "#units"  # the table from the start: keys typed ahead of the view are its (base.py)
    BINDINGS = [
        Binding("slash", "filter", "筛选", key_display="/", id="units-filter"),
        Binding("s", "sort", "按列排序", id="units-sort"),
        Binding("enter", "ledger", "该单位台账", id="unit-ledger"),
        Binding("a", "add", "记一笔", id="unit-add"),
        Binding("left_square_bracket", "year(-1)", "上一年", key_display="[", group=PERIOD, id="units-prev-year"),
        Binding("right_square_bracket", "year(1)", "下一年", key_display="]", group=PERIOD, id="units-next-year"),
    ]

    def __init__(self, scheme: Scheme):
        super().__init__(scheme)
        from kaohe_tui.scheme_years import for_year, years_of

        self.years = [r["year"] for r in years_of(self.app.opened_store, scheme)]
        year = self.state.units_year
        if year is None or year not in self.years:
            year = self.state.units_year = Period.parse(self.state.ledger_period).year
        self.year = year
        # the scheme as it stands for the year (an office year: its own units and their aliases)
        self.year_scheme = for_year(self.app.opened_store, scheme, self.year) if self.year in self.years else scheme
        self.units: list[Unit] = []
        self.columns: list[tuple[str, str]] = []
        self.sort_key: tuple[str, bool] | None = None  # (column key, reverse)
        self.table_columns: list[tuple[str, str]] = []  # (title, key) of the table's columns

    def compose_body(self) -> ComposeResult:
        yield FilterInput("units", id="units-filter", value=self.state.units_filter)
        yield KTable(id="units", cursor_type="cell", filter_id="units-filter")
        yield Static("", id="units-status", classes="status")

    def on_mount(self) -> None:
        self.units = load_units(self.store, self.year_scheme)
        self.columns = unit_columns(self.year_scheme, self.units)
        table = self.query_one("#units", KTable)
        self.table_columns = [("单位", "name")]
        if self.scheme.categories or any(u.category for u in self.units):
            self.table_columns.append(("类别", "category"))
        self.table_columns += [("考核扎口科室", "assessed_by"), ("别名", "aliases")]
        self.table_columns += [(title, f"attr:{key}") for key, title in self.columns]
        self.fill()
        table.focus()

    def cells(self, unit: Unit) -> dict[str, str]:
        cells = {"name": unit.name, "category": unit.category or "", "assessed_by": unit.assessed_by or "",
                 "aliases": "、".join(unit.aliases)}
        for key, _ in self.columns:
            value = unit.attrs.get(key)
            cells[f"attr:{key}"] = "" if value is None else str(value)
        return cells

    def fill(self) -> None:
        table = self.query_one("#units", KTable)
        text = norm(self.state.units_filter)
        keep = table.cursor_coordinate
        keys = [key for _, key in self.table_columns]
        every, wanted = [], []
        for unit in self.units:
            cells = self.cells(unit)
            every.append(([cells[k] for k in keys], unit.name))
            wanted.append(not text or any(text in norm(v) for v in cells.values()))
        # measured once, over every unit: a filter typed narrows no column, nothing is measured
        # again when idle, and each cell is laid out once for this content (#18)
        content = Rows.measure(self.table_columns, every)
        content.rows = [row for row, keep_row in zip(content.rows, wanted, strict=True) if keep_row]
        shown = len(content.rows)
        if self.sort_key:
            key, reverse = self.sort_key
            column = keys.index(key)
            content.rows.sort(key=lambda row: row[0][column].plain, reverse=reverse)  # stable, as DataTable's
        table.show_rows(content)
        table.cursor_coordinate = keep  # the column stays where the user put it
        status = f"{shown}/{len(self.units)}个单位（{self.year}年）"
        if self.sort_key:
            title = next(str(c.label) for c in table.columns.values() if c.key.value == self.sort_key[0])
            status += f" · 按「{title}」{'降序' if self.sort_key[1] else '升序'}"
        self.query_one("#units-status", Static).update(status)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "units-filter":
            self.state.units_filter = event.value
            self.fill()

    def current_unit(self) -> str | None:
        unit = self.selected_unit()
        return unit.name if unit else None

    def selected_unit(self) -> Unit | None:
        table = self.query_one("#units", KTable)
        if not table.row_count:
            return None
        name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((u for u in self.units if u.name == name), None)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "year":
            return len(self.years) > 1  # one year only: nothing to move between, not in the footer
        if action in ("ledger", "add", "sort"):
            return True if self.query_one("#units", KTable).has_focus and self.selected_unit() else None
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        focus_now(self.query_one("#units-filter", FilterInput))

    def action_sort(self) -> None:
        table = self.query_one("#units", KTable)
        column = table.ordered_columns[table.cursor_column].key.value
        if column is None:  # (every column here is added with a key)
            return
        reverse = self.sort_key == (column, False)
        self.sort_key = (column, reverse)
        self.fill()

    def action_year(self, step: int) -> None:
        i = self.years.index(self.year) + step if self.year in self.years else -1
        if 0 <= i < len(self.years):
            self.state.units_year = self.years[i]
            self.action_view("units")  # a fresh view of that year's list

    def action_ledger(self) -> None:
        unit = self.selected_unit()
        if unit:
            self.state.ledger_filter = unit.name
            self.action_view("ledger")

    def action_add(self) -> None:
        from kaohe_tui.tui.screens.record_form import RecordForm

        unit = self.selected_unit()
        if unit:
            period = self.state.ledger_period
            if Period.parse(period).year != self.year:
                period = str(self.year)  # the record belongs to the year whose list the unit was chosen from
            self.app.push_screen(RecordForm(self.year_scheme, period=period, unit=unit.name), self.after_record)

    def after_record(self, saved: int | None) -> None:
        if saved:
            self.app.notify(f"已记录 #{saved}")
