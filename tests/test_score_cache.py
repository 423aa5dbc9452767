"""Issue 18: the TUI keeps each period's scores until the next write (``score_cache``), and a big
ledger's one-figure inputs are read cut to their newest figures (``ledger_read``). Neither may
ever show a figure the database no longer gives.

Fixture scheme (tests/fixtures/tui_plugin, see test_tui.py): 基础管理 12 = 工作纪律 10 (absent −1
each) + 环境卫生 2; 党委办 with nothing recorded scores 12."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

from kaohe_tui import catalog, plugins

FIXTURE = Path(__file__).parent / "fixtures" / "tui_plugin"


def open_store(db_path):
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    plugins.load_plugins([FIXTURE])
    store = Store(db_path)
    ensure_registered(store)
    return store


def absent(store, n: int, day: str = "2018-05-06") -> int:
    from kaohe_tui.ledger import Draft, add_record

    return add_record(store, catalog.get("tui-fixture"), Draft(period="2018Q2", unit="党委办", indicator="工作纪律",
                                                               clause="absent", count=n, date=day, reason=f"旷工{n}次"))


def records_elsewhere(db_path, count: int) -> None:
    """Another process (another login) records ``count`` absences of 党委办 in 2018Q2."""
    subprocess.run([sys.executable, "-m", "kaohe_tui", "--db", str(db_path), "--plugins-dir", str(FIXTURE),
                    "record", "tui-fixture", "--period", "2018Q2", "--unit", "党委办", "--indicator", "工作纪律",
                    "--clause", "absent", "--count", str(count), "--date", "2018-05-06", "--reason", "旷工"],
                   check=True, capture_output=True, env={**os.environ, "KAOHE_NO_ENTRY_POINTS": "1"})


async def open_results(pilot, period: str) -> None:
    """From the schemes screen into the first scheme's results of ``period``."""
    from test_tui import open_scheme, settle

    await open_scheme(pilot)
    pilot.app.state(pilot.app.screen.scheme).period = period
    await pilot.press("3")
    await settle(pilot)


def test_a_write_after_a_cached_score_changes_the_next_result(db_path, only_test_plugins):
    from kaohe_tui.ledger import withdraw_record
    from kaohe_tui.score_cache import ScoreCache
    from kaohe_tui.scoring import score

    store = open_store(db_path)
    cache = ScoreCache(store)
    scheme = catalog.get("tui-fixture")
    computed = []

    def total() -> float:
        def compute():
            computed.append(1)
            return score(open_store(db_path), scheme, "2018Q2")  # as the TUI: another connection scores
        return next(r.total for r in cache.get(("tui-fixture", "2018Q2"), compute) if r.unit == "党委办")

    assert total() == 12 and total() == 12 and len(computed) == 1  # the second is served from the cache
    rid = absent(store, 3)  # this connection writes: 12 − 3 × 1 = 9
    assert total() == 9
    other = open_store(db_path)
    absent(other, 1, "2018-05-07")  # another connection (another login, a worker) writes: 9 − 1 = 8
    other.close()
    assert total() == 8
    withdraw_record(store, scheme, rid, "录错了")  # a withdrawal: 12 − 1 = 11
    assert total() == 11
    assert len(computed) == 4


def test_a_write_during_a_scoring_is_never_served_from_the_cache(db_path, only_test_plugins):
    from kaohe_tui.score_cache import ScoreCache
    from kaohe_tui.scoring import score

    store = open_store(db_path)
    cache = ScoreCache(store)
    scheme = catalog.get("tui-fixture")
    before = cache.version()
    stale = score(store, scheme, "2018Q2")  # scored, then a write lands before it is kept
    absent(store, 2)
    cache.keep("q2", before, stale)
    assert cache.lookup("q2", cache.version()) is None


async def test_results_screen_switches_back_from_the_cache_and_shows_a_write(db_path, monkeypatch, only_test_plugins):
    from test_tui import make_app, open_scheme, rows_of, settle

    from kaohe_tui.tui.screens import results

    calls = []
    real = results.score_with_trend
    monkeypatch.setattr(results, "score_with_trend", lambda *a: calls.append(a[-1]) or real(*a))
    store = open_store(db_path)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("right_square_bracket")  # 2018 → 2018Q1: scored with the year (its trend)
        await settle(pilot)
        await pilot.press("right_square_bracket")  # → 2018Q2: the same
        await settle(pilot)
        await pilot.press("left_square_bracket")  # back to 2018Q1: from the cache
        await settle(pilot)
        assert calls == ["2018"]
        absent(store, 3)  # another login records while the screen is open
        await pilot.press("right_square_bracket")  # 2018Q2 again: rescored, 12 − 3 = 9
        await settle(pilot)
        assert calls == ["2018", "2018Q2"]
        table = app.screen.query_one("#results")
        totals = {r[0].lstrip("⚑"): r[1] for r in rows_of(table)}
        assert totals["党委办"] == "9"


