"""附件5 has a screen (#16's known limit: `kaohe oa-signing` only): bureau-departments → o lists the
year's OA signing breaches with what the scorer took for each and each unit's 信息管理, and n enters
one signing event through the call behind `kaohe oa-signing`, at 80×24."""

from __future__ import annotations

from conftest import open_scheme, rows_of, settle, visible
from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

BD = "bureau-departments"


async def test_the_oa_screen_shows_breaches_and_enters_a_signing(tmp_path, capsys):
    db = tmp_path / "k.db"

    def oa(*args: str) -> str:
        assert cli.main(["--db", str(db), "oa-signing", "--period", "2018", *args]) == 0
        return capsys.readouterr().out

    # 附件5 第3条: 会议类通知 within 3 working hours, other documents within 8; unsigned after 48
    # hours counts as no OA client. 附件2 信息管理: 流程不及时回复…有一例扣0.5分; 未安装客户端 双倍.
    # 办公室, a meeting notice signed after 5 working hours: 5 > 3 → late → −0.5
    assert "逾期签收" in oa("--unit", "办公室", "--kind", "meeting", "--hours", "5", "--date", "2018-03-05",
                            "--reason", "3月5日会议通知5小时后签收")
    # 办公室, a document unsigned after 50 clock hours: 50 > 48 → 未安装客户端 → 0.5 × 2 = −1
    assert "未安装客户端" in oa("--unit", "办公室", "--kind", "other", "--hours", "30", "--clock-hours", "50",
                               "--date", "2018-04-02", "--reason", "4月2日文件50小时未签收")
    # 人教科, a document signed after exactly 8 working hours: not over 8 → on time, nothing written
    assert "按时签收" in oa("--unit", "人教科", "--kind", "other", "--hours", "8", "--reason", "按时")
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BD)
        await pilot.press("o")
        await settle(pilot)
        assert type(app.screen).__name__ == "OaScreen"
        table = app.screen.query_one("#oa")
        assert [r[:5] for r in rows_of(table)] == [["#1", "办公室", "逾期签收", "-0.5", "2018-03-05"],
                                                   ["#2", "办公室", "未安装客户端×2", "-1", "2018-04-02"]]
        screen = "\n".join(visible(pilot))
        # 2 records, 0.5 + 1 = 1.5 points from one unit; 信息管理 5 − 1.5 = 3.5
        assert "2条OA记录 · 逾期签收1条、未安装客户端1条 · 1个单位共扣1.5分" in screen
        assert "#1 办公室：3月5日会议通知5小时后签收 · 信息管理 3.5/5（OA扣1.5分）" in screen
        # the columns that say who and how much are on an 80-column screen
        line = next(line for line in visible(pilot) if "#2" in line)
        assert "办公室" in line and "未安装客户端×2" in line and "-1" in line

        # n: one signing through the form — an empty hours field is refused by name, nothing written
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "SigningForm"
        form.query_one("#oa-unit").value = "党委办"
        form.query_one("#oa-reason").value = "5月10日会议通知3.5小时后签收"
        form.query_one("#oa-date").value = "2018-05-10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "工作小时：必填" in "\n".join(visible(pilot))
        # 党委办, a meeting notice after 3.5 working hours: 3.5 > 3 → late → −0.5 (record #3)
        form.query_one("#oa-hours").focus()
        await pilot.press("3", ".", "5", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "OaScreen"
        assert [r[:5] for r in rows_of(table)][2] == ["#3", "党委办", "逾期签收", "-0.5", "2018-05-10"]
        screen = "\n".join(visible(pilot))
        # 0.5 + 1 + 0.5 = 2 points from two units
        assert "3条OA记录 · 逾期签收2条、未安装客户端1条 · 2个单位共扣2分" in screen
        table.move_cursor(row=2)
        await settle(pilot)
        # 党委办 信息管理 5 − 0.5 = 4.5
        assert "#3 党委办：5月10日会议通知3.5小时后签收 · 信息管理 4.5/5（OA扣0.5分）" in "\n".join(visible(pilot))
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ != "OaScreen"
    # the same record the CLI would have written: 党委办's 信息管理 as scored
    assert cli.main(["--db", str(db), "explain", BD, "--period", "2018", "--unit", "党委办"]) == 0
    assert "信息管理  4.5/5" in capsys.readouterr().out


async def test_an_untouched_signing_form_goes_with_one_escape_and_the_next_leaves_the_screen(tmp_path):
    """The form fills itself in (unit, period, kind): none of that is the user's, so escape closes
    it unasked; asking "放弃？" there left the clerk a form that a second escape only kept open."""
    app = KaoheApp(db_path=tmp_path / "k.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BD)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "SigningForm"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "OaScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ not in ("OaScreen", "SigningForm", "Confirm")
        # the hours typed and escape in one burst: escape asks before the hours are lost
        await pilot.press("o", "n")
        await settle(pilot)
        await pilot.press("3", "escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm"
