"""The plugins' screens show an office year (``kaohe scheme new-year``) with that year's own scheme:
its units and its changed parameters; the OA screen moves between the scheme's years with [ / ].
Seed 002 附件2 信息管理 5分: 流程不及时回复影响工作的有一例扣0.5分 (附件5: 会议类通知 3 working
hours); the office's 2019 makes it 1 point."""

from __future__ import annotations

from conftest import open_scheme, rows_of, settle, visible, write_csv
from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

BD, DC = "bureau-departments", "district-categories"


def kaohe(db, *args: str) -> None:
    assert cli.main(["--db", str(db), *map(str, args)]) == 0


def bureau_2019(db, tmp_path) -> None:
    """2019: an OA breach costs 1 point; 党委办 is renamed 党群工作部 (a unit 2018 does not list)."""
    kaohe(db, "scheme", "new-year", BD, "2019", "--reason", "2019年度")
    kaohe(db, "scheme", "set", BD, "--year", "2019", "基础管理/信息管理.clauses.oa.per=1", "--reason", "局务会")
    units = write_csv(tmp_path / "units.csv", "单位,考核扎口科室,曾用名\n党群工作部,人教科,党委办")
    kaohe(db, "import", BD, units, "--kind", "units", "--period", "2019")


async def open_on(pilot, scheme: str, period: str, *keys: str, screen: str) -> None:
    """Into ``scheme``, the results' period picked in the results view (3), then a plugin screen
    (it opens on that period) by ``keys``."""
    await open_scheme(pilot, scheme)
    await pilot.press("3")
    await settle(pilot)
    pilot.app.screen.query_one("#results-period").value = period
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == screen