def test_many_superseded_figures_are_explained_and_the_newest_counts(db_path):
    """回访满意率 of 城管局 entered 25 times (1, 2, … 25 %), each superseding the last: the newest
    counts (20 × 25 ÷ 100 = 5); the 20 before it are explained one by one and the 4 oldest in one
    line naming them; a sign-off's scorer (``whole``) still explains all 24."""
    from kaohe_tui.ledger import Draft, check_record, insert_many
    from kaohe_tui.periods import Period
    from kaohe_tui.scoring import Scorer, find_result
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    plugins.load_plugins()
    store = Store(db_path)
    ensure_registered(store)
    scheme = catalog.get("city-coordination")
    rows = [check_record(store, scheme, Draft(period="2018Q1", unit="城管局", indicator="回访满意率", value=v,
                                              reason=f"第{v}次"), action=None) for v in range(1, 26)]
    path = rows[0]["indicator"]
    with store.transaction() as db:
        first, last = insert_many(store, db, rows, "test")
    q1 = Period.parse("2018Q1")
    result = find_result(Scorer(store, scheme).explain(q1, "城管局").indicators, path)
    assert result.points == 5
    texts = [line.text for line in result.lines]
    replaced = [t for t in texts if "已被记录" in t and "另有" not in t]
    assert len(replaced) == 20 and f"记录#{last - 1}的数值24已被记录#{last}替代（第24次）" in texts
    assert f"另有4条更早的数值（记录#{first}至#{first + 3}）亦已被记录#{last}替代（逐条见台账）" in texts
    whole = find_result(Scorer(store, scheme, whole=True).explain(q1, "城管局").indicators, path)
    assert whole.points == 5
    assert len([line for line in whole.lines if "已被记录" in line.text]) == 24


async def test_kept_results_screen_counts_another_process_write_when_opened_again(db_path, monkeypatch,
                                                                                   only_test_plugins):
    """The results screen is kept while the app runs (opening it again draws no table anew), but
    a record another process wrote while it was not in view is counted when it is opened again,
    and again when the same view is asked for while it is open (as after an import)."""
    from test_tui import make_app, rows_of, settle

    from kaohe_tui.tui.screens import results

    calls = []
    real = results.score_with_trend
    monkeypatch.setattr(results, "score_with_trend", lambda *a: calls.append(a[-1]) or real(*a))
    open_store(db_path).close()

    another_process_records = functools.partial(records_elsewhere, db_path)

    def total(app) -> str:
        return {r[0].lstrip("⚑"): r[1] for r in rows_of(app.screen.query_one("#results"))}["党委办"]

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot, "2018Q2")
        kept = app.screen
        # opening the scheme scored its year in the background (the warm-up), 2018Q2 with it
        assert total(app) == "12" and calls == ["2018"]  # nothing recorded: 12
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("3")  # nothing written meanwhile: the same screen, not scored again
        await settle(pilot)
        assert app.screen is kept and calls == ["2018"] and total(app) == "12"
        await pilot.press("1")
        await settle(pilot)
        another_process_records(3)  # 12 − 3 × 1 = 9
        await pilot.press("3")
        await settle(pilot)
        assert app.screen is kept and calls == ["2018", "2018Q2"] and total(app) == "9"
        another_process_records(2)  # while the results are open; asked for again: 12 − 5 = 7
        app.show_view(kept.scheme, "results")
        await settle(pilot)
        assert calls == ["2018"] + ["2018Q2"] * 2 and total(app) == "7"
        another_process_records(1)  # left while it scores again: back on it, the table has the keys
        await pilot.press("1", "3", "1")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert total(app) == "6" and app.focused is app.screen.query_one("#results")


async def test_a_quarter_scored_with_its_year_shows_its_own_figures(db_path, monkeypatch, only_test_plugins):
    """The year's trend scores each of its quarters: switching to one shows it without scoring
    again, with the quarter's own figures (党委办 absent 3 times in 2018Q2: 12 − 3 × 1 = 9; in
    2018Q1 nothing recorded: 12)."""
    from test_tui import make_app, open_scheme, rows_of, settle

    from kaohe_tui.tui.screens import results

    calls = []
    real = results.score_with_trend
    monkeypatch.setattr(results, "score_with_trend", lambda *a: calls.append(a[-1]) or real(*a))
    store = open_store(db_path)
    absent(store, 3)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("3")
        await settle(pilot)
        shown = {}
        for _ in range(2):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            table = app.screen.query_one("#results")
            shown[app.screen.scored.period] = {r[0].lstrip("⚑"): r[1] for r in rows_of(table)}["党委办"]
        assert calls == ["2018"] and shown == {"2018Q1": "12", "2018Q2": "9"}


