"""SVG snapshots of the main screens at 80×24 (pytest-textual-snapshot). Regenerate after a
deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the
SVGs before keeping them. Nothing on these screens varies between runs: no dates but the ones
the records give, no paths (the export path is relative), no user names (the audit log is not
snapshotted), no notifications."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from kaohe_tui import plugins
from kaohe_tui.tui.app import KaoheApp
from test_tui import BROKEN, FIXTURE, record, settle

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def only_test_plugins(monkeypatch):
    monkeypatch.setattr(plugins, "plugin_dirs", lambda extra=(): [Path(d) for d in extra])


@pytest.fixture
def ledger(db_path) -> Path:
    """A small ledger: a withdrawn record, a deduction that raises a flag, a bonus."""
    first = record(db_path, period="2018Q1", unit="党委办", indicator="工作纪律", clause="late", count=2,
                   date="2018-02-05", reason="一季度迟到2次")
    record(db_path, period="2018Q2", unit="党委办", indicator="工作纪律", clause="absent", count=3,
           date="2018-05-06", reason="二季度旷工3次")
    record(db_path, period="2018", unit="财审科", indicator="特别附加分", amount=1.5, reason="省级表彰")
    from kaohe_tui import catalog
    from kaohe_tui.ledger import withdraw_record
    from kaohe_tui.store import Store

    store = Store(db_path)
    withdraw_record(store, catalog.get("tui-fixture"), first, "重复登记")
    store.close()
    plugins.reset_for_tests()  # the app loads its plugins itself
    catalog.reset()
    return db_path


def steps(*actions):
    """A run_before: each action is a key or an async function of the pilot; workers and
    debounce timers settle after each, and no input cursor blinks in the picture."""
    async def run(pilot) -> None:
        await settle(pilot)
        for action in actions:
            if callable(action):
                await action(pilot)
            else:
                await pilot.press(action)
            await settle(pilot, 0.25)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await quiet(pilot)
    return run


async def quiet(pilot) -> None:
    """Until no worker runs and two refreshes have passed since (a loaded machine can leave a
    table's column widths a refresh behind its rows)."""
    for _ in range(40):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if not any(w.is_running for w in pilot.app.workers):
            break
    await pilot.pause(0.1)
    await pilot.pause()


def app(db_path, *dirs) -> KaoheApp:
    return KaoheApp(db_path=db_path, plugins_dirs=list(dirs or [FIXTURE]))


def test_schemes_screen(snap_compare, db_path):
    assert snap_compare(app(db_path), terminal_size=SIZE, run_before=steps())


def test_schemes_screen_with_failed_plugin(snap_compare, db_path):
    assert snap_compare(app(db_path, FIXTURE, BROKEN), terminal_size=SIZE, run_before=steps())


def test_units_screen(snap_compare, db_path):
    assert snap_compare(app(db_path), terminal_size=SIZE, run_before=steps("enter"))


def test_ledger_screen(snap_compare, ledger):
    # the cursor on an active record: a withdrawn one's detail line names who withdrew it and when
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "2", "down"))


async def fill_form(pilot) -> None:
    form = pilot.app.screen
    form.query_one("#f-unit").value = "侨办（侨联）"
    await pilot.pause()
    form.query_one("#f-indicator").value = "基础管理/环境卫生"
    await pilot.pause()
    form.query_one("#f-clause").value = "dirty"
    form.query_one("#f-figure").value = "2"
    form.query_one("#f-reason").value = "卫生检查2次不到位"


def test_record_form_with_preview(snap_compare, ledger):
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "2", "down", "a", fill_form))


def test_results_screen(snap_compare, ledger):
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "3"))


async def to_party_office(pilot) -> None:
    table = pilot.app.screen.query_one("#results")
    units = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
    table.move_cursor(row=units.index("⚑党委办"), column=3)


def test_explain_screen(snap_compare, ledger):
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "3", to_party_office, "enter"))


def test_export_dialog(snap_compare, ledger):
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "3", "ctrl+e"))
