"""Issue 18, the TUI's drawing: what a key costs between it and the frame. The footer's keys are
not made again when only which of them are enabled changes (the 解释 key while the table
scores); the results' cells are drawn from segments made once per content, exactly as DataTable
draws them. Fixture scheme (tests/fixtures/tui_plugin): 基础管理 12 = 工作纪律 10 (absent −1
each) + 环境卫生 2; 党委办 with nothing recorded scores 12."""

from __future__ import annotations

from test_score_cache import open_results, records_elsewhere
from textual.widgets._footer import FooterKey

from conftest import make_app, open_scheme, rows_of, settle, tui_record


def withdraw(db_path, record_id: int) -> None:
    from kaohe_tui import catalog, plugins
    from kaohe_tui.ledger import withdraw_record
    from kaohe_tui.store import Store

    store = Store(db_path)
    withdraw_record(store, catalog.get("tui-fixture"), record_id, "重复登记")
    store.close()
    plugins.reset_for_tests()  # the app loads its plugins itself
    catalog.reset()


def keys_made(monkeypatch) -> list[FooterKey]:
    """Every footer key made from now on."""
    made: list[FooterKey] = []
    real = FooterKey.__init__

    def init(self, *args, **kwargs):
        made.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(FooterKey, "__init__", init)
    return made


async def test_opening_the_results_makes_no_footer_key_twice(db_path, monkeypatch, only_test_plugins):
    """The results open and score: 解释 is shown disabled while the table is covered, enabled once
    the figures are in. No key of the footer is made and then thrown away on the way (Textual's
    Footer makes them all again at each change, and again for each change queued behind it)."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        made = keys_made(monkeypatch)
        app.state(app.screen.scheme).period = "2018Q2"
        await pilot.press("3")
        await settle(pilot)
        shown = list(app.screen.query_one("Footer").query(FooterKey))
        assert "解释" in [k.description for k in shown]
        assert not next(k for k in shown if k.action == "explain").has_class("-disabled")
        assert [k.description for k in made if not k.is_attached] == []


async def test_a_footer_key_turned_on_and_off_is_the_same_key(db_path, monkeypatch, only_test_plugins):
    """The ledger's 更正 and 撤回 are off on a withdrawn record, on on an active one: the cursor
    moving between them turns the same keys on and off (drawn dim when off), none is made again."""
    first = tui_record(db_path, period="2018Q1", unit="党委办", indicator="工作纪律", clause="late", count=2,
                       date="2018-02-05", reason="一季度迟到2次")
    tui_record(db_path, period="2018Q2", unit="党委办", indicator="工作纪律", clause="absent", count=3,
               date="2018-05-06", reason="二季度旷工3次")
    withdraw(db_path, first)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("2")
        await settle(pilot)
        keys = {k.action: k for k in app.screen.query_one("Footer").query(FooterKey)}
        made = keys_made(monkeypatch)

        def off() -> set[str]:
            return {keys[a].description for a in ("edit", "withdraw") if keys[a].has_class("-disabled")}

        assert app.screen.query_one("#ledger").cursor_row == 0 and off() == {"更正", "撤回"}  # withdrawn
        await pilot.press("down")
        await settle(pilot)
        assert off() == set()
        await pilot.press("up")
        await settle(pilot)
        assert off() == {"更正", "撤回"}
        assert made == [] and all(k.is_attached for k in keys.values())


async def test_the_footer_keys_stay_when_only_their_enabled_state_changes(db_path, monkeypatch, only_test_plugins):
    """A period scored at the key covers the table (解释 off) and uncovers it (解释 on): the same
    keys are shown, so none is made again; the 解释 key is drawn enabled once the figures are in.
    党委办 in 2018Q2 after another login's 2 absences: 12 − 2 × 1 = 10."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot, "2018Q2")
        footer = app.screen.query_one("Footer")
        before = list(footer.query(FooterKey))
        explain = next(k for k in before if k.action == "explain")
        assert not explain.has_class("-disabled")
        made = keys_made(monkeypatch)
        records_elsewhere(db_path, 2)  # every kept figure is stale: the next period is scored at the key
        for key in ("right_square_bracket", "left_square_bracket"):
            await pilot.press(key)
            await settle(pilot)
        table = app.screen.query_one("#results")
        assert app.screen.scored.period == "2018Q2"
        assert {r[0].lstrip("⚑"): r[1] for r in rows_of(table)}["党委办"] == "10"
        assert made == [] and list(footer.query(FooterKey)) == before
        assert not explain.has_class("-disabled") and explain.is_attached


