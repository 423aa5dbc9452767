"""From a derived count in the explanation to the platform cases it counted (Textual Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Q1_CASES, Kaohe, cases_file, open_fixture_cases, rows_of, settle
from kaohe_tui.tui.app import KaoheApp

CORE = Path(__file__).parent / "fixtures" / "core_plugin"


pytestmark = pytest.mark.usefixtures("only_test_plugins")
TEST_PLUGINS = ("fixture_scheme",)  # tests/fixtures/core_plugin



def tree_nodes(tree):
    out = []

    def walk(node):
        out.append(node)
        for child in node.children:
            walk(child)
    walk(tree.root)
    return out


async def test_explained_counts_open_their_cases(db_path, tmp_path):
    Kaohe(db_path, [CORE]).run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES)))
    app = KaoheApp(db_path=db_path, plugins_dirs=[CORE], export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_fixture_cases(pilot)
        await pilot.press("3")
        await settle(pilot)
        while app.screen.scored.period != "2018Q1":  # the year first, then its quarters
            await pilot.press("right_square_bracket")
            await settle(pilot)
        table = app.screen.query_one("#results")
        table.move_cursor(row=[r[0] for r in rows_of(table)].index("甲街道"), column=0)  # 单位 leads
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExplainScreen"
        tree = app.screen.query_one("#explain-tree")
        on_time = next(n for n in tree_nodes(tree) if n.data == "cases:on_time")
        assert str(on_time.label) == "数字城管案件统计：按时结案（回车：列出这些案件）"
        tree.move_cursor(on_time)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CasesScreen"
        cases = rows_of(app.screen.query_one("#cases-table"))
        # 甲街道's Q1: A1–A8 closed in time without an extension — the 8 of "按时结案8件"
        assert [r[:2] for r in cases] == [[f"A{i}", "按时结案"] for i in range(1, 9)]
        assert "按时结案8件（按时结案8）" in str(app.screen.query_one("#cases-head").render())
        await pilot.press("s", "s")  # every case of the quarter, class by class: 按时结案, then 延期结案
        await settle(pilot)
        assert [r[:2] for r in rows_of(app.screen.query_one("#cases-table"))] == [["A9", "延期结案"]]
        for _ in range(6):  # 超时结案, 超时未结, 未结案, 已结案（无时限）, 作废, then every case again
            await pilot.press("s")
        await settle(pilot)
        assert [r[0] for r in rows_of(app.screen.query_one("#cases-table"))] == [f"A{i}" for i in range(1, 11)]
        assert "全部10件（按时结案8，延期结案1，超时结案（红灯）1）" in str(
            app.screen.query_one("#cases-head").render()
        )
        await pilot.press("escape")
        await settle(pilot)
        # A9's second extension (a per-case record) opens that one case
        a9 = next(n for n in tree_nodes(app.screen.query_one("#explain-tree")) if n.data == "case:A9")
        assert str(a9.label) == "案件A9（回车：查看该案件）"
        app.screen.query_one("#explain-tree").move_cursor(a9)
        await pilot.press("enter")
        await settle(pilot)
        assert [r[:2] for r in rows_of(app.screen.query_one("#cases-table"))] == [["A9", "延期结案"]]
        assert "案件A9" in str(app.screen.query_one("#cases-head").render())
        await pilot.press("escape")
        await settle(pilot)
        # 核查未通过2次: both are A10's, the one case that failed its checks
        rework = next(n for n in tree_nodes(app.screen.query_one("#explain-tree")) if n.data == "cases:failed_checks")
        app.screen.query_one("#explain-tree").move_cursor(rework)
        await pilot.press("enter")
        await settle(pilot)
        assert [r[0] for r in rows_of(app.screen.query_one("#cases-table"))] == ["A10"]
