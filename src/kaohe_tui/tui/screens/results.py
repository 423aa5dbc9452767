"""The ranking of a period: a column per top-level indicator, total, rank, a trend over the year's
quarters and the consequence flags (⚑, highlighted). ``enter`` on a cell explains that number."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Select, Static

from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.score_cache import Version
from kaohe_tui.scoring import PROVISIONAL_MARK, Scorer, UnitResult, provisional
from kaohe_tui.store import Store
from kaohe_tui.tui.common import FLAG, scheme_periods, shown
from kaohe_tui.tui.screens.base import PERIOD, SchemeView
from kaohe_tui.tui.screens.results_rows import results_rows
from kaohe_tui.tui.widgets.results_table import ResultsTable, Scoring
from kaohe_tui.tui.widgets.tables import KTable, Rows

if TYPE_CHECKING:
    from textual.timer import Timer


@dataclass
class Scored:
    """One period's results and, for the trend, the same units in each quarter of its year."""

    period: str
    results: list[UnitResult]
    quarters: list[str]
    by_quarter: dict[str, dict[str, UnitResult]]  # quarter → unit → result
    # the table's cells, built once per trend mode: kept with the result in the score cache, so
    # they go when it goes (the next write)
    tables: dict[str, Rows] = field(default_factory=dict)


def score_with_trend(store: Store, scheme: Scheme, period: str) -> dict[str, Scored]:
    """Runs in a worker thread: the core's scorer, for the period and its year's quarters. The
    trend scores each quarter of the year anyway: a quarter scored under the same version of the
    scheme as the period comes back too, ready for the next switch of period (period → result)."""
    from kaohe_tui.scheme_years import for_period
    from kaohe_tui.year_history import trend_quarters

    target = Period.parse(period)
    version = for_period(store, scheme, target)  # an office year's own version, a signed period's
    scorer = Scorer(store, version)
    by_quarter = trend_quarters(scorer, target)  # the previous year's quarters too, when started
    quarters = list(by_quarter)
    if target.kind == "quarter":  # scored for the trend already, by this very scorer
        results = list(by_quarter[str(target)].values())
    else:
        results = scorer.score(target)
    out = {period: Scored(period, results, quarters, by_quarter)}
    for quarter in target.quarters() if target.kind == "year" else ():
        if for_period(store, scheme, quarter) is version:  # else signed under another version: its own
            out[str(quarter)] = Scored(str(quarter), list(by_quarter[str(quarter)].values()), quarters, by_quarter)
    return out


def scoring(app: Any, scheme: Scheme, period: str, reuse: bool = True) -> tuple[Version, asyncio.Task]:
    """The scoring of ``period`` as of the database now, in a thread: the one already under way
    at this same state (``reuse``; the warm-up started when the scheme opened, or a year's, which
    brings its quarters) or a new one. It keeps its results in the app's cache (``score_cache``),
    tagged with the state it started at: a write meanwhile makes them stale, never served."""
    cache = app.scores
    version = cache.version()
    key = (scheme.id, id(scheme), period)
    found = cache.running.get(key)
    if reuse and found and found[0] == version:
        return found
    task = asyncio.ensure_future(_score(app, cache, scheme, period, version))
    task.add_done_callback(lambda done: done.cancelled() or done.exception())  # read: never "not retrieved"
    target = Period.parse(period)
    for p in [target, *(target.quarters() if target.kind == "year" else ())]:
        cache.running[(scheme.id, id(scheme), str(p))] = (version, task)
    return version, task


async def _score(app: Any, cache: Any, scheme: Scheme, period: str, version: Version) -> dict[str, Scored]:
    try:
        every = await asyncio.to_thread(app.in_worker_store, score_with_trend, scheme, period)
    finally:  # done: no longer under way (its results, if any, are in the cache below)
        mine = asyncio.current_task()
        for key in [k for k, (_, task) in cache.running.items() if task is mine]:
            del cache.running[key]
    for one in every.values():  # the year's quarters come with the year
        cache.keep((scheme.id, id(scheme), one.period), version, one)
    return every


