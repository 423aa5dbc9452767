"""附件6 has a screen (#14's known limit: commands only): bureau-departments → b lists the bonus
applications and where each stands, from the call behind `kaohe bonus list`, at 80×24."""

from __future__ import annotations

from conftest import open_scheme, settle, visible
from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

BD = "bureau-departments"


async def test_the_bonus_screen_lists_applications_and_their_state(tmp_path, capsys):
    db = tmp_path / "k.db"

    def kaohe(*args: str) -> None:
        assert cli.main(["--db", str(db), *args]) == 0

    kaohe("bonus", "apply", "--period", "2018", "--unit", "党办", "--project", "获省级文明单位",
          "--certificate", "苏文明〔2018〕3号")
    kaohe("bonus", "apply", "--period", "2018", "--unit", "人教科", "--project", "市级表彰", "--certificate", "无编号")
    kaohe("bonus", "apply", "--period", "2018", "--unit", "市政处", "--project", "省优工程",
          "--certificate", "苏建〔2018〕9号")
    kaohe("bonus", "approve", "1", "--points", "2", "--opinion", "同意")
    kaohe("bonus", "reject", "2", "--opinion", "不属于附加分范围")
    kaohe("bonus", "list")
    listed = capsys.readouterr().out
    assert "#1 2018 党委办 获省级文明单位（苏文明〔2018〕3号）已同意 最终赋分2 意见：同意" in listed
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BD)
        await pilot.press("b")
        await settle(pilot)
        assert type(app.screen).__name__ == "BonusScreen"
        table = app.screen.query_one("#bonus")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[:4] for r in rows] == [["#1", "党委办", "已同意", "2"], ["#2", "人教科", "未同意", ""],
                                         ["#3", "市政处", "待审批", ""]]
        assert rows[1][7] == "不属于附加分范围"
        screen = "\n".join(visible(pilot))
        assert "共3项：待审批1项、已同意1项、未同意1项" in screen
        # the columns that say where each stands are on an 80-column screen
        line = next(line for line in visible(pilot) if "#1" in line)
        assert "党委办" in line and "已同意" in line and "2" in line.split("已同意")[1]
        await pilot.press("down")
        await settle(pilot)
        assert "#2 人教科：市级表彰（证书：无编号）" in screen + "\n".join(visible(pilot))
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ != "BonusScreen"