async def test_results_start_scoring_when_the_scheme_opens_and_a_later_write_is_counted(db_path, monkeypatch,
                                                                                       only_test_plugins):
    """Opening a scheme's view starts scoring its current period in the background (issue 18: the
    key for the results then finds them ready); the results screen uses that scoring, or the one
    under way, when nothing was written since it began, and scores again when something was.
    党委办 in 2018Q2: 12 − 3 × 1 = 9 after 3 absences, 12 − 5 × 1 = 7 after one more and another."""
    from test_tui import make_app, open_scheme, rows_of, settle

    from kaohe_tui.tui.screens import results

    calls = []
    real = results.score_with_trend
    monkeypatch.setattr(results, "score_with_trend", lambda *a: calls.append(a[-1]) or real(*a))
    open_store(db_path).close()

    another_process_records = functools.partial(records_elsewhere, db_path)

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        assert calls == ["2018"] and app.screen.VIEW == "units"  # scored, though no results were asked for
        app.state(app.screen.scheme).period = "2018Q2"
        another_process_records(3)
        await pilot.press("2", "3")  # the ledger view starts a scoring; the results use it (done or under way)
        await settle(pilot)
        assert calls == ["2018", "2018Q2"]
        assert {r[0].lstrip("⚑"): r[1] for r in rows_of(app.screen.query_one("#results"))}["党委办"] == "9"
        await pilot.press("2")  # scored since the last write: nothing starts
        await settle(pilot)
        assert calls == ["2018", "2018Q2"]
        another_process_records(1)
        await pilot.press("1")  # starts 2018Q2 (12 − 4 = 8) …
        another_process_records(1)  # … and another login writes after it began: its figures are stale
        await pilot.press("3")
        await settle(pilot)
        assert calls == ["2018", "2018Q2", "2018Q2", "2018Q2"]  # scored again, not served
        assert {r[0].lstrip("⚑"): r[1] for r in rows_of(app.screen.query_one("#results"))}["党委办"] == "7"


async def test_a_period_switched_back_to_is_drawn_as_it_was_with_the_cursor_where_it_is(db_path, only_test_plugins):
    """Each period's drawn lines are kept with its figures (``ResultsTable``): back on a period,
    the lines are the ones drawn the first time, styles included, and the cursor's cell is drawn
    where the cursor is now, not where it was when the lines were kept. 党委办 in 2018Q2: 12 − 3 = 9."""
    from test_tui import make_app, settle
    from textual.geometry import Region

    absent(open_store(db_path), 3)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot, "2018Q2")
        table = app.screen.query_one("#results")

        def drawn() -> list[list]:
            """The lines as drawn (from the lines kept where they are), checked against DataTable's own."""
            lines = [list(strip) for strip in table.render_lines(Region(0, 0, *table.size))]
            kept, table.drawn = table.drawn, None
            table._line_cache.clear()
            assert [list(strip) for strip in table.render_lines(Region(0, 0, *table.size))] == lines
            table.drawn = kept
            return lines

        at_first = drawn()
        table.move_cursor(row=1, column=1)
        await settle(pilot)
        moved = drawn()
        assert moved != at_first and any("9" in seg.text for line in at_first for seg in line)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.scored.period == "2018Q3" and drawn() != moved
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.screen.scored.period == "2018Q2" and table.drawn  # from the lines kept
        assert drawn() == moved
        table.move_cursor(row=0, column=0)
        await settle(pilot)
        assert drawn() == at_first
        app.theme = "textual-light"  # other colours: drawn anew, not taken from the lines kept
        await settle(pilot)
        assert drawn() != at_first


async def test_back_on_a_view_after_a_write_its_results_start_scoring(db_path, monkeypatch, only_test_plugins):
    """A record written while a dialog covered the ledger (here: by another process) is scored in
    the background once the ledger is back in view; the results then show it without scoring
    again. 党委办 in 2018Q2: 12 − 2 × 1 = 10."""
    from test_tui import make_app, open_scheme, rows_of, settle
    from textual.screen import ModalScreen

    from kaohe_tui.tui.screens import results

    calls = []
    real = results.score_with_trend
    monkeypatch.setattr(results, "score_with_trend", lambda *a: calls.append(a[-1]) or real(*a))
    open_store(db_path).close()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        app.state(app.screen.scheme).period = "2018Q2"
        await pilot.press("2")
        await settle(pilot)
        assert calls == ["2018"] and app.screen.VIEW == "ledger"  # 2018Q2 came with the year
        app.push_screen(ModalScreen())
        await settle(pilot)
        records_elsewhere(db_path, 2)
        app.pop_screen()
        await settle(pilot)
        assert calls == ["2018", "2018Q2"]  # scored in the background, nothing asked for yet
        await pilot.press("3")
        await settle(pilot)
        assert calls == ["2018", "2018Q2"]
        assert {r[0].lstrip("⚑"): r[1] for r in rows_of(app.screen.query_one("#results"))}["党委办"] == "10"