async def test_the_oa_screen_shows_an_office_year_and_moves_between_years(tmp_path, capsys):
    db = tmp_path / "k.db"
    bureau_2019(db, tmp_path)
    # 办公室, a meeting notice after 5 working hours (5 > 3: late) in each year
    kaohe(db, "oa-signing", "--period", "2018", "--unit", "办公室", "--kind", "meeting", "--hours", "5",
          "--date", "2018-03-05", "--reason", "2018年会议通知")
    kaohe(db, "oa-signing", "--period", "2019", "--unit", "办公室", "--kind", "meeting", "--hours", "5",
          "--date", "2019-03-05", "--reason", "2019年会议通知")
    capsys.readouterr()
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_on(pilot, BD, "2019", "o", screen="OaScreen")
        table = app.screen.query_one("#oa")
        screen = "\n".join(visible(pilot))
        assert "OA签收（附件5）2019年" in screen and "逾期每例扣1分" in screen
        # 2019: 1 × 1 = −1; 信息管理 5 − 1 = 4
        assert [r[:5] for r in rows_of(table)] == [["#2", "办公室", "逾期签收", "-1", "2019-03-05"]]
        assert "#2 办公室：2019年会议通知 · 信息管理 4/5（OA扣1分）" in screen

        # [: 2018, the document's year: 0.5 a case; 信息管理 5 − 0.5 = 4.5
        await pilot.press("left_square_bracket")
        await settle(pilot)
        screen = "\n".join(visible(pilot))
        assert "OA签收（附件5）2018年" in screen and "逾期每例扣0.5分" in screen
        assert [r[:5] for r in rows_of(table)] == [["#1", "办公室", "逾期签收", "-0.5", "2018-03-05"]]
        assert "#1 办公室：2018年会议通知 · 信息管理 4.5/5（OA扣0.5分）" in screen
        await pilot.press("left_square_bracket")  # no year before 2018: stays
        await settle(pilot)
        assert "OA签收（附件5）2018年" in "\n".join(visible(pilot))

        # ]: back to 2019; n enters a signing of 党群工作部, a unit of 2019 only
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "SigningForm"
        assert form.query_one("#oa-period").value == "2019"
        assert "逾期扣1分" in "\n".join(visible(pilot))
        form.query_one("#oa-unit").value = "党群工作部"
        form.query_one("#oa-reason").value = "2019年5月会议通知"
        form.query_one("#oa-date").value = "2019-05-10"
        form.query_one("#oa-hours").focus()
        await pilot.press("4", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "OaScreen"
        assert [r[:5] for r in rows_of(table)][1] == ["#3", "党群工作部", "逾期签收", "-1", "2019-05-10"]
        table.move_cursor(row=1)
        await settle(pilot)
        # 党群工作部 信息管理 5 − 1 = 4
        assert "#3 党群工作部：2019年5月会议通知 · 信息管理 4/5（OA扣1分）" in "\n".join(visible(pilot))
    # the figures kaohe score gives for 2019: 基础管理 70 − 1 = 69 for both
    assert cli.main(["--db", str(db), "explain", BD, "--period", "2019", "--unit", "党群工作部"]) == 0
    assert "信息管理  4/5" in capsys.readouterr().out


async def test_the_score_sheet_of_an_office_year(tmp_path, capsys):
    db = tmp_path / "k.db"
    bureau_2019(db, tmp_path)
    kaohe(db, "oa-signing", "--period", "2019", "--unit", "党群工作部", "--kind", "meeting", "--hours", "5",
          "--date", "2019-03-05", "--reason", "会议通知")
    kaohe(db, "self-score", "--period", "2019", "--unit", "党群工作部", "--indicator", "信息管理", "--points", "4.5",
          "--reason", "自认逾期半分")
    capsys.readouterr()
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_on(pilot, BD, "2019", "j", screen="SheetScreen")
        units = app.screen.query_one("#sheet-unit")
        offered = [str(option[1]) for option in units._options]
        assert "党群工作部" in offered and "党委办" not in offered  # 2019's own list
        units.value = "党群工作部"
        await settle(pilot)
        rows = rows_of(app.screen.query_one("#sheet"))
        info = next(r for r in rows if r[1] == "信息管理")
        # 标准分值 5, 自评分 4.5, 考评分 5 − 1 × 1 = 4
        assert [info[2], info[3], info[5]] == ["5", "4.5", "4"]
        assert "2019" in "\n".join(visible(pilot))

        # [: 2018Q4, the document's year: its own list (党委办), the 2019 unit is not in it
        await pilot.press("left_square_bracket")
        await settle(pilot)
        offered = [str(option[1]) for option in app.screen.query_one("#sheet-unit")._options]
        assert "党委办" in offered and "党群工作部" not in offered


async def test_the_roster_screen_lists_an_office_years_units(tmp_path, capsys):
    db = tmp_path / "k.db"
    kaohe(db, "scheme", "new-year", DC, "2019", "--reason", "2019年度")
    kaohe(db, "import", DC, write_csv(tmp_path / "dc.csv", "单位,类别,挂钩社区\n区数据局,三类,新安社区"),
          "--kind", "units", "--period", "2019")
    capsys.readouterr()
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_on(pilot, DC, "2019", "1", "m", screen="RosterScreen")  # (results keep m for 缺漏)
        rows = rows_of(app.screen.query_one("#roster"))
        mine = next(r for r in rows if r[0] == "区数据局")
        assert mine[1:4] == ["三类", "新安社区", ""]
        assert "2019年" in "\n".join(visible(pilot))


async def test_the_information_grid_of_an_office_year(tmp_path, capsys):
    db = tmp_path / "k.db"
    bureau_2019(db, tmp_path)
    # 2019: 信息报送 costs 2 a short month (附件4: 有一月未达标扣1分)
    kaohe(db, "scheme", "set", BD, "--year", "2019", "基础管理/信息宣传/信息报送.params.per_month=2",
          "--reason", "局务会")
    # 市政处, 4 a month (附件4): 3 in March of each year
    for year in (2018, 2019):
        kaohe(db, "record", BD, "--period", f"{year}-03", "--unit", "市政处", "--indicator", "信息报送",
              "--clause", "adopted", "--value", "3", "--reason", f"{year}年3月录用")
    capsys.readouterr()
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_on(pilot, BD, "2019", "x", screen="InfoGridScreen")
        table = app.screen.query_one("#info")
        assert "信息报送（附件4）· 2019年" in "\n".join(visible(pilot)) and "扣2分" in "\n".join(visible(pilot))
        assert str(table.get_cell("市政处", "m3")) == "✗3"
        assert str(table.get_cell("市政处", "points")) == "5"  # 7 − 2 (March)
        assert "党群工作部" in [str(r.value) for r in table.rows]  # 2019's own list
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "信息报送（附件4）· 2018年" in "\n".join(visible(pilot))
        assert str(table.get_cell("市政处", "points")) == "6"  # the document's: 7 − 1
