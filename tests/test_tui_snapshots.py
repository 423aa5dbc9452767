"""SVG snapshots of the main screens at 80×24 (pytest-textual-snapshot). Regenerate after a
deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the
SVGs before keeping them. Nothing on these screens varies between runs: no dates but the ones
the records give, no paths (the export path is relative), no user names (the audit log is not
snapshotted), no notifications."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BROKEN, SIZE, expect, load_only, steps, tokens, visible
from conftest import TUI_PLUGIN as FIXTURE
from conftest import tui_record as record
from kaohe_tui import plugins
from kaohe_tui.tui.app import KaoheApp

pytestmark = pytest.mark.usefixtures("only_test_plugins")


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


def app(db_path, *dirs) -> KaoheApp:
    return KaoheApp(db_path=db_path, plugins_dirs=list(dirs or [FIXTURE]))


def schemes_shown(lines: list[str]) -> None:
    # the id column and the first-run hint that names its key are on screen, not cut
    assert tokens(lines, "界面测试方案")[-1] == "tui-fixture"
    assert any("按 d 载入演示台账" in line for line in lines)


def test_schemes_screen(snap_compare, db_path):
    assert snap_compare(app(db_path), terminal_size=SIZE, run_before=steps(expect(schemes_shown)))


def failure_shown(lines: list[str]) -> None:
    # the broken plugin is named with its error and where it was raised; the good scheme still listed
    text = "\n".join(lines)
    assert "boom" in text and "出错：RuntimeError" in text and "（boom.py:1）" in text
    assert tokens(lines, "界面测试方案")[-1] == "tui-fixture"


def test_schemes_screen_with_failed_plugin(snap_compare, db_path, monkeypatch):
    load_only(monkeypatch, "tui_fixture", "boom")
    assert snap_compare(app(db_path, FIXTURE, BROKEN), terminal_size=SIZE, run_before=steps(expect(failure_shown)))


def units_shown(lines: list[str]) -> None:
    assert tokens(lines, "单位")[:3] == ["单位", "类别", "考核扎口科室"]
    assert tokens(lines, "党委办") == ["党委办", "一类", "党办", "湖塘社区"]
    assert any(line.startswith("4/4个单位") for line in lines)


def test_units_screen(snap_compare, db_path):
    assert snap_compare(app(db_path), terminal_size=SIZE, run_before=steps("enter", expect(units_shown)))


def ledger_shown(lines: list[str]) -> None:
    # at 80 columns: who, how much and why; the clause as the document's sentence, not its id
    assert tokens(lines, "#")[:4] == ["#", "单位", "数", "事由"]
    assert tokens(lines, "✗1")[:3] == ["✗1", "党委办", "次数2"]  # withdrawn, marked
    assert tokens(lines, "2")[:4] == ["2", "党委办", "次数3", "二季度旷工3次"]
    assert tokens(lines, "3")[:4] == ["3", "财审科", "分值1.5", "省级表彰"]
    assert not any("absent" in line for line in lines[:8])


def test_ledger_screen(snap_compare, ledger):
    # the cursor on an active record: a withdrawn one's detail line names who withdrew it and when
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "2", "down", expect(ledger_shown)))


async def fill_form(pilot) -> None:
    form = pilot.app.screen
    form.query_one("#f-unit").value = "侨办（侨联）"
    await pilot.pause()
    form.query_one("#f-indicator").value = "基础管理/环境卫生"
    await pilot.pause()
    form.query_one("#f-clause").value = "dirty"
    form.query_one("#f-figure").value = "2"
    form.query_one("#f-reason").value = "卫生检查2次不到位"


def preview_shown(lines: list[str]) -> None:
    # 侨办: 环境卫生 2 − 2×0.5 = 1; total 12 → 11; still first of 一类 (党委办 has 9)
    text = "\n".join(lines)
    assert "环境卫生 2→1" in text and "总分 12→11" in text and "排名 1→1" in text


def test_record_form_with_preview(snap_compare, ledger):
    assert snap_compare(app(ledger), terminal_size=SIZE,
                        run_before=steps("enter", "2", "down", "a", fill_form, expect(preview_shown)))


def results_shown(lines: list[str]) -> None:
    # unit and 总分 lead. 党委办: 工作纪律 10 − 3×1 (旷工; the Q1 record is withdrawn) = 7, 基础管理
    # 7 + 2 = 9, total 9 < 10 → 通报批评. 财审科: 12 + 1.5 = 13.5, first of 二类.
    assert tokens(lines, "单位")[:3] == ["单位", "总分", "排名"]
    assert tokens(lines, "⚑党委办")[:3] == ["⚑党委办", "9", "2"] and "⚑通报批评" in tokens(lines, "⚑党委办")
    assert tokens(lines, "财审科")[:3] == ["财审科", "13.5", "1"]
    assert tokens(lines, "侨办（侨联）")[:3] == ["侨办（侨联）", "12", "1"]


def test_results_screen(snap_compare, ledger):
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "3", expect(results_shown)))


async def to_party_office(pilot) -> None:
    table = pilot.app.screen.query_one("#results")
    units = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    table.move_cursor(row=units.index("⚑党委办"), column=table.get_column_index("ind:基础管理"))


def explain_shown(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert "党委办 · 2018 · 基础管理 · 总分 9（满分12）第2名" in text
    assert "工作纪律  7/10" in text and "-3  出现无故旷工的有一例扣1分" in text


def test_explain_screen(snap_compare, ledger):
    assert snap_compare(app(ledger), terminal_size=SIZE,
                        run_before=steps("enter", "3", to_party_office, "enter", expect(explain_shown)))


async def explained(pilot, *before) -> tuple[object, list[str]]:
    """The explanation of 党委办's 基础管理 as drawn, after the explanations ``before`` (unit,
    column) were opened and closed."""
    await steps("enter", "3")(pilot)
    for unit, column in before:
        table = pilot.app.screen.query_one("#results")
        units = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=units.index(unit), column=table.get_column_index(column))
        await steps("enter", "down", "down", "escape")(pilot)
    await steps(to_party_office, "enter")(pilot)
    tree = pilot.app.screen.query_one("#explain-tree")
    return pilot.app.screen, [*visible(pilot), f"cursor {tree.cursor_line}, scrolled {tree.scroll_offset.y}"]


async def test_kept_explain_screen_draws_what_a_new_one_draws(ledger):
    """Issue 18: the explanation screen is made once and filled again for the next number; it
    must then show exactly what a new one shows (head, flags, trend, tree, cursor at the top)."""
    async with app(ledger).run_test(size=SIZE) as pilot:
        _, fresh = await explained(pilot)
    explain_shown(fresh)
    async with app(ledger).run_test(size=SIZE) as pilot:
        first = pilot.app.screen  # replaced below
        kept, again = await explained(pilot, ("财审科", "total"), ("侨办（侨联）", "ind:基础管理"))
        assert kept is not first and pilot.app.get_screen("explain") is kept
    assert again == fresh


def export_shown(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert "tui-fixture-2018.xlsx" in text and "相对路径写到：/tmp" in text
    assert "内容" in text and "结果（排名与得分）" in text  # what to export: results, ledger, audit log


def test_export_dialog(snap_compare, ledger, monkeypatch):
    monkeypatch.chdir("/tmp")  # the dialog names the folder a relative path goes to: the same on every machine
    assert snap_compare(app(ledger), terminal_size=SIZE, run_before=steps("enter", "3", "ctrl+e", expect(export_shown)))
