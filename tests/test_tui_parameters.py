"""Issue 15 in the TUI: a year's parameters with the document's text, edited by an administrator
with the lint shown as the value is typed (``y``); the target lists (``g``). The real app at 80×24
against a temporary database."""

from __future__ import annotations

import json
import sqlite3

from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

from test_plugin_screens import open_scheme, settle, text_of


def select_row(table, key: str) -> None:
    keys = [row.value for row in table.rows]
    table.move_cursor(row=keys.index(key))


async def test_an_administrator_changes_a_parameter_with_the_lint_shown_live(tmp_path, capsys):
    db = tmp_path / "k.db"
    assert cli.main(["--db", str(db), "scheme", "new-year", "bureau-departments", "2019"]) == 0
    capsys.readouterr()
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, "bureau-departments")
        assert "y 参数" in text_of(app.screen.query_one("#nav"))
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "ParametersScreen"
        assert "2019年（办公室版本，第0版）" in text_of(screen.query_one("#params-head"))
        table = screen.query_one("#params")
        select_row(table, "基础管理/工作纪律.points")
        await pilot.pause()
        assert "严格执行考勤制度" in text_of(screen.query_one("#params-text"))  # the document's words
        assert screen.query_one("#params-value").value == "10"
        # typing 12 alone breaks 基础管理's declared 70: the lint says so before anything is saved
        await pilot.press("e")
        screen.query_one("#params-value").value = "12"
        await settle(pilot, 0.4)
        assert "✗ lint: error: bureau-departments 基础管理: children add up to 72, declared 70" in \
            text_of(screen.query_one("#params-lint"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM scheme_params").fetchone()[0] == 0
        # a clause amount: passes, saved with its reason
        select_row(table, "基础管理/工作纪律.clauses.late-early.per")
        await pilot.pause()
        screen.query_one("#params-value").value = "1"
        await settle(pilot, 0.4)
        assert "✓ 检查通过：基础管理/工作纪律.clauses.late-early.per 0.5 → 1" in text_of(screen.query_one("#params-lint"))
        screen.query_one("#params-reason").value = "2019年局务会：迟到早退每次扣1分"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "第1版" in text_of(screen.query_one("#params-head"))
        assert str(table.get_cell("基础管理/工作纪律.clauses.late-early.per", "value")) == "⚑1"
        assert str(table.get_cell("基础管理/工作纪律.clauses.late-early.per", "document")) == "0.5"
        # the year before is the document's, unchanged
        table.focus()
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "2018年（文件版本，第0版）" in text_of(screen.query_one("#params-head"))
        assert str(table.get_cell("基础管理/工作纪律.clauses.late-early.per", "value")) == "0.5"
    with sqlite3.connect(db) as conn:
        old, new, reason = conn.execute("SELECT old, new, reason FROM audit WHERE action = 'scheme-set'").fetchone()
    assert json.loads(old)["基础管理/工作纪律.clauses.late-early.per"] == 0.5
    assert json.loads(new)["基础管理/工作纪律.clauses.late-early.per"] == 1
    assert reason == "2019年局务会：迟到早退每次扣1分"


async def test_target_lists_are_shown_per_year(tmp_path):
    db = tmp_path / "k.db"
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, "city-coordination")
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "TargetsScreen"
        assert "2018年目标责任书：1个单位，19项" in text_of(screen.query_one("#targets-head"))
        table = screen.query_one("#targets")
        assert [str(table.get_row_at(i)[3]) for i in range(3)] == ["健全依法行政机制", "完善长效管理机制", "构建综合治理机制"]
        assert str(table.get_row_at(0)[4]) == "1.6" and str(table.get_row_at(18)[4]) == "1.5"
