"""Issue 17: city-coordination's results at 80×24. Two categories rank apart, so the 类别 column
stays, but as the category's short name (镇街 / 部门): the indicators that make up 总分 are on
screen beside it. A Pilot snapshot whose figures are checked as drawn."""

from __future__ import annotations

from conftest import SIZE, expect, open_scheme, steps, tokens
from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp


def results_shown(lines: list[str]) -> None:
    assert all(len(line) <= 80 for line in lines)
    assert tokens(lines, "单位")[:6] == ["单位", "总分", "排名", "类别", "季度考核平均得分", "年度综合考评"]
    # a town's year: the average of its four quarters + the annual review, both on screen:
    # 示例镇甲 46 + 46 = 92, first of the towns; 示例镇丁 41.93 + 40 = 81.93, last (⚑ 通报批评 …)
    assert tokens(lines, "示例镇甲") == ["示例镇甲", "92", "1", "镇街", "46", "46"]
    assert tokens(lines, "示例街道甲") == ["示例街道甲", "91.11", "2", "镇街", "45.61", "45.5"]  # 45.61 + 45.5
    assert tokens(lines, "⚑示例镇丁") == ["⚑示例镇丁", "81.93", "8", "镇街", "41.93", "40"]
    # departments rank among themselves (their indicators scroll to the right); flagged ⚑: the demo
    # assesses no department's 目标责任书, so each is 未录入 (counted at the scheme's stated default)
    assert tokens(lines, "⚑供销社")[:4] == ["⚑供销社", "97.06", "1", "部门"]
    # the line under the table names the category in full
    assert any("示例镇甲（镇（区）、街道） 总分 92 第1名" in line for line in lines)


async def city(pilot) -> None:
    await open_scheme(pilot, "city-coordination")


def test_city_coordination_results_fit_80_columns(snap_compare, db_path, capsys):
    assert cli.main(["--db", str(db_path), "demo", "city-coordination"]) == 0
    capsys.readouterr()
    assert snap_compare(KaoheApp(db_path=db_path), terminal_size=SIZE,
                        run_before=steps(city, "3", expect(results_shown)))
