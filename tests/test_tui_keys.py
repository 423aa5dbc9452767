"""Keys as an SSH power user sends them: several in one burst (the terminal delivers them
together), command keys that must stay command keys, and the upstream palette crash guarded.
The fixture scheme (tests/fixtures/tui_plugin) has four units, ranked within their category."""

from __future__ import annotations

import pytest

from conftest import burst, make_app, open_scheme, rows_of, settle

pytestmark = pytest.mark.usefixtures("only_test_plugins")



async def test_enter_in_a_burst_acts_on_the_row_the_cursor_reached(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#schemes")
        second = table.coordinate_to_cell_key((1, 0)).row_key.value
        burst(app, "down", "enter")
        await settle(pilot)
        assert app.screen.scheme.id == second  # not the first scheme
        burst(app, "escape")
        await settle(pilot)
        table = app.screen.query_one("#schemes")
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)

        # results: down ×3 then enter in one burst explains the fourth row
        burst(app, "3")
        await settle(pilot)
        table = app.screen.query_one("#results")
        table.move_cursor(row=0, column=table.get_column_index("total"))
        fourth = rows_of(table)[3]
        burst(app, "down", "down", "down", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExplainScreen"
        assert app.screen.result.unit in fourth[table.get_column_index("unit")]

        # units: down then enter opens the ledger of the second unit
        burst(app, "escape", "1")
        await settle(pilot)
        table = app.screen.query_one("#units")
        table.move_cursor(row=0, column=0)
        second_unit = rows_of(table)[1][0]
        burst(app, "down", "enter")
        await settle(pilot, 0.3)
        assert app.screen.VIEW == "ledger" and app.screen.state.ledger_filter == second_unit


async def test_palette_then_page_up_in_one_burst_does_not_end_the_app(db_path):
    """Upstream (Textual 8.2.8): page up reaching the palette before its list exists raised
    KeyError: 0 and ended the app."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        for keys in (("ctrl+p", "pageup"), ("ctrl+p", "pagedown"), ("ctrl+p", "end", "home", "up"),
                     ("ctrl+p", "down", "enter")):
            burst(app, *keys)
            await settle(pilot, 0.1)
            assert app.is_running and app.return_code is None
            while type(app.screen).__name__ == "KaohePalette":
                await pilot.press("escape")
                await settle(pilot)
        # the last burst ran the palette's second command (a real one, on the screen below it)
        assert app.is_running and type(app.screen).__name__ != "KaohePalette"


async def open_record_form(pilot):
    """The first scheme's ledger, then a (a new record): the form screen."""
    await open_scheme(pilot)
    await pilot.press("2", "a")
    await settle(pilot)
    return pilot.app.screen


async def test_an_unsaved_form_is_never_lost_without_asking(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_record_form(pilot)
        assert type(form).__name__ == "RecordForm"
        # untouched: esc closes at once
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.VIEW == "ledger"
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-reason").focus()
        await pilot.press(*"迟到两次")
        await settle(pilot)
        # esc asks; esc again (no) keeps the form with its text
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm"
        assert "未保存" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and form.query_one("#f-reason").value == "迟到两次"
        # ctrl+q asks too; "no" keeps the app running with the form
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm" and app.is_running
        await pilot.press("enter")  # the focused button is the safe one
        await settle(pilot)
        assert app.screen is form and app.return_code is None
        # y discards
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.VIEW == "ledger"


async def test_textual_own_strings_are_chinese(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        palette = app.screen
        assert palette.query_one("CommandInput").placeholder == "搜索命令…"
        await pilot.press(*"zzzz")
        await settle(pilot, 0.7)
        shown = [str(palette.query_one("CommandList").get_option_at_index(i).prompt.renderable)
                 for i in range(palette.query_one("CommandList").option_count)]
        assert shown == ["没有匹配的命令"]
        await pilot.press("escape")
        await settle(pilot)
        # a Select's open menu: the footer says 关闭菜单, not "Dismiss menu"
        await pilot.press("3")
        await settle(pilot)
        app.screen.query_one("#results-period").focus()
        await pilot.press("enter")
        await settle(pilot)
        footer = " ".join(k.description for k in app.screen.query("FooterKey"))
        assert "关闭菜单" in footer and "Dismiss" not in footer


def palette_options(app) -> list[str]:
    listing = app.screen.query_one("CommandList")
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_palette_has_export_views_and_no_cursor_entries(db_path, tmp_path):
    app = make_app(db_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot, 0.3)
        shown = palette_options(app)
        assert shown and not any(w in " ".join(shown) for w in ("Cursor", "上移", "下移", "Page", "Select"))
        assert "解释（⏎）" in shown[0] or "解释（enter）" in shown[0]  # the screen's own actions first
        assert any("切换到台账（2）" in s for s in shown) and any("导出（^e）" in s for s in shown)
        await pilot.press(*"导出")
        await settle(pilot, 0.7)
        hits = palette_options(app)
        assert len(hits) == 1 and "导出（^e）" in hits[0]
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExportDialog"


async def test_letters_in_a_table_are_commands_and_slash_filters(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Home/End move in the scheme list
        table = app.screen.query_one("#schemes")
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("enter")
        await settle(pilot)
        units = app.screen.query_one("#units")
        # a letter that is no command does nothing: no filter, every unit and the footer still there
        await pilot.press("m", "j")
        await settle(pilot, 0.3)
        assert units.row_count == 4 and units.has_focus
        assert app.screen.query_one("#units-filter").value == ""
        # / starts the filter; q typed there is text, not a command
        await pilot.press("slash", "q")
        await settle(pilot, 0.3)
        assert app.screen.query_one("#units-filter").value == "q" and units.row_count == 0
        await pilot.press("escape")  # clears it, back in the table
        await settle(pilot)
        assert units.row_count == 4 and units.has_focus
        # q in a table goes back to the scheme list, and q there quits (as in lazygit, k9s)
        await pilot.press("q")
        await settle(pilot)
        assert type(app.screen).__name__ == "SchemesScreen"
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running


async def test_an_open_dropdown_shows_every_character(db_path):
    """Upstream (Textual 8.2.8, issue #6357): where a drop-down covers the edges of the fields
    below it, the compositor cut its Chinese characters in half and drew spaces."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_record_form(pilot)
        form.query_one("#f-unit").value = "党委办"
        await settle(pilot)
        form.query_one("#f-indicator").focus()
        await pilot.press("enter")
        await settle(pilot)
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        for option in ("基础管理/工作纪律（10分）", "基础管理/环境卫生（2分）", "特别附加分"):
            assert any(option in line for line in lines), (option, lines)


async def test_keys_typed_ahead_of_a_dialog_reach_its_field(db_path):
    """i and a path in one burst, as SSH delivers a clerk's typing: the characters came before
    the dialog had built its path field, bubbled back unhandled from the table below and were
    lost. They wait for the dialog now, in order."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        burst(app, "i", *"/tmp/案件.csv")
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "ImportDialog"
        assert dialog.query_one("#import-path").value == "/tmp/案件.csv"
        # and a dialog's own key in the same burst as the key that opens it: a new record from the
        # ledger, then escape at once closes the untouched form (the escape bubbled back from the
        # ledger's table, whose own escape goes back to the scheme list)
        burst(app, "escape")
        await settle(pilot)
        burst(app, "2")
        await settle(pilot)
        burst(app, "a", "escape")
        await settle(pilot)
        assert app.screen.VIEW == "ledger"
