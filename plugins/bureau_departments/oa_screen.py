"""OA签收 (``o``): 附件5's breaches in the ledger for the year — each OA record with what the
scorer took for it (逾期签收 0.5, 未安装客户端 twice that), and each unit's 信息管理 — from
``oa_list.oa_breaches``. ``n`` enters one signing event through ``oa.record_signing``, the call
behind ``kaohe oa-signing`` (on time: nothing is written, and the form says so). ``[`` / ``]`` move
between the scheme's years (the office's own included); each year is shown with its own scheme
(``scheme_for_period``): its units and what a breach costs that year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from kaohe_tui.api import (
    FormModal,
    KaoheError,
    Period,
    Scheme,
    describe,
    fmt,
    parse_number,
    scheme_for_period,
    t,
    walk,
)

from .oa import CLAUSE, INDICATOR, MEETING, OTHER, OaLimits, record_signing, signing_message
from .oa_list import OaBreach, UnitOa, oa_breaches
from .year_keys import YearKeys, year_bindings

if TYPE_CHECKING:
    from kaohe_tui.api import Store

KINDS = {MEETING: "会议类通知", OTHER: "其他类文件"}
NOT_INSTALLED = "未安装客户端×2"
LATE = "逾期签收"


def oa_cost(scheme: Scheme) -> tuple[float, float]:
    """What one late signing costs under ``scheme`` (附件2 信息管理, clause ``oa``: per case) and
    the factor for one by someone without the client — a year may have changed them."""
    for path, node in walk(scheme.tree(None)):
        clause = node.clause(CLAUSE) if path == INDICATOR else None
        if clause is not None:
            return clause.per or 0.0, clause.factor
    return 0.5, 2.0  # (the document's; the scheme always has the clause)


class OaScreen(YearKeys, Screen):
    DEFAULT_CSS = """
    OaScreen #oa { height: 1fr; }
    OaScreen #oa-detail { max-height: 3; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="oa-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="oa-back-q"),
        Binding("n", "enter_signing", "登记签收", id="oa-enter"),
        *year_bindings("oa"),
    ]

    def __init__(self, store: Store, scheme: Scheme, period: str):
        super().__init__()
        self.store, self.scheme, self.period = store, scheme, period
        self.start_year(store, scheme, period)
        self.year_scheme = scheme_for_period(store, scheme, Period(self.year, "year", 0))
        self.rows: list[OaBreach] = []
        self.units: dict[str, UnitOa] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        # who, what and the points first (and frozen): at 80 columns the date and reason scroll
        yield DataTable(id="oa", cursor_type="row", zebra_stripes=True, fixed_columns=4)
        yield Static("", id="oa-detail", classes="detail")
        yield Static("", id="oa-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()
        self.query_one("#oa", DataTable).focus()

    def show_title(self) -> None:
        limits, (per, factor) = OaLimits(), oa_cost(self.year_scheme)
        self.query_one("#title-bar", Static).update(
            f" [b]OA签收[/b]（附件5）[b]{self.year}年[/b] · 会议{fmt(limits.meeting_hours)}、其他"
            f"{fmt(limits.other_hours)}工作小时内签收，逾期每例扣{fmt(per)}分；"
            f"{fmt(limits.unsigned_hours)}小时未签＝未装客户端，×{fmt(factor)}")

    def load(self) -> None:
        try:
            self.year_scheme = scheme_for_period(self.store, self.scheme, Period(self.year, "year", 0))
            self.show_title()
            self.rows, self.units = oa_breaches(self.store, self.year_scheme, self.year)
        except Exception as exc:
            self.app.show_error(exc, "OA签收表打不开")
            return
        table = self.query_one("#oa", DataTable)
        table.clear(columns=True)
        for key, label in (("record", "记录"), ("unit", "单位"), ("what", "情形"), ("points", "扣分"),
                           ("date", "日期"), ("reason", "理由")):
            table.add_column(label, key=key)
        for b in self.rows:
            table.add_row(f"#{b.record}", b.unit, NOT_INSTALLED if b.not_installed else LATE,
                          Text("" if b.points is None else fmt(b.points), justify="right"),
                          b.date or b.period, b.reason, key=str(b.record))
        doubled = sum(1 for b in self.rows if b.not_installed)
        total = sum(u.oa for u in self.units.values())
        self.query_one("#oa-status", Static).update(
            f"{len(self.rows)}条OA记录 · {LATE}{len(self.rows) - doubled}条、未安装客户端{doubled}条"
            f" · {len(self.units)}个单位共扣{fmt(-total) if total else 0}分 · n 登记一次签收")
        self.show_detail()

    def show_detail(self) -> None:
        table = self.query_one("#oa", DataTable)
        detail = self.query_one("#oa-detail", Static)
        if not self.rows:
            detail.update(f"{self.year}年还没有OA签收扣分记录（n 登记一次签收；kaohe oa-signing 同此）")
            return
        row = self.rows[min(table.cursor_row, len(self.rows) - 1)]
        unit = self.units.get(row.unit)
        text = f"#{row.record} [b]{escape(row.unit)}[/b]：{escape(row.reason)}"
        if unit and unit.points is not None:
            text += (f" · 信息管理 [b]{fmt(unit.points)}[/b]/{fmt(unit.max) if unit.max is not None else ''}"
                     f"（OA扣{fmt(-unit.oa)}分）")
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def action_enter_signing(self) -> None:
        unit = self.rows[self.query_one("#oa", DataTable).cursor_row].unit if self.rows else ""
        # a signing of the year shown: the views' period if it lies in that year, else the year
        period = self.period if Period.parse(self.period).year == self.year else str(self.year)
        self.app.push_screen(SigningForm(self.store, self.year_scheme, period, unit), self.after_signing)

    def after_signing(self, message: str | None) -> None:
        if message:
            self.load()
            self.app.notify(message)


class SigningForm(FormModal[str | None]):
    """One signing event: unit, kind, hours (working, and clock hours for the 48-hour rule),
    period, date and reason; ``record_signing`` classifies it and writes the record, if any."""

    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="oa-save"),
        Binding("escape", "cancel", "取消", id="oa-cancel"),
    ]

    def __init__(self, store: Store, scheme: Scheme, period: str, unit: str = ""):
        super().__init__()
        self.store, self.scheme, self.period, self.unit = store, scheme, period, unit

    def compose(self) -> ComposeResult:
        fields = [("oa-unit", "单位", self.unit, "被考核单位"), ("oa-hours", "工作小时", "", "从发出到签收（至今）"),
                  ("oa-clock", "自然小时", "", "48小时规则用；空＝同工作小时"), ("oa-period", "期间", self.period, ""),
                  ("oa-date", "日期", "", "YYYY-MM-DD，可空"), ("oa-reason", "理由", "", "必填：哪份文件、谁")]
        with Vertical(classes="dialog"):
            yield Static(f"[b]登记一次OA签收[/b]（附件5）· {escape(self.scheme.title)}", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("类别", classes="field-label")
                yield Select([(label, kind) for kind, label in KINDS.items()], value=MEETING, allow_blank=False,
                             compact=True, id="oa-kind")
            for widget_id, label, value, hint in fields:
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label")
                    yield Input(value, placeholder=hint, compact=True, id=widget_id)
            per, factor = oa_cost(self.scheme)
            yield Static(f"按时签收不扣分、不登记；逾期扣{fmt(per)}分，未安装客户端×{fmt(factor)}",
                         classes="field-note")
            yield Static("", id="oa-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("保存 ctrl+s", variant="primary", id="save", compact=True)
                yield Button("取消 esc", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#oa-unit" if not self.unit else "#oa-hours", Input).focus()

    def is_dirty(self) -> bool:
        """Dirty when a field differs from what the form opened with: the kind Select reports its
        preset value while it may hold the focus, which the focus rule took for the user's."""
        opened = {"oa-unit": self.unit, "oa-period": self.period}
        fields = ("oa-unit", "oa-hours", "oa-clock", "oa-period", "oa-date", "oa-reason")
        return (self.query_one("#oa-kind", Select).value != MEETING
                or any(self.query_one(f"#{f}", Input).value != opened.get(f, "") for f in fields))

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def action_save(self) -> None:
        try:
            hours = parse_number(self.value("oa-hours"), "工作小时")
            if hours is None:
                raise KaoheError(t("field_required", field="工作小时"))
            status, record = record_signing(
                self.store, self.scheme, self.value("oa-unit"), str(self.query_one("#oa-kind", Select).value),
                hours, period=self.value("oa-period"), reason=self.value("oa-reason"),
                clock_hours=parse_number(self.value("oa-clock"), "自然小时"), date=self.value("oa-date") or None,
                source="tui")
        except Exception as exc:  # RecordError / KaoheError name the field
            self.query_one("#oa-error", Static).update(f"✗ {describe(exc)}")
            return
        self.dismiss(signing_message(status, record))


def open_oa(app, store: Store, scheme: Scheme) -> OaScreen:
    return OaScreen(store, scheme, app.state(scheme).period)