def warm(app: Any, scheme: Scheme) -> None:
    """A scheme's view opens: its results for the current period start scoring in the background,
    so that the key for the results finds them ready (issue 18: a first scoring of a big year
    takes about a second). Nothing is shown; a failure shows when the results are opened."""
    try:  # optional work: whatever stops it must not stop the view opening
        cache, period = app.scores, app.state(scheme).period
        if cache.lookup((scheme.id, id(scheme), period), cache.version()) is not None:
            return
        _, task = scoring(app, scheme, period)
    except Exception:
        return

    async def wait() -> None:  # a worker of the app: it ends with the app, and tests can wait for it
        with contextlib.suppress(Exception):
            await asyncio.shield(task)

    # the function, not a coroutine: a worker replaced before it starts leaves nothing unawaited
    app.run_worker(wait, group=f"warm:{scheme.id}", exclusive=True, exit_on_error=False)


class ResultsScreen(SchemeView):
    VIEW = "results"
    # the table from the start (base.py); the footer is then made once, with 解释 (#18)
    AUTO_FOCUS = "#results"
    BINDINGS = [
        Binding("enter", "explain", "解释", id="results-explain"),
        Binding("left_square_bracket", "period(-1)", "上期", key_display="[", group=PERIOD, id="results-prev-period"),
        Binding("right_square_bracket", "period(1)", "下期", key_display="]", group=PERIOD, id="results-next-period"),
        Binding("t", "trend", "趋势:总分/排名", id="results-trend"),
        Binding("m", "status", "缺漏", show=False, id="results-status-view"),  # issue 14: what is left
    ]

    def __init__(self, scheme: Scheme):
        super().__init__(scheme)
        self.periods = scheme_periods(scheme, self.app.store)
        self.scored: Scored | None = None
        self.shown: tuple | None = None  # the database's write state the figures shown were scored at
        self.failed = False  # its scoring failed while it was made ahead, out of view: shown when opened
        self.explain_when_shown = False  # enter typed while a period's figures were on their way
        self._ahead: Timer | None = None
        self._laid_out = False  # laid out and drawn once out of view (``_build_one_ahead``)

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield Select([(p, p) for p in self.periods], value=self.state.period, allow_blank=False,
                         compact=True, id="results-period")
            yield Static("", id="trend-label", classes="toolbar-note")
        yield ResultsTable(id="results", cursor_type="cell", fixed_columns=2)  # unit and 总分 stay in view
        yield Static("", id="results-detail", classes="detail")
        yield Static("", id="results-status", classes="status")

    def on_mount(self) -> None:
        self.query_one("#results", KTable).focus()
        self.load()

    def follow_writes(self) -> None:
        """On top, the app's look a second: another login (or process) wrote while these figures
        are in view, so they may have moved: covered and scored again, not left until a key."""
        if self.scored is not None and not self.query_one("#results").loading:
            self.check_fresh()

    def on_top(self) -> bool:
        """In view, on top (not made ahead out of view, nor an app shutting down)."""
        try:
            return self.app.screen is self
        except ScreenStackError:
            return False

    def get_loading_widget(self) -> Widget:
        return Scoring()

    def on_screen_resume(self) -> None:
        """Back on this (kept) screen, or on it the first time when it was made ahead: its figures
        stand only if nothing was written since, for the period the scheme is at."""
        table = self.query_one("#results", KTable)
        if not table.loading:  # a scoring that ended while away gave its focus to the period box
            table.focus()
        if self.failed or self.scored is not None and not self.current():
            self.check_fresh()

    def current(self) -> bool:
        """The figures shown are the scheme's period's, scored as the database is now."""
        return (not self.failed and self.scored is not None and self.scored.period == self.state.period
                and self.shown == self.app.scores.version())

    def check_fresh(self) -> None:
        """Score again if anything was written since the figures shown were scored (the table is
        covered at once: no figure that may have moved stays in view)."""
        if self.current():
            return
        periods = scheme_periods(self.scheme, self.app.store)  # an office year may have been added
        select = self.query_one("#results-period", Select)
        if periods != self.periods or select.value != self.state.period:
            self.periods = periods
            if self.state.period not in periods:
                self.state.period = periods[0]
            with select.prevent(Select.Changed):
                select.set_options([(p, p) for p in periods])
                select.value = self.state.period
        self.load()

    @work(exclusive=True, group="score")
    async def load(self) -> None:
        table = self.query_one("#results", KTable)
        cache, key = self.app.scores, (self.scheme.id, id(self.scheme), self.state.period)
        version = cache.version()  # before scoring: a write meanwhile makes this result stale at once
        scored = cache.lookup(key, version)  # kept since the last write: shown at once
        if scored is None:
            table.loading = True
            self.query_one("#results-detail", Static).update("")
            self.query_one("#results-status", Static).update(f"正在计分：{self.state.period} …")
            try:
                version, task = scoring(self.app, self.scheme, self.state.period)
                every = await asyncio.shield(task)  # a later key cancels this worker, not the scoring
                if self.state.period not in every:  # a year's quarter signed under another version
                    version, task = scoring(self.app, self.scheme, self.state.period, reuse=False)
                    every = await asyncio.shield(task)
            except Exception as exc:
                table.loading = False
                self.explain_when_shown = False
                self.failed = not self.is_current  # made ahead, out of view: shown when opened
                if not self.failed:
                    self.app.show_error(exc, "计分失败")
                return
            scored = every[self.state.period]
        self.scored, self.shown, self.failed = scored, version, False
        self.fill()
        if table.loading:
            table.loading = False
            table.focus()  # a loading widget gives its focus away: back to the table

    def fill(self) -> None:
        scored = self.scored
        assert scored is not None  # (for the type checker) filled only once load has scored
        table = self.query_one("#results", KTable)
        keep = table.cursor_coordinate
        table.show_rows(self.table_of(scored))
        table.cursor_coordinate = keep
        self.build_ahead()
        if self.explain_when_shown:
            self.explain_when_shown = False
            self.call_after_refresh(self.action_explain)
        flagged = sum(bool(r.flags) for r in scored.results)
        mode = "排名（高柱＝名次靠前）" if self.state.trend == "rank" else "总分"
        quarters = "→".join(q[-2:] for q in scored.quarters)
        self.query_one("#trend-label", Static).update(f"趋势：{quarters} 的{mode}（t 切换）")
        self.query_one("#results-status", Static).update(
            f"{scored.period} · {len(scored.results)}个单位"
            + (f" · {FLAG}{flagged}个单位有后果标记" if flagged else "")
            + (f" · {PROVISIONAL_MARK}（m 查看缺漏）" if provisional(scored.results) else "") + " · 回车：解释所选数字")

    def table_of(self, scored: Scored) -> Rows:
        """The table's content for ``scored`` in the trend mode now (built once, kept with it)."""
        if self.state.trend not in scored.tables:
            scored.tables[self.state.trend] = results_rows(self.scheme, scored, self.state.trend)
        return scored.tables[self.state.trend]

    # seconds after the figures are shown before building ahead: the frame that shows them, and
    # a key that follows at once, come first (out of view, nothing waits for a frame)
    AHEAD_AFTER = 0.25

    def build_ahead(self) -> None:
        """Soon, while the app is idle: the tables of the periods already scored (a year's quarters
        come with it) are built and their first lines laid out, nearest periods first, one a
        time, so that switching to one only draws it (#18)."""
        if self._ahead is not None:
            self._ahead.stop()
        self._ahead = self.set_timer(self.AHEAD_AFTER if self.on_top() else 0.01, self._build_one_ahead)

    def _build_one_ahead(self) -> None:
        self._ahead = None
        if not self.periods or self.state.period not in self.periods:
            return
        if not self.is_current and self.is_attached and not self._laid_out:
            # made ahead, out of view: laid out and drawn once at the terminal's size, so that
            # showing it draws from what its widgets keep (the keys, the table's lines)
            self._laid_out = True
            self._refresh_layout(self.app.size)
            self._compositor.render_update(full=True)
            self._ahead = self.set_timer(0.02, self._build_one_ahead)
            return
        cache, version = self.app.scores, self.app.scores.version()
        here = self.periods.index(self.state.period)
        lines = max(self.query_one("#results", KTable).size.height, 24)
        for period in sorted(self.periods, key=lambda p: abs(self.periods.index(p) - here)):
            scored = cache.lookup((self.scheme.id, id(self.scheme), period), version)
            if scored is None:
                continue
            content = self.table_of(scored)
            if content.segments:  # laid out already (drawn or made ahead)
                continue
            content.prepare(self.app.console, self.app.console_options, lines)
            self._ahead = self.set_timer(0.02, self._build_one_ahead)  # the next one: a key waits for one at most
            return

    def on_data_table_cell_highlighted(self, event) -> None:
        """The highlighted unit in full: the table may be too narrow for its last columns."""
        if not self.scored or event.data_table.id != "results":
            return
        unit = str(event.cell_key.row_key.value)
        result = next((r for r in self.scored.results if r.unit == unit), None)
        if result is None:
            return
        quarters = "  ".join(f"{q[-2:]} {shown(x.total)} 第{x.rank}" if x else f"{q[-2:]} —"
                             for q in self.scored.quarters for x in [self.scored.by_quarter[q].get(unit)])
        text = f"[b]{escape(unit)}[/b]" + (f"（{escape(result.category)}）" if result.category else "")
        text += f" 总分 [b]{shown(result.total)}[/b] {result.rank_label}"
        if result.flags:
            text += " · " + "；".join(f"[b reverse]{FLAG}{escape(f)}[/]" for f in result.flags)
        self.query_one("#results-detail", Static).update(text + f" · 季度 {quarters}")

    # -- actions -----------------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "results-period" and event.value != Select.NULL and str(event.value) != self.state.period:
            self.state.period = str(event.value)
            self.load()

    def action_period(self, step: int) -> None:
        # the period changes now, not when the box's message comes: a key typed behind this one
        # (enter: explain) is for the new period
        i = self.periods.index(self.state.period) if self.state.period in self.periods else 0
        self.state.period = self.periods[(i + step) % len(self.periods)]
        select = self.query_one("#results-period", Select)
        with select.prevent(Select.Changed):
            select.value = self.state.period
        self.load()

    def action_status(self) -> None:
        from kaohe_tui.tui.screens.status import StatusScreen

        self.app.push_screen(StatusScreen(self.scheme, self.state.period))

    def action_trend(self) -> None:
        self.state.trend = "rank" if self.state.trend == "total" else "total"
        if self.scored:
            self.fill()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "explain":
            return True if self.scored and self.query_one("#results", KTable).has_focus else None
        return super().check_action(action, parameters)

    def current_unit(self) -> str | None:
        table = self.query_one("#results", KTable)
        if not self.scored or not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_explain(self) -> None:
        from kaohe_tui.tui.screens.explain import ExplainScreen

        table = self.query_one("#results", KTable)
        if not self.scored or not table.row_count:
            return
        if self.scored.period != self.state.period or table.loading:  # typed before the figures came
            self.explain_when_shown = True
            return
        cell = table.coordinate_to_cell_key(table.cursor_coordinate)
        unit = str(cell.row_key.value)
        column = str(cell.column_key.value)
        indicator = column[4:] if column.startswith("ind:") else None
        result = next(r for r in self.scored.results if r.unit == unit)
        trend = [(q, self.scored.by_quarter[q].get(unit)) for q in self.scored.quarters]
        screen = self.app.kept_screen("explain", ExplainScreen, self.scheme, self.scored.period, result, indicator,
                                      trend)
        screen.scored_at = self.shown  # the write state its figures stand for (a later write: marked stale)
        self.app.push_screen(screen)
