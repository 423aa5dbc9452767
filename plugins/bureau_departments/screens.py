"""The plugin's own TUI screens, thin faces over its UI-free functions:

- 计分表 (``j``): 附件3 for one unit and period (``sheet.score_sheet``), the unit's self-score beside
  the assessed score, a large gap marked ⚑; ``e`` enters a self-score (``selfscore.set_self_score``
  checks it, the form shows its message).
- 信息报送 (``x``): 附件4's month grid, units × months of items adopted, against each unit's
  standard; the points come from the scorer, the counts from the ledger.

Imported only when a screen is opened (``kaohe score`` never loads Textual).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from kaohe_tui.api import (FLAG, Entry, FormModal, Indicator, Period, QuotaTally, Scheme, Scorer, describe, find_result,
                           fmt, load_units, month_runs, rule_type, scheme_periods, walk)

from .selfscore import SheetIndicator, set_self_score, sheet_indicators
from .sheet import ScoreSheet, SheetRow, score_sheet

if TYPE_CHECKING:
    from kaohe_tui.api import Store

MIN_REASON = 10  # cells; a reason column narrower than this is left out (the row's reasons show below)
SHORT = "✗"  # a month below standard: a mark as well as a colour
MISSING_MONTH = "—"  # a month nobody entered: neither below standard nor up to it (未录入)
GROUP = Binding.Group("单位", compact=True)
PERIOD = Binding.Group("期间", compact=True)


def _num(value: float | None) -> str:
    return fmt(value) if value is not None else ""


# -- 计分表 (附件3) ---------------------------------------------------------------------------------
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

    def __init__(self, store: "Store", scheme: Scheme, period: str, unit: str | None = None):
        super().__init__()
        self.store, self.scheme = store, scheme
        self.units = [u.name for u in load_units(store, scheme)]
        self.periods = scheme_periods(scheme)
        self.period = period if period in self.periods else self.periods[0]
        self.unit = unit if unit in self.units else self.units[0]
        self.sheet: ScoreSheet | None = None
        self.narrow = False

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        with Horizontal(classes="sheet-toolbar"):
            yield Select([(u, u) for u in self.units], value=self.unit, allow_blank=False, compact=True, id="sheet-unit")
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

    # -- data ------------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            self.sheet = score_sheet(self.store, self.scheme, self.period, self.unit)
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
            f" [b]计分表[/b]（附件3）· 被考核科室 [b]{escape(sheet.unit)}[/b] · 考核扎口科室 {escape(sheet.assessed_by or '—')}"
            f" · {sheet.period} · 第{sheet.rank}名 │ [b]esc[/b] 返回")
        gaps = len(sheet.gaps)
        self.query_one("#sheet-status", Static).update(
            (f"{FLAG}{gaps}行自评与考评相差≥{fmt(sheet.gap_threshold)}分" if gaps else f"自评与考评相差均<{fmt(sheet.gap_threshold)}分")
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
        for ind in sheet_indicators(self.scheme):
            if (row.content and ind.content == row.content) or (not row.content and not ind.content and ind.path == row.category):
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
        text += f" · 自评 [b]{_num(row.self_score) or '—'}[/b]" + (f"（{escape(row.self_reason)}）" if row.self_reason else "")
        text += f" · 考评 [b]{_num(row.assessed) or '—'}[/b]" + (f"（{escape(row.assessed_reason)}）" if row.assessed_reason else "")
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
            self.app.push_screen(SelfScoreForm(self.store, self.scheme, self.period, self.sheet.unit, indicator, row),
                                 self.after_self_score)

    def after_self_score(self, saved: dict | None) -> None:
        if saved:
            self.load()
            self.app.notify(f"已保存自评分：{saved['unit']} {saved['indicator']} {fmt(saved['points'])}")


class SelfScoreForm(FormModal[dict | None]):
    """One row's 自评分 and 原因. ``set_self_score`` checks them (a number, within the row's
    range, a reason when not full marks, an open period); its message is shown here."""

    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="self-score-save"),
        Binding("escape", "cancel", "取消", id="self-score-cancel"),
    ]

    def __init__(self, store: "Store", scheme: Scheme, period: str, unit: str, indicator: SheetIndicator,
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


# -- 信息报送 (附件4) ---------------------------------------------------------------------------------
@dataclass
class UnitMonths:
    """One unit's row of the grid: its items each month against its standard, as the rule counts
    and judges them (``MonthlyQuota.tally``), and the points the scorer gave."""

    unit: str
    tally: QuotaTally
    points: float | None = None  # the indicator's points, from the scorer
    max: float | None = None
    lines: list[str] = field(default_factory=list)  # the scorer's explanation

    # what the grid shows, as the rule has it
    standard = property(lambda self: self.tally.standard)
    standard_text = property(lambda self: self.tally.standard_text)
    months = property(lambda self: self.tally.months)  # entered months only: the others are 未录入
    extra = property(lambda self: self.tally.extra)
    counted = property(lambda self: self.tally.counted)
    short_months = property(lambda self: self.tally.short_months)
    short_year = property(lambda self: self.tally.short_year)


def quota_indicator(scheme: Scheme) -> tuple[str, Indicator]:
    """The ``monthly_quota`` indicator the scheme scores 附件4 with (信息报送)."""
    for path, node in walk(scheme.tree(None)):
        if node.rule_type == "monthly_quota":
            return path, node
    raise LookupError(f"{scheme.id}: no monthly_quota indicator")


def month_grid(store: "Store", scheme: Scheme, year: int) -> tuple[str, Indicator, list[UnitMonths]]:
    """Every unit's items per month of ``year`` from the records the scorer used, tallied by the
    ``monthly_quota`` rule itself, and the points the scorer gave."""
    path, node = quota_indicator(scheme)
    rule = rule_type(node.rule_type)
    period = Period(year, "year", 0)
    scorer = Scorer(store, scheme)
    results = {r.unit: r for r in scorer.score(period)}
    by_unit: dict[str, list[Entry]] = {}
    for entry in scorer.entries(period):
        if entry.indicator == path:
            by_unit.setdefault(entry.unit, []).append(entry)
    rows = []
    for unit in scorer.units:
        row = UnitMonths(unit.name, rule.tally(node, unit, period, by_unit.get(unit.name, [])))
        scored = find_result(results[unit.name].indicators, path) if unit.name in results else None
        if scored:
            row.points, row.max = scored.points, scored.max
            row.lines = [line.text for line in scored.lines]
        rows.append(row)
    return path, node, rows


class InfoGridScreen(Screen):
    DEFAULT_CSS = """
    InfoGridScreen #info { height: 1fr; }
    InfoGridScreen #info-detail { max-height: 3; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="info-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="info-back-q"),
        Binding("left_square_bracket", "year(-1)", "上年", key_display="[", group=PERIOD, id="info-prev-year"),
        Binding("right_square_bracket", "year(1)", "下年", key_display="]", group=PERIOD, id="info-next-year"),
    ]

    def __init__(self, store: "Store", scheme: Scheme, period: str):
        super().__init__()
        self.store, self.scheme = store, scheme
        self.years = sorted({Period.parse(p).year for p in scheme_periods(scheme)})
        year = Period.parse(period).year
        self.year = year if year in self.years else self.years[0]
        self.rows: list[UnitMonths] = []
        self.path = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        yield DataTable(id="info", cursor_type="row", zebra_stripes=True, fixed_columns=2)  # 单位 and 得分 stay
        yield Static("", id="info-detail", classes="detail")
        yield Static("", id="info-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()
        self.query_one("#info", DataTable).focus()

    def load(self) -> None:
        try:
            self.path, node, self.rows = month_grid(self.store, self.scheme, self.year)
        except Exception as exc:
            self.app.show_error(exc, "信息报送表打不开")
            return
        per_month = node.params.get("per_month", 1)
        self.query_one("#title-bar", Static).update(
            f" [b]信息报送[/b]（附件4）· {self.year}年 · 区政府门户网站录用条数 · {SHORT}＝当月未达标（扣{fmt(per_month)}分）"
            f" │ [b]esc[/b] 返回")
        self.fill()

    def fill(self) -> None:
        table = self.query_one("#info", DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        # 单位 and 得分 first and frozen: at 80 columns the months scroll, the points do not
        table.add_column("单位", key="unit")
        table.add_column("得分", key="points")
        table.add_column("标准", key="standard")
        for m in range(1, 13):
            table.add_column(f"{m}月", key=f"m{m}")
        for key, title in [("year", "全年"), ("short", "未达标月")]:
            table.add_column(title, key=key)
        for row in self.rows:
            short = set(row.short_months)
            cells: list = [row.unit, Text(_num(row.points), justify="right"), self.standard_label(row)]
            for m in range(1, 13):
                got = row.months.get(m)
                if got is None:
                    cells.append(Text(MISSING_MONTH, style="dim", justify="right"))  # 未录入, not 0
                elif m in short:
                    cells.append(Text(f"{SHORT}{fmt(got)}", style="bold red", justify="right"))
                else:
                    cells.append(Text(fmt(got), justify="right"))
            year = fmt(row.counted) + (f"+{fmt(row.extra)}" if row.extra else "")
            cells.append(Text((SHORT if row.short_year else "") + year, style="bold red" if row.short_year else "",
                              justify="right"))
            cells.append(Text(month_runs(sorted(short)) if short else "", style="bold red"))
            table.add_row(*cells, key=row.unit)
        table.cursor_coordinate = keep
        below = sum(1 for r in self.rows if r.short_months or r.short_year)
        gaps = sum(1 for r in self.rows if len(r.months) < 12)
        self.query_one("#info-status", Static).update(
            f"{len(self.rows)}个单位 · {SHORT}{below}个单位未达标 · {MISSING_MONTH}{gaps}个单位有月份未录入"
            f" · 全年＝录用条数+专题加条 · 得分为「{self.path}」")
        self.show_detail()

    @staticmethod
    def standard_label(row: UnitMonths) -> str:
        if row.standard is None:
            return "—"
        kind, target = row.standard
        return f"{fmt(target)}/月" if kind == "month" else f"全年≥{fmt(target)}"

    def show_detail(self) -> None:
        table = self.query_one("#info", DataTable)
        detail = self.query_one("#info-detail", Static)
        if not table.row_count:
            detail.update("")
            return
        row = self.rows[table.cursor_row]
        text = f"[b]{escape(row.unit)}[/b] 标准 {escape(row.standard_text or '—')} · 全年{fmt(row.counted)}条"
        text += f"（专题另加{fmt(row.extra)}条）" if row.extra else ""
        if row.points is not None:
            text += f" · 得分 [b]{fmt(row.points)}[/b]/{_num(row.max)}"
        lines = [ln for ln in row.lines if ln]
        detail.update(text + (" · " + escape("；".join(lines)) if lines else " · 达标"))

    def on_data_table_row_highlighted(self, event) -> None:
        self.show_detail()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return len(self.years) > 1 if action == "year" else True

    def action_year(self, step: int) -> None:
        i = self.years.index(self.year)
        year = self.years[(i + step) % len(self.years)]
        if year != self.year:
            self.year = year
            self.load()


# -- factories ------------------------------------------------------------------------------------
def open_sheet(app, store: "Store", scheme: Scheme) -> SheetScreen:
    state = app.state(scheme)
    return SheetScreen(store, scheme, state.period, getattr(state, "unit", None))  # the unit the user is on


def open_info_grid(app, store: "Store", scheme: Scheme) -> InfoGridScreen:
    return InfoGridScreen(store, scheme, app.state(scheme).period)
