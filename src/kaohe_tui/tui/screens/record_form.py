"""Add or correct a record. The form offers only the scheme's units, periods, indicators and
clauses (for the unit's category), checks the draft exactly as ``kaohe record`` does
(``check_record``; its message is shown beside the form), requires a reason, and previews what
the record will do to the unit's points, total and rank before it is saved."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from kaohe_tui.actions import recording
from kaohe_tui.actions.recording import Draft
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.preview import preview_record
from kaohe_tui.rules.base import fmt
from kaohe_tui.scheme import Clause, Indicator, Scheme, Unit
from kaohe_tui.tui.common import FIGURES, FLAG, record_periods, shown
from kaohe_tui.tui.screens.confirm import ask_then
from kaohe_tui.tui.screens.error import describe
from kaohe_tui.tui.screens.form import FormModal
from kaohe_tui.units import load_units

if TYPE_CHECKING:
    from textual.timer import Timer

    from kaohe_tui.tui.app import KaoheApp

NONE = Select.NULL


def _value(select: Select) -> str:
    return "" if select.value == NONE else str(select.value)


class RecordForm(FormModal[int | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="form-save"),
        Binding("escape", "cancel", "取消", id="form-cancel"),
    ]

    app: KaoheApp
    _preview_timer: Timer | None = None

    def __init__(self, scheme: Scheme, period: str, unit: str | None = None, record: dict | None = None):
        super().__init__()
        self.scheme = scheme
        self.view_period = period
        self.record = record  # the record being corrected, or None for a new one
        self.start_unit = record["unit"] if record else unit
        self.units: list[Unit] = []
        self.periods = record_periods(scheme)

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self.units = load_units(self.app.opened_store, self.scheme)
        rec = self.record or {}
        title = f"更正记录 #{rec['id']}" if self.record else "新增记录"
        period = rec.get("period") or self.view_period
        with Vertical(id="form", classes="dialog form-dialog"):
            yield Static(f"[b]{title}[/b] · {escape(self.scheme.title)}", classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                with Horizontal(classes="field"):
                    yield Label("单位", classes="field-label")
                    yield Select([(u.name, u.name) for u in self.units], value=self.start_unit or NONE,
                                 prompt="选择单位", compact=True, id="f-unit")
                with Horizontal(classes="field"):
                    yield Label("期间", classes="field-label")
                    yield Select([(p, p) for p in self.periods], value=period if period in self.periods else NONE,
                                 prompt="期间", compact=True, id="f-period")
                    yield Label("日期", classes="field-label-short")
                    yield Input(rec.get("date") or "", placeholder="YYYY-MM-DD（可空）", compact=True, id="f-date")
                with Horizontal(classes="field"):
                    yield Label("指标", classes="field-label")
                    yield Select([], prompt="选择指标", compact=True, id="f-indicator")
                with Horizontal(classes="field"):
                    yield Label("条款", classes="field-label")
                    yield Select([], prompt="选择条款", compact=True, id="f-clause")
                yield Static("", id="f-clause-text", classes="field-note")
                with Horizontal(classes="field"):
                    yield Label("数", classes="field-label")
                    yield Select([(t, k) for k, t in FIGURES.items()], value="count", allow_blank=False,
                                 compact=True, id="f-kind")
                    yield Input(self._figure_text(rec), placeholder="次数留空＝1次", compact=True, id="f-figure")
                    yield Checkbox("", compact=True, id="f-attr")
                with Horizontal(classes="field"):
                    yield Label("事由", classes="field-label")
                    yield Input(rec.get("reason") or "", placeholder="事由（必填）", compact=True, id="f-reason")
                if self.record:
                    with Horizontal(classes="field"):
                        yield Label("更正原因", classes="field-label")
                        yield Input("", placeholder="为什么更正（必填，旧记录标为已撤回）", compact=True, id="f-why")
            yield Static("", id="preview", classes="preview")
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("保存 ctrl+s", variant="primary", id="save", compact=True)
                yield Button("取消 esc", id="cancel", compact=True)
        yield Footer(compact=True)

    @staticmethod
    def _figure_text(rec: dict) -> str:
        for key in ("count", "amount", "value"):
            if rec.get(key) is not None:
                return fmt(rec[key])
        return ""

    def on_mount(self) -> None:
        self.query_one("#f-attr", Checkbox).display = False
        self.fill_indicators(initial=True)
        if self.record:
            for key in ("count", "amount", "value"):
                if self.record.get(key) is not None:
                    self.query_one("#f-kind", Select).value = key
            self.query_one("#f-why", Input).focus()
        elif self.start_unit:
            self.query_one("#f-indicator", Select).focus()
        else:
            self.query_one("#f-unit", Select).focus()
        self.schedule_preview()

    # -- the scheme tree feeds the selects ---------------------------------------------------------
    def unit_category(self) -> str | None:
        name = _value(self.query_one("#f-unit", Select))
        unit = next((u for u in self.units if u.name == name), None)
        return unit.category if unit else None

    def leaves(self) -> list[tuple[str, Indicator]]:
        """Indicators a record can be written against (not those computed from their parts)."""
        return recording.recordable_indicators(self.scheme, self.unit_category())

    def node(self) -> Indicator | None:
        path = _value(self.query_one("#f-indicator", Select))
        return next((n for p, n in self.leaves() if p == path), None)

    def clause(self) -> Clause | None:
        node = self.node()
        return node.clause(_value(self.query_one("#f-clause", Select))) if node else None

    def fill_indicators(self, initial: bool = False) -> None:
        select = self.query_one("#f-indicator", Select)
        before = _value(select) or ((self.record or {}).get("indicator") if initial else "")
        options = [(f"{p}（{fmt(n.points)}分）" if n.points is not None else p, p) for p, n in self.leaves()]
        select.set_options(options)
        if before in [p for _, p in options]:
            select.value = before
        self.fill_clauses(initial)

    def fill_clauses(self, initial: bool = False) -> None:
        select = self.query_one("#f-clause", Select)
        before = _value(select) or ((self.record or {}).get("clause") if initial else "")
        node = self.node()
        # the document's sentence, not the clause's id (a slug means nothing to a clerk)
        options = [(c.text, c.id) for c in (node.clauses if node else [])]
        select.set_options(options)
        select.disabled = not options  # no clauses: no Tab stop on an empty dropdown
        if before and before in [c for _, c in options]:
            select.value = before
        self.clause_changed(initial)

    def clause_changed(self, initial: bool = False) -> None:
        node, clause = self.node(), self.clause()
        note = self.query_one("#f-clause-text", Static)
        note.update(f"{clause.text}" + (f"（{clause.note}）" if clause.note else "") if clause else
                    ("（本指标无条款）" if node and not node.clauses else ""))
        if node and not initial:
            self.query_one("#f-kind", Select).value = recording.figure_for(node, clause)
        self.kind_changed()
        attr = self.query_one("#f-attr", Checkbox)
        if clause and clause.double_when:
            attr.label = f"{clause.double_when}（×{fmt(clause.factor)}）"
            attr.display = True
            if initial and self.record and self.record.get("attrs"):
                attr.value = bool(json.loads(self.record["attrs"]).get(clause.double_when))
        else:
            attr.display = False
            attr.value = False

    def kind_changed(self) -> None:
        kind = _value(self.query_one("#f-kind", Select)) or "count"
        self.query_one("#f-figure", Input).placeholder = ("次数留空＝1次" if kind == "count"
                                                          else f"{FIGURES[kind]}（必填）")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-kind":
            self.kind_changed()
        if event.select.id == "f-unit":
            self.fill_indicators()
        elif event.select.id == "f-indicator":
            self.fill_clauses()
        elif event.select.id == "f-clause":
            self.clause_changed()
        self.schedule_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.schedule_preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.schedule_preview()

    # -- the draft --------------------------------------------------------------------------------
    def draft(self, reason: str | None = None) -> Draft:
        """The form as a draft; ``reason`` stands in for an empty 事由 (the preview runs before it is written)."""
        for select_id, what in (("#f-unit", "单位"), ("#f-period", "期间"), ("#f-indicator", "指标")):
            if not _value(self.query_one(select_id, Select)):
                raise KaoheError(t("choose", what=what))
        node = self.node()
        if node and not self.clause() and recording.clause_required(node):
            raise KaoheError(t("choose", what="条款"))
        kind = _value(self.query_one("#f-kind", Select)) or "count"
        figure = self.query_one("#f-figure", Input).value.strip() or None
        clause = self.clause()
        attrs = ({clause.double_when: 1}
                 if clause and clause.double_when and self.query_one("#f-attr", Checkbox).value else None)
        return Draft(unit=_value(self.query_one("#f-unit", Select)),
                     indicator=_value(self.query_one("#f-indicator", Select)),
                     period=_value(self.query_one("#f-period", Select)),
                     reason=self.query_one("#f-reason", Input).value.strip() or reason or "",
                     clause=_value(self.query_one("#f-clause", Select)) or None,
                     date=self.query_one("#f-date", Input).value.strip() or None,
                     attrs=attrs, **{kind: figure})

    def correction_reason(self) -> str:
        return self.query_one("#f-why", Input).value if self.record else ""

    def schedule_preview(self) -> None:
        if self._preview_timer:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(0.2, self.run_preview)

    def run_preview(self) -> None:
        self.preview()

    @work(exclusive=True, group="preview")
    async def preview(self) -> None:
        box, error = self.query_one("#preview", Static), self.query_one("#form-error", Static)
        try:
            draft = self.draft(reason="（预览）")  # the effect shows before the reason is written
        except KaoheError as exc:  # a choice not made yet: a hint, not an error, until saving
            box.update(f"预览：{exc}后显示")
            error.update("")
            return
        box.update("预览：计算中…")
        try:
            result = await asyncio.to_thread(self.app.in_worker_store, preview_record, self.scheme, draft,
                                             replacing=self.record["id"] if self.record else None,
                                             period=self.view_period)
        except Exception as exc:
            box.update("")
            error.update(f"✗ {describe(exc)}")
            return
        error.update("" if not self.record or self.correction_reason().strip() else f"✗ {t('needs_correction_reason')}")
        before, after = result.before, result.after
        name = result.indicator.split("/")[-1]
        text = (f"预览（{result.period} · {escape(result.unit)}）："
                f"{escape(name)} {shown(before.points)}→[b]{shown(after.points)}[/b] · "
                f"总分 {shown(before.total)}→[b]{shown(after.total)}[/b] · 排名 {before.rank}→[b]{after.rank}[/b]")
        new_flags = [f for f in after.flags if f not in before.flags]
        if new_flags:
            text += " · " + " ".join(f"[b]{FLAG}{f}[/b]" for f in new_flags)
        box.update(text)

    # -- saving -----------------------------------------------------------------------------------
    def action_save(self) -> None:
        self.save()

    def save(self, supersede: bool = False) -> None:
        """A second figure for a one-figure input is asked about, then saved with ``supersede``
        (the CLI's ``record --supersede``; checked again inside the write)."""
        from kaohe_tui.inputs import SecondFigure

        error = self.query_one("#form-error", Static)
        try:
            draft = self.draft()
            if self.record:
                record_id = recording.correct(self.app.opened_store, self.scheme, self.record["id"], draft,
                                              self.correction_reason())
            else:
                record_id = recording.record(self.app.opened_store, self.scheme, draft, source="tui",
                                             supersede=supersede)
        except SecondFigure as exc:
            error.update("")
            ask_then(self.app, exc.question, lambda: self.save(supersede=True), yes="替换")
            return
        except Exception as exc:  # RecordError names the field, as in the CLI
            error.update(f"✗ {describe(exc)}")
            return
        self.dismiss(record_id)
