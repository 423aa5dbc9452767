"""Issue 15 in the TUI: a year's parameters with the document's text, edited by an administrator
with the lint shown as the value is typed (``y``); the target lists (``g``). The real app at 80×24
against a temporary database."""

from __future__ import annotations

import json
import sqlite3

from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

from test_plugin_screens import open_scheme, settle, text_of


async def open_view(pilot, scheme_id: str, key: str):
    await open_scheme(pilot, scheme_id)
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen


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
        # rows read as the document names them; the key a CLI user types is secondary
        labels = {row.value: str(table.get_cell(row.value, "label")) for row in table.rows}
        assert labels["基础管理/学习教育.clauses.no-study-day.per"] == "学习教育·不组织学习日活动的…：每次扣分"
        assert labels["基础管理/工作纪律.points"] == "工作纪律：分值"
        assert labels["total"] == "总分"
        assert not any("clauses" in label or "." in label for label in labels.values())
        select_row(table, "基础管理/工作纪律.points")
        await pilot.pause()
        assert "键：基础管理/工作纪律.points" in text_of(screen.query_one("#params-text"))
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
        screen = await open_view(pilot, "city-coordination", "g")
        assert type(screen).__name__ == "TargetsScreen"
        assert "2018年目标责任书：1个单位，19项" in text_of(screen.query_one("#targets-head"))
        table = screen.query_one("#targets")
        assert [str(table.get_row_at(i)[3]) for i in range(3)] == ["健全依法行政机制", "完善长效管理机制", "构建综合治理机制"]
        assert str(table.get_row_at(0)[4]) == "1.6" and str(table.get_row_at(18)[4]) == "1.5"


async def test_results_of_an_office_year_with_a_trend_across_the_years(tmp_path, capsys):
    db = tmp_path / "k.db"
    towns = tmp_path / "towns.csv"
    towns.write_text("单位,类别\n横泾街道,镇街\n越溪街道,镇街\n", encoding="utf-8")
    for args in (["demo", "city-coordination"], ["scheme", "new-year", "city-coordination", "2019"],
                 ["import", "city-coordination", str(towns), "--kind", "units", "--period", "2019"],
                 ["record", "city-coordination", "--period", "2019Q1", "--unit", "横泾街道", "--indicator", "业务考核",
                  "--value", "90", "--reason", "一季度业务考核"]):
        assert cli.main(["--db", str(db), *args]) == 0, capsys.readouterr().err
    capsys.readouterr()
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_view(pilot, "city-coordination", "3")
        assert "2019Q1" in screen.periods
        screen.query_one("#results-period").value = "2019Q1"
        await settle(pilot, 0.3)
        units = [r.unit for r in screen.scored.results]
        assert screen.query_one("#results").row_count == len(units)
        assert "横泾街道" in units and "示例镇甲" not in units  # the 2019 list, not the document's samples
        assert screen.scored.quarters == ["2018Q1", "2018Q2", "2018Q3", "2018Q4", "2019Q1", "2019Q2", "2019Q3", "2019Q4"]
        # 66 × 90 ÷ 100 = 59.4 for 业务考核 in 2019Q1
        assert screen.scored.by_quarter["2019Q1"]["横泾街道"].points_by_indicator()["业务考核"] == 59.4


def renamed_in_2019(tmp_path, capsys):
    """A database where bureau-departments has 2019, in which 党委办 became 党群工作部."""
    db = tmp_path / "k.db"
    units = tmp_path / "units.csv"
    units.write_text("单位,考核扎口科室,曾用名\n党群工作部,人教科,党委办\n", encoding="utf-8")
    for args in (["scheme", "new-year", "bureau-departments", "2019"],
                 ["import", "bureau-departments", str(units), "--kind", "units", "--period", "2019"]):
        assert cli.main(["--db", str(db), *args]) == 0, capsys.readouterr().err
    return db


async def test_a_record_of_an_office_year_is_entered_against_that_years_units(tmp_path, capsys):
    app = KaoheApp(db_path=renamed_in_2019(tmp_path, capsys))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(pilot, "bureau-departments", "2")
        assert "2019" in screen.periods and "2019Q4" in screen.periods
        screen.query_one("#ledger-period").value = "2019"
        await settle(pilot, 0.3)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "RecordForm"
        assert "党群工作部" in [u.name for u in form.units] and "党委办" not in [u.name for u in form.units]
        assert form.periods[0] == "2019" and "2018" not in form.periods


async def test_the_units_screen_shows_the_chosen_years_units(tmp_path, capsys):
    app = KaoheApp(db_path=renamed_in_2019(tmp_path, capsys))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(pilot, "bureau-departments", "1")
        table = screen.query_one("#units")
        names = lambda: [row.value for row in table.rows]  # noqa: E731
        assert "党委办" in names() and "党群工作部" not in names()  # 2018, the document's list
        assert "19/19个单位（2018年）" in text_of(screen.query_one("#units-status"))
        await pilot.press("right_square_bracket")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#units")
        assert "党群工作部" in names() and "党委办" not in names()
        assert str(table.get_cell("党群工作部", "aliases")) == "党委办、党办"  # the former names stay aliases
        assert "19/19个单位（2019年）" in text_of(screen.query_one("#units-status"))
        # a record added from here is entered against 2019's list
        table.move_cursor(row=names().index("党群工作部"))
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "RecordForm" and form.periods[0] == "2019"
        assert "党群工作部" in [u.name for u in form.units]
        await pilot.press("escape")
        await settle(pilot)
        # back to 2018 with [
        app.screen.query_one("#units").focus()
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "党委办" in [row.value for row in app.screen.query_one("#units").rows]