async def test_a_burst_across_the_views_reaches_each_view_s_table(db_path, only_test_plugins):
    """1 3 ] enter in one burst from the results, as a clerk types over SSH: the units view
    (built while the keys wait), the results again, the next period, the explanation of the cell
    under the cursor. A view's table holds the focus from the start: the keys typed ahead of it
    went into its filter line (筛选 "3]"), and the clerk stayed on the units."""
    from conftest import burst

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot, "2018Q1")
        burst(app, "1", "3", "right_square_bracket", "enter")
        await settle(pilot, 0.3)
        assert type(app.screen).__name__ == "ExplainScreen" and app.screen.period == "2018Q2"
        await pilot.press("escape", "1")
        await settle(pilot)
        assert app.screen.query_one("#units-filter").value == ""
        burst(app, "2", "down", "4", "down")  # the ledger, the audit log: their tables too
        await settle(pilot, 0.3)
        assert app.screen.VIEW == "audit" and app.focused is app.screen.query_one("#audit")


async def test_the_units_columns_are_as_wide_as_every_unit_needs_also_when_opened_filtered(db_path,
                                                                                          only_test_plugins):
    """The units' table is measured once, over every unit (``Rows``): back on the view with a
    filter kept (侨办), 单位 is still as wide as 城建监察大队（政策法规科）, 26 cells (a CJK
    character takes two), and clearing the filter moves no column; DataTable measured the rows
    shown, so the columns jumped wider as the filter was cleared."""
    from rich.cells import cell_len

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        app.state(app.screen.scheme).units_filter = "侨办"
        await pilot.press("2", "1")
        await settle(pilot)
        table = app.screen.query_one("#units")
        assert [r[0] for r in rows_of(table)] == ["侨办（侨联）"]
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        assert widths[0] == cell_len("城建监察大队（政策法规科）") + 2 * table.cell_padding == 28
        await pilot.press("slash", "escape")  # the filter cleared: every unit, the same columns
        await settle(pilot)
        assert table.row_count == 4 and [c.get_render_width(table) for c in table.ordered_columns] == widths


async def test_results_made_ahead_never_show_a_figure_a_write_has_moved(db_path, only_test_plugins):
    """The results screen is made and filled out of view once the scheme opens (党委办 12 in
    2018, nothing recorded). Another login then records 2 absences in 2018Q2 (the year counts
    them: 12 − 2 × 1 = 10): from the key on, no frame drawn shows the 12 — the table is covered
    until the 10 is in."""
    from textual._compositor import CompositorUpdate

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await settle(pilot, 0.5)  # the results made ahead (after 0.1 s), scored and laid out
        ahead = app.kept_results(app.screen.scheme)
        assert ahead.is_running and ahead.scored is not None and ahead.scored.period == "2018"
        assert {r[0]: r[1] for r in rows_of(ahead.query_one("#results"))}["党委办"] == "12"
        records_elsewhere(db_path, 2)
        frames: list[list[str]] = []
        shown = app._display

        def display(screen, update):
            if isinstance(update, CompositorUpdate):
                frames.append([strip.text for strip in screen._compositor.render_strips()])
            shown(screen, update)

        app._display = display
        await pilot.press("3")
        await settle(pilot)
        totals = [line.split()[1] for frame in frames for line in frame if line.split()[:1] == ["党委办"]]
        assert app.screen is ahead and frames and "12" not in totals and totals[-1] == "10"


async def test_a_filter_typed_in_one_burst_lands_in_the_filter(db_path, only_test_plugins):
    """/ and the text in one burst, as SSH delivers it: the filter line takes the focus at the
    key, so the letters typed behind it are the filter's (Textual focuses a widget only after
    the keys already queued: q went to the table, back to the scheme list). Enter and down in
    the same burst: back in the table, the cursor on the second unit shown."""
    from conftest import burst

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        burst(app, "slash", "q", "i")
        await settle(pilot)
        assert app.screen.VIEW == "units" and app.screen.query_one("#units-filter").value == "qi"
        burst(app, "escape")
        await settle(pilot)
        assert app.screen.query_one("#units-filter").value == ""
        burst(app, "slash", *"办", "enter", "down")
        await settle(pilot, 0.3)
        table = app.screen.query_one("#units")
        assert app.screen.query_one("#units-filter").value == "办"
        assert app.focused is table and table.cursor_row == 1
        burst(app, "2", "slash", *"迟到")  # the ledger's filter, typed ahead of the view
        await settle(pilot, 0.3)
        assert app.screen.VIEW == "ledger" and app.screen.query_one("#ledger-filter").value == "迟到"
